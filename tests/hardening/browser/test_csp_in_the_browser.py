"""Pages with scripts of their own, opened under the Content-Security-Policy.

Chromium reports a blocked script or handler as a console error, and open_page fails the
test on any. Each test also checks the script did its work.
"""

import pytest
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.services import TicketRequest, register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


def test_the_api_docs_run_without_inline_script(open_page):
    page = open_page(None, "/api/v1/docs/", **DESKTOP)
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Kulturvest API" in page.inner_text(".swagger-ui .info .title")


def test_the_ticket_print_button_runs_from_a_script_file(open_page):
    event = EventFactory()
    pool = CapacityPoolFactory(event=event, name="Salen", size=10)
    offer = OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool)
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Kari Nordmann")],
        name="Kari Nordmann",
        email="kari@example.org",
        by=None,
    )
    page = open_page(None, reverse("ticketing:print", args=[registration.manage_token()]))
    page.evaluate("window.print = () => { window.printed = true; }")
    button = page.get_by_role("button", name="Print")
    button.click()
    assert page.evaluate("window.printed") is True


def test_the_admins_export_select_all_toggle_is_allowed_by_its_hash(open_page, admin_user):
    EventFactory()
    page = open_page(admin_user, reverse("admin:events_event_export"), **DESKTOP)
    toggle = page.locator("input[name=select-all-toggle]").first
    if not toggle.count():
        pytest.fail("the export page has no select-all toggle")
    boxes = page.locator(".selectable-field-export-row input[type=checkbox]")
    assert boxes.count() > 1
    toggle.uncheck()
    assert not boxes.nth(1).is_checked()
