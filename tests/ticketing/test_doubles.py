"""No double registrations (issue 17 section 3): a form key per rendering of the form, the
"already registered" answer for the same email, and likely duplicates flagged for staff."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, OutboundMessage
from tests.factories import EventFactory
from tests.ticketing.factories import OfferFactory
from ticketing import services
from ticketing.forms import FORM_KEY_SALT, new_form_key
from ticketing.models import SECRET_LENGTH, Registration
from ticketing.selectors import places_left
from ticketing.services import TicketRequest, cancel_registration, register

pytestmark = pytest.mark.django_db


def register_url(event):
    return reverse("ticketing:register", args=[event.pk])


def rendered_form_key(client, event) -> str:
    """Open the form as a browser does and return the key it carries."""
    html = client.get(register_url(event)).content.decode()
    return re.search(r'name="form_key" value="([^"]+)"', html).group(1)


def form_data(offer, form_key="", quantity=1, **extra):
    data = {
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        f"quantity_{offer.pk}": quantity,
        "form_key": form_key,
    }
    data.update(extra)
    return data


# The same form sent again ---------------------------------------------------------------


def test_the_same_form_sent_again_makes_one_registration_and_lands_on_it(
    client, event, offer, pool, django_capture_on_commit_callbacks
):
    key = rendered_form_key(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(register_url(event), form_data(offer, key, 2))
        # Back, and send again (or a double click, or a retried POST).
        second = client.post(register_url(event), form_data(offer, key, 2))
    registration = Registration.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == registration.get_absolute_url()
    assert places_left([pool])[pool.pk] == 8  # the places are taken once
    assert registration.tickets.count() == 2
    assert OutboundMessage.objects.count() == 1  # one email
    actions = AuditEntry.objects.filter(action="ticketing.registration.created")
    assert actions.count() == 1


def test_the_same_key_answers_as_it_did_even_after_the_sale_ended(event, offer):
    def attempt():
        return register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name="Kari")],
            name="Kari",
            email="kari@example.org",
            by=None,
            form_key="K" * SECRET_LENGTH,
        )

    first = attempt()
    offer.sales_end = offer.sales_start = timezone.now() - timedelta(days=1)
    offer.save()
    again = attempt()
    assert again.pk == first.pk and again.replayed
    assert Registration.objects.count() == 1


def test_each_rendering_carries_its_own_signed_key_for_its_event(client, event, offer):
    first, second = rendered_form_key(client, event), rendered_form_key(client, event)
    assert first != second
    scope, key = signing.Signer(salt=FORM_KEY_SALT).unsign(first).split(":")
    assert scope == str(event.pk) and len(key) == SECRET_LENGTH
    client.post(register_url(event), form_data(offer, first))
    # The random part is saved, not the signed value the page carried.
    assert Registration.objects.get().form_key == key


@pytest.mark.parametrize("forged", ["tampered", "other_event"])
def test_a_key_not_signed_for_this_events_form_registers_nothing(client, event, offer, forged):
    if forged == "tampered":
        key = rendered_form_key(client, event)[:-2] + "xx"
    else:
        key = new_form_key(EventFactory().pk)
    response = client.post(register_url(event), form_data(offer, key))
    assert response.status_code == 400
    assert not Registration.objects.exists()
    # The page offers a fresh, good key to send the form again with.
    fresh = re.search(r'name="form_key" value="([^"]+)"', response.content.decode()).group(1)
    assert fresh != key
    assert client.post(register_url(event), form_data(offer, fresh)).status_code == 302


def test_a_form_without_a_key_still_registers(client, event, offer):
    """A page rendered before keys existed: no guard against sending it twice, but the
    second one meets the "already registered" answer."""
    assert client.post(register_url(event), form_data(offer)).status_code == 302
    assert client.post(register_url(event), form_data(offer)).status_code == 400
    assert Registration.objects.count() == 1


def test_a_key_saved_by_a_request_in_another_transaction_is_found_on_insert(
    event, offer, monkeypatch
):
    """The database's constraint is the last word: a request that saw no registration with
    its key before inserting (the other one committed just then) answers with that one."""
    earlier = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Kari")],
        name="Kari",
        email="kari@example.org",
        by=None,
        form_key="K" * SECRET_LENGTH,
    )
    found = services._registered_with_form_key
    calls = []

    def not_yet(event, form_key):
        calls.append(form_key)
        return None if len(calls) <= 2 else found(event, form_key)

    monkeypatch.setattr(services, "_registered_with_form_key", not_yet)
    again = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Kari")],
        name="Kari",
        email="kari@example.org",
        by=None,
        form_key="K" * SECRET_LENGTH,
    )
    assert len(calls) == 3
    assert again.pk == earlier.pk and again.replayed
    assert Registration.objects.count() == 1
    assert earlier.tickets.count() == 1


# The same email, another form -----------------------------------------------------------


def test_the_same_email_in_another_form_is_asked_about_and_nothing_is_registered(
    client, event, offer, pool, make_registration
):
    existing = make_registration("Kari Nordmann", email="Kari@Example.org")
    key = rendered_form_key(client, event)
    response = client.post(register_url(event), form_data(offer, key, 2))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="already-registered"' in html
    assert 'name="send_link_again"' in html
    assert 'name="confirm_another"' in html
    # Nothing of the registration: the person typing may not own the address.
    assert existing.code not in html
    assert existing.manage_token() not in html
    assert "/registrations/" not in html
    assert Registration.objects.count() == 1
    assert places_left([pool])[pool.pk] == 9
    # The same form carries on with the same key.
    assert f'value="{key}"' in html


def test_confirming_another_one_registers_it_once(client, event, offer, make_registration):
    make_registration("Kari Nordmann")
    key = rendered_form_key(client, event)
    assert client.post(register_url(event), form_data(offer, key)).status_code == 400
    data = form_data(offer, key, confirm_another="on", name="Ola Nordmann")
    first = client.post(register_url(event), data)
    again = client.post(register_url(event), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Registration.objects.filter(email="kari@example.org").count() == 2


def test_a_cancelled_registration_of_the_email_does_not_count(
    client, event, offer, make_registration
):
    cancel_registration(registration=make_registration("Kari Nordmann"), by=None)
    key = rendered_form_key(client, event)
    assert client.post(register_url(event), form_data(offer, key)).status_code == 302
    assert Registration.objects.count() == 2


def test_the_same_email_for_another_event_is_no_question(client, event, offer):
    other = EventFactory()
    other_offer = OfferFactory(event=other, name_nb="Inngang")
    register(
        event=other,
        tickets=[TicketRequest(offer=other_offer, attendee_name="Kari")],
        name="Kari",
        email="kari@example.org",
        by=None,
    )
    key = rendered_form_key(client, event)
    assert client.post(register_url(event), form_data(offer, key)).status_code == 302


def test_send_the_link_again_emails_the_address_once_per_form(
    client, event, offer, make_registration, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    existing = make_registration("Kari Nordmann")  # its own email is not sent: no callbacks
    key = rendered_form_key(client, event)
    client.post(register_url(event), form_data(offer, key, email="KARI@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), form_data(offer, key, send_link_again="1"))
        # Pressed twice (or the request retried): the same form asks once.
        client.post(register_url(event), form_data(offer, key, send_link_again="1"))
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert len(sink.received) == 1
    message = sink.received[0]
    assert message["To"] == "kari@example.org"  # the registration's own address
    body = "".join(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "https://kulturvest.example" + existing.get_absolute_url() in body
    # The page says only that it is sent if the address is registered.
    page = client.get(response["Location"]).content.decode()
    assert existing.manage_token() not in page
    assert Registration.objects.count() == 1
    # Each asking is on the registration's record; the email went once.
    asked = AuditEntry.objects.filter(action="ticketing.registration.link_asked_again")
    assert asked.count() == 2
    # Another form (another rendering) asks again: another email.
    other_key = rendered_form_key(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(register_url(event), form_data(offer, other_key, send_link_again="1"))
    assert len(sink.received) == 2


def test_send_the_link_again_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, event, offer, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    key = rendered_form_key(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), form_data(offer, key, send_link_again="1"))
    assert response.status_code == 302
    assert sink.received == []
    assert not Registration.objects.exists()


def test_send_the_link_again_is_limited_per_address_from_any_client(
    client, settings, event, offer, make_registration
):
    settings.PUBLIC_FORM_POSTS_PER_HOUR = 2
    make_registration("Kari Nordmann")
    before = OutboundMessage.objects.count()
    answers = []
    for n in range(3):
        key = rendered_form_key(client, event)
        response = client.post(
            register_url(event),
            form_data(offer, key, send_link_again="1"),
            REMOTE_ADDR=f"10.0.0.{n}",
        )
        answers.append(response.status_code)
    assert answers == [302, 302, 429]
    assert OutboundMessage.objects.count() == before + 2


def test_send_the_link_again_needs_the_forms_key(client, event, offer, make_registration):
    make_registration("Kari Nordmann")
    before = OutboundMessage.objects.count()
    response = client.post(register_url(event), form_data(offer, "", send_link_again="1"))
    assert response.status_code == 400
    assert OutboundMessage.objects.count() == before


# Staff see likely duplicates -----------------------------------------------------------


def overview_url(event):
    return reverse("ticketing:event_registrations", args=[event.pk])


def flagged_codes(html: str) -> set[str]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return {
        re.search(r">([A-Z0-9]{8})</a>", row).group(1)
        for row in rows
        if "data-likely-duplicate" in row
    }


def test_staff_see_likely_duplicates_with_a_constant_number_of_queries(
    client, project_leader, event, pool, make_registration, django_assert_max_num_queries
):
    pool.size = 100
    pool.save()
    kari = make_registration("Kari Nordmann", email="kari@example.org")
    kari_again = make_registration("K. Nordmann", email="KARI@example.org ")
    ola = make_registration("Ola Nordmann", email="ola@example.org")
    ola_again = make_registration(" ola nordmann", email="ola.n@example.org")
    alone = make_registration("Per Hansen", email="per@example.org")
    gone = make_registration("Per Hansen", email="per.h@example.org")
    cancel_registration(registration=gone, by=None)
    other_event = EventFactory()
    register(
        event=other_event,
        tickets=[TicketRequest(offer=OfferFactory(event=other_event), attendee_name="X")],
        name="Siri Dahl",
        email="siri@example.org",
        by=None,
    )
    make_registration("Siri Dahl", email="siri@example.org")  # only here: not flagged
    client.force_login(project_leader)
    with django_assert_max_num_queries(20):
        html = client.get(overview_url(event)).content.decode()
    assert flagged_codes(html) == {r.code for r in (kari, kari_again, ola, ola_again)}
    assert alone.code in html and gone.code in html

    for n in range(20):
        make_registration(f"Extra {n}", email=f"extra{n}@example.org")
    with django_assert_max_num_queries(20):
        client.get(overview_url(event))


# The API -------------------------------------------------------------------------------


def api_registration(offer, **extra):
    return {
        "event": offer.event_id,
        "name": "Kari",
        "email": "kari@example.org",
        "tickets": [{"offer": offer.pk, "attendee_name": "Kari"}],
        **extra,
    }


def test_the_api_answers_a_repeated_idempotency_key_with_the_first_registration(
    api_as, project_leader, event, offer, pool, check_schema
):
    client = api_as(project_leader)
    first = client.post(
        "/api/v1/registrations/", api_registration(offer), format="json", HTTP_IDEMPOTENCY_KEY="a1"
    )
    again = client.post(
        "/api/v1/registrations/", api_registration(offer), format="json", HTTP_IDEMPOTENCY_KEY="a1"
    )
    assert first.status_code == again.status_code == 201
    assert check_schema(first)["id"] == check_schema(again)["id"]
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert Registration.objects.count() == 1
    assert places_left([pool])[pool.pk] == 9


def test_the_api_refuses_the_same_email_with_409_unless_confirmed(
    api_as, project_leader, event, offer, make_registration, check_schema
):
    make_registration("Kari", email="Kari@example.org")
    client = api_as(project_leader)
    refused = client.post(
        "/api/v1/registrations/", api_registration(offer), format="json", HTTP_IDEMPOTENCY_KEY="b"
    )
    assert refused.status_code == 409
    assert set(check_schema(refused)) == {"detail", "email"}
    assert Registration.objects.count() == 1
    confirmed = client.post(
        "/api/v1/registrations/",
        api_registration(offer, confirm_another=True),
        format="json",
        HTTP_IDEMPOTENCY_KEY="b",
    )
    assert confirmed.status_code == 201
    assert check_schema(confirmed)["likely_duplicate"] is True
    assert Registration.objects.count() == 2


def test_the_api_refuses_an_idempotency_key_too_long(api_as, project_leader, event, offer):
    response = api_as(project_leader).post(
        "/api/v1/registrations/",
        api_registration(offer),
        format="json",
        HTTP_IDEMPOTENCY_KEY="x" * 65,
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_the_api_flags_and_filters_likely_duplicates(
    api_as,
    project_leader,
    event,
    pool,
    make_registration,
    check_schema,
    django_assert_max_num_queries,
):
    pool.size = 100
    pool.save()
    first = make_registration("Kari Nordmann", email="kari@example.org")
    second = make_registration("Kari Nordmann", email="kari2@example.org")
    make_registration("Ola Nordmann", email="ola@example.org")
    client = api_as(project_leader)
    body = check_schema(client.get("/api/v1/registrations/", {"event": event.pk}))
    flags = {row["code"]: row["likely_duplicate"] for row in body["results"]}
    assert flags == {first.code: True, second.code: True, body["results"][2]["code"]: False}
    for n in range(10):
        make_registration(f"Extra {n}", email=f"e{n}@example.org")
    with django_assert_max_num_queries(12):
        rows = client.get(
            "/api/v1/registrations/", {"event": event.pk, "likely_duplicate": "true"}
        ).json()
    assert sorted(row["code"] for row in rows["results"]) == sorted([first.code, second.code])
