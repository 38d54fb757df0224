"""The event list on a phone (390 px): the events come first, the filters fold away."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.e2e.conftest import CHROMIUM
from tests.factories import EventFactory, PeriodFactory

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_a_visitor_sees_the_events_first_and_filters_by_kind(open_page, artifacts):
    today = timezone.localdate()
    period = PeriodFactory(start=today, end=today + timedelta(days=60))
    start = timezone.now() + timedelta(days=2)
    for kind, title in ((Event.Kind.CONCERT, "Vårkonsert"), (Event.Kind.WORKSHOP, "Tegnekurs")):
        EventFactory(
            period=period, kind=kind, title_nb=title, title_en=title,
            start=start, end=start + timedelta(hours=2),
        )  # fmt: skip

    page = open_page(None, reverse("events:event_list"))
    first = page.locator(".event-list li").first
    expect(first).to_be_visible()
    # The first event is on the first screen of a phone, not below eight filters.
    assert first.bounding_box()["y"] < 844
    expect(page.get_by_label("From date")).to_be_hidden()
    page.screenshot(path=str(artifacts / "event-list-phone.png"), full_page=True)

    page.get_by_text("Filter", exact=True).click()
    from_date = page.get_by_label("From date")
    expect(from_date).to_have_attribute("type", "date")
    page.get_by_label("Kind").select_option(label="Concert")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".event-list li")).to_have_count(1)
    expect(page.locator(".event-list")).to_contain_text("Vårkonsert")
    expect(page.locator("details.filters")).to_have_attribute("open", "")
