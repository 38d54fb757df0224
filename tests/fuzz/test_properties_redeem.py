"""Codes that are not a ticket's are refused with a clear answer, and redeem nothing.

The scanner's input (POST /api/v1/checkin/redeem/) gets arbitrary strings and a real
ticket's code truncated, altered or lengthened; the "manage my registration" link gets
forged, truncated and altered signed tokens.
"""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from ticketing.models import (
    SECRET_ALPHABET,
    Checkin,
    CheckinList,
    Registration,
    Ticket,
    normalize_code,
)

from .strategies import PROPERTY_SETTINGS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@st.composite
def altered(draw, code: str) -> str:
    """Return the code truncated, with characters changed, inserted or appended."""
    change = draw(st.sampled_from(["truncate", "replace", "insert", "append", "prefix"]))
    if change == "truncate":
        return code[: draw(st.integers(min_value=0, max_value=len(code) - 1))]
    position = draw(st.integers(min_value=0, max_value=len(code) - 1))
    character = draw(st.sampled_from(SECRET_ALPHABET) | st.characters(blacklist_categories=("Cs",)))
    if change == "replace":
        return code[:position] + character + code[position + 1 :]
    if change == "insert":
        return code[:position] + character + code[position:]
    if change == "append":
        return code + draw(any_text.filter(bool))
    return draw(any_text.filter(bool)) + code


@pytest.fixture
def door():
    """Return a ticket of the demo, a check-in list of its event and a staff scanner."""
    ticket = (
        Ticket.objects.filter(registration__state=Registration.State.CONFIRMED)
        .select_related("offer__event")
        .order_by("pk")
        .first()
    )
    checkin_list = CheckinList.objects.filter(event=ticket.offer.event).order_by("pk").first()
    scanner = APIClient()
    scanner.force_authenticate(get_user_model().objects.get(username="sekretariat"))
    return ticket, checkin_list, scanner


def test_the_real_code_typed_loosely_is_redeemed(door):
    """The control: the same door takes the ticket's own code, as people type it."""
    ticket, checkin_list, scanner = door
    typed = "-".join(ticket.secret[i : i + 4] for i in range(0, len(ticket.secret), 4)).lower()

    response = scanner.post(
        "/api/v1/checkin/redeem/", {"secret": f" {typed} ", "list": checkin_list.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["ticket"]["id"] == ticket.pk


@settings(PROPERTY_SETTINGS)
@given(data=st.data())
def test_a_code_that_is_no_ticket_is_refused_and_redeems_nothing(door, data):
    ticket, checkin_list, scanner = door
    code = data.draw(any_text | altered(ticket.secret), label="code")
    # Spaces, dashes and lower case are the same code, typed differently.
    assume(normalize_code(code) != ticket.secret)
    cache.clear()  # the scans per minute of the throttle
    redeemed = Checkin.objects.filter(successful=True).count()

    response = scanner.post(
        "/api/v1/checkin/redeem/",
        {"secret": code, "list": checkin_list.pk, "nonce": ""},
        format="json",
    )

    assert response.status_code in (400, 404), response.content
    body = response.json()
    if response.status_code == 404:
        assert body["status"] == "error"
        assert body["reason"] == Checkin.Reason.INVALID
        assert body["ticket"] is None
    else:
        assert "secret" in body
    assert Checkin.objects.filter(successful=True).count() == redeemed


@settings(PROPERTY_SETTINGS)
@given(data=st.data())
def test_a_forged_or_altered_manage_link_is_not_found(client, data):
    registration = Registration.objects.order_by("pk").first()
    token = registration.manage_token()
    forged = data.draw(any_text | altered(token), label="token")
    assume(forged != token and "/" not in forged and forged.strip())

    response = client.get(f"/registrations/{quote(forged, safe='')}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
