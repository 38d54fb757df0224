"""POST /api/v1/checkin/redeem/ and /annul/: every reason code, retries, permissions."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Event
from tests.factories import EventFactory, UserFactory
from tests.ticketing.factories import CheckinListFactory, OfferFactory
from ticketing.models import Checkin, Offer, Ticket
from ticketing.services import (
    TicketRequest,
    approve_registration,
    cancel_registration,
    cancel_ticket,
    register,
)

pytestmark = pytest.mark.django_db

REDEEM = "/api/v1/checkin/redeem/"
ANNUL = "/api/v1/checkin/annul/"


@pytest.fixture
def scanner(api_as, host):
    return api_as(host)


def redeem(client, secret, checkin_list, **extra):
    return client.post(REDEEM, {"secret": secret, "list": checkin_list.pk, **extra}, format="json")


def successful():
    return Checkin.objects.filter(successful=True).count()


def test_first_scan_is_ok_and_the_second_already_redeemed(
    scanner, ticket, checkin_list, check_schema
):
    first = redeem(scanner, ticket.secret, checkin_list, nonce="n-1")
    assert first.status_code == 201
    body = check_schema(first)
    assert body["status"] == "ok"
    assert body["reason"] is None
    assert body["ticket"]["attendee_name"] == "Kari Nordmann"
    assert body["ticket"]["offer"] == "Inngang"
    assert body["ticket"]["event"]["title"] == "Vårkonsert"
    assert body["checkin"]["type"] == "entry"
    assert body["checkin"]["nonce"] == "n-1"
    assert body["list_status"] == {"expected": 1, "checked_in": 1, "inside": 1}

    second = redeem(scanner, ticket.secret, checkin_list, nonce="n-2")
    assert second.status_code == 200
    body = check_schema(second)
    assert (body["status"], body["reason"]) == ("error", "already_redeemed")
    assert body["checkin"] is None
    assert successful() == 1


def test_a_typed_code_is_read_in_any_case_with_spaces(scanner, ticket, checkin_list):
    typed = " ".join(ticket.secret[i : i + 4] for i in range(0, 32, 4)).lower()
    assert redeem(scanner, typed, checkin_list).status_code == 201


@pytest.mark.parametrize(
    "secret",
    ["", "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", "SHORT", "ÆØÅ<script>", "A" * 64],
    ids=["empty", "forged", "truncated", "junk", "long"],
)
def test_unknown_codes_are_invalid_404_and_logged(scanner, checkin_list, secret, check_schema):
    response = redeem(scanner, secret, checkin_list)
    assert response.status_code == 404
    body = check_schema(response)
    assert (body["status"], body["reason"], body["ticket"]) == ("error", "invalid", None)
    assert successful() == 0
    logged = Checkin.objects.get()
    assert logged.reason == "invalid"
    assert logged.ticket is None


def test_a_truncated_real_secret_is_invalid(scanner, ticket, checkin_list):
    response = redeem(scanner, ticket.secret[:-1], checkin_list)
    assert response.status_code == 404
    assert successful() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"list": 1},  # no secret
        {"secret": "X"},  # no list
        {"secret": "X", "list": "one"},
        {"secret": "X", "list": 1, "type": "sideways"},
        {"secret": "A" * 65, "list": 1},  # overlong
        {"secret": "X", "list": 1, "scanned_at": "yesterday"},
    ],
)
def test_malformed_requests_are_400_with_field_errors_and_record_nothing(
    scanner, checkin_list, payload
):
    if payload.get("list") == 1:
        payload["list"] = checkin_list.pk
    response = scanner.post(REDEEM, payload, format="json")
    assert response.status_code == 400
    assert isinstance(response.json(), dict) and response.json()
    assert not Checkin.objects.exists()


def test_malformed_json_is_400(scanner):
    response = scanner.generic("POST", REDEEM, b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Checkin.objects.exists()


def test_an_unknown_list_is_a_field_error(scanner, ticket):
    response = scanner.post(REDEEM, {"secret": ticket.secret, "list": 999999}, format="json")
    assert response.status_code == 400
    assert "list" in response.json()
    assert not Checkin.objects.exists()


def test_wrong_list(scanner, host, ticket, checkin_list):
    other_event = EventFactory()
    other_event.hosts.add(host)
    other_list = CheckinListFactory(event=other_event, name="Annen dør")
    response = redeem(scanner, ticket.secret, other_list)
    assert (response.status_code, response.json()["reason"]) == (200, "wrong_list")


def test_list_admits_only_its_offers(scanner, event, pool, checkin_list, make_registration):
    vip = OfferFactory(event=event, name_nb="VIP", pool=pool)
    checkin_list.all_offers = False
    checkin_list.save()
    checkin_list.offers.add(vip)
    plain = make_registration("Kari").tickets.get()
    special = make_registration("Ola", offer=vip).tickets.get()
    assert redeem(scanner, plain.secret, checkin_list).json()["reason"] == "wrong_list"
    assert redeem(scanner, special.secret, checkin_list).status_code == 201


def test_a_list_with_sessions_admits_tickets_to_the_sessions(scanner, host, event):
    session = EventFactory(period=event.period, parent=event, kind=Event.Kind.SESSION)
    offer = OfferFactory(event=session, name_nb="Økt")
    ticket = register(
        event=session,
        tickets=[TicketRequest(offer=offer, attendee_name="A")],
        name="A",
        email="a@example.org",
        by=None,
    ).tickets.get()
    only_parent = CheckinListFactory(event=event, name="Bare hovedarrangement")
    with_sessions = CheckinListFactory(event=event, name="Alt", include_sessions=True)
    assert redeem(scanner, ticket.secret, only_parent).json()["reason"] == "wrong_list"
    assert redeem(scanner, ticket.secret, with_sessions).status_code == 201


def test_cancelled_tickets_and_registrations(scanner, checkin_list, make_registration):
    registration = make_registration("A", "B")
    first, second = registration.tickets.order_by("pk")
    cancel_ticket(ticket=first, by=None)
    assert redeem(scanner, first.secret, checkin_list).json()["reason"] == "cancelled"
    cancel_registration(registration=registration, by=None)
    assert redeem(scanner, second.secret, checkin_list).json()["reason"] == "cancelled"


def test_unpaid_and_unapproved(scanner, event, pool, checkin_list):
    paid = OfferFactory(event=event, name_nb="Betalt", pool=pool, price=Decimal("100"))
    approval = OfferFactory(event=event, name_nb="Søknad", pool=pool, requires_approval=True)

    def one(offer):
        return register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name="A")],
            name="A",
            email="a@example.org",
            by=None,
        )

    unpaid = one(paid).tickets.get()
    pending = one(approval)
    assert redeem(scanner, unpaid.secret, checkin_list).json()["reason"] == "unpaid"
    ticket = pending.tickets.get()
    assert redeem(scanner, ticket.secret, checkin_list).json()["reason"] == "unapproved"
    approve_registration(registration=pending, by=None)
    assert redeem(scanner, ticket.secret, checkin_list).status_code == 201


def test_waitlisted_tickets_are_not_admitted(scanner, checkin_list, make_registration):
    for n in range(10):
        make_registration(f"H{n}")
    waiting = make_registration("W", join_waitlist=True).tickets.get()
    assert redeem(scanner, waiting.secret, checkin_list).json()["reason"] == "unapproved"


def test_not_yet_valid_and_expired_follow_the_scan_time(
    scanner, event, pool, checkin_list, make_registration
):
    now = timezone.now()
    day = OfferFactory(
        event=event,
        name_nb="Dagsbillett",
        pool=pool,
        valid_from=now + timedelta(hours=1),
        valid_until=now + timedelta(hours=9),
    )
    ticket = make_registration("A", offer=day).tickets.get()
    assert redeem(scanner, ticket.secret, checkin_list).json()["reason"] == "not_yet_valid"
    Offer.objects.filter(pk=day.pk).update(
        valid_from=now - timedelta(hours=10), valid_until=now - timedelta(hours=1)
    )
    assert redeem(scanner, ticket.secret, checkin_list).json()["reason"] == "expired"
    # A scan recorded offline while the ticket was valid is accepted with its own time.
    offline = (now - timedelta(hours=2)).isoformat()
    response = redeem(scanner, ticket.secret, checkin_list, scanned_at=offline)
    assert response.status_code == 201
    assert Checkin.objects.get(successful=True).scanned_at == now - timedelta(hours=2)


def test_a_scan_time_in_the_future_is_refused(scanner, ticket, checkin_list):
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    response = redeem(scanner, ticket.secret, checkin_list, scanned_at=future)
    assert response.status_code == 400
    assert not Checkin.objects.exists()


def test_the_same_nonce_twice_records_one_checkin_and_answers_the_same(
    scanner, ticket, checkin_list
):
    first = redeem(scanner, ticket.secret, checkin_list, nonce="retry-me")
    again = redeem(scanner, ticket.secret, checkin_list, nonce="retry-me")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Checkin.objects.count() == 1
    # Also for a refused scan.
    refused = redeem(scanner, "FORGED", checkin_list, nonce="bad-1")
    refused_again = redeem(scanner, "FORGED", checkin_list, nonce="bad-1")
    assert refused.status_code == refused_again.status_code == 404
    assert refused.json() == refused_again.json()
    assert Checkin.objects.count() == 2


def test_another_scanners_nonce_is_refused(api_as, admin_user, scanner, ticket, checkin_list):
    redeem(scanner, ticket.secret, checkin_list, nonce="mine")
    response = redeem(api_as(admin_user), ticket.secret, checkin_list, nonce="mine")
    assert response.status_code == 400
    assert Checkin.objects.count() == 1


def test_exit_and_reentry_and_the_inside_count(scanner, ticket, checkin_list, make_registration):
    other = make_registration("Ola").tickets.get()
    assert redeem(scanner, ticket.secret, checkin_list).status_code == 201
    assert redeem(scanner, other.secret, checkin_list).json()["list_status"]["inside"] == 2
    out = redeem(scanner, ticket.secret, checkin_list, type="exit")
    assert out.status_code == 201
    assert out.json()["checkin"]["type"] == "exit"
    assert out.json()["list_status"] == {"expected": 2, "checked_in": 2, "inside": 1}
    back = redeem(scanner, ticket.secret, checkin_list)
    assert back.status_code == 201
    assert back.json()["list_status"]["inside"] == 2

    checkin_list.allow_entry_after_exit = False
    checkin_list.save()
    redeem(scanner, ticket.secret, checkin_list, type="exit")
    assert redeem(scanner, ticket.secret, checkin_list).json()["reason"] == "already_redeemed"


def test_multiple_entries_when_the_list_allows_them(scanner, ticket, checkin_list):
    checkin_list.allow_multiple_entries = True
    checkin_list.save()
    for _n in range(3):
        assert redeem(scanner, ticket.secret, checkin_list).status_code == 201
    status = redeem(scanner, ticket.secret, checkin_list).json()["list_status"]
    assert status["checked_in"] == 1


def test_annul_undoes_my_recent_checkin(scanner, api_as, admin_user, ticket, checkin_list):
    redeem(scanner, ticket.secret, checkin_list, nonce="oops")
    # Someone else cannot undo it.
    other = api_as(admin_user).post(
        ANNUL, {"list": checkin_list.pk, "nonce": "oops"}, format="json"
    )
    assert other.status_code == 400
    response = scanner.post(ANNUL, {"list": checkin_list.pk, "nonce": "oops"}, format="json")
    assert response.status_code == 200
    assert response.json()["annulled_at"]
    # The ticket may enter again, and the counts forget the undone entry.
    again = redeem(scanner, ticket.secret, checkin_list)
    assert again.status_code == 201
    assert again.json()["list_status"]["checked_in"] == 1
    assert (
        scanner.post(ANNUL, {"list": checkin_list.pk, "nonce": "oops"}, format="json").status_code
        == 400
    )


def test_annul_only_within_15_minutes(scanner, ticket, checkin_list):
    redeem(scanner, ticket.secret, checkin_list, nonce="old")
    Checkin.objects.update(received_at=timezone.now() - timedelta(minutes=16))
    response = scanner.post(ANNUL, {"list": checkin_list.pk, "nonce": "old"}, format="json")
    assert response.status_code == 400
    assert "15" in response.json()["detail"]


def test_annul_of_an_unknown_nonce(scanner, checkin_list):
    response = scanner.post(ANNUL, {"list": checkin_list.pk, "nonce": "nope"}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin_user", True),
        ("project_leader", True),
        ("host", True),
        ("venue_host", False),  # a host, but not of this event
        ("juror", False),
        ("artist", False),
        ("guardian", False),
        ("tutor", False),  # not a host of this event
        ("nobody", False),
        (None, False),
    ],
)
def test_only_staff_and_the_events_hosts_may_scan(
    request, api_as, role, allowed, ticket, checkin_list, event
):
    user = request.getfixturevalue(role) if role else None
    if role == "venue_host":
        EventFactory().hosts.add(user)
    response = redeem(api_as(user), ticket.secret, checkin_list)
    if allowed:
        assert response.status_code == 201
    else:
        assert response.status_code in (401, 403)
        assert not Checkin.objects.exists()


def test_hosts_of_the_parent_event_may_scan_its_sessions(api_as, venue_host, event):
    event.hosts.add(venue_host)
    session = EventFactory(period=event.period, parent=event, kind=Event.Kind.SESSION)
    offer = OfferFactory(event=session, name_nb="Økt")
    ticket = register(
        event=session,
        tickets=[TicketRequest(offer=offer, attendee_name="A")],
        name="A",
        email="a@example.org",
        by=None,
    ).tickets.get()
    session_list = CheckinListFactory(event=session, name="Økt")
    assert redeem(api_as(venue_host), ticket.secret, session_list).status_code == 201


def test_a_childs_name_is_shown_to_staff_and_tutors_only(
    api_as, admin_user, host, tutor, event, offer, checkin_list
):
    child = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Emma Olsen", attendee_is_child=True)],
        name="Forelder Olsen",
        email="forelder@example.org",
        by=None,
    ).tickets.get()
    checkin_list.allow_multiple_entries = True
    checkin_list.save()
    as_host = redeem(api_as(host), child.secret, checkin_list).json()
    assert as_host["ticket"]["attendee_name"] == "E. O."
    assert "Emma" not in json.dumps(as_host)
    assert (
        redeem(api_as(admin_user), child.secret, checkin_list).json()["ticket"]["attendee_name"]
        == "Emma Olsen"
    )
    event.hosts.add(tutor)
    tutor_answer = redeem(api_as(tutor), child.secret, checkin_list).json()
    assert tutor_answer["ticket"]["attendee_name"] == "Emma Olsen"


def test_every_scan_is_logged_with_who_when_and_why(scanner, host, ticket, checkin_list):
    redeem(scanner, ticket.secret, checkin_list, nonce="a")
    redeem(scanner, ticket.secret, checkin_list, nonce="b")
    redeem(scanner, "FORGEDCODE", checkin_list, nonce="c")
    log = {c.nonce: c for c in Checkin.objects.all()}
    assert log["a"].successful and log["a"].ticket == ticket and log["a"].user == host
    assert not log["b"].successful and log["b"].reason == "already_redeemed"
    assert log["c"].reason == "invalid" and log["c"].attempted_secret == "FORGEDCODE"
    for scan in log.values():
        assert scan.scanned_at and scan.received_at and scan.checkin_list == checkin_list


def test_redeem_takes_a_constant_number_of_queries(
    scanner, checkin_list, make_registration, django_assert_max_num_queries
):
    tickets = [t for r in [make_registration(f"P{n}") for n in range(8)] for t in r.tickets.all()]
    with django_assert_max_num_queries(16):
        redeem(scanner, tickets[0].secret, checkin_list)
    with django_assert_max_num_queries(16):
        redeem(scanner, tickets[1].secret, checkin_list)


def test_search_finds_tickets_by_name_and_reference(api_as, host, event, offer, checkin_list):
    adult = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Kari Nordmann")],
        name="Kari Nordmann",
        email="k@example.org",
        by=None,
    )
    register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Kari Olsen", attendee_is_child=True)],
        name="Forelder",
        email="f@example.org",
        by=None,
    )
    url = f"/api/v1/checkin/lists/{checkin_list.pk}/search/"
    rows = api_as(host).get(url, {"q": "kari"}).json()
    # The host finds the adult by name, not the child.
    assert [row["attendee_name"] for row in rows] == ["Kari Nordmann"]
    assert rows[0]["id"] == adult.tickets.get().pk
    assert rows[0]["checked_in"] is False
    assert api_as(host).get(url, {"q": adult.code.lower()}).json()[0]["registration"] == adult.code
    assert api_as(host).get(url, {"q": "k"}).json() == []
    assert api_as(UserFactory()).get(url, {"q": "kari"}).status_code == 404


# A host learns no secret from a search, and admits a found person by the row's handle --


def search_url(checkin_list):
    return f"/api/v1/checkin/lists/{checkin_list.pk}/search/"


@pytest.fixture
def child_registration(event, offer):
    return register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="Emma Olsen", attendee_is_child=True)],
        name="Forelder",
        email="f@example.org",
        by=None,
    )


def test_search_answers_carry_no_secret(
    scanner, child_registration, checkin_list, make_registration, check_schema
):
    adult = make_registration("Kari Nordmann")
    for query in ("kari", adult.code, child_registration.code):
        response = scanner.get(search_url(checkin_list), {"q": query})
        rows = check_schema(response)
        assert len(rows) == 1
        for ticket in Ticket.objects.all():
            assert ticket.secret not in response.content.decode()


def test_a_found_child_is_admitted_by_the_rows_handle(
    scanner, child_registration, checkin_list, check_schema
):
    child = child_registration.tickets.get()
    row = scanner.get(search_url(checkin_list), {"q": child_registration.code}).json()[0]
    assert row["attendee_name"] == "E. O."
    response = scanner.post(
        REDEEM, {"handle": row["handle"], "list": checkin_list.pk, "nonce": "h-1"}, format="json"
    )
    assert response.status_code == 201
    body = check_schema(response)
    assert body["ticket"]["id"] == child.pk
    assert body["ticket"]["attendee_name"] == "E. O."
    assert child.secret not in response.content.decode() and "Emma" not in json.dumps(body)
    assert Checkin.objects.get(successful=True).ticket == child
    # A retry answers the same; the next scan of the row is "already checked in".
    retry = scanner.post(
        REDEEM, {"handle": row["handle"], "list": checkin_list.pk, "nonce": "h-1"}, format="json"
    )
    assert retry.json() == body
    again = scanner.post(REDEEM, {"handle": row["handle"], "list": checkin_list.pk}, format="json")
    assert (again.status_code, again.json()["reason"]) == (200, "already_redeemed")
    found = scanner.get(search_url(checkin_list), {"q": child_registration.code}).json()
    assert found[0]["checked_in"] is True


def test_a_handle_works_only_at_its_own_list(scanner, host, event, ticket, checkin_list):
    row = scanner.get(search_url(checkin_list), {"q": "kari"}).json()[0]
    other_event = EventFactory()
    other_event.hosts.add(host)
    for other_list in (
        CheckinListFactory(event=event, name="Sidedør"),
        CheckinListFactory(event=other_event, name="Annen dør"),
    ):
        response = scanner.post(
            REDEEM, {"handle": row["handle"], "list": other_list.pk}, format="json"
        )
        assert response.status_code == 400
        assert "handle" in response.json()
    forged = str(ticket.pk) + ":" + row["handle"].split(":", 1)[1][::-1]
    for handle in (forged, str(ticket.pk), "junk"):
        response = scanner.post(REDEEM, {"handle": handle, "list": checkin_list.pk}, format="json")
        assert response.status_code == 400
        assert "handle" in response.json()
    both = scanner.post(
        REDEEM,
        {"handle": row["handle"], "secret": ticket.secret, "list": checkin_list.pk},
        format="json",
    )
    assert both.status_code == 400
    assert not Checkin.objects.exists()


# The ticket's state follows the order in which the server accepted its scans -------------


def test_a_backdated_entry_does_not_admit_a_ticket_again(scanner, ticket, checkin_list):
    assert checkin_list.allow_entry_after_exit and not checkin_list.allow_multiple_entries
    assert redeem(scanner, ticket.secret, checkin_list).status_code == 201
    assert redeem(scanner, ticket.secret, checkin_list, type="exit").status_code == 201
    earlier = (timezone.now() - timedelta(seconds=30)).isoformat()
    back = redeem(scanner, ticket.secret, checkin_list, scanned_at=earlier)
    assert back.status_code == 201
    for _n in range(3):
        again = redeem(scanner, ticket.secret, checkin_list, scanned_at=earlier)
        assert (again.status_code, again.json()["reason"]) == (200, "already_redeemed")
    assert again.json()["list_status"] == {"expected": 1, "checked_in": 1, "inside": 1}
    assert Checkin.objects.filter(successful=True, type="entry").count() == 2


def test_an_exit_sent_late_still_lets_the_ticket_in_again(scanner, ticket, checkin_list):
    """An exit made offline before the last entry reached the server counts as the latest."""
    assert redeem(scanner, ticket.secret, checkin_list).status_code == 201
    earlier = (timezone.now() - timedelta(minutes=10)).isoformat()
    out = redeem(scanner, ticket.secret, checkin_list, type="exit", scanned_at=earlier)
    assert out.status_code == 201
    assert redeem(scanner, ticket.secret, checkin_list).status_code == 201


@pytest.mark.parametrize(
    "when",
    [
        lambda now: datetime(1970, 1, 1, tzinfo=UTC),
        lambda now: now - timedelta(hours=25),
        lambda now: now + timedelta(hours=1),
    ],
    ids=["1970", "older-than-the-offline-queue", "future"],
)
def test_a_scan_time_out_of_bounds_is_a_field_error(
    scanner, event, pool, checkin_list, make_registration, when
):
    now = timezone.now()
    # Valid only now: a scan time out of bounds must not skip the validity window either.
    today = OfferFactory(
        event=event,
        name_nb="Dagsbillett",
        pool=pool,
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(hours=1),
    )
    ticket = make_registration("A", offer=today).tickets.get()
    response = redeem(scanner, ticket.secret, checkin_list, scanned_at=when(now).isoformat())
    assert response.status_code == 400
    assert "scanned_at" in response.json()
    assert not Checkin.objects.exists()


def test_the_oldest_scan_time_accepted_is_a_setting(settings, scanner, ticket, checkin_list):
    settings.OFFLINE_SCAN_MAX_HOURS = 2
    now = timezone.now()
    too_old = redeem(
        scanner, ticket.secret, checkin_list, scanned_at=(now - timedelta(hours=3)).isoformat()
    )
    assert too_old.status_code == 400
    assert "2" in too_old.json()["scanned_at"][0]
    ok = redeem(
        scanner, ticket.secret, checkin_list, scanned_at=(now - timedelta(hours=1)).isoformat()
    )
    assert ok.status_code == 201


# A nonce belongs to one scan ------------------------------------------------------------


def test_a_nonce_sent_again_with_another_ticket_is_an_error(
    scanner, checkin_list, make_registration
):
    first = make_registration("Kari Nordmann").tickets.get()
    second = make_registration("Ola Hansen").tickets.get()
    assert redeem(scanner, first.secret, checkin_list, nonce="n-1").status_code == 201
    response = redeem(scanner, second.secret, checkin_list, nonce="n-1")
    assert response.status_code == 400
    assert "nonce" in response.json()
    assert "Kari" not in response.content.decode()
    assert not Checkin.objects.filter(ticket=second).exists()
    # The same code typed differently is the same scan: its retry.
    assert redeem(scanner, first.secret.lower(), checkin_list, nonce="n-1").status_code == 201
    # An unknown code's nonce, sent with a real ticket or another unknown code.
    assert redeem(scanner, "FORGEDCODE", checkin_list, nonce="n-2").status_code == 404
    assert redeem(scanner, second.secret, checkin_list, nonce="n-2").status_code == 400
    assert redeem(scanner, "OTHERFORGED", checkin_list, nonce="n-2").status_code == 400
    assert redeem(scanner, "FORGEDCODE", checkin_list, nonce="n-2").status_code == 404
    assert Checkin.objects.count() == 2


def test_an_unpaid_ticket_says_what_to_collect_and_staff_mark_it_paid_at_the_door(
    scanner, api_as, project_leader, event, pool, checkin_list, check_schema
):
    offer = OfferFactory(event=event, name_nb="Voksen", pool=pool, price=Decimal("150"))
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="A")],
        name="A",
        email="a@example.org",
        by=None,
    )
    ticket = registration.tickets.get()
    answer = redeem(scanner, ticket.secret, checkin_list)
    check_schema(answer)
    body = answer.json()
    assert body["reason"] == "unpaid"
    assert body["ticket"]["collect"] == {"amount": "150.00", "registration_id": registration.pk}
    # A venue host cannot record the payment; staff can, as paid at the door.
    url = f"/api/v1/registrations/{registration.pk}/mark-paid/"
    assert scanner.post(url, {"provider": "door"}, format="json").status_code in (403, 404)
    staff = api_as(project_leader)
    assert staff.post(url, {"provider": "door"}, format="json").status_code == 200
    payment = registration.payments.get()
    assert (payment.provider, payment.amount, payment.recorded_by) == (
        "door",
        Decimal("150.00"),
        project_leader,
    )
    again = redeem(scanner, ticket.secret, checkin_list)
    assert again.status_code == 201 and "collect" not in again.json()["ticket"]
