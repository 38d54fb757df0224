# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: staff move a rehearsal on their phone (the change page: the form, the preview
of who will be told, saved); send_due_messages sends the notice through a real SMTP
server; the guardian's email carries the updated .ics (same UID, the new time, a higher
SEQUENCE), and the guardian's private feed shows the same. Each page passes axe-core."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from orchestra.models import Guardian
from orchestra.services.calendars import create_calendar_token
from tests.calendars import read_calendar
from tests.e2e.conftest import CHROMIUM, check_on_phone
from tests.factories import EventFactory, VenueFactory
from tests.orchestra.conftest import municipality, season, youth_group  # noqa: F401
from tests.orchestra.factories import (
    CHILD_NAME,
    SessionPlanFactory,
    add_guardian_with_login,
    new_member,
)

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def vevent(document: bytes, uid: str):
    calendar, _vobject = read_calendar(document)
    return calendar, next(v for v in calendar.walk("VEVENT") if str(v["UID"]) == uid)


def test_staff_move_a_rehearsal_and_the_guardian_is_told_with_the_updated_calendar(
    instruments,
    season,
    youth_group,
    municipality,
    guardian,
    project_leader,
    open_page,
    live_server,
    smtp,
    settings,
    last_step,
):
    sink = smtp()
    settings.SITE_URL = live_server.url
    child = new_member(CHILD_NAME, age=11, municipality=municipality, groups=[youth_group])
    add_guardian_with_login(
        child, guardian, first_name="Gunn", last_name="Strykersen", email="gunn@example.org"
    )
    saturday = (timezone.now() + timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    weekend = EventFactory(
        period=season,
        kind=Event.Kind.REHEARSAL_WEEKEND,
        title_nb="Helgesamling",
        title_en="Rehearsal weekend",
        start=saturday,
        end=saturday + timedelta(days=1),
        visibility=Event.Visibility.MEMBERS,
    )
    rehearsal = EventFactory(
        period=season,
        parent=weekend,
        kind=Event.Kind.SESSION,
        title_nb="Tutti",
        title_en="Tutti",
        venue=weekend.venue,
        start=saturday,
        end=saturday + timedelta(hours=3),
        visibility=Event.Visibility.MEMBERS,
    )
    SessionPlanFactory(event=rehearsal).groups.set([youth_group])
    token = create_calendar_token(owner=Guardian.objects.get(user=guardian))
    feed_url = f"/calendar/private/{token}.ics"
    _before, old = vevent(Client().get(feed_url).content, rehearsal.uid)
    old_sequence = int(old["SEQUENCE"])

    other_school = VenueFactory(name="Lier ungdomsskole")

    # 1. Staff open the change page of the rehearsal on a phone and move it two hours on,
    # to another school.
    page = open_page(
        project_leader, reverse("events:change_event", args=[rehearsal.pk]), bypass_csp=True
    )
    check_on_phone(page, "the change page")
    new_start = timezone.localtime(saturday + timedelta(hours=2))
    new_end = new_start + timedelta(hours=3)
    page.get_by_label("Starts").fill(new_start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill(new_end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").select_option(str(other_school.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Show who will be told").click()

    # 2. The preview: one guardian will be told, by email (no SMS provider here).
    expect(page.locator("[data-audience-count]")).to_have_attribute("data-audience-count", "1")
    expect(page.locator('[data-kind="guardian"]')).to_have_text("guardians: 1")
    expect(page.locator("[data-sms]")).to_have_attribute("data-sms", "off")
    expect(page.locator("[data-changes]")).to_contain_text("Lier ungdomsskole")
    assert CHILD_NAME[0] not in page.content()
    check_on_phone(page, "the change page, preview")
    assert Event.objects.get(pk=rehearsal.pk).start == saturday  # nothing saved yet
    with page.expect_navigation():
        page.get_by_role("button", name="Save and tell them").click()
    expect(page.get_by_text("Saved. Everyone concerned will be told.")).to_be_visible()
    expect(page.locator("[data-pending-notice]")).to_be_visible()
    check_on_phone(page, "the change page, saved")
    last_step(page, "change-notice-staff")
    moved = Event.objects.get(pk=rehearsal.pk)
    assert moved.start == new_start and moved.venue_id == other_school.pk

    # 3. The notice is sent when due, once.
    call_command("send_due_messages", "--at", (timezone.now() + timedelta(minutes=6)).isoformat())
    call_command("send_due_messages", "--at", (timezone.now() + timedelta(minutes=7)).isoformat())
    (message,) = [m for m in sink.received if m["To"] == "gunn@example.org"]
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar, attached = vevent(part.get_payload(decode=True), rehearsal.uid)
    assert calendar["METHOD"] == "REQUEST"
    assert attached.decoded("DTSTART") == new_start
    assert int(attached["SEQUENCE"]) == moved.revision > old_sequence
    assert "Lier ungdomsskole" in str(attached["LOCATION"])
    body = message.get_payload(0).get_payload(decode=True).decode()
    assert CHILD_NAME[0] not in body and CHILD_NAME[1] not in body

    # 4. The guardian's private feed shows the same time and SEQUENCE.
    _after, fed = vevent(Client().get(feed_url).content, rehearsal.uid)
    assert fed.decoded("DTSTART") == new_start
    assert int(fed["SEQUENCE"]) == int(attached["SEQUENCE"])
