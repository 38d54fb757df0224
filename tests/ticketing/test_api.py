"""The ticketing API: offers, pools, registrations, tickets, check-in lists and scans."""

from decimal import Decimal

import pytest

from events.models import Event
from tests.conftest import ROLE_FIXTURES
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, CheckinListFactory, OfferFactory
from ticketing.models import Checkin, CheckinList, Offer, Registration
from ticketing.services import redeem_ticket

pytestmark = pytest.mark.django_db

ALL_ROLES = [*ROLE_FIXTURES, "anonymous"]
STAFF = ["admin_user", "project_leader"]
STAFF_ONLY_LISTS = [
    "/api/v1/capacity-pools/",
    "/api/v1/registrations/",
    "/api/v1/tickets/",
    "/api/v1/checkin/scans/",
]


def user_of(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url", STAFF_ONLY_LISTS)
def test_staff_only_lists(
    request, api_as, role, url, ticket, checkin_list, admin_user, check_schema
):
    redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user)
    response = api_as(user_of(request, role)).get(url)
    if role in STAFF:
        assert response.status_code == 200
        assert check_schema(response)["count"] >= 1
    else:
        assert response.status_code in (401, 403)


def test_tickets_show_their_secret_and_qr_addresses_to_staff(
    api_as, project_leader, ticket, check_schema
):
    body = check_schema(api_as(project_leader).get("/api/v1/tickets/"))
    row = body["results"][0]
    assert row["secret"] == ticket.secret
    assert row["qr_png_url"] == f"http://testserver/tickets/{ticket.secret}/qr.png"
    assert row["qr_svg_url"].endswith("/qr.svg")
    assert row["registration"] == ticket.registration.code


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_reads_public_offers_of_public_events(request, api_as, role, event, offer, pool):
    OfferFactory(event=event, name_nb="Intern", pool=pool, is_public=False)
    hidden_event = EventFactory(visibility=Event.Visibility.STAFF)
    OfferFactory(event=hidden_event, name_nb="Skjult")
    response = api_as(user_of(request, role)).get("/api/v1/offers/")
    assert response.status_code == 200
    names = {row["name_nb"] for row in response.json()["results"]}
    if role in STAFF:
        assert names == {"Inngang", "Intern", "Skjult"}
    else:
        assert names == {"Inngang"}


def test_project_leader_creates_an_offer_with_a_pool(api_as, project_leader, event, check_schema):
    client = api_as(project_leader)
    pool = check_schema(
        client.post("/api/v1/capacity-pools/", {"event": event.pk, "name": "Sal", "size": 40})
    )
    assert pool["places_left"] == 40
    response = client.post(
        "/api/v1/offers/",
        {"event": event.pk, "name_nb": "Voksen", "price": "150.00", "pool": pool["id"]},
    )
    assert response.status_code == 201
    body = check_schema(response)
    assert body["price"] == "150.00"


def test_offer_rules_are_field_errors(api_as, project_leader, event):
    foreign_pool = CapacityPoolFactory(event=EventFactory(), name="Annen", size=5)
    client = api_as(project_leader)
    negative = client.post("/api/v1/offers/", {"event": event.pk, "name_nb": "X", "price": "-1"})
    assert negative.status_code == 400
    assert "price" in negative.json()
    foreign = client.post(
        "/api/v1/offers/", {"event": event.pk, "name_nb": "X", "pool": foreign_pool.pk}
    )
    assert foreign.status_code == 400
    assert "pool" in foreign.json()
    assert not Offer.objects.exists()


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r not in STAFF])
def test_only_project_leaders_write_offers(request, api_as, role, event):
    response = api_as(user_of(request, role)).post(
        "/api/v1/offers/", {"event": event.pk, "name_nb": "X"}
    )
    assert response.status_code in (401, 403)


def test_registration_lifecycle_through_the_api(api_as, project_leader, event, pool, check_schema):
    offer = OfferFactory(
        event=event, name_nb="Billett", pool=pool, price=Decimal("200"), is_public=False
    )
    client = api_as(project_leader)
    created = client.post(
        "/api/v1/registrations/",
        {
            "event": event.pk,
            "name": "Kari",
            "email": "kari@example.org",
            "tickets": [
                {"offer": offer.pk, "attendee_name": "Kari"},
                {"offer": offer.pk, "attendee_name": "Emma", "attendee_is_child": True},
            ],
        },
    )
    assert created.status_code == 201
    body = check_schema(created)
    assert (body["state"], body["payment_state"], body["total"]) == ("pending", "unpaid", "400.00")
    assert len(body["tickets"]) == 2
    url = f"/api/v1/registrations/{body['id']}/"

    paid = check_schema(client.post(url + "mark-paid/", {"reference": "Vipps 1"}))
    assert (paid["state"], paid["payment_state"]) == ("confirmed", "paid")
    again = client.post(url + "mark-paid/", {})
    assert again.status_code == 400
    assert again.json()["detail"]

    cancelled = check_schema(client.post(url + "cancel/"))
    assert cancelled["state"] == "cancelled"
    refunded = check_schema(client.post(url + "mark-refunded/", {}))
    assert refunded["payment_state"] == "refunded"


def test_registration_over_capacity_says_how_many_places_are_left(
    api_as, project_leader, event, offer, make_registration
):
    make_registration(*[f"P{n}" for n in range(9)])
    response = api_as(project_leader).post(
        "/api/v1/registrations/",
        {
            "event": event.pk,
            "name": "A",
            "email": "a@example.org",
            "tickets": [{"offer": offer.pk, "attendee_name": n} for n in ("A", "B")],
        },
    )
    assert response.status_code == 400
    assert response.json()["places_left"] == 1
    assert Registration.objects.count() == 1


def test_registration_input_errors(api_as, project_leader, event):
    response = api_as(project_leader).post(
        "/api/v1/registrations/", {"event": event.pk, "email": "nope", "tickets": []}
    )
    assert response.status_code == 400
    assert {"name", "email", "tickets"} <= set(response.json())


def test_registrations_filter_by_event_and_state(api_as, project_leader, event, make_registration):
    make_registration("A")
    cancelled = make_registration("B")
    from ticketing.services import cancel_registration

    cancel_registration(registration=cancelled, by=None)
    other_event = EventFactory()
    other_offer = OfferFactory(event=other_event, name_nb="X")
    make_registration("C", event=other_event, offer=other_offer)
    client = api_as(project_leader)
    assert client.get("/api/v1/registrations/", {"event": event.pk}).json()["count"] == 2
    rows = client.get("/api/v1/registrations/", {"event": event.pk, "state": "cancelled"}).json()
    assert [row["code"] for row in rows["results"]] == [cancelled.code]
    assert client.get("/api/v1/registrations/", {"state": "sideways"}).status_code == 400


def test_checkin_lists_are_read_by_their_hosts_with_status(
    api_as, host, venue_host, event, checkin_list, ticket, check_schema
):
    redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=host)
    CheckinListFactory(event=EventFactory(), name="Annen")
    body = check_schema(api_as(host).get("/api/v1/checkin/lists/"))
    assert [row["name"] for row in body["results"]] == ["Hoveddør"]
    assert body["results"][0]["status"] == {"expected": 1, "checked_in": 1, "inside": 1}
    # Hosts read, but do not change, their lists.
    url = f"/api/v1/checkin/lists/{checkin_list.pk}/"
    assert api_as(host).patch(url, {"name": "Ny"}).status_code == 403


@pytest.mark.parametrize("role", ["juror", "artist", "guardian", "tutor", "nobody", "anonymous"])
def test_checkin_lists_are_hidden_from_others(request, api_as, role, checkin_list):
    response = api_as(user_of(request, role)).get("/api/v1/checkin/lists/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.json()["count"] == 0


def test_project_leader_creates_a_list_for_some_offers(
    api_as, project_leader, event, offer, check_schema
):
    foreign = OfferFactory(event=EventFactory(), name_nb="Annen")
    client = api_as(project_leader)
    bad = client.post(
        "/api/v1/checkin/lists/",
        {"event": event.pk, "name": "VIP", "all_offers": False, "offers": [foreign.pk]},
    )
    assert bad.status_code == 400
    assert list(check_schema(bad)) == ["offers"]
    assert f"Annen (#{foreign.pk})" in bad.json()["offers"][0]
    assert not CheckinList.objects.filter(name="VIP").exists()
    good = client.post(
        "/api/v1/checkin/lists/",
        {"event": event.pk, "name": "VIP", "all_offers": False, "offers": [offer.pk]},
    )
    assert good.status_code == 201
    assert check_schema(good)["offers"] == [offer.pk]


def test_a_list_moves_to_another_event_only_with_offers_of_that_event(
    api_as, project_leader, event, offer, checkin_list, check_schema
):
    checkin_list.offers.add(offer)
    other_event = EventFactory()
    other_offer = OfferFactory(event=other_event, name_nb="Annen")
    client = api_as(project_leader)
    url = f"/api/v1/checkin/lists/{checkin_list.pk}/"

    kept_offers = client.patch(url, {"event": other_event.pk})
    assert kept_offers.status_code == 400
    assert list(check_schema(kept_offers)) == ["offers"]
    checkin_list.refresh_from_db()
    assert checkin_list.event == event

    moved = client.patch(url, {"event": other_event.pk, "offers": [other_offer.pk]})
    assert moved.status_code == 200
    assert check_schema(moved)["offers"] == [other_offer.pk]


def test_scan_log_filters(api_as, project_leader, host, ticket, checkin_list, check_schema):
    redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=host)
    redeem_ticket(secret="FORGED", checkin_list=checkin_list, user=host)
    client = api_as(project_leader)
    refused = check_schema(client.get("/api/v1/checkin/scans/", {"successful": "false"}))
    assert [row["reason"] for row in refused["results"]] == ["invalid"]
    by_list = client.get("/api/v1/checkin/scans/", {"checkin_list": checkin_list.pk}).json()
    assert by_list["count"] == 2


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/offers/",
        "/api/v1/registrations/",
        "/api/v1/tickets/",
        "/api/v1/checkin/lists/",
        "/api/v1/checkin/scans/",
        "/api/v1/capacity-pools/",
    ],
)
def test_lists_take_a_constant_number_of_queries(
    api_as,
    project_leader,
    event,
    offer,
    checkin_list,
    make_registration,
    url,
    django_assert_max_num_queries,
):
    client = api_as(project_leader)
    unlimited = OfferFactory(event=event, name_nb="Fri")

    def grow(n):
        for i in range(n):
            registration = make_registration(f"P{i}", f"Q{i}", offer=unlimited)
            for ticket in registration.tickets.all():
                redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=project_leader)
            CapacityPoolFactory(event=event, name=f"Pool {i}", size=5)
            CheckinListFactory(event=event, name=f"Liste {i}")
            OfferFactory(event=event, name_nb=f"Tilbud {i}")

    grow(2)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    grow(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert Checkin.objects.count() == 20
