"""Journey: a visitor registers for a paid concert, is told how to pay, chooses Vipps, is
sent to the (fake) Vipps app, which authorises, calls back and sends them back; the page
then shows the tickets. Checked on a phone with axe-core, before and after paying."""

import pytest

from tests.e2e.conftest import CHROMIUM, check_on_phone
from tests.factories import EventFactory
from tests.fake_vipps import (
    CLIENT_ID,
    CLIENT_SECRET,
    MSN,
    SUBSCRIPTION_KEY,
    WEBHOOK_SECRET,
    FakeVipps,
)
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.models import Payment, Registration

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


@pytest.fixture
def fake_vipps(settings, live_server):
    fake = FakeVipps()
    fake.webhook_url = f"{live_server.url}/payments/vipps/webhook/"
    settings.VIPPS_CLIENT_ID, settings.VIPPS_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.VIPPS_SUBSCRIPTION_KEY, settings.VIPPS_MSN = SUBSCRIPTION_KEY, MSN
    settings.VIPPS_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.VIPPS_API_URL = fake.url
    settings.PAYMENT_BANK_ACCOUNT = "1234.56.78903"
    yield fake
    fake.stop()


def test_a_visitor_pays_a_ticket_with_vipps(transactional_db, fake_vipps, open_page):
    event = EventFactory(title_nb="Vårkonsert", title_en="Spring concert")
    pool = CapacityPoolFactory(event=event, size=50)
    OfferFactory(event=event, name_nb="Voksen", name_en="Adult", pool=pool, price=150)

    # axe-core is an inline script: this page lets it in; the payment below is made
    # under the site's Content-Security-Policy.
    page = open_page(None, f"/events/{event.pk}/register/", bypass_csp=True)
    page.get_by_label("Your name").fill("Kari Nordmann")
    page.get_by_label("Email").fill("kari@example.org")
    page.get_by_role("button", name="Register").click()

    how = page.locator("#how-to-pay")
    expect(how).to_be_visible()
    registration = Registration.objects.get()
    expect(how).to_contain_text(registration.code)
    expect(how).to_contain_text("1234.56.78903")
    expect(how.locator('[data-method="door"]')).to_be_visible()
    expect(page.get_by_role("link", name="Show ticket")).to_have_count(0)
    check_on_phone(page, "registration awaiting payment")

    manage_url = page.url
    paying = open_page(None, manage_url.removeprefix(page.url.split("/registrations/")[0]))
    paying.get_by_role("button", name="Pay with Vipps").click()
    # The fake app authorises, calls back (signed), and sends the payer back to us.
    expect(paying.get_by_role("link", name="Show ticket")).to_have_count(1)
    expect(paying.locator("#how-to-pay")).to_have_count(0)
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED
    assert registration.payment_state == Registration.Payment.PAID
    payment = Payment.objects.get()
    assert payment.provider == "vipps" and payment.attempt.reference in fake_vipps.payments
    assert fake_vipps.payments[payment.attempt.reference]["captured"] == 15000
    webhooks = [r for r in fake_vipps.requests if r["path"].startswith("/app/")]
    assert len(webhooks) == 1
    page.reload()
    expect(page.get_by_role("link", name="Show ticket")).to_have_count(1)
    check_on_phone(page, "registration paid")


def test_staff_collect_an_unpaid_ticket_at_the_door(transactional_db, project_leader, open_page):
    from django.urls import reverse

    from ticketing.models import CheckinList
    from ticketing.services import TicketRequest, register

    event = EventFactory(title_nb="Vårkonsert", title_en="Spring concert")
    offer = OfferFactory(event=event, name_nb="Voksen", name_en="Adult", price=150)
    checkin_list = CheckinList.objects.create(event=event, name="Hoveddør")
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Kari Nordmann")],
        name="Kari Nordmann",
        email="kari@example.org",
        by=None,
    )
    secret = registration.tickets.get().secret

    page = open_page(
        project_leader, reverse("ticketing:scanner", args=[checkin_list.pk]), bypass_csp=True
    )
    result = page.locator("[data-result]")
    field = page.get_by_label("Ticket code")
    field.fill(secret)
    field.press("Enter")
    expect(result).to_have_attribute("data-reason", "unpaid")
    expect(result).to_contain_text("Unpaid, collect kr 150.00")
    collect = page.get_by_role("button", name="Paid at the door: mark paid")
    expect(collect).to_be_visible()
    check_on_phone(page, "scanner: an unpaid ticket")
    collect.click()
    expect(result).to_contain_text("Marked paid")
    registration.refresh_from_db()
    assert registration.payment_state == Registration.Payment.PAID
    assert Payment.objects.get().provider == "door"
    field.fill(secret)
    field.press("Enter")
    expect(result).to_have_attribute("data-state", "ok")
