"""What people may do with the events core (core.policies)."""

from core.policies import PROJECT_LEADER, PUBLIC, STAFF, Policy
from events.selectors import visible_events

# Public pages: programmes, venues, the event list and the public feeds.
SEE_PUBLIC_PAGES = PUBLIC
# An event: public ones for everyone, members' events for logins with a role, staff
# events for staff. An event one may not see is not found (404).
SEE_EVENT = Policy(
    "events.see_event",
    login=False,
    scope=visible_events,
    hide=True,
    description="An event, as its visibility allows: public, members (any role), staff.",
)
# The annual report of every programme.
READ_ANNUAL_REPORT = STAFF
# Programmes, editions, venues, municipalities and events through the API and the admin.
MANAGE_EVENTS = PROJECT_LEADER
