"""What people may do in the youth symphony (core.policies). Members are children: who
sees their names, health data and contacts is decided here and nowhere else."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.policies import LOGGED_IN, PROJECT_LEADER, PUBLIC, Policy, role
from core.roles import Role, is_project_leader
from orchestra.models import (
    ConsentAcceptance,
    ConsentWithdrawal,
    Guardianship,
    MasterClassSignUp,
    MemberCard,
)
from orchestra.selectors.calendars import calendar_owner
from orchestra.selectors.masterclasses import (
    led_master_classes,
    master_classes_visible_to,
    signing_up_for,
)
from orchestra.selectors.members import (
    consent_texts_visible_to,
    guardians_visible_to,
    is_orchestra_staff,
    member_records_visible_to,
)
from orchestra.selectors.tours import participants_visible_to, tours_visible_to


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


# The API's capabilities (orchestra.api) ----------------------------------------------------
#
# Each names what it allows. A capability on some rows has a scope built on the selector
# that decides which rows (so the list, the record and the permission agree); what a login
# may do with a row it reaches beyond that (a guardian consents for their own child, a
# tour's leader reads but does not fill in trip details) is the services' rule.


def _within(queryset: QuerySet, allowed: QuerySet, paths: dict | None = None) -> QuerySet:
    """Return the rows of the queryset that are, or belong to, the allowed rows.

    ``paths`` maps a model of rows that belong to an allowed row to the lookup from them
    to it (a consent to its member: ``"member"``); the allowed rows' own model needs none.
    """
    path = "pk" if queryset.model is allowed.model else (paths or {}).get(queryset.model)
    if path is None:
        raise ValueError(f"No path from {queryset.model.__name__} to {allowed.model.__name__}.")
    return queryset.filter(**{f"{path}__in": allowed.values("pk")})


def _member_records(user, queryset):
    return _within(
        queryset,
        member_records_visible_to(user),
        {
            ConsentAcceptance: "member",
            ConsentWithdrawal: "acceptance__member",
            MemberCard: "member",
        },
    )


def _plans_led(user, plans):
    return plans if is_orchestra_staff(user) else plans.filter(tutors=user)


def _attendance_seen_by(user, rows):
    """Staff all rows; tutors those of the sessions they lead; guardians their children's;
    a member with their own login their own."""
    if is_orchestra_staff(user):
        return rows
    children = Guardianship.objects.filter(guardian__user=user).values("member_id")
    return rows.filter(
        Q(member__in=children) | Q(member__user=user) | Q(session__orchestra_plan__tutors=user)
    ).distinct()


def _leaves_seen_by(user, leaves):
    """Staff all leaves; a guardian their children's; a member with their own login theirs."""
    if is_orchestra_staff(user):
        return leaves
    children = Guardianship.objects.filter(guardian__user=user).values("member_id")
    return leaves.filter(Q(member__in=children) | Q(member__user=user))


def _signed_up_by(user, queryset):
    # signing_up_for() is a login's own family; staff sign up anyone.
    if is_orchestra_staff(user):
        return queryset
    return _within(queryset, signing_up_for(user), {MasterClassSignUp: "member"})


# The orchestra's set-up: instruments, groups per season, session plans, concerts' groups.
MANAGE_ORCHESTRA = ORCHESTRA_STAFF
# Members' records, status history and groups; guardians, their links and logins.
MANAGE_MEMBERS = ORCHESTRA_STAFF
# Writing, publishing and deleting consent texts, and recording consents given on paper.
MANAGE_CONSENTS = ORCHESTRA_STAFF
# Guest ensembles, with their contacts.
MANAGE_GUEST_ENSEMBLES = ORCHESTRA_STAFF
# Master classes: making them (their participants: LIST_PARTICIPANTS).
MANAGE_MASTER_CLASSES = ORCHESTRA_STAFF
# Changing tours, their participants and costs, and reading the costs and the budget. A
# login that may see the tour is refused (403), not told it does not exist.
CHANGE_TOURS = ORCHESTRA_STAFF
# The concerts' groups.
PLAN_CONCERTS = ORCHESTRA_STAFF
# Requests to erase a member's data, and completing them.
MANAGE_ERASURE = ORCHESTRA_STAFF
# The access log names who read which child's health data: staff; anyone else gets 404.
READ_ACCESS_LOG = Policy(
    "orchestra.read_access_log",
    who=is_project_leader,
    hide=True,
    description="The access log of children's health data and contacts: staff.",
)
# A child's medical notes on their record (a trip's notes and emergency contacts follow
# orchestra.selectors.tours.restricted_access: also the tour's leaders and guardians).
SEE_MEDICAL_NOTES = ORCHESTRA_STAFF
# Children's full names on a session's board and a master class's participants; the
# tutors who lead them read a first name and an initial.
SEE_FULL_NAMES = ORCHESTRA_STAFF
# A child's registration (or a trial weekend's request): anyone, without a login.
REGISTER_CHILD = PUBLIC
# Actions whose service checks whom they are for (an answer for a session, a leave, an
# attendance record): any login; the service refuses the rest with a reason.
ACT_FOR_A_MEMBER = LOGGED_IN

SEE_MEMBER_RECORD = Policy(
    "orchestra.see_member_record",
    scope=_member_records,
    hide=True,
    description=(
        "A member's record (birth date, municipality, guardians, consents, member cards): "
        "staff all, a guardian their children's, a member with their own login their own."
    ),
)
SEE_GUARDIAN_CONTACTS = Policy(
    "orchestra.see_guardian_contacts",
    scope=lambda user, queryset: _within(queryset, guardians_visible_to(user)),
    hide=True,
    description="A guardian's contact details and children: staff all, a guardian their own.",
)
CHANGE_GUARDIAN_CONTACTS = Policy(
    "orchestra.change_guardian_contacts",
    scope=lambda user, queryset: _within(queryset, guardians_visible_to(user)),
    hide=True,
    description="A guardian's contact details: staff all, a guardian their own.",
)
SEE_CONSENT_TEXTS = Policy(
    "orchestra.see_consent_texts",
    login=False,
    scope=lambda user, queryset: _within(queryset, consent_texts_visible_to(user)),
    hide=True,
    description="Consent texts: anyone the published ones, staff every version.",
)
LEAD_SESSION_PLAN = Policy(
    "orchestra.lead_session_plan",
    scope=_plans_led,
    hide=True,
    description=(
        "A session plan, its attendance board and check-in list: staff all, a tutor the "
        "plans they lead."
    ),
)
SEE_ATTENDANCE = Policy(
    "orchestra.see_attendance",
    scope=_attendance_seen_by,
    hide=True,
    description=(
        "Attendance: staff all; tutors their sessions'; guardians their children's; a "
        "member with their own login their own."
    ),
)
SEE_LEAVES = Policy(
    "orchestra.see_leaves",
    scope=_leaves_seen_by,
    hide=True,
    description=(
        "Leaves of absence: staff all, a guardian their children's, a member their own "
        "(guardians and staff end them)."
    ),
)
OWN_PRIVATE_CALENDAR = Policy(
    "orchestra.own_private_calendar",
    who=lambda user: calendar_owner(user) is not None,
    description="A private calendar link: guardians and members with their own login.",
)
SEE_MASTER_CLASS = Policy(
    "orchestra.see_master_class",
    scope=lambda user, queryset: _within(queryset, master_classes_visible_to(user)),
    hide=True,
    description=(
        "A master class: staff all, a tutor those they lead, a guardian or member those "
        "of their groups."
    ),
)
LIST_PARTICIPANTS = Policy(
    "orchestra.list_participants",
    scope=lambda user, queryset: _within(queryset, led_master_classes(user)),
    hide=True,
    description="A master class's participants and waitlist: staff, the class's tutors.",
)
SIGN_UP = Policy(
    "orchestra.sign_up",
    description=(
        "Sign a member up for a master class, cancel, take an offered place: any class, for "
        "the members the login signs up (SIGNS_UP_FOR); the service says why not."
    ),
)
SIGNS_UP_FOR = Policy(
    "orchestra.signs_up_for",
    scope=_signed_up_by,
    hide=True,
    description=(
        "The members a login signs up, and their sign-ups: staff all, a guardian their "
        "children, a member old enough for their own login themself."
    ),
)
SEE_TOUR = Policy(
    "orchestra.see_tour",
    scope=lambda user, queryset: _within(queryset, tours_visible_to(user)),
    hide=True,
    description=(
        "A tour (without budget and costs): staff all, its leaders, the guardians and "
        "members who go."
    ),
)
SEE_TOUR_PARTICIPANTS = Policy(
    "orchestra.see_tour_participants",
    scope=lambda user, queryset: _within(queryset, participants_visible_to(user)),
    hide=True,
    description=(
        "A tour's participants: staff all; its leaders while the tour is open to them "
        "(tours_open_to_leader); a guardian their children; a member themself."
    ),
)
