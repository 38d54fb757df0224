"""What people may do with registrations, tickets and check-in lists (core.policies)."""

from django.db.models import Exists, OuterRef, Q

from core.policies import LOGGED_IN, PROJECT_LEADER, PUBLIC, STAFF, Policy, holds
from core.roles import Role, has_role, is_staff_member
from events.models import Event


def _hosted(user) -> Q:
    """Return the condition for events the user hosts, directly or through the parent."""
    return Q(hosts=user) | Q(parent__hosts=user)


def _scannable_lists(user, queryset):
    if is_staff_member(user):
        return queryset
    if not (has_role(user, Role.VENUE_HOST) or has_role(user, Role.TUTOR)):
        return queryset.none()
    hosted = Event.objects.filter(_hosted(user), pk=OuterRef("event_id"))
    return queryset.filter(Exists(hosted))


# Staff scan everywhere; venue hosts and tutors at the events they host (an event's hosts
# also host its sessions). Another host's list is not found (404).
SCAN_AT_LIST = Policy(
    "ticketing.scan_at_list",
    who=holds(Role.VENUE_HOST, Role.TUTOR),
    scope=_scannable_lists,
    hide=True,
    description="Scan tickets at a check-in list: staff; the event's hosts and tutors.",
)

# Children's names on an event's tickets: staff, and the tutors who host the event. Venue
# hosts see initials.
SEE_CHILD_NAMES = Policy(
    "ticketing.see_child_names",
    who=holds(Role.TUTOR),
    rule=lambda user, event: (
        is_staff_member(user) or Event.objects.filter(_hosted(user), pk=event.pk).exists()
    ),
    scope=lambda user, events: events if is_staff_member(user) else events.filter(_hosted(user)),
    description="Children's names on an event's tickets: staff, the event's tutors.",
)

# The registrations and attendees of an event, and their exports.
MANAGE_REGISTRATIONS = STAFF

# A registration's manage link and a ticket's secret: whoever holds the link may use it
# (the link is the permission); a child's name on a ticket is for fewer
# (ticketing.selectors.may_see_attendee_name).
HOLDS_SECRET_LINK = PUBLIC
# Registering for an event one may see (events.policies.SEE_EVENT).
REGISTER = PUBLIC
# A payment provider's callback (webhook): its signature is the permission
# (ticketing.payments, each provider's handle_callback).
PAYMENT_CALLBACK = PUBLIC
# The scanner's start page lists the lists this login may scan at (SCAN_AT_LIST).
SCANNER_START = LOGGED_IN


def _visible_offers(user, offers):
    if is_staff_member(user):
        return offers
    from events.selectors import events_visible_to

    return offers.filter(is_public=True, event__in=events_visible_to(user))


# Offers: staff see all; others the public offers of the events they may see.
SEE_OFFER = Policy(
    "ticketing.see_offer",
    login=False,
    scope=_visible_offers,
    hide=True,
    description="An offer: staff all; others the public offers of events they may see.",
)
# Offers, capacity pools, registrations, tickets and scans through the API.
MANAGE_TICKETING = PROJECT_LEADER
