"""Reads about visitor tallies: what a host sees, a place's day, and staff's completeness.

Every read here takes a constant number of queries, whatever the number of places, days
or tallies: lists are joined and prefetched, totals are summed in the database.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from artists.models import (
    ArtSale,
    Exhibition,
    Studio,
    TallyCorrection,
    TallyReminder,
    VisitTally,
)
from artists.selectors.places import (
    Place,
    open_days,
    place_filter,
    places_hosted_by,
)
from artists.selectors.studios import exhibitions, open_studios
from core.roles import is_staff_member
from events.models import Period, Programme


def tallies() -> QuerySet[VisitTally]:
    """Return tallies with their place, author and history: a constant number of queries."""
    return VisitTally.objects.select_related(
        "studio__venue", "exhibition__event", "recorded_by"
    ).prefetch_related(
        Prefetch(
            "corrections",
            queryset=TallyCorrection.objects.select_related("changed_by").order_by(
                "changed_at", "pk"
            ),
        )
    )


def tallies_visible_to(user) -> QuerySet[VisitTally]:
    """Return the tallies a user may read: those of the places they host, or all for staff."""
    found = tallies()
    if is_staff_member(user):
        return found
    if user is None or not user.is_authenticated:
        return found.none()
    return found.filter(
        Q(studio__in=Studio.objects.filter(artists__user=user).values("pk"))
        | Q(exhibition__in=Exhibition.objects.filter(event__hosts=user).values("pk"))
    )


def tally_place(tally: VisitTally) -> Place:
    return tally.studio if tally.studio_id else tally.exhibition


# A place's day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    visitors: int
    pupils: int
    entries: int


@dataclass(frozen=True)
class DayTotals:
    """What a place counted on one day, voided tallies left out."""

    visitors: int
    pupils: int
    entries: int
    by_category: list[CategoryTotal]


def day_totals(place: Place, day: date) -> DayTotals:
    """Return the place's totals on a day, in all and per category (one query)."""
    rows = {
        row["category"]: row
        for row in VisitTally.objects.filter(place_filter(place), date=day, voided_at__isnull=True)
        .values("category")
        .annotate(visitors_sum=Sum("visitors"), pupils_sum=Sum("pupils"), entry_count=Count("pk"))
        .order_by()
    }
    by_category = []
    for category in VisitTally.Category:
        row = rows.get(category.value, {})
        by_category.append(
            CategoryTotal(
                category=category.value,
                label=str(category.label),
                visitors=row.get("visitors_sum") or 0,
                pupils=row.get("pupils_sum") or 0,
                entries=row.get("entry_count") or 0,
            )
        )
    return DayTotals(
        visitors=sum(total.visitors for total in by_category),
        pupils=sum(total.pupils for total in by_category),
        entries=sum(total.entries for total in by_category),
        by_category=by_category,
    )


def day_entries(place: Place, day: date, *, limit: int | None = None) -> list[VisitTally]:
    """Return the place's tallies on a day, newest first, removed ones too."""
    found = tallies().filter(place_filter(place), date=day).order_by("-recorded_at", "-pk")
    return list(found[:limit] if limit else found)


def day_corrections(place: Place, day: date) -> QuerySet[TallyCorrection]:
    """Return the corrections of the place's tallies counted on a day, newest first."""
    return (
        TallyCorrection.objects.filter(
            Q(tally__studio=place) if isinstance(place, Studio) else Q(tally__exhibition=place)
        )
        .filter(tally__date=day)
        .select_related("tally", "changed_by")
        .order_by("-changed_at", "-pk")
    )


def default_day(place: Place, today: date | None = None) -> date | None:
    """Return the day a tally page opens on: today if open, else the latest past open day.

    A place that opens later opens on its first day; a place without hours has no day.
    """
    today = today or timezone.localdate()
    days = open_days(place)
    past = [day for day in days if day <= today]
    if past:
        return past[-1]
    return days[0] if days else None


# The places a host counts at --------------------------------------------------------------


def art_round_editions() -> QuerySet[Period]:
    return Period.objects.filter(programme__kind=Programme.Kind.ART_ROUND).order_by("-start", "pk")


def current_art_round_edition(today: date | None = None) -> Period | None:
    """Return the newest edition of the art round that has started, else the first to come."""
    today = today or timezone.localdate()
    editions = art_round_editions()
    started = editions.filter(start__lte=today).first()
    return started or editions.order_by("start", "pk").first()


@dataclass
class EditionPlaces:
    edition: Period
    places: list[Place] = field(default_factory=list)


def counting_places(user, current: Period | None = None) -> list[EditionPlaces]:
    """Return where the user counts visits, by edition: the current edition first.

    Staff count everywhere, so they are shown the current edition's places only.
    """
    if is_staff_member(user):
        if current is None:
            return []
        return [EditionPlaces(current, places_hosted_by(user, current))]
    by_edition: dict[int, EditionPlaces] = {}
    for place in places_hosted_by(user):
        edition = place.edition if isinstance(place, Studio) else place.event.period
        by_edition.setdefault(edition.pk, EditionPlaces(edition)).places.append(place)
    groups = sorted(by_edition.values(), key=lambda group: group.edition.start, reverse=True)
    if current is not None:
        groups.sort(key=lambda group: group.edition.pk != current.pk)
    return groups


# Completeness for staff ----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One place on one day: closed, reported (with the sum), missing or reminded."""

    day: date
    is_open: bool
    visitors: int = 0
    entries: int = 0
    reminded_at: datetime | None = None

    @property
    def reported(self) -> bool:
        return self.entries > 0

    @property
    def missing(self) -> bool:
        return self.is_open and not self.reported

    @property
    def state(self) -> str:
        if not self.is_open:
            return "closed"
        if self.reported:
            return "reported"
        return "reminded" if self.reminded_at else "missing"


@dataclass(frozen=True)
class PlaceRow:
    place: Place
    kind: str  # "studio" or "exhibition"
    cells: list[Cell]

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.place.pk}"

    @property
    def missing(self) -> int:
        return sum(1 for cell in self.cells if cell.missing)


@dataclass(frozen=True)
class Completeness:
    edition: Period
    days: list[date]
    rows: list[PlaceRow]

    @property
    def missing(self) -> int:
        return sum(row.missing for row in self.rows)

    @property
    def reported(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.reported)


def completeness(edition: Period, today: date | None = None) -> Completeness:
    """Return every place of the edition × every open day up to today, and what it reported.

    Exhibitions come first, then studios by number. A constant number of queries.
    """
    today = today or timezone.localdate()
    places: list[tuple[str, Place]] = [
        ("exhibition", exhibition) for exhibition in exhibitions().filter(event__period=edition)
    ] + [("studio", studio) for studio in open_studios(edition)]
    opened = {
        (kind, place.pk): {d for d in open_days(place) if d <= today} for kind, place in places
    }
    days = sorted(set().union(*opened.values())) if opened else []

    sums = {}
    for row in (
        VisitTally.objects.filter(edition=edition, voided_at__isnull=True, date__lte=today)
        .values("studio_id", "exhibition_id", "date")
        .annotate(visitors_sum=Sum("visitors"), entry_count=Count("pk"))
        .order_by()
    ):
        kind, pk = place_key_of(row)
        sums[(kind, pk, row["date"])] = (row["visitors_sum"], row["entry_count"])
    reminded = {}
    for row in (
        TallyReminder.objects.filter(edition=edition)
        .values("studio_id", "exhibition_id", "date")
        .annotate(last=Max("sent_at"))
        .order_by()
    ):
        kind, pk = place_key_of(row)
        reminded[(kind, pk, row["date"])] = row["last"]

    rows = []
    for kind, place in places:
        cells = []
        for day in days:
            visitors, entries = sums.get((kind, place.pk, day), (0, 0))
            cells.append(
                Cell(
                    day=day,
                    is_open=day in opened[(kind, place.pk)],
                    visitors=visitors,
                    entries=entries,
                    reminded_at=reminded.get((kind, place.pk, day)),
                )
            )
        rows.append(PlaceRow(place=place, kind=kind, cells=cells))
    return Completeness(edition=edition, days=days, rows=rows)


def place_key_of(row: dict) -> tuple[str, int]:
    """Return ("studio" or "exhibition", its id) of a row of tallies' values()."""
    if row["studio_id"]:
        return "studio", row["studio_id"]
    return "exhibition", row["exhibition_id"]


# Sales ------------------------------------------------------------------------------------


def edition_sales(edition: Period | None) -> QuerySet[ArtSale]:
    """Return the art sales of an edition, newest first (filter them through a policy)."""
    return (
        ArtSale.objects.filter(edition=edition)
        .select_related("artist", "work", "edition")
        .order_by("-sold_on", "-pk")
    )


def sales_visible_to(user) -> QuerySet[ArtSale]:
    """Return the art sales a user may read: their own as an artist, or all for staff."""
    found = ArtSale.objects.select_related("artist", "work", "edition").order_by("-sold_on", "-pk")
    if is_staff_member(user):
        return found
    if user is None or not user.is_authenticated:
        return found.none()
    return found.filter(artist__user=user)


def sales_total(sales: QuerySet[ArtSale]) -> int:
    return sales.aggregate(total=Sum("amount"))["total"] or 0
