# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The tally page in a real browser, as an artist uses it on a phone at their open studio."""

from datetime import date

import pytest
from django.urls import reverse

from artists.models import VisitTally
from tests.artists import conftest as artist_fixtures
from tests.artists.conftest import (  # noqa: F401 -- fixtures
    accepted,
    asker_after_flush,
    edition,
    edition_call,
    exhibition_open,
    joint_exhibition,
    open_studio,
    refused_artist,
    studio,
    weekends,
)
from tests.e2e.conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

# The live server's tests flush the database, data migrations' rows too.
pytestmark = pytest.mark.usefixtures("asker_after_flush")

LAST_DAY = date(2016, 9, 25)

# The art round's artists, from the fixtures of tests/artists (a conftest this folder lacks).
artist_profile = artist_fixtures.artist_profile
other_artist = artist_fixtures.other_artist


def server_total(studio) -> int:
    return sum(
        VisitTally.objects.filter(studio=studio, date=LAST_DAY, voided_at__isnull=True).values_list(
            "visitors", flat=True
        )
    )


def test_the_artist_counts_online_and_offline(open_page, open_studio, artist_profile, artifacts):
    page = open_page(artist_profile.user, reverse("artists:tally_studio", args=[open_studio.pk]))
    total = page.locator("[data-total]")
    waiting = page.locator("[data-waiting]")
    expect(page.get_by_role("heading", name="Atelier Maler")).to_be_visible()
    expect(page.get_by_label("Day", exact=True)).to_have_value("2016-09-25")
    expect(total).to_have_text("0")

    plus_one = page.get_by_role("button", name="+1", exact=True)
    plus_one.click()
    expect(total).to_have_text("1")
    plus_one.click()
    expect(total).to_have_text("2")

    page.get_by_label("Guided group").check()
    page.get_by_label("Number in the group").fill("5")
    page.get_by_role("button", name="+N", exact=True).click()
    expect(total).to_have_text("7")
    expect(page.locator('[data-category-total="guided_group"]')).to_have_text("5")
    expect(page.locator('[data-category-total="single"]')).to_have_text("2")
    expect(page.get_by_label("Number in the group")).to_have_value("")
    # Once all is sent, the latest entries are read again, with their correct/remove forms.
    expect(page.locator("[data-entry]")).to_have_count(3)
    assert server_total(open_studio) == 7

    page.context.set_offline(True)
    page.get_by_label("Single visitor").check()
    plus_one.click()
    expect(waiting).to_be_visible()
    expect(page.locator("[data-waiting-count]")).to_have_text("1")
    expect(page.locator("[data-connection]")).to_have_attribute("data-connection", "offline")
    expect(total).to_have_text("7")
    page.screenshot(path=str(artifacts / "tally-offline.png"), full_page=True)
    assert server_total(open_studio) == 7

    page.context.set_offline(False)
    expect(total).to_have_text("8", timeout=15000)
    expect(waiting).to_be_hidden()
    expect(page.locator("[data-connection]")).to_have_attribute("data-connection", "online")
    expect(page.locator("[data-entry]")).to_have_count(4)
    assert server_total(open_studio) == 8
    assert VisitTally.objects.filter(studio=open_studio).count() == 4
    delayed = VisitTally.objects.filter(studio=open_studio).order_by("recorded_at").last()
    assert delayed.tapped_at is not None and delayed.tapped_at <= delayed.recorded_at
    page.screenshot(path=str(artifacts / "tally-online.png"), full_page=True)


def test_a_school_class_needs_its_pupils_and_school(open_page, exhibition_open, venue_host):
    page = open_page(venue_host, reverse("artists:tally_exhibition", args=[exhibition_open.pk]))
    school_fields = page.locator("[data-school-fields]")
    expect(school_fields).to_be_hidden()
    page.get_by_label("School class").check()
    expect(school_fields).to_be_visible()
    page.get_by_label("Number in the group").fill("24")
    page.get_by_role("button", name="+N", exact=True).click()
    expect(page.locator("[data-message]")).to_contain_text("pupils")
    page.get_by_label("Pupils").fill("22")
    page.get_by_label("School", exact=True).fill("Asker ungdomsskole")
    page.get_by_role("button", name="+N", exact=True).click()
    expect(page.locator("[data-total]")).to_have_text("24")
    expect(page.locator("[data-pupils]")).to_have_text("22")
    tally = VisitTally.objects.get()
    assert (tally.visitors, tally.pupils, tally.school) == (24, 22, "Asker ungdomsskole")


def test_too_big_a_group_is_told_the_limit(open_page, exhibition_open, venue_host):
    page = open_page(venue_host, reverse("artists:tally_exhibition", args=[exhibition_open.pk]))
    page.get_by_label("Guided group").check()
    page.get_by_label("Number in the group").fill("500")
    page.get_by_role("button", name="+N", exact=True).click()
    expect(page.locator("[data-message]")).to_have_text(
        "At most 200 visitors can be counted in one entry; split a larger group."
    )
    expect(page.locator("[data-total]")).to_have_text("0")
    assert not VisitTally.objects.exists()
