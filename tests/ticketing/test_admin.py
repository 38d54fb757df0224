"""The ticketing admin: every page opens for project leaders, actions call the services."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import EventFactory
from tests.ticketing.factories import OfferFactory
from ticketing.models import CheckinList, Registration
from ticketing.services import TicketRequest, redeem_ticket, register

pytestmark = pytest.mark.django_db

MODELS = ["capacitypool", "offer", "registration", "ticket", "checkinlist", "checkin"]


@pytest.fixture
def data(event, offer, checkin_list, make_registration, admin_user):
    registrations = [make_registration(f"P{n}", f"Q{n}") for n in range(3)]
    for registration in registrations:
        for ticket in registration.tickets.all():
            redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user)
    return registrations


@pytest.mark.parametrize("model", MODELS)
def test_project_leader_opens_every_changelist_and_change_page(
    client, project_leader, data, model, django_assert_max_num_queries
):
    from django.apps import apps

    client.force_login(project_leader)
    with django_assert_max_num_queries(25):
        response = client.get(reverse(f"admin:ticketing_{model}_changelist"))
    assert response.status_code == 200
    instance = apps.get_model("ticketing", model).objects.first()
    change = client.get(reverse(f"admin:ticketing_{model}_change", args=[instance.pk]))
    assert change.status_code == 200


@pytest.mark.parametrize("role", ["venue_host", "juror", "artist", "guardian", "tutor", "nobody"])
def test_other_roles_do_not_reach_the_ticketing_admin(request, client, role, data):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:ticketing_registration_changelist"))
    assert response.status_code == 302


def test_registrations_are_made_by_the_service_not_the_admin(client, project_leader):
    client.force_login(project_leader)
    assert client.get(reverse("admin:ticketing_registration_add")).status_code == 403


def test_admin_actions_approve_mark_paid_and_cancel(client, project_leader, event, pool):
    offer = OfferFactory(
        event=event, name_nb="Kurs", pool=pool, price=Decimal("300"), requires_approval=True
    )
    registration = register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name="A")],
        name="A",
        email="a@example.org",
        by=None,
    )
    client.force_login(project_leader)
    url = reverse("admin:ticketing_registration_changelist")
    for action in ("approve", "mark_paid"):
        client.post(url, {"action": action, "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED
    assert registration.payment_state == Registration.Payment.PAID
    assert registration.payments.get().recorded_by == project_leader

    # An action that does not apply says why, and changes nothing.
    response = client.post(
        url, {"action": "approve", "_selected_action": [registration.pk]}, follow=True
    )
    assert registration.code in response.content.decode()
    client.post(url, {"action": "cancel", "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.state == Registration.State.CANCELLED


def test_admin_refuses_a_list_with_an_offer_of_another_event(client, project_leader, event, offer):
    foreign = OfferFactory(event=EventFactory(), name_nb="Annen")
    client.force_login(project_leader)
    form = {
        "event": event.pk,
        "name": "VIP",
        "all_offers": "",
        "allow_entry_after_exit": "on",
        "offers": [offer.pk, foreign.pk],
    }

    response = client.post(reverse("admin:ticketing_checkinlist_add"), form)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["offers"]
    assert f"Annen (#{foreign.pk})" in errors["offers"][0]
    assert not CheckinList.objects.exists()

    form["offers"] = [offer.pk]
    saved = client.post(reverse("admin:ticketing_checkinlist_add"), form)
    assert saved.status_code == 302
    assert list(CheckinList.objects.get(name="VIP").offers.all()) == [offer]


def test_admin_refuses_moving_a_list_without_its_offers(
    client, project_leader, event, offer, checkin_list
):
    checkin_list.offers.add(offer)
    client.force_login(project_leader)
    other_event = EventFactory()

    response = client.post(
        reverse("admin:ticketing_checkinlist_change", args=[checkin_list.pk]),
        {"event": other_event.pk, "name": checkin_list.name, "offers": [offer.pk]},
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["offers"]
    checkin_list.refresh_from_db()
    assert checkin_list.event == event
