"""How people are reached (core.reach, core.sms): SMS through a local fake of Twilio's
Messages API, signed status callbacks, categories and preferences, one-click unsubscribe
(RFC 8058) and failing addresses, with emails through a real SMTP server (aiosmtpd)."""

import base64
import hashlib
import hmac
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from core import reach
from core.mail import queue_email, queue_sms
from core.models import ContactPreference, FailingAddress, OutboundMessage
from core.reach import normalise_mobile, reach_for
from core.tasks import MAX_RETRIES, deliver_message
from tests.factories import UserFactory
from tests.reach_fixtures import SID, TOKEN

pytestmark = pytest.mark.django_db


def signed(url: str, params: dict, token: str = TOKEN) -> str:
    """X-Twilio-Signature as Twilio's security documentation describes it."""
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


# Mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, expected",
    [
        ("912 34 567", "+4791234567"),
        ("+47 412 34 567", "+4741234567"),
        ("0047 91234567", "+4791234567"),
        ("4791234567", "+4791234567"),
        ("(+46) 70-123 45 67", "+46701234567"),
    ],
)
def test_norwegian_mobile_numbers_are_normalised_to_e164(given, expected):
    assert normalise_mobile(given) == expected


@pytest.mark.parametrize("given", ["22 33 44 55", "+47 2233 4455", "1234", "abc", "", "+47"])
def test_what_cannot_be_a_mobile_number_is_refused(given):
    with pytest.raises(ValidationError):
        normalise_mobile(given)


def test_the_known_twilio_signature_vector():
    # The example of Twilio's request-validation documentation (auth token 12345).
    from core.sms import twilio_signature

    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature("12345", url, params) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


# SMS through the fake provider ------------------------------------------------------------


def test_no_provider_means_email_only_and_the_staff_page_says_so(settings, client, project_leader):
    settings.SMS_PROVIDER = ""
    assert queue_sms("+4791234567", "Hei", kind="t", category="notice") is None
    assert not OutboundMessage.objects.exists()
    client.force_login(project_leader)
    page = client.get(reverse("core:outbound_messages")).content.decode()
    assert 'data-sms="off"' in page


def test_an_sms_is_sent_once_through_the_provider_api(
    twilio, django_capture_on_commit_callbacks, client, project_leader
):
    fake = twilio()
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms("+4791234567", "Øving flyttet", kind="t.sms", category="notice")
    # The same logical message queued again is not sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_sms("+4791234567", "Øving flyttet", kind="t.sms", category="notice") is None
    assert deliver_message.apply(args=[message.pk]).get() == "skipped"
    (request,) = fake.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["form"] == {
        "To": "+4791234567",
        "From": "+4790000000",
        "Body": "Øving flyttet",
        "StatusCallback": "https://kulturvest.example" + reverse("core:sms_status"),
    }
    message.refresh_from_db()
    assert (message.status, message.channel, message.attempts) == ("sent", "sms", 1)
    assert message.provider_ref == "SM" + "0" * 31 + "1"
    client.force_login(project_leader)
    assert 'data-sms="on"' in client.get(reverse("core:outbound_messages")).content.decode()


def test_an_invalid_number_answer_fails_at_once_and_marks_the_number(
    twilio, django_capture_on_commit_callbacks, client, project_leader
):
    fake = twilio(script=[("error", 400, 21211)])
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_sms("+4791234567", "Hei", kind="t.sms", category="notice")
    deliver_message.apply(args=[message.pk])  # a worker: no retry can help
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert "21211" in message.last_error
    assert len(fake.requests) == 1
    mark = FailingAddress.objects.get()
    assert (mark.channel, mark.address, mark.message_id) == ("sms", "+4791234567", message.pk)
    client.force_login(project_leader)
    page = client.get(reverse("core:outbound_messages")).content.decode()
    assert "data-failing-addresses" in page and "+4791234567" in page
    # The failed SMS is listed for staff to send again.
    assert f'id="message-{message.pk}"' in page
    assert reverse("core:outbound_message_resend", args=[message.pk]) in page
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-count="failing-addresses">1<' in dashboard


def test_a_provider_error_is_retried_with_backoff_then_failed(
    twilio, django_capture_on_commit_callbacks
):
    fake = twilio(script=[("error", 503, 20500)] * (MAX_RETRIES + 1))
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_sms("+4791234567", "Hei", kind="t.sms", category="notice")
    deliver_message.apply(args=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", MAX_RETRIES + 1)
    assert len(fake.requests) == MAX_RETRIES + 1
    assert not FailingAddress.objects.exists()  # the provider failed, not the number


def test_a_timeout_is_retried_and_the_sms_sent_once(twilio, django_capture_on_commit_callbacks):
    fake = twilio(script=[("timeout", 2)])
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_sms("+4791234567", "Hei", kind="t.sms", category="notice")
    deliver_message.apply(args=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(fake.requests) == 2


def test_a_redirect_is_not_followed_with_the_login_and_the_sms_is_retried(
    twilio, django_capture_on_commit_callbacks
):
    fake = twilio(script=[("redirect", 302)])
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_sms("+4791234567", "Hei", kind="t.sms", category="notice")
    deliver_message.apply(args=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert [r["path"] for r in fake.requests] == [f"/2010-04-01/Accounts/{SID}/Messages.json"] * 2


def test_a_signed_status_callback_marks_the_sms_undelivered_and_the_number_failing(
    twilio, django_capture_on_commit_callbacks
):
    twilio()
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms("+4791234567", "Hei", kind="t.sms", category="notice")
    message.refresh_from_db()
    url = reverse("core:sms_status")
    params = {
        "MessageSid": message.provider_ref,
        "MessageStatus": "undelivered",
        "ErrorCode": "30005",
        "AccountSid": SID,
        "To": "+4791234567",
    }
    client = Client(enforce_csrf_checks=True)
    # A forged signature, or none, changes nothing.
    forged = signed("https://kulturvest.example" + url, params, token="not-the-token")
    assert client.post(url, params, headers={"x-twilio-signature": forged}).status_code == 403
    assert client.post(url, params).status_code == 403
    message.refresh_from_db()
    assert message.status == "sent"
    good = signed("https://kulturvest.example" + url, params)
    assert client.post(url, params, headers={"x-twilio-signature": good}).status_code == 204
    message.refresh_from_db()
    assert message.status == "failed"
    assert "undelivered 30005" in message.last_error
    assert FailingAddress.objects.filter(channel="sms", address="+4791234567").exists()
    # A later delivery to the number clears the mark.
    with django_capture_on_commit_callbacks(execute=True):
        second = queue_sms("+4791234567", "Igjen", kind="t.sms", category="notice", occasion=2)
    second.refresh_from_db()
    delivered = {"MessageSid": second.provider_ref, "MessageStatus": "delivered"}
    good = signed("https://kulturvest.example" + url, delivered)
    assert client.post(url, delivered, headers={"x-twilio-signature": good}).status_code == 204
    assert not FailingAddress.objects.exists()


def test_staff_resend_a_failed_sms(twilio, django_capture_on_commit_callbacks, project_leader):
    from core.mail import resend_message

    fake = twilio(script=[("error", 400, 21211)])
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms("+4791234567", "Hei", kind="t.sms", category="notice")
    message.refresh_from_db()
    assert message.status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        resend_message(message, by=project_leader)
    message.refresh_from_db()
    assert message.status == "sent"
    assert len(fake.requests) == 2


# Categories, channels and language ------------------------------------------------------


def test_reach_for_follows_categories_and_the_persons_choices(settings, twilio):
    twilio()
    user = UserFactory(email="forelder@example.org")
    assert reach_for(user, "reminder") == reach.Reach("forelder@example.org", "", "nb")
    reach.save_preference(
        user, language="en", mobile="912 34 567", sms=True, email_enabled=True, muted=["reminder"]
    )
    # Essential: always email; SMS too when urgent.
    assert reach_for(user, "notice").channels == ["email"]
    assert reach_for(user, "notice", urgent=True) == reach.Reach(
        "forelder@example.org", "+4791234567", "en"
    )
    # Turned off: neither channel, asked by the login or by its address.
    assert reach_for(user, "reminder").channels == []
    assert reach_for("Forelder@example.org", "reminder").channels == []
    assert reach_for("Forelder@example.org", "notice").language == "en"
    assert reach_for(user, "group_message").channels == ["email", "sms"]
    settings.SMS_PROVIDER = ""
    assert reach_for(user, "notice", urgent=True).channels == ["email"]
    with pytest.raises(ValueError):
        reach_for(user, "no-such-category")


def test_the_person_sets_language_mobile_and_wanted_messages_on_their_page(client, guardian):
    guardian.email = "forelder@example.org"
    guardian.save()
    url = reverse("core:contact_preferences")
    assert client.get(url).status_code == 302
    client.force_login(guardian)
    page = client.get(url).content.decode()
    assert "forelder@example.org" in page and 'name="wanted"' in page
    response = client.post(url, {"language": "en", "mobile": "22 33 44 55", "wanted": []})
    assert response.status_code == 200
    assert "Skriv et mobilnummer" in response.content.decode()  # the field's error, in nb
    assert not ContactPreference.objects.exists()
    response = client.post(
        url, {"language": "en", "mobile": "41234567", "sms": "on", "wanted": ["group_message"]}
    )
    assert response.status_code == 302
    pref = ContactPreference.objects.get(user=guardian)
    assert (pref.language, pref.mobile, pref.sms, pref.email_enabled, pref.muted) == (
        "en",
        "+4741234567",
        True,
        False,
        ["reminder"],
    )
    FailingAddress.objects.create(channel="email", address="forelder@example.org", reason="550")
    page = client.get(url).content.decode()
    assert "data-failing-addresses" in page


# One-click unsubscribe ----------------------------------------------------------------------


def unfolded(header: str) -> str:
    """The header's value as a mail client reads it (RFC 5322 unfolding keeps the space)."""
    return " ".join(str(header).split())


def send(to, category, kind="t.mail", **kwargs):
    return queue_email(
        EmailMessage(subject="Hei", body="Tekst", to=[to]), kind=kind, category=category, **kwargs
    )


def test_non_essential_emails_carry_one_click_unsubscribe_and_essential_ones_none(
    smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    with django_capture_on_commit_callbacks(execute=True):
        send("a@example.org", "reminder", kind="t.reminder")
        send("a@example.org", "notice", kind="t.notice")
    reminder, notice = sink.received
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = unfolded(reminder["List-Unsubscribe"])
    assert link.startswith("<https://kulturvest.example/avmeld/") and link.endswith("/>")
    assert notice["List-Unsubscribe"] is None and notice["List-Unsubscribe-Post"] is None


def test_one_click_post_unsubscribes_at_once_without_login_or_csrf(
    smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    user = UserFactory(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        send("a@example.org", "reminder")
    link = unfolded(sink.received[0]["List-Unsubscribe"])
    path = link.strip("<>").removeprefix("https://kulturvest.example")
    client = Client(enforce_csrf_checks=True)
    # A GET (a link checker, a preview) asks, and changes nothing.
    page = client.get(path)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert not ContactPreference.objects.exists()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ContactPreference.objects.get(user=user).muted == ["reminder"]
    # Turned off: the next reminder is not sent; a notice still is.
    with django_capture_on_commit_callbacks(execute=True):
        assert send("a@example.org", "reminder", occasion=2) is None
        assert send("a@example.org", "notice", kind="t.notice") is not None
    assert len(sink.received) == 2


def test_an_address_without_login_can_unsubscribe(client):
    token = reach.unsubscribe_token("Kjoper@Example.org", "group_message")
    assert client.post(reverse("core:unsubscribe", args=[token])).status_code == 200
    pref = ContactPreference.objects.get(user=None)
    assert (pref.email, pref.muted) == ("kjoper@example.org", ["group_message"])
    assert reach.is_muted("kjoper@example.org", "group_message")
    assert not reach.is_muted("kjoper@example.org", "notice")


def test_forged_expired_and_essential_tokens_are_refused(client, settings):
    token = reach.unsubscribe_token("a@example.org", "reminder")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    other_salt = signing.dumps({"a": "a@example.org", "c": "reminder"}, compress=True)
    essential = signing.dumps(
        {"a": "a@example.org", "c": "notice"}, salt="core.reach.unsubscribe", compress=True
    )
    for bad in (forged, other_salt, essential):
        assert client.post(reverse("core:unsubscribe", args=[bad])).status_code == 400
    settings.UNSUBSCRIBE_LINK_DAYS = 1
    old = signing.TimestampSigner(salt="core.reach.unsubscribe")
    with pytest.MonkeyPatch.context() as patch:
        import time

        now = time.time()
        patch.setattr(signing.time, "time", lambda: now - 2 * 86400)
        expired = old.sign_object({"a": "a@example.org", "c": "reminder"}, compress=True)
    assert client.post(reverse("core:unsubscribe", args=[expired])).status_code == 400
    assert not ContactPreference.objects.exists()


# Failing email addresses ----------------------------------------------------------------------


def test_a_refused_recipient_fails_at_once_marks_the_address_and_a_success_clears_it(
    smtp, django_capture_on_commit_callbacks, client, project_leader
):
    sink = smtp(refuse_rcpt={"gone@example.org"})
    with django_capture_on_commit_callbacks(execute=False):
        message = send("gone@example.org", "notice")
    deliver_message.apply(args=[message.pk])  # a worker: a 5xx on the recipient is final
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    mark = FailingAddress.objects.get()
    assert (mark.channel, mark.address) == ("email", "gone@example.org")
    assert "550" in mark.reason
    user = UserFactory(email="gone@example.org")
    client.force_login(user)
    page = client.get(reverse("core:contact_preferences")).content.decode()
    assert "gone@example.org" in page and "data-failing-addresses" in page
    # The address works again: the next message clears the mark.
    sink.refuse_rcpt.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send("gone@example.org", "notice", occasion=2)
    assert len(sink.received) == 1
    assert not FailingAddress.objects.exists()


def test_failing_marks_go_by_their_retention_rule(settings):
    from django.utils import timezone

    from core.retention import FAILING_ADDRESSES, apply_retention

    old = FailingAddress.objects.create(
        channel="email",
        address="old@example.org",
        last_failed_at=timezone.now() - timedelta(days=settings.FAILING_ADDRESS_RETENTION_DAYS + 2),
    )
    recent = FailingAddress.objects.create(channel="email", address="new@example.org")
    runs = {run.rule.key: run.cleared for run in apply_retention()}
    assert runs[FAILING_ADDRESSES] == 1
    assert not FailingAddress.objects.filter(pk=old.pk).exists()
    assert FailingAddress.objects.filter(pk=recent.pk).exists()


# The API ------------------------------------------------------------------------------------


def test_api_lists_failing_addresses_and_preferences_for_staff_only(api_as, project_leader, nobody):
    FailingAddress.objects.create(channel="sms", address="+4791234567")
    ContactPreference.objects.create(email="x@example.org", muted=["reminder"])
    for url in ("/api/v1/failing-addresses/", "/api/v1/contact-preferences/"):
        assert api_as(nobody).get(url).status_code == 403
        response = api_as(project_leader).get(url)
        assert response.status_code == 200
        assert response.json()["count"] == 1


# List pages keep their query count whatever their length ------------------------------------


def failing_rows(count):
    for number in range(count):
        message = OutboundMessage.objects.create(
            key=f"t.sms:-:-:{number}:sms",
            kind="t.sms",
            channel="sms",
            category="notice",
            recipient=f"+47912345{number:02d}",
            subject="",
            body="Hei",
            status="failed",
        )
        FailingAddress.objects.create(
            channel="sms", address=message.recipient, reason="21211", message=message
        )
        user = UserFactory(email=f"person{number}@example.org")
        reach.save_preference(
            user, language="en", mobile="", sms=True, email_enabled=True, muted=["reminder"]
        )


@pytest.mark.parametrize("count", [2, 10])
def test_the_outgoing_page_lists_failed_sms_and_failing_addresses_in_constant_queries(
    client, project_leader, count, django_assert_max_num_queries
):
    failing_rows(count)
    client.force_login(project_leader)
    with django_assert_max_num_queries(13):
        page = client.get(reverse("core:outbound_messages")).content.decode()
    assert page.count('action="/stab/utgaende-epost/') == count
    assert "+4791234500" in page and f"+47912345{count - 1:02d}" in page


@pytest.mark.parametrize("count", [2, 10])
def test_the_api_lists_failing_addresses_and_preferences_in_constant_queries(
    api_as, project_leader, count, django_assert_max_num_queries, check_schema
):
    failing_rows(count)
    for url in ("/api/v1/failing-addresses/", "/api/v1/contact-preferences/"):
        with django_assert_max_num_queries(8):
            response = api_as(project_leader).get(url)
        assert response.status_code == 200
        check_schema(response)
        assert response.json()["count"] == count


@pytest.mark.parametrize("count", [2, 10])
def test_the_admin_lists_preferences_and_failing_addresses_in_constant_queries(
    client, admin_user, count, django_assert_max_num_queries
):
    failing_rows(count)
    client.force_login(admin_user)
    for url in ("/admin/core/contactpreference/", "/admin/core/failingaddress/"):
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_contact_page_answers_get_and_post_only(client, guardian):
    client.force_login(guardian)
    assert client.put(reverse("core:contact_preferences")).status_code == 405
