# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The dashboard in a real browser: a guardian logs in on a phone, lands on the overview
and taps "Coming" for their child's next session; the project leader logs in and sees what
waits for them. Screenshots at 390 and 1280 px go to test-artifacts/dashboards/."""

from pathlib import Path

import pytest
from django.conf import settings

from orchestra.models import Attendance, Instrument
from tests.dashboards import DASHBOARD
from tests.e2e.conftest import CHROMIUM, DESKTOP, log_in
from tests.orchestra.conftest import (  # noqa: F401 -- fixtures
    child,
    junior_group,
    municipality,
    other_child,
    other_guardian,
    season,
    youth_group,
)
from tests.orchestra.test_dashboard import session
from tests.ticketing.test_dashboard import full_event_with_waitlist

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "dashboards"


@pytest.fixture(autouse=True)
def _instruments(transactional_db):
    """The live server's tests flush the database, the instruments of a migration too."""
    Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings"}
    )


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def test_a_guardian_logs_in_and_taps_coming_on_a_phone(
    open_page, live_server, guardian, child, other_child, season, youth_group
):
    first = session(season, youth_group, days=2, title="Tutti")
    session(season, youth_group, days=3, title="Gruppeøvelse")
    page = open_page(None, "/accounts/login/")
    log_in(page, "guardian", "pass")
    expect(page).to_have_url(f"{live_server.url}{DASHBOARD}")
    children = page.locator('[data-panel="orchestra.children"]')
    expect(children.get_by_role("heading", name="Coming sessions")).to_be_visible()
    expect(children.get_by_text(child.first_name)).to_be_visible()
    expect(page.get_by_text(other_child.first_name)).to_have_count(0)
    expect(children.locator(".badge-unanswered").first).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "guardian-390")

    row = children.locator(f'[data-session="{first.event_id}"]')
    row.get_by_role("button", name="Coming", exact=True).tap()
    # The panel is sent and refreshed in place (core/static/core/dashboard.js): the
    # guardian stays where they were, on the button they tapped, and hears it was saved.
    row = page.locator(f'[data-panel="orchestra.children"] [data-session="{first.event_id}"]')
    expect(row.locator('[data-reply="coming"]')).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{DASHBOARD}")
    expect(page.locator("#dashboard-status")).to_have_text("Thank you, the answer is saved.")
    expect(row.get_by_role("button", name="Coming", exact=True)).to_be_focused()
    answer = Attendance.objects.get(member=child, session=first.event)
    assert (answer.reply, answer.replied_by_id) == ("coming", guardian.pk)
    expect(page.locator("[data-unanswered]")).to_have_text("1 without an answer")

    wide = open_page(guardian, DASHBOARD, **DESKTOP)
    expect(wide.locator('[data-panel="orchestra.children"]')).to_be_visible()
    shoot(wide, "guardian-1280")


def test_not_coming_without_a_reason_leads_to_the_absence_page_that_says_why(
    open_page, guardian, child, season, youth_group
):
    plan = session(season, youth_group, days=2, title="Tutti")
    page = open_page(guardian, DASHBOARD)
    row = page.locator(f'[data-session="{plan.event_id}"]')
    row.get_by_role("button", name="Not coming", exact=True).tap()
    expect(page.get_by_role("heading", name="The answer was not saved")).to_be_visible()
    expect(page.get_by_role("link", name="Give the reason for the absence.")).to_be_visible()
    assert not Attendance.objects.filter(member=child).exists()


def test_the_project_leader_logs_in_to_what_waits_for_them(open_page, live_server, project_leader):
    full_event_with_waitlist(2, title_nb="Vårkonsert", title_en="Spring concert")
    page = open_page(None, "/accounts/login/")
    log_in(page, "leader", "pass")
    expect(page).to_have_url(f"{live_server.url}{DASHBOARD}")
    registrations = page.locator('[data-panel="ticketing.registrations"]')
    expect(registrations.get_by_role("heading", name="Registrations and waitlists")).to_be_visible()
    expect(registrations.get_by_role("link", name="Spring concert")).to_be_visible()
    expect(registrations.get_by_text("2 on the waitlist")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "project_leader-390")

    wide = open_page(project_leader, DASHBOARD, **DESKTOP)
    expect(wide.locator('[data-panel="ticketing.registrations"]')).to_be_visible()
    shoot(wide, "project_leader-1280")
    wide.locator('[data-panel="ticketing.registrations"]').get_by_role(
        "link", name="Spring concert"
    ).click()
    expect(wide.get_by_role("heading", name="Spring concert")).to_be_visible()
