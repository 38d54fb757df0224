"""The staff's page of reminders on a phone (390 px): what goes in the coming days and what
went recently; it passes axe-core and is no wider than the screen."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from core.mail import queue_email
from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import CHROMIUM, PHONE
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory, register_one

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_staff_read_the_coming_and_the_sent_reminders_on_a_phone(
    open_page, project_leader, transactional_db
):
    event = EventFactory(
        title_nb="Vårkonsert", title_en="Spring concert", start=timezone.now() + timedelta(days=3)
    )
    pool = CapacityPoolFactory(event=event, name="Salen", size=10)
    register_one(OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool))
    queue_email(
        EmailMessage(subject="Hei", body="Tekst", to=["kari@example.org"]),
        kind="ticketing.ticket_reminder",
        occasion="test",
        category="reminder",
    )
    page = open_page(project_leader, reverse("core:reminders"), bypass_csp=True)
    expect(page.locator("h1")).to_have_text("Reminders")
    row = page.locator('[data-sender="ticketing.ticket_reminders"]')
    expect(row).to_contain_text("Spring concert")
    expect(row.locator("[data-recipients]")).to_have_text("1")
    expect(
        page.locator('[data-recent-reminders] [data-kind="ticketing.ticket_reminder"]')
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_violations(page, "the reminders page")
    page.get_by_role("link", name="60 days").click()
    expect(page.locator("strong[aria-current=page]")).to_have_text("60 days")
    assert_no_violations(page, "the reminders page, 60 days ahead")
