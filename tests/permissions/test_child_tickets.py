"""A child's ticket page names the child only to those who may see the child's data.

The orchestra's member cards and master-class sign-ups are children's tickets. Whoever
holds a ticket's secret (a venue host who scanned it, anyone the code was shown to) opens
its page; the child's name is for staff, the tutors of the ticket's event and the
registration's contact (expectations.CHILD_TICKET_NAMES_VISIBLE_TO); everyone else sees
initials. The manage link is the contact's: whoever holds it sees the name.
"""

import pytest

from tests.permissions import expectations
from tests.permissions.matrix import body_of, names_in
from tests.permissions.world import CHILD, ROLES

pytestmark = pytest.mark.django_db

INITIALS = f"{CHILD[0][0]}. {CHILD[1][0]}."


def child_tickets(world) -> dict:
    o = world.objects
    return {
        "master_class_ticket": o.master_class_sign_up.registration.tickets.get(),
        "member_card_ticket": o.member_card.ticket,
    }


def shown(world, role: str, url: str) -> str:
    """Return "name" or "initials": how the page at url shows the child to the role."""
    response = world.clients[role].get(url)
    assert response.status_code == 200, f"{role}: {response.status_code}"
    text = body_of(response)
    if "child" in names_in(text):
        return "name"
    assert INITIALS in text, f"{role}: neither the child's name nor initials"
    return "initials"


def test_the_childs_tickets_are_marked_as_childrens(world):
    assert all(ticket.attendee_is_child for ticket in child_tickets(world).values())


@pytest.mark.parametrize("kind", sorted(expectations.CHILD_TICKET_NAMES_VISIBLE_TO))
def test_a_childs_ticket_page_by_its_secret(world, kind):
    ticket = child_tickets(world)[kind]
    allowed = expectations.CHILD_TICKET_NAMES_VISIBLE_TO[kind]
    problems = []
    for role in ROLES:
        got = shown(world, role, ticket.get_absolute_url())
        wanted = "name" if role in allowed else "initials"
        if got != wanted:
            problems.append(f"{role}: {got}, the table says {wanted}")
    assert not problems, f"{kind}:\n  " + "\n  ".join(problems)


def test_a_host_who_scanned_a_childs_ticket_sees_initials(world):
    """The venue host scans the child's master-class ticket at a door they host."""
    o = world.objects
    ticket = child_tickets(world)["master_class_ticket"]
    o.master_class.hosts.add(world.users["venue_host"])
    assert shown(world, "venue_host", ticket.get_absolute_url()) == "initials"


def test_the_tutor_of_the_tickets_event_sees_the_name(world):
    o = world.objects
    ticket = child_tickets(world)["master_class_ticket"]
    assert shown(world, "tutor", ticket.get_absolute_url()) == "initials"
    o.master_class.hosts.add(world.users["tutor"])  # the tutor teaches the master class
    assert shown(world, "tutor", ticket.get_absolute_url()) == "name"


@pytest.mark.parametrize("kind", sorted(expectations.CHILD_TICKET_NAMES_VISIBLE_TO))
def test_whoever_holds_the_manage_link_sees_the_name(world, kind):
    ticket = child_tickets(world)[kind]
    with_link = ticket.contact_url()
    assert with_link.startswith(ticket.get_absolute_url() + "?")
    for role in ("anonymous", "venue_host", "guardian"):
        assert shown(world, role, with_link) == "name", role
    other = world.objects.registration.manage_token()  # another registration's link
    assert shown(world, "anonymous", f"{ticket.get_absolute_url()}?manage={other}") == "initials"
