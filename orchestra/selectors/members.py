"""Reads of the orchestra: who may see which members and guardians.

Every page and endpoint that shows a member fetches them through
``members_visible_to(user)``; the rules live here and nowhere else.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from core.roles import is_project_leader
from orchestra.models import (
    ConsentAcceptance,
    ConsentText,
    Guardian,
    Guardianship,
    Member,
    MemberInstrument,
    Membership,
    StatusChange,
)


def is_orchestra_staff(user) -> bool:
    """Return True for those who see every member: project leaders and superusers.

    Children's data needs the role, not just the admin's ``is_staff`` flag, the same
    rule as the admin's permissions and the API's writes.
    """
    return user is not None and user.is_authenticated and is_project_leader(user)


def with_current_status(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """Annotate ``current_status`` and ``status_since`` from each member's latest change."""
    latest = StatusChange.objects.filter(member=OuterRef("pk")).order_by(*StatusChange.LATEST_FIRST)
    return queryset.annotate(
        current_status=Subquery(latest.values("status")[:1]),
        status_since=Subquery(latest.values("since")[:1]),
    )


def latest_status_of(member: Member) -> StatusChange | None:
    """Return a member's latest status change: their current status."""
    return member.status_changes.order_by(*StatusChange.LATEST_FIRST).first()


def status_history() -> Prefetch:
    """Prefetch a member's status changes, latest first, for status_on()."""
    return Prefetch(
        "status_changes",
        queryset=StatusChange.objects.order_by(*StatusChange.LATEST_FIRST),
        to_attr="status_history",
    )


def status_on(member: Member, day) -> str | None:
    """Return the member's status on a day: the latest change since on or before it.

    Reads the prefetched status_history (status_history()); without it, one query.
    """
    history = getattr(member, "status_history", None)
    if history is None:
        history = member.status_changes.order_by(*StatusChange.LATEST_FIRST)
    for change in history:
        if change.since <= day:
            return change.status
    return None


def members_with_details(queryset: QuerySet[Member]) -> QuerySet[Member]:
    """Join what a member's page or API answer shows, in a fixed number of queries."""
    return (
        with_current_status(queryset)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "member_instruments",
                queryset=MemberInstrument.objects.select_related("instrument"),
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("group", "group__season"),
            ),
            Prefetch("guardianships", queryset=Guardianship.objects.order_by("pk")),
            status_history(),
        )
    )


def member_of(user) -> Member | None:
    """Return the member whose own login this is, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Member.objects.filter(user=user).first()


def guardian_of(user) -> Guardian | None:
    """Return the guardian record of a login, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Guardian.objects.filter(user=user).first()


def member_records_visible_to(user) -> QuerySet[Member]:
    """Return the members whose whole record a user may read: birth date, municipality,
    guardians, consents.

    Staff see every member; a guardian their own children; a member with their own login
    themself. Tutors are not here: they see names, instruments and attendance of their
    sessions' members only (``members_visible_to``), never the record.
    """
    if user is None or not user.is_authenticated:
        return Member.objects.none()
    if is_orchestra_staff(user):
        return Member.objects.all()
    own_children = Guardianship.objects.filter(guardian__user=user).values("member_id")
    return Member.objects.filter(Q(pk__in=own_children) | Q(user=user))


def members_visible_to(user) -> QuerySet[Member]:
    """Return the members a user may see at all (at least their name).

    Those of member_records_visible_to(), and for a tutor the members expected at the
    sessions they lead (SessionPlan.tutors) in seasons not yet over: their names,
    instruments and attendance only. Everyone else, anonymous visitors included, sees
    no member.
    """
    records = member_records_visible_to(user)
    if user is None or not user.is_authenticated or is_orchestra_staff(user):
        return records
    led = members_at_sessions_led_by(user)
    if led:
        return Member.objects.filter(Q(pk__in=records.values("pk")) | Q(pk__in=led))
    return records


def members_at_sessions_led_by(user) -> list[int]:
    """Return the ids of the members expected at the sessions a tutor leads, in seasons
    that have not ended: when the season ends, so does the tutor's view of its members.

    A fixed number of queries (two when the user leads nothing); who is expected is
    worked out by orchestra.selectors.sessions.attends.
    """
    from orchestra.models import SessionPlan
    from orchestra.selectors.sessions import attends, ever_attending

    plans = list(
        SessionPlan.objects.filter(tutors=user, event__period__end__gte=timezone.localdate())
        .select_related("event")
        .prefetch_related("groups")
    )
    group_ids = {group.pk for plan in plans for group in plan.groups.all()}
    if not group_ids:
        return []
    candidates = (
        ever_attending()
        .filter(memberships__group__in=group_ids)
        .distinct()
        .prefetch_related(
            Prefetch(
                "member_instruments",
                queryset=MemberInstrument.objects.select_related("instrument"),
            ),
            "memberships",
            status_history(),
        )
    )
    return [member.pk for member in candidates if any(attends(member, plan) for plan in plans)]


def is_guardian_of(user, member: Member) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Guardianship.objects.filter(guardian__user=user, member=member).exists()


def guardians_visible_to(user) -> QuerySet[Guardian]:
    """Return the guardians whose contact details a user may see: staff all, a guardian themself."""
    if user is None or not user.is_authenticated:
        return Guardian.objects.none()
    if is_orchestra_staff(user):
        return Guardian.objects.all()
    return Guardian.objects.filter(user=user)


def guardians_with_children(queryset: QuerySet[Guardian]) -> QuerySet[Guardian]:
    return queryset.select_related("user").prefetch_related(
        Prefetch("guardianships", queryset=Guardianship.objects.order_by("member_id", "pk"))
    )


def members_with_status(
    statuses: Iterable[str], queryset: QuerySet[Member] | None = None
) -> QuerySet[Member]:
    """Return the members whose current status is one of the given, annotated with it."""
    queryset = Member.objects.all() if queryset is None else queryset
    return with_current_status(queryset).filter(current_status__in=list(statuses))


def consents_visible_to(user) -> QuerySet[ConsentAcceptance]:
    """Return the consents given for the members a user may see."""
    return ConsentAcceptance.objects.filter(
        member__in=member_records_visible_to(user).values("pk")
    ).select_related("text", "guardian", "withdrawal")


def consent_texts_visible_to(user) -> QuerySet[ConsentText]:
    """Return the consent texts a user may read: staff every version, others the published."""
    if is_orchestra_staff(user):
        return ConsentText.objects.all()
    return ConsentText.objects.filter(published_at__isnull=False)


def current_consent_text(kind: str) -> ConsentText | None:
    """Return the newest published version of a kind of consent text."""
    return (
        ConsentText.objects.filter(kind=kind, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def may_see_medical_notes(user, member: Member, *, today=None) -> bool:
    """Return True if a login may read a member's medical notes: staff always, and the
    leaders of a tour the member plays on, from a week before its first day to its last
    (orchestra.selectors.tours); nobody else, tutors and guardians' other logins included.
    """
    if is_orchestra_staff(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    from orchestra.models import TourParticipant
    from orchestra.selectors.tours import tours_open_to_leader

    return TourParticipant.objects.filter(
        member=member,
        role=TourParticipant.Role.PLAYER,
        tour__in=tours_open_to_leader(user, today=today),
    ).exists()
