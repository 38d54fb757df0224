# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: a guardian registers a child for the orchestra; staff approve it on their page;
the guardian follows the email to choose a password, logs in, copies the private
calendar link, reports the child absent from the next rehearsal weekend, and gives,
withdraws and gives again the photo consent; with the pointer, and with the keyboard
alone (tests/e2e/keyboard.py)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from orchestra.models import Attendance, Member
from tests.calendars import read_calendar
from tests.e2e.conftest import CHROMIUM, log_in
from tests.e2e.keyboard import Hands, mode  # noqa: F401 -- a fixture
from tests.orchestra.conftest import (  # noqa: F401 -- fixtures
    junior_group,
    membership_text,
    municipality,
    photo_text,
    registration_open,
    season,
    youth_group,
)
from tests.orchestra.factories import birth_date_at_start
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    make_weekend,
    other_tutor,
)

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

EMAIL = "frida@example.org"
PASSWORD = "Bratsj-og-fiolin-2026"


def link_in(message, pattern: str) -> str:
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(0)


def test_a_guardian_registers_logs_in_subscribes_and_reports_absence(
    instruments,
    registration_open,
    make_weekend,
    project_leader,
    open_page,
    live_server,
    settings,
    last_step,
    mode,
):
    settings.SITE_URL = live_server.url  # the links in the emails lead to this server
    season = registration_open
    weekend, _plans = make_weekend(timezone.now() + timedelta(days=10))

    # 1. The registration form, filled in on a phone.
    page = open_page(
        None, "/orkester/innmelding/", permissions=["clipboard-read", "clipboard-write"]
    )
    hands = Hands(page, mode)
    hands.fill(page.get_by_label("First name").first, "Fiolina")
    hands.fill(page.get_by_label("Last name").first, "Bueføring")
    hands.fill(page.locator("#id_birth_date"), birth_date_at_start(season, 10).isoformat())
    if not hands.keyboard:  # typed, the date fires its own change event
        page.locator("#id_birth_date").dispatch_event("change")
    expect(page.locator("[data-group-suggestion]")).to_have_text(
        "By age, we suggest: Juniorsymfonikerne"
    )
    hands.select(page.locator("#id_municipality"), label="Asker")
    hands.select(page.locator("#id_main_instrument"), label="Violin")
    hands.fill(page.locator("#id_guardian1-first_name"), "Frida")
    hands.fill(page.locator("#id_guardian1-last_name"), "Bueføring")
    hands.fill(page.locator("#id_guardian1-email"), EMAIL)
    hands.fill(page.locator("#id_guardian1-phone"), "+47 900 11 111")
    hands.check(page.locator("#id_consent_membership"))
    hands.click(page.locator(".registration-form button[type=submit]"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    member = Member.objects.get()

    # 2. Staff approve the registration on their page (the suggested group is chosen).
    staff = open_page(project_leader, "/stab/orkester/soknader/")
    expect(staff.locator(".application")).to_contain_text("Fiolina")
    Hands(staff, mode).click(staff.locator(".approve-form button[type=submit]"))
    expect(staff.locator(".messages")).to_contain_text(f"Registration {member.pk} approved")

    # 3. The approval email: the guardian's username is the email; they choose a password.
    approved = next(m for m in mail.outbox if "/accounts/password_reset/" in m.body)
    assert approved.to == [EMAIL]
    page.goto(link_in(approved, r"http://\S+/accounts/password_reset/"))
    hands.fill(page.get_by_label("Email"), EMAIL)
    hands.click(page.get_by_role("button", name="Send the link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    reset = next(m for m in mail.outbox if "/accounts/reset/" in m.body)
    page.goto(link_in(reset, r"http://\S+/accounts/reset/\S+/"))
    hands.fill(page.get_by_label("New password", exact=True), PASSWORD)
    hands.fill(page.get_by_label("New password confirmation"), PASSWORD)
    hands.click(page.get_by_role("button", name="Save the password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Password saved")

    # 4. Logging in through the login form.
    hands.click(page.get_by_role("link", name="Log in").first)
    log_in(page, EMAIL, PASSWORD, hands)
    hands.click(page.get_by_role("link", name="My children"))
    expect(page.locator(".child-card")).to_contain_text("Juniorsymfonikerne")

    # 5. The private calendar link: made, copied, and it answers with the child's sessions.
    hands.click(page.locator("a[href='/foresatt/kalender/']").first)
    hands.click(page.get_by_role("button", name="Make a calendar link"))
    copy = page.locator(".subscribe-copy-button")
    hands.click(copy)
    expect(page.locator(".subscribe-status")).to_have_text("Address copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator(".subscribe-url").input_value()
    assert copied.startswith(live_server.url + "/calendar/private/")
    assert "Fiolina" not in copied and "Bueføring" not in copied
    feed = page.request.get(copied)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert "Fiolina" in feed.text()  # each entry starts with the child's first name
    read_calendar(feed.body())  # the same events and times in icalendar, vobject and ical.js

    # 6. Absence: not coming to the whole weekend, because of illness.
    hands.click(page.get_by_role("link", name="My children"))
    hands.click(page.locator("a[href='/foresatt/fravaer/']").first)
    section = page.locator(f"#child-{member.pk}")
    whole = section.locator(".absence-whole")
    hands.select(whole.get_by_label("Reason"), value="illness")
    hands.click(whole.get_by_role("button", name="Not coming"))
    expect(page.get_by_text("Thank you, the answer is saved.")).to_be_visible()
    expect(section.locator(".badge-not-coming")).to_have_count(1)
    last_step(page, "guardian-absence" + hands.suffix)

    # 7. The photo consent: given on "My children", withdrawn as easily, given again.
    hands.click(page.get_by_role("link", name="My children"))
    card = page.locator(f"#child-{member.pk}")
    photo = card.locator(".consent-state[data-kind=photo]")
    hands.click(photo.get_by_text("Give consent: Photos and video"))
    hands.click(photo.get_by_role("button", name="I consent"))
    expect(page.locator(".messages")).to_contain_text("the consent is recorded")
    hands.click(photo.get_by_role("button", name="Withdraw: Photos and video"))
    expect(page.locator(".messages")).to_contain_text("The consent is withdrawn.")
    expect(photo).to_contain_text("Withdrawn on")
    member.refresh_from_db()
    assert not member.photo_consent
    hands.click(photo.get_by_text("Give again: Photos and video"))
    hands.click(photo.get_by_role("button", name="I consent"))
    expect(photo.get_by_role("button", name="Withdraw: Photos and video")).to_be_visible()
    member.refresh_from_db()
    assert member.photo_consent
    last_step(page, "guardian-consents" + hands.suffix)

    tutti = weekend.children.get(title_en="Tutti")
    assert list(Attendance.objects.filter(member=member).values_list("session", "reply")) == [
        (tutti.pk, "not_coming")
    ]
