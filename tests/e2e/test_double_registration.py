"""Registering, pressing Back and sending the form again lands on the same registration, and
the places are taken once; another visit with the same email is asked first (issue 17 §3)."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, check_on_phone
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.models import Registration
from ticketing.selectors import places_left

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


@pytest.fixture(scope="module")
def browser_with_back_cache(playwright):
    """Chromium as people run it: Playwright switches its back/forward cache off by default,
    so Back would load the form afresh (then the same email is asked about, tested below)."""
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield browser
    browser.close()


def fill_and_send(page, *, name="Kari Nordmann", email="kari@example.org"):
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Register", exact=True).click()


def test_back_and_send_again_shows_the_same_registration_and_takes_the_places_once(
    transactional_db, open_page, live_server, browser_with_back_cache
):
    event = EventFactory(title_en="Spring concert")
    pool = CapacityPoolFactory(event=event, name="Hall", size=10)
    OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool)
    page = open_page(
        None,
        reverse("ticketing:register", args=[event.pk]),
        browser=browser_with_back_cache,
        bypass_csp=True,  # axe-core is an inline script
    )
    check_on_phone(page, "registration form")

    fill_and_send(page)
    first_url = page.url
    assert "/registrations/" in first_url
    registration = Registration.objects.get()
    assert first_url.endswith(registration.get_absolute_url())

    # Back to the form as it was sent, and send it again.
    page.go_back(wait_until="commit")  # a page from the cache fires no "load"
    expect(page.get_by_label("Email")).to_have_value("kari@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Register", exact=True).click()
    assert page.url == first_url
    assert Registration.objects.count() == 1
    assert places_left([pool])[pool.pk] == 9

    # A new visit with the same address: asked, nothing shown of the registration.
    page.goto(live_server.url + reverse("ticketing:register", args=[event.pk]))
    fill_and_send(page, name="Someone Else", email="KARI@example.org")
    notice = page.locator("#already-registered")
    expect(notice).to_be_visible()
    assert registration.code not in page.content()
    check_on_phone(page, "registration form: already registered")
    assert Registration.objects.count() == 1

    # "Yes, register another one" registers it.
    page.get_by_label("Yes, register another one").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Register", exact=True).click()
    assert "/registrations/" in page.url and page.url != first_url
    assert Registration.objects.count() == 2
    assert places_left([pool])[pool.pk] == 8


def test_back_to_a_form_loaded_afresh_is_asked_about_the_same_email(transactional_db, open_page):
    """Without the back/forward cache the form comes back with a new key: the same email
    is then the guard, and the places are still taken once."""
    event = EventFactory(title_en="Spring concert")
    pool = CapacityPoolFactory(event=event, name="Hall", size=10)
    OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool)
    page = open_page(None, reverse("ticketing:register", args=[event.pk]), bypass_csp=True)
    fill_and_send(page)
    page.go_back()
    fill_and_send(page)
    expect(page.locator("#already-registered")).to_be_visible()
    assert Registration.objects.count() == 1
    assert places_left([pool])[pool.pk] == 9
