"""Who may see which member: every page and endpoint that shows a member fetches them
through ``members_visible_to(user)``, and a child's medical notes are read by those
``may_see_medical_notes`` allows; the rules live here and nowhere else.

The whole record (birth date, municipality, guardians, consents) follows
orchestra.selectors.members.member_records_visible_to; a tutor sees the names of the
members their sessions expect (orchestra.selectors.sessions), a tour leader a player's
medical notes in the tour period (orchestra.selectors.tours).
"""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from orchestra.models import Member, MemberInstrument, SessionPlan, TourParticipant
from orchestra.selectors.members import (
    is_orchestra_staff,
    member_records_visible_to,
    status_history,
)
from orchestra.selectors.sessions import attends, ever_attending
from orchestra.selectors.tours import tours_open_to_leader


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


def may_see_medical_notes(user, member: Member, *, today=None) -> bool:
    """Return True if a login may read a member's medical notes: staff always, and the
    leaders of a tour the member plays on, from a week before its first day to its last
    (orchestra.selectors.tours); nobody else, tutors and guardians' other logins included.
    """
    if is_orchestra_staff(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return TourParticipant.objects.filter(
        member=member,
        role=TourParticipant.Role.PLAYER,
        tour__in=tours_open_to_leader(user, today=today),
    ).exists()
