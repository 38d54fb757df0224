"""What people may do in the youth symphony (core.policies). Members are children: who
sees their names, health data and contacts is decided here and nowhere else."""

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.policies import LOGGED_IN, PROJECT_LEADER, PUBLIC, Policy, role
from core.roles import Role, has_role, is_project_leader
from events.models import Event
from orchestra.models import (
    ConsentAcceptance,
    ConsentWithdrawal,
    Guardian,
    Guardianship,
    MasterClassSignUp,
    Member,
    MemberCard,
    SessionPlan,
    TourParticipant,
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
from orchestra.selectors.tours import (
    participants_visible_to,
    tours_led_by,
    tours_open_to_leader,
    tours_visible_to,
)


def _own_member(user):
    """Return the member record of a login (a member 13+ with their own login), cached."""
    cached = getattr(user, "_orchestra_own_member", False)
    if cached is False:
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


# ====================================================================================

# The orchestra's pages (orchestra/views)
# ===========================================================================================
#
# Members are children (8 to 18). Who may see what about a child, page by page:
#
# - a child's name: staff; the child's guardians; the member themself (their own login);
#   the tutors of the sessions that expect the child, first name and initial only, until
#   the season ends (orchestra.selectors.members_visible_to); the tour leaders of the
#   child's tour during the leaders' window. SEE_CHILD_FULL_NAME says who reads more than
#   the initial.
# - a child's health data (medical notes; dietary needs and medical notes for a trip):
#   staff, the child's guardians, the tour leaders of the child's tour during the leaders'
#   window (orchestra.selectors.tours.tours_open_to_leader). Never tutors.
#   SEE_CHILD_HEALTH_DATA.
# - contacts (the guardians' phone numbers, a trip's emergency contacts): the same people.
#   SEE_CHILD_CONTACTS.
# - acting for a child (consents, a deletion request, leaves, the travel consent): the
#   child's guardians. ACT_FOR_CHILD.
#
# A policy about one child hides (hide=True): a login it refuses gets 404 on its pages and
# forms, and learns nothing of whether the child exists.


def _cached(user, key: str, compute):
    """Return compute(user), kept on the user object: a request asks a policy more than
    once (its check, then its object) and the menu asks again."""
    attribute = f"_orchestra_policy_{key}"
    if not hasattr(user, attribute):
        setattr(user, attribute, compute(user))
    return getattr(user, attribute)


def _is_staff(user) -> bool:
    return ORCHESTRA_STAFF.admits(user)


def _own_guardian(user):
    """Return the guardian record of a login, if any, cached."""

    def find(user):
        return Guardian.objects.filter(user=user).first()

    return _cached(user, "own_guardian", find)


def _is_guardian(user) -> bool:
    return _own_guardian(user) is not None


def _own_children(user):
    """Return the ids of a login's own children (as their guardian), a subquery."""
    return Guardianship.objects.filter(guardian__user=user).values("member_id")


def _of_members(members_of) -> Callable:
    """Return a scope that keeps the members ``members_of(user)`` returns (None: every
    member) or, on another model, the records of those members (its ``member`` field: a
    leave of absence, a tour participant)."""

    def scope(user, queryset):
        members = members_of(user)
        if members is None:
            return queryset
        if queryset.model is Member:
            return queryset.filter(pk__in=members)
        return queryset.filter(member__in=members)

    return scope


def _children_acted_for(user):
    return Member.objects.filter(pk__in=_own_children(user), anonymised_at__isnull=True).values(
        "pk"
    )


def _all_or_own_children(user):
    return None if _is_staff(user) else _own_children(user)


def _players_led_now(user):
    """Return the ids of the players of the tours a login leads, during the leaders' window
    (orchestra.selectors.tours.tours_open_to_leader), a subquery."""

    return TourParticipant.objects.filter(
        tour__in=tours_open_to_leader(user), member__isnull=False
    ).values("member_id")


def _known_by_name(user):
    """Return whose full name a login reads: staff everyone (None); a guardian their
    children; a member themself; a tour leader, during the leaders' window, the players."""
    if _is_staff(user):
        return None

    return Member.objects.filter(
        Q(pk__in=member_records_visible_to(user).values("pk")) | Q(pk__in=_players_led_now(user))
    ).values("pk")


def _cared_for(user):
    """Return who a login looks after: staff everyone (None); a guardian their children; a
    tour leader, during the leaders' window, the players of their tour."""
    if _is_staff(user):
        return None

    return Member.objects.filter(
        Q(pk__in=_own_children(user)) | Q(pk__in=_players_led_now(user))
    ).values("pk")


# A child's data ---------------------------------------------------------------------------

SEE_CHILD_FULL_NAME = Policy(
    "orchestra.see_child_full_name",
    scope=_of_members(_known_by_name),
    hide=True,
    description=(
        "A child's full name: staff, the child's guardians, the member themself, the tour "
        "leaders of the child's tour during the leaders' window. The tutors of the child's "
        "sessions see the first name and an initial; nobody else any of it."
    ),
)
SEE_CHILD_HEALTH_DATA = Policy(
    "orchestra.see_child_health_data",
    scope=_of_members(_cared_for),
    hide=True,
    description=(
        "A child's medical notes, and their dietary needs and medical notes for a trip: "
        "staff, the child's guardians, and the tour leaders of the child's tour during the "
        "leaders' window. Never tutors."
    ),
)
SEE_CHILD_CONTACTS = Policy(
    "orchestra.see_child_contacts",
    scope=_of_members(_cared_for),
    hide=True,
    description=(
        "The phone numbers of a child's guardians and the child's emergency contacts for a "
        "trip: staff, the child's guardians, and the tour leaders of the child's tour "
        "during the leaders' window. Never tutors."
    ),
)
EXPORT_CHILD_DATA = Policy(
    "orchestra.export_child_data",
    who=lambda user: _is_staff(user) or _is_guardian(user),
    scope=_of_members(_all_or_own_children),
    hide=True,
    description="Download everything stored about a child: staff and the child's guardians.",
)

# The family's pages -----------------------------------------------------------------------

# The guardian's own pages need their guardian record (GUARDIAN, the menu's, is the role).
ACT_AS_GUARDIAN = Policy(
    "orchestra.act_as_guardian",
    who=_is_guardian,
    description=(
        "A guardian's own pages (their children's overview, their contact details, their "
        "private calendar): a login with a guardian record."
    ),
)
ACT_FOR_CHILD = Policy(
    "orchestra.act_for_child",
    who=_is_guardian,
    scope=_of_members(_children_acted_for),
    hide=True,
    description=(
        "Act for a child (consents, a deletion request, leaves of absence, the travel "
        "consent): the child's guardians. Anyone else is not told the child exists."
    ),
)


def _answering_for(user):
    return Member.objects.filter(
        Q(pk__in=_own_children(user)) | Q(user=user), anonymised_at__isnull=True
    ).values("pk")


ANSWER_FOR_MEMBER = Policy(
    "orchestra.answer_for_member",
    who=lambda user: _is_guardian(user) or _own_member(user) is not None,
    scope=_of_members(_answering_for),
    hide=True,
    description=(
        "See a member's coming sessions and answer whether they come: the member's "
        "guardians, and a member with their own login for themself. (Leaves of absence are "
        "the guardians' own: ACT_FOR_CHILD.)"
    ),
)
# The same people as OWN_CONSENTS (the menu's); the page answers 404 to anyone else.
CONSENT_FOR_ONESELF = Policy(
    "orchestra.consent_for_oneself",
    who=_member_consenting_themself,
    hide=True,
    description="A member old enough to give and withdraw their own consents: themself.",
)


def _signing_up_for(user):
    return signing_up_for(user).values("pk")


SIGN_UP_FOR_MASTER_CLASSES = Policy(
    "orchestra.sign_up_for_master_classes",
    who=lambda user: _is_guardian(user) or _member_with_own_login(user),
    scope=_of_members(_signing_up_for),
    hide=True,
    description=(
        "Sign a member up for master classes, cancel, take an offered place: the member's "
        "guardians, and a member old enough for their own login for themself."
    ),
)
KEEP_TRIP_DETAILS = Policy(
    "orchestra.keep_trip_details",
    who=lambda user: _is_staff(user) or _is_guardian(user),
    scope=_of_members(_all_or_own_children),
    hide=True,
    description=(
        "A child's trip page (emergency contacts, dietary needs and medical notes for the "
        "trip): staff and the child's guardians; only the guardians give the travel "
        "consent. Tour leaders read these on the emergency sheet (LEAD_TOUR_NOW)."
    ),
)
# The trips of the login's own children: none for most.
SEE_OWN_TRIPS = LOGGED_IN
PRINT_MEMBER_CARDS = Policy(
    "orchestra.print_member_cards",
    who=lambda user: _is_staff(user) or _is_guardian(user),
    scope=_of_members(_all_or_own_children),
    description=(
        "Print member cards and issue the missing ones: staff for every member of a "
        "season, guardians for their own children. (A session's tutors issue the cards of "
        "its members from its card list: TAKE_ATTENDANCE_AT_SESSION.)"
    ),
)

# Tutors: sessions and master classes ------------------------------------------------------


def _leads_a_session(user) -> bool:
    def find(user):
        return SessionPlan.objects.filter(tutors=user).exists()

    return _is_staff(user) or _cached(user, "leads_a_session", find)


def _led_plans(user, plans):
    """The session plans one leads, or the sessions (events) whose plans one leads: a
    session's pages are addressed by the event, and the policy answers for either."""
    if _is_staff(user):
        return plans
    if plans.model is Event:
        return plans.filter(orchestra_plan__tutors=user)
    return plans.filter(tutors=user)


def _led_weekends(user, weekends):
    if _is_staff(user):
        return weekends

    led = SessionPlan.objects.filter(tutors=user)
    return weekends.filter(
        Q(pk__in=led.values("event__parent_id")) | Q(pk__in=led.values("event_id"))
    )


LEAD_SESSIONS = Policy(
    "orchestra.lead_sessions",
    who=_leads_a_session,
    scope=_led_weekends,
    description=(
        "The list of the sessions one leads, and a rehearsal weekend's overview of them: "
        "staff (every session), the tutors of at least one session (theirs, and the "
        "weekends they lead a session of)."
    ),
)
TAKE_ATTENDANCE_AT_SESSION = Policy(
    "orchestra.take_attendance_at_session",
    who=_leads_a_session,
    scope=_led_plans,
    hide=True,
    description=(
        "Take attendance at a session, print its card list and issue the missing cards: "
        "staff, and the session's own tutors, who see the first name and an initial of the "
        "members it expects. Anyone else is not told the session's plan exists."
    ),
)
# Ticketing's scanner admits tutors by their role (ticketing.policies.SCAN_AT_LIST).
SCAN_AT_SESSION = Policy(
    "orchestra.scan_at_session",
    who=lambda user: _is_staff(user) or (has_role(user, Role.TUTOR) and _leads_a_session(user)),
    scope=_led_plans,
    hide=True,
    description="Scan member cards at a session: staff, its tutors who hold the tutor role.",
)
READ_ATTENDANCE_STATISTICS = ORCHESTRA_STAFF


def _leads_a_master_class(user) -> bool:
    def find(user):
        from events.models import Event

        return SessionPlan.objects.filter(tutors=user, event__kind=Event.Kind.MASTER_CLASS).exists()

    return _is_staff(user) or _cached(user, "leads_a_master_class", find)


def _led_master_classes(user, events):
    if _is_staff(user):
        return events

    return events.filter(pk__in=SessionPlan.objects.filter(tutors=user).values("event_id"))


LEAD_MASTER_CLASSES = Policy(
    "orchestra.lead_master_classes",
    who=_leads_a_master_class,
    scope=_led_master_classes,
    description=(
        "The list of master classes and each one's participants: staff (every class, full "
        "names), the tutors of a class (theirs, first name and initial)."
    ),
)
MANAGE_MASTER_CLASSES = ORCHESTRA_STAFF

# Tours ------------------------------------------------------------------------------------


def _leads_any_tour(user) -> bool:
    return _is_staff(user) or _cached(user, "leads_a_tour", _leads_a_tour)


def _tours_led(user, tours):
    if _is_staff(user):
        return tours

    return tours.filter(pk__in=tours_led_by(user).values("pk"))


def _tours_open(user, tours):
    if _is_staff(user):
        return tours

    return tours.filter(pk__in=tours_open_to_leader(user).values("pk"))


SEE_LED_TOURS = Policy(
    "orchestra.see_led_tours",
    who=_leads_any_tour,
    scope=_tours_led,
    hide=True,
    description=(
        "The list of tours: staff all; a tour leader the tours they lead, past ones too, "
        "with their people only while LEAD_TOUR_NOW allows."
    ),
)
LEAD_TOUR_NOW = Policy(
    "orchestra.lead_tour_now",
    who=_leads_any_tour,
    scope=_tours_open,
    hide=True,
    description=(
        "A tour's participant list and emergency sheet (names, guardians' phones, "
        "emergency contacts, medical notes): staff; the tour's leaders from a week before "
        "the tour to its last day (the leaders' window). Tutors never."
    ),
)
MANAGE_TOURS = Policy(
    "orchestra.manage_tours",
    who=is_project_leader,
    hide=True,
    description="A tour's page (checklists, budget, costs): staff; anyone else gets 404.",
)

# Staff ------------------------------------------------------------------------------------

# Registrations, erasure requests and concerts are the project leader's work.
MANAGE_REGISTRATIONS = ORCHESTRA_STAFF
MANAGE_ERASURE = ORCHESTRA_STAFF
PLAN_CONCERTS = ORCHESTRA_STAFF

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
# Changing tours, their participants and costs, and reading the costs and the budget. A
# login that may see the tour is refused (403), not told it does not exist.
CHANGE_TOURS = ORCHESTRA_STAFF
# The access log names who read which child's health data: staff; anyone else gets 404.
READ_ACCESS_LOG = Policy(
    "orchestra.read_access_log",
    who=is_project_leader,
    hide=True,
    description="The access log of children's health data and contacts: staff.",
)

# Public pages -----------------------------------------------------------------------------

# The registration form, and its thank-you page (read from the visitor's own session).
REGISTER_CHILD = PUBLIC
# The groups' public calendars (no names in them).
SEE_GROUP_CALENDARS = PUBLIC
# A private calendar feed: its secret address is the permission (calendar apps send no login).
HOLDS_CALENDAR_LINK = PUBLIC

# A child's medical notes on their record (a trip's notes and emergency contacts follow
# orchestra.selectors.tours.restricted_access: also the tour's leaders and guardians).
SEE_MEDICAL_NOTES = ORCHESTRA_STAFF
# Children's full names on a session's board and a master class's participants; the
# tutors who lead them read a first name and an initial.
SEE_FULL_NAMES = ORCHESTRA_STAFF
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
# /api/v1/guardians/me/: the login's own guardian record; a login that is no guardian's
# (staff too) has none to be found.
OWN_GUARDIAN_RECORD = Policy(
    "orchestra.own_guardian_record",
    who=lambda user: _is_guardian(user),
    hide=True,
    description="A guardian's own record, for the login that is that guardian.",
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


def _own_calendar_links(user, links):
    # A login's own links only: staff stop other people's links in the admin.
    owner = calendar_owner(user)
    if owner is None:
        return links.none()
    field = "guardian" if isinstance(owner, Guardian) else "member"
    return links.filter(**{field: owner})


OWN_PRIVATE_CALENDAR = Policy(
    "orchestra.own_private_calendar",
    who=lambda user: calendar_owner(user) is not None,
    scope=_own_calendar_links,
    description="Private calendar links: guardians and members with their own login, their own.",
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
