"""Reads of the jury: who may see what, a juror's list, the ranking and applicant feedback.

A review *counts* when it is complete and its juror has no conflict of interest with the
application. A juror who recuses after reviewing keeps their review (it is history, and
it counts again if staff remove the conflict), but it is left out of the ranking, the
scores, the feedback to the applicant and what other jurors see, everywhere, through
``counted_reviews()``.
"""

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from artists.models import (
    Application,
    ApplicationImage,
    Call,
    Conflict,
    Criterion,
    Decision,
    Review,
    ReviewPhase,
    Score,
)
from core import questions
from core.roles import is_staff_member

HUNDREDTH = Decimal("0.01")


def is_juror(user) -> bool:
    """Return True if the user is a juror of any call."""
    return bool(user and user.is_authenticated and user.jury_calls.exists())


def review_phase(call: Call) -> ReviewPhase | None:
    """Return the call's review phase (kind review), or None when none is set."""
    return call.phases.filter(kind=ReviewPhase.Kind.REVIEW).first()


def in_conflict() -> Exists:
    """Return a condition on reviews: true when the juror has a conflict with the application."""
    return Exists(
        Conflict.objects.filter(application=OuterRef("application"), juror=OuterRef("juror"))
    )


def counted_reviews() -> QuerySet[Review]:
    """Return the reviews that count: complete, by a juror not in conflict with the application."""
    return Review.objects.filter(is_complete=True).exclude(in_conflict())


@dataclass(frozen=True)
class JuryAccess:
    """What one user may do with one call's jury pages at one moment."""

    call: Call
    phase: ReviewPhase | None
    is_juror: bool
    is_staff: bool
    now: datetime

    @property
    def phase_open(self) -> bool:
        return bool(self.phase and self.phase.is_active(self.now))

    @property
    def phase_state(self) -> str:
        """Return "none" (no review phase), "before", "open" or "after"."""
        if self.phase is None:
            return "none"
        if self.now < self.phase.starts_at:
            return "before"
        return "open" if self.now < self.phase.ends_at else "after"

    @property
    def may_see(self) -> bool:
        """Jurors during the review phase; staff at any time."""
        return self.is_staff or self.may_score

    @property
    def may_score(self) -> bool:
        return self.is_juror and self.phase_open

    @property
    def names_visible(self) -> bool:
        return bool(self.phase and self.phase.names_visible)


def jury_access(call: Call, user, *, now=None) -> JuryAccess:
    """Return what the user may do with the call's jury pages now."""
    juror = bool(user.is_authenticated and call.jurors.filter(pk=user.pk).exists())
    return JuryAccess(
        call=call,
        phase=review_phase(call),
        is_juror=juror,
        is_staff=is_staff_member(user),
        now=now or timezone.now(),
    )


def jury_calls() -> QuerySet[Call]:
    """Return the calls with their review phase, newest first (filter them through
    artists.policies.SEE_JURY_CALL)."""
    return (
        Call.objects.select_related("period")
        .prefetch_related(
            Prefetch("phases", queryset=ReviewPhase.objects.filter(kind=ReviewPhase.Kind.REVIEW))
        )
        .order_by("-opens_at", "pk")
    )


def order_key(juror_id: int, application: Application) -> str:
    """Return the key of an application in a juror's own random but stable order."""
    return shuffle_key_order(juror_id, application.shuffle_key)


def shuffle_key_order(juror_id: int, shuffle_key) -> str:
    return hashlib.sha256(f"{juror_id}:{shuffle_key}".encode()).hexdigest()


def juror_order(call: Call, juror) -> list[int]:
    """Return the ids of the applications the juror reviews, in their own order: one query.

    The same order as applications_for_juror(), without loading the applications.
    """
    rows = (
        submitted_applications(call)
        .exclude(conflicts__juror=juror)
        .values_list("pk", "shuffle_key")
    )
    return [pk for pk, key in sorted(rows, key=lambda row: shuffle_key_order(juror.pk, row[1]))]


def position_of(call: Call, juror, application: Application) -> int | None:
    """Return the place (from 1) of an application in the juror's order, or None."""
    order = juror_order(call, juror)
    return order.index(application.pk) + 1 if application.pk in order else None


def juror_labels(call: Call) -> dict[int, str]:
    """Return "A", "B", … per juror of the call, the same on every page of the call.

    Jurors are lettered in the order of their accounts, together with anyone who has
    reviewed in the call after leaving the jury.
    """
    ids = set(call.jurors.values_list("pk", flat=True))
    ids |= set(
        Review.objects.filter(application__call=call).values_list("juror_id", flat=True).distinct()
    )
    labels = {}
    for number, juror_id in enumerate(sorted(ids)):
        label = ""
        number += 1
        while number:
            number, rest = divmod(number - 1, 26)
            label = chr(ord("A") + rest) + label
        labels[juror_id] = label
    return labels


def submitted_applications(call: Call) -> QuerySet[Application]:
    return Application.objects.filter(call=call, state=Application.State.SUBMITTED)


def applications_for_juror(call: Call, juror) -> list[Application]:
    """Return the submitted applications the juror reviews, in their own stable order.

    Applications the juror has a conflict with are left out. Each carries ``own_review``
    (the juror's review or None), ``review_count`` (the reviews that count) and
    ``image_count``, in three queries however many there are.
    """
    counted = (
        counted_reviews()
        .filter(application=OuterRef("pk"))
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    applications = list(
        submitted_applications(call)
        .exclude(conflicts__juror=juror)
        .select_related("artist")
        .annotate(review_count=Coalesce(Subquery(counted), 0))
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.filter(juror=juror), to_attr="own"),
            Prefetch(
                "image_links",
                queryset=ApplicationImage.objects.order_by("position", "pk"),
                to_attr="links",
            ),
        )
    )
    for application in applications:
        application.own_review = application.own[0] if application.own else None
        application.image_count = len(application.links)
    applications.sort(key=lambda application: order_key(juror.pk, application))
    return applications


def juror_progress(applications: list[Application]) -> dict:
    """Return how many of a juror's applications (from applications_for_juror) they finished."""
    complete = sum(1 for a in applications if a.own_review and a.own_review.is_complete)
    return {"complete": complete, "total": len(applications)}


def next_for_juror(call: Call, juror, *, after: Application | None = None) -> Application | None:
    """Return the next application for the juror: fewest counted reviews, then their order.

    Only applications the juror has not completed, and never ``after`` itself.
    """
    candidates = [
        application
        for application in applications_for_juror(call, juror)
        if not (application.own_review and application.own_review.is_complete)
        and (after is None or application.pk != after.pk)
    ]
    # sort() is stable: among equals the juror's own order is kept.
    candidates.sort(key=lambda application: application.review_count)
    return candidates[0] if candidates else None


def applications_of_call_for_jury(call_id: int) -> QuerySet[Application]:
    """Return a call's applications with what the jury's pages show (filter them through
    artists.policies.REVIEW_APPLICATION: submitted, never in conflict)."""
    return (
        Application.objects.filter(call_id=call_id)
        .select_related("artist", "call__period")
        .prefetch_related(
            Prefetch(
                "image_links",
                queryset=ApplicationImage.objects.select_related("image").order_by(
                    "position", "pk"
                ),
            )
        )
    )


def review_image_link(application: Application, number: int) -> ApplicationImage | None:
    """Return the application's image with this number (from 1, in the applicant's order)."""
    links = list(application.image_links.all())
    return links[number - 1] if 1 <= number <= len(links) else None


def criteria_of(call: Call) -> list[Criterion]:
    return list(call.criteria.order_by("position", "pk"))


def own_review(application: Application, juror) -> Review | None:
    """Return the juror's review of the application with its scores, or None."""
    return (
        Review.objects.filter(application=application, juror=juror)
        .prefetch_related("scores")
        .first()
    )


def other_reviews(application: Application, juror, phase: ReviewPhase | None) -> list[dict]:
    """Return the other jurors' counted reviews the juror may see now, labelled "Juror A".

    Per the phase's setting: never, after the juror's own complete review, or always.
    Jurors' names never appear.
    """
    setting = phase.other_scores if phase else ReviewPhase.OtherScores.NEVER
    if setting == ReviewPhase.OtherScores.NEVER:
        return []
    own_complete = Review.objects.filter(application=application, juror=juror, is_complete=True)
    if setting == ReviewPhase.OtherScores.AFTER_OWN and not own_complete.exists():
        return []
    labels = juror_labels(application.call)
    reviews = (
        counted_reviews()
        .filter(application=application)
        .exclude(juror=juror)
        .prefetch_related("scores")
    )
    others = [
        {
            "label": labels.get(review.juror_id, "?"),
            "weighted_score": review.weighted_score,
            "comment": review.comment,
            "values": {score.criterion_id: score.value for score in review.scores.all()},
        }
        for review in reviews
    ]
    return sorted(others, key=lambda other: (len(other["label"]), other["label"]))


# Staff: progress, ranking, conflicts --------------------------------------------------


def jury_progress(call: Call) -> list[dict]:
    """Return each juror's progress: complete reviews of the applications they review.

    A juror reviews every submitted application except those they are in conflict with.
    Four queries however many jurors and applications.
    """
    jurors = list(call.jurors.order_by("last_name", "first_name", "username", "pk"))
    submitted = set(submitted_applications(call).values_list("pk", flat=True))
    conflicts = defaultdict(set)
    for application_id, juror_id in Conflict.objects.filter(application__call=call).values_list(
        "application_id", "juror_id"
    ):
        conflicts[juror_id].add(application_id)
    complete = defaultdict(int)
    for application_id, juror_id in Review.objects.filter(
        application__call=call, is_complete=True
    ).values_list("application_id", "juror_id"):
        if application_id in submitted and application_id not in conflicts[juror_id]:
            complete[juror_id] += 1
    return [
        {
            "juror": juror,
            "complete": complete[juror.pk],
            "assigned": len(submitted - conflicts[juror.pk]),
            "conflicts": len(submitted & conflicts[juror.pk]),
        }
        for juror in jurors
    ]


def _median(values: list[Decimal]) -> Decimal:
    return Decimal(statistics.median(values)).quantize(HUNDREDTH)


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal("0")) / len(values)).quantize(HUNDREDTH)


def application_scores(call: Call, applications=None) -> dict[int, dict]:
    """Return the scores of each submitted application of the call, by application id.

    From the reviews that count (complete, juror not in conflict), each from 0 to 100:
    ``weighted`` the mean of the reviews' weighted scores (the ranking's total), ``mean``
    the plain mean of every score given with each criterion counted alike, ``median``
    of the weighted scores, ``reviews`` how many, ``spread`` the highest weighted score
    less the lowest (to spot disagreement), ``lowest`` and ``highest``. Without a review
    that counts, every figure is None and ``reviews`` is 0. Five queries in all (four when
    the caller has the submitted applications already and passes them).
    """
    if applications is None:
        ids = list(submitted_applications(call).values_list("pk", flat=True))
    else:
        ids = [application.pk for application in applications]
    weighted = defaultdict(list)
    counted = counted_reviews().filter(application__call=call, application_id__in=ids)
    for application_id, score in counted.values_list("application_id", "weighted_score"):
        weighted[application_id].append(score)
    criteria = {criterion.pk: criterion for criterion in call.criteria.all()}
    plain = defaultdict(list)
    for application_id, criterion_id, value in Score.objects.filter(review__in=counted).values_list(
        "review__application_id", "criterion_id", "value"
    ):
        criterion = criteria.get(criterion_id)
        if criterion is not None:
            plain[application_id].append(criterion.normalized(value) * 100)
    scores = {}
    for application_id in ids:
        values = weighted.get(application_id, [])
        if not values:
            scores[application_id] = dict.fromkeys(
                ("weighted", "mean", "median", "spread", "lowest", "highest")
            ) | {"reviews": 0}
            continue
        scores[application_id] = {
            "weighted": _mean(values),
            "mean": _mean(plain[application_id]) if plain[application_id] else None,
            "median": _median(values),
            "reviews": len(values),
            "spread": max(values) - min(values),
            "lowest": min(values),
            "highest": max(values),
        }
    return scores


@dataclass
class RankingRow:
    rank: int
    application: Application
    weighted: Decimal | None
    mean: Decimal | None
    median: Decimal | None
    reviews: int
    spread: Decimal | None


RANKING_SORTS = ("weighted", "mean", "median", "reviews", "spread", "name")
DEFAULT_RANKING_SORT = "-weighted"


def ranking_sort(value: str | None) -> str:
    """Return a valid sort for the ranking: a column name, "-" first for descending."""
    if value and value.lstrip("-") in RANKING_SORTS:
        return value
    return DEFAULT_RANKING_SORT


def ranking(call: Call, *, sort: str = DEFAULT_RANKING_SORT) -> list[RankingRow]:
    """Return the call's submitted applications ranked by weighted total, then sorted.

    ``rank`` is the place by weighted total (ties share a place; unscored last, without a
    place) whatever the sort. Empty figures sort last in either direction. Five queries
    however many applications.
    """
    applications = list(submitted_applications(call).select_related("artist").order_by("pk"))
    scores = application_scores(call, applications)
    rows = [
        RankingRow(
            rank=0,
            application=application,
            **{
                key: scores[application.pk][key]
                for key in ("weighted", "mean", "median", "reviews", "spread")
            },
        )
        for application in applications
    ]
    by_total = sorted(
        (row for row in rows if row.weighted is not None), key=lambda row: -row.weighted
    )
    for place, row in enumerate(by_total, start=1):
        previous = by_total[place - 2] if place > 1 else None
        row.rank = previous.rank if previous and previous.weighted == row.weighted else place

    sort = ranking_sort(sort)
    column = sort.lstrip("-")
    descending = sort.startswith("-")

    def value(row):
        if column == "name":
            return row.application.artist.name.casefold()
        return getattr(row, column)

    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    # Ties keep the order of the weighted total, then the artist's name.
    present.sort(key=lambda row: row.application.artist.name.casefold())
    present.sort(key=lambda row: row.rank or 10**9)
    present.sort(key=value, reverse=descending)
    missing.sort(key=lambda row: row.application.artist.name.casefold())
    return present + missing


def shareable_comments(application: Application) -> list[str]:
    """Return the comments jurors allowed to share with the applicant, without names.

    Only from reviews that count, non-empty, in the order they were written.
    """
    return [
        comment.strip()
        for comment in counted_reviews()
        .filter(application=application, comment_shareable=True)
        .exclude(comment="")
        .order_by("created_at", "pk")
        .values_list("comment", flat=True)
        if comment.strip()
    ]


def conflicts_for_staff(call: Call) -> QuerySet[Conflict]:
    """Return the call's conflicts of interest with their applications' artists and jurors."""
    return (
        Conflict.objects.filter(application__call=call)
        .select_related("application__artist", "juror")
        .order_by("application__artist__name", "juror__username", "pk")
    )


def jurors_of(call: Call) -> QuerySet:
    return call.jurors.order_by("last_name", "first_name", "username", "pk")


def reviews_visible_to(user, *, now=None) -> QuerySet[Review]:
    """Return the reviews a user may read through the API.

    A juror: their own, of calls they judge, during the review phase, never of an
    application they are in conflict with or one no longer submitted. Staff: besides
    that, every review of a call whose review phase has ended.
    """
    now = now or timezone.now()
    if not (user and user.is_authenticated):
        return Review.objects.none()
    active = ReviewPhase.objects.filter(
        call=OuterRef("application__call"),
        kind=ReviewPhase.Kind.REVIEW,
        starts_at__lte=now,
        ends_at__gt=now,
    )
    judges = Call.jurors.through.objects.filter(call=OuterRef("application__call"), user=user)
    own = (
        Q(juror=user)
        & Q(Exists(judges))
        & Q(application__state=Application.State.SUBMITTED)
        & Q(Exists(active))
        & ~Q(in_conflict())
    )
    visible = own
    if is_staff_member(user):
        ended = ReviewPhase.objects.filter(
            call=OuterRef("application__call"), kind=ReviewPhase.Kind.REVIEW, ends_at__lte=now
        )
        visible = own | Q(Exists(ended))
    return Review.objects.filter(visible)


def conflicts_visible_to(user) -> QuerySet[Conflict]:
    """Return the conflicts a user may read: all for staff, a juror's own otherwise."""
    if is_staff_member(user):
        return Conflict.objects.all()
    if not (user and user.is_authenticated):
        return Conflict.objects.none()
    return Conflict.objects.filter(juror=user)


def review_page(access: JuryAccess, application: Application, user) -> dict:
    """Return what the review page shows a juror (or staff, as a preview) of an application."""
    call = access.call
    order = juror_order(call, user)
    index = order.index(application.pk) if application.pk in order else None
    review = own_review(application, user) if access.is_juror else None
    criteria = criteria_of(call)
    others = other_reviews(application, user, access.phase) if access.is_juror else []
    return {
        "criteria": criteria,
        "review": review,
        "others": others,
        # One row per criterion: the label of each other juror's value, in the others' order.
        "other_rows": [
            {
                "criterion": criterion,
                "values": [
                    dict(criterion.choices()).get(other["values"].get(criterion.pk), "–")
                    for other in others
                ],
            }
            for criterion in criteria
        ],
        # The jury sees its own copies of the images, by number only: the gallery's
        # titles, years, techniques and sizes are public, and lead back to the artist.
        "image_numbers": list(range(1, len(application.image_links.all()) + 1)),
        # The call's own questions: never those marked identifying (blind review).
        "answers": questions.answers_by_record([application], for_juror=True).get(
            application.pk, []
        ),
        "position": None if index is None else index + 1,
        "total": len(order),
        "previous_id": order[index - 1] if index else None,
        "next_id": order[index + 1] if index is not None and index + 1 < len(order) else None,
    }


def applicant_feedback(application: Application, scores: dict) -> dict | None:
    """Return feedback for an applicant who was not accepted, when the call gives it.

    Their own weighted score, the median of all applications, and the jurors' comments
    marked as shareable, without names.
    """
    decision = application.decision
    if not application.call.feedback_to_applicants:
        return None
    if decision.outcome == Decision.Outcome.ACCEPTED:
        return None
    own = scores.get(application.pk, {})
    medians = sorted(s["weighted"] for s in scores.values() if s.get("weighted") is not None)
    median = None
    if medians:
        middle = len(medians) // 2
        median = (
            medians[middle] if len(medians) % 2 else (medians[middle - 1] + medians[middle]) / 2
        )
    return {
        "score": own.get("weighted"),
        "median": median,
        "comments": shareable_comments(application),
    }


LETTER_KIND = "artists.letter"  # the kind of outbound message artists.emails.send_letter queues


def letter_messages():
    """Return the outbound messages (core.models.OutboundMessage) that carry letters."""
    from core.models import OutboundMessage

    return OutboundMessage.objects.filter(kind=LETTER_KIND, about_app="artists.letter")


def outbox_letters(call: Call) -> QuerySet:
    """Return the call's letters, each with its email's delivery (one query).

    A letter staff have not sent yet has no email; once sent (``sent_at``: handed to the
    outbound queue), its state is its outbound message's: ``delivery_status`` (queued,
    sent, failed), ``delivery_error``, ``delivery_attempts``, ``delivered_at`` and
    ``message_id``; all None when the message was cleared by retention.
    """
    from artists.models import Letter

    message = letter_messages().filter(about_id=OuterRef("pk")).order_by("-pk")
    return (
        Letter.objects.filter(application__call=call)
        .select_related("application__artist", "application__decision")
        .annotate(
            message_id=Subquery(message.values("pk")[:1]),
            delivery_status=Subquery(message.values("status")[:1]),
            delivery_error=Subquery(message.values("last_error")[:1]),
            delivery_attempts=Subquery(message.values("attempts")[:1]),
            delivered_at=Subquery(message.values("sent_at")[:1]),
        )
    )
