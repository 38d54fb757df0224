"""What people may do in the youth symphony (core.policies). Members are children: who
sees their names, health data and contacts is decided here and nowhere else."""

from django.utils import timezone

from core.policies import PROJECT_LEADER, Policy, role
from core.roles import Role


def _own_member(user):
    """Return the member record of a login (a member 13+ with their own login), cached."""
    cached = getattr(user, "_orchestra_own_member", False)
    if cached is False:
        from orchestra.models import Member

        cached = Member.objects.filter(user=user, anonymised_at__isnull=True).first()
        user._orchestra_own_member = cached
    return cached


def _member_with_own_login(user) -> bool:
    own = _own_member(user)
    return own is not None and own.may_have_own_login_on(timezone.localdate())


def _member_consenting_themself(user) -> bool:
    own = _own_member(user)
    return own is not None and own.may_consent_themself_on(timezone.localdate())


def _leads_a_tour(user) -> bool:
    from orchestra.selectors.tours import tours_led_by

    return tours_led_by(user).exists()


# Children's data needs the project leader's role, not just the admin's is_staff flag.
ORCHESTRA_STAFF = PROJECT_LEADER
GUARDIAN = role("orchestra.guardian", Role.GUARDIAN, staff=False, description="Guardians.")
TAKE_ATTENDANCE = role(
    "orchestra.take_attendance", Role.TUTOR, description="Tutors and staff take attendance."
)
OWN_MEMBER_PAGES = Policy(
    "orchestra.own_member_pages",
    who=_member_with_own_login,
    description="A member old enough for their own login: their calendar, master classes.",
)
OWN_CONSENTS = Policy(
    "orchestra.own_consents",
    who=_member_consenting_themself,
    description="A member old enough to give and withdraw their own consents.",
)
LEAD_TOURS = Policy(
    "orchestra.lead_tours",
    who=lambda user: ORCHESTRA_STAFF.admits(user) or _leads_a_tour(user),
    description="Tour leaders (their tours) and staff.",
)
