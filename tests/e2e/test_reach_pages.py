"""The pages of reaching people, on a phone (390 px): the unsubscribe page opened from a
reminder's link (asking, the one-click form, done; a link that does not hold), and a
person's own contact page saving a mobile number. Each passes axe-core and is no wider
than the screen."""

import pytest
from django.urls import reverse

from core import reach
from core.models import ContactPreference
from tests.e2e.conftest import CHROMIUM, check_on_phone
from tests.factories import UserFactory

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_unsubscribing_from_a_reminder_on_a_phone(open_page, transactional_db):
    user = UserFactory(email="forelder@example.org")
    token = reach.unsubscribe_token("forelder@example.org", "reminder")
    # The link of the email, opened without a login: the page asks first.
    page = open_page(None, reverse("core:unsubscribe", args=[token]), bypass_csp=True)
    expect(page.get_by_text("Stop getting “Reminders” by email?")).to_be_visible()
    check_on_phone(page, "the unsubscribe page, asking")
    assert not ContactPreference.objects.exists()

    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("[data-unsubscribed]")).to_have_text("Done: you no longer get “Reminders”.")
    check_on_phone(page, "the unsubscribe page, done")
    assert ContactPreference.objects.get(user=user).muted == ["reminder"]

    page = open_page(None, reverse("core:unsubscribe", args=[token[:-4] + "AAAA"]), bypass_csp=True)
    expect(page.get_by_role("alert")).to_contain_text("This link is not valid or has expired.")
    check_on_phone(page, "the unsubscribe page, a link that does not hold")


def test_a_person_saves_their_mobile_number_on_a_phone(open_page, guardian, transactional_db):
    page = open_page(guardian, reverse("core:contact_preferences"), bypass_csp=True)
    check_on_phone(page, "the contact page")
    page.get_by_label("Mobile number").fill("912 34 567")
    page.get_by_label("Send me SMS when it matters").check()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    expect(page.get_by_label("Mobile number")).to_have_value("+4791234567")
    check_on_phone(page, "the contact page, saved")
    pref = ContactPreference.objects.get(user=guardian)
    assert (pref.mobile, pref.sms) == ("+4791234567", True)
