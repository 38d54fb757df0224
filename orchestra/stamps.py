"""Which writes change the orchestra's calendar feeds (core.stamps).

Stamps:
- PLANS: what every feed of the orchestra reads besides the events (events.stamps
  ORCHESTRA_EVENTS): the session plans with their groups and tutors, the groups, the
  instruments and the tours.
- orchestra:member:<id> and orchestra:guardian:<id>: one private calendar, bumped by
  writes to what it shows of the member (or of the guardian's children): the member,
  their instruments, memberships, status, master-class places and tours.
A registration for anything but a master class, or an artist's profile, bumps none.
"""

from core.stamps import forget, register, remembered
from events.stamps import ORCHESTRA_EVENTS, VENUES
from orchestra.models import (
    Group,
    Guardian,
    Guardianship,
    Instrument,
    MasterClassSignUp,
    Member,
    MemberInstrument,
    Membership,
    SessionPlan,
    StatusChange,
    Tour,
    TourParticipant,
)
from ticketing.models import Registration

PLANS = "orchestra:plans"


def member_stamp(member_id: int) -> str:
    return f"orchestra:member:{member_id}"


def guardian_stamp(guardian_id: int) -> str:
    return f"orchestra:guardian:{guardian_id}"


def group_feed_stamps() -> list[str]:
    """Return the stamps a group's public feed is read under."""
    return [ORCHESTRA_EVENTS, PLANS, VENUES]


def private_feed_stamps(owner: Guardian | Member) -> list[str]:
    """Return the stamps a guardian's or a member's private feed is read under."""
    if isinstance(owner, Guardian):
        return [*group_feed_stamps(), guardian_stamp(owner.pk)]
    return [*group_feed_stamps(), member_stamp(owner.pk)]


def member_keys(member_id: int | None) -> list[str]:
    """Return the stamps of the private feeds that show the member: their own and their
    guardians' (one query a transaction: an import writes a member's rows one by one)."""
    if member_id is None:
        return []
    guardians = remembered(
        ("orchestra:guardians", member_id),
        lambda: list(
            Guardianship.objects.filter(member_id=member_id).values_list("guardian_id", flat=True)
        ),
    )
    return [member_stamp(member_id), *(guardian_stamp(guardian) for guardian in guardians)]


def guardianship_keys(guardianship: Guardianship) -> list[str]:
    forget("orchestra:guardians", guardianship.member_id)
    return [guardian_stamp(guardianship.guardian_id)]


def registration_keys(registration: Registration) -> list[str]:
    """A registration shows in a feed only as a master-class place (its event's places
    looked up once a transaction: a cancelled event cancels all its registrations)."""
    members_by_registration = remembered(
        ("orchestra:sign-ups", registration.event_id),
        lambda: dict(
            MasterClassSignUp.objects.filter(event_id=registration.event_id).values_list(
                "registration_id", "member_id"
            )
        ),
    )
    return member_keys(members_by_registration.get(registration.pk))


def sign_up_keys(sign_up: MasterClassSignUp) -> list[str]:
    forget("orchestra:sign-ups", sign_up.event_id)
    return member_keys(sign_up.member_id)


register(Member, lambda member: member_keys(member.pk))
register(MasterClassSignUp, sign_up_keys)
for model in (MemberInstrument, Membership, StatusChange, TourParticipant):
    register(model, lambda row: member_keys(row.member_id))
register(Guardianship, guardianship_keys)
register(Registration, registration_keys)
for model in (
    SessionPlan,
    SessionPlan.groups.through,
    Group,
    Instrument,
    Tour,
):
    register(model, lambda row: [PLANS])
