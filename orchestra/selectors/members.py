"""Reads of the orchestra's members and guardians: their records, status and details,
and who may read a member's whole record (``member_records_visible_to``).

Who may see a member at all (their name, for a tutor at their sessions) and their
medical notes is decided in orchestra.selectors.visibility, which builds on this module,
the sessions and the tours; this module imports none of them.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

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
