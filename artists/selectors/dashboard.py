"""Reads for the art round's dashboard panels (artists.dashboard): each in a fixed number
of queries, whatever the number of calls, applications, places or works."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, Sum

from artists.models import (
    Application,
    ArtSale,
    Call,
    Exhibition,
    Letter,
    ReviewPhase,
    Studio,
    StudioHours,
    VisitTally,
    Work,
)
from artists.selectors.applications import calls_open_to
from artists.selectors.studios import exhibitions, studios_with_details
from artists.selectors.tallies import completeness, current_art_round_edition, place_key_of

# How many rows a panel lists at most.
DASHBOARD_ROWS = 8
# How many of the studio's next open days the artist's panel shows.
NEXT_OPEN_DAYS = 4
# Sales are recorded for the works of an edition until this long after it ends.
SALES_GRACE = timedelta(days=30)


# Staff --------------------------------------------------------------------------------------


@dataclass
class CallWork:
    call: Call
    undecided: int = 0
    unreleased: int = 0
    unsent_letters: int = 0


def calls_needing_staff(*, now: datetime) -> list[CallWork]:
    """Return the calls with submitted applications waiting for a decision (once the call
    has closed), decisions not released, or letters not sent, newest call first. Three
    queries."""
    submitted = Application.objects.filter(
        state=Application.State.SUBMITTED, call__closes_at__lte=now
    )
    work: dict[int, CallWork] = {}
    for row in (
        submitted.values("call_id")
        .annotate(
            undecided=Count("pk", filter=Q(decision__isnull=True)),
            unreleased=Count(
                "pk", filter=Q(decision__isnull=False, decision__released_at__isnull=True)
            ),
        )
        .filter(Q(undecided__gt=0) | Q(unreleased__gt=0))
        .order_by()
    ):
        work[row["call_id"]] = CallWork(
            call=None, undecided=row["undecided"], unreleased=row["unreleased"]
        )
    for row in (
        Letter.objects.filter(sent_at__isnull=True)
        .values("application__call_id")
        .annotate(unsent=Count("pk"))
        .order_by()
    ):
        work.setdefault(row["application__call_id"], CallWork(call=None)).unsent_letters = row[
            "unsent"
        ]
    calls = Call.objects.filter(pk__in=list(work)).select_related("period").order_by("-opens_at")
    found = []
    for call in calls[:DASHBOARD_ROWS]:
        work[call.pk].call = call
        found.append(work[call.pk])
    return found


@dataclass
class MissingCounts:
    edition: object  # Period
    days: int
    places: int


def missing_counts(*, today: date) -> MissingCounts | None:
    """Return how many open days up to today have no visitor count in the current edition,
    and at how many places (artists.selectors.tallies.completeness), or None."""
    edition = current_art_round_edition(today)
    if edition is None or edition.start > today:
        return None
    matrix = completeness(edition, today)
    places = sum(1 for row in matrix.rows if row.missing)
    return MissingCounts(edition=edition, days=matrix.missing, places=places)


# Jurors -------------------------------------------------------------------------------------


@dataclass
class ReviewsLeft:
    call: Call
    phase: ReviewPhase
    total: int = 0
    done: int = 0

    @property
    def left(self) -> int:
        return self.total - self.done


def reviews_left_for(juror, *, now: datetime) -> list[ReviewsLeft]:
    """Return the calls the juror reviews whose review phase has not ended, each with the
    applications to review (conflicts left out) and how many the juror has completed.
    Three queries."""
    calls = list(
        Call.objects.filter(jurors=juror, phases__kind=ReviewPhase.Kind.REVIEW)
        .filter(phases__ends_at__gt=now)
        .select_related("period")
        .prefetch_related(
            Prefetch(
                "phases",
                queryset=ReviewPhase.objects.filter(kind=ReviewPhase.Kind.REVIEW),
                to_attr="review_phases",
            )
        )
        .distinct()
        .order_by("pk")
    )
    counts = {
        row["call_id"]: row
        for row in Application.objects.filter(call__in=calls, state=Application.State.SUBMITTED)
        .exclude(conflicts__juror=juror)
        .values("call_id")
        .annotate(
            total=Count("pk", distinct=True),
            done=Count(
                "reviews",
                filter=Q(reviews__juror=juror, reviews__is_complete=True),
                distinct=True,
            ),
        )
        .order_by()
    }
    found = [
        ReviewsLeft(
            call=call,
            phase=call.review_phases[0],
            total=counts.get(call.pk, {}).get("total", 0),
            done=counts.get(call.pk, {}).get("done", 0),
        )
        for call in calls
    ]
    return sorted(found, key=lambda row: (row.phase.ends_at, row.call.pk))


# Artists ------------------------------------------------------------------------------------


def own_applications(user, *, limit: int = DASHBOARD_ROWS) -> list[Application]:
    """Return the artist's applications, newest call first, with the call and decision."""
    return list(
        Application.objects.filter(artist__user=user)
        .select_related("call__period", "decision")
        .order_by("-call__opens_at", "-pk")[:limit]
    )


def calls_to_apply_to(artist, *, now: datetime) -> list[Call]:
    """Return the open calls the artist may apply to and has not applied to yet."""
    return list(
        calls_open_to(artist, now=now).exclude(applications__artist=artist)[:DASHBOARD_ROWS]
    )


def next_open_days(user, *, today: date, limit: int = NEXT_OPEN_DAYS) -> list[StudioHours]:
    """Return the next opening hours of the artist's studios, today's first."""
    return list(
        StudioHours.objects.filter(studio__artists__user=user, date__gte=today)
        .select_related("studio__venue")
        .order_by("date", "opens", "pk")[:limit]
    )


def works_without_a_sale(user, *, today: date) -> list[Work]:
    """Return the artist's works for sale, of an edition that has begun and ended less than
    SALES_GRACE ago, with no sale recorded yet."""
    return list(
        Work.objects.filter(
            artist__user=user,
            for_sale=True,
            edition__start__lte=today,
            edition__end__gte=today - SALES_GRACE,
        )
        .exclude(pk__in=ArtSale.objects.filter(work__isnull=False).values("work_id"))
        .select_related("edition")
        .order_by("edition__start", "title", "pk")[:DASHBOARD_ROWS]
    )


# Counting today -----------------------------------------------------------------------------


@dataclass
class PlaceToday:
    place: Studio | Exhibition
    kind: str  # "studio" or "exhibition"
    counted: int = 0


def places_open_on(user, *, day: date) -> list[PlaceToday]:
    """Return the user's own places open on the day (exhibitions whose event they host,
    their studios), with the visitors counted there so far. Staff count anywhere, but see
    here only the places they host themselves. Five queries at most."""
    found = [
        PlaceToday(place, "exhibition")
        for place in exhibitions().filter(event__hosts=user, hours__date=day).distinct()
    ] + [
        PlaceToday(place, "studio")
        for place in studios_with_details()
        .filter(artists__user=user, hours__date=day)
        .distinct()
        .order_by("number", "pk")
    ]
    if not found:
        return []
    sums = {
        place_key_of(row): row["visitors"]
        for row in VisitTally.objects.filter(date=day, voided_at__isnull=True)
        .filter(
            Q(studio__in=[p.place.pk for p in found if p.kind == "studio"])
            | Q(exhibition__in=[p.place.pk for p in found if p.kind == "exhibition"])
        )
        .values("studio_id", "exhibition_id")
        .annotate(visitors=Sum("visitors"))
        .order_by()
    }
    for item in found:
        item.counted = sums.get((item.kind, item.place.pk), 0)
    return found[:DASHBOARD_ROWS]
