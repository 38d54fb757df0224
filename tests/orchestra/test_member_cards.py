# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Member cards: ticketing's admission rules and check-in listeners (the hooks the cards
use), the card's QR code, issuing the missing cards (a POST, never a page shown), and two
scanners racing on one card and two requests issuing the same cards at once (PostgreSQL)."""

from datetime import timedelta

import pytest
import zxingcpp
from django.db import reset_queries
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.roles import Role
from events.models import Event
from orchestra import services as member_services
from orchestra.models import Attendance, MemberCard, StatusChange
from orchestra.services import attendance as services
from tests.concurrency import run_together
from tests.factories import EventFactory, MunicipalityFactory, PeriodFactory, UserFactory
from tests.orchestra.factories import GroupFactory, SessionPlanFactory, born_years_ago
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    make_weekend,
    other_tutor,
    today,
    trumpeter,
)
from tests.ticketing.factories import CheckinListFactory, OfferFactory
from ticketing import selectors as ticketing_selectors
from ticketing import services as ticketing_services
from ticketing.models import Checkin, Ticket
from ticketing.services import TicketRequest, annul_checkin, redeem_ticket, register

# The hooks ----------------------------------------------------------------------------------


@pytest.fixture
def door(db):
    event = EventFactory()
    other = EventFactory()
    offer = OfferFactory(event=other, name_nb="Annet arrangement")
    ticket = register(
        event=other,
        tickets=[TicketRequest(offer=offer, attendee_name="Gjest")],
        name="G",
        email="g@example.org",
        by=None,
    ).tickets.get()
    return CheckinListFactory(event=event, name="Dør"), ticket


def test_an_admission_rule_admits_what_the_list_does_not(door, admin_user, monkeypatch):
    checkin_list, ticket = door
    monkeypatch.setattr(ticketing_selectors, "_admission_rules", [])
    answer = redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user)
    assert answer.answer["reason"] == "wrong_list"
    asked = []

    def rule(checkin_list, ticket):
        asked.append(ticket.pk)
        return True

    ticketing_selectors.register_admission_rule(rule)
    ticketing_selectors.register_admission_rule(rule)  # once only
    answer = redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user)
    assert answer.answer["status"] == "ok"
    assert asked == [ticket.pk]


def test_a_checkin_listener_hears_accepted_and_annulled_scans_only(door, admin_user, monkeypatch):
    checkin_list, ticket = door
    monkeypatch.setattr(ticketing_selectors, "_admission_rules", [lambda lst, t: True])
    monkeypatch.setattr(ticketing_services, "_checkin_listeners", [])
    heard = []
    ticketing_services.register_checkin_listener(
        lambda checkin: heard.append((checkin.pk, checkin.counts))
    )
    first = redeem_ticket(
        secret=ticket.secret, checkin_list=checkin_list, user=admin_user, nonce="a"
    )
    redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user, nonce="a")
    redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user, nonce="b")
    redeem_ticket(secret="NOSUCHCODE", checkin_list=checkin_list, user=admin_user)
    checkin_id = first.answer["checkin"]["id"]
    assert heard == [(checkin_id, True)]
    annul_checkin(checkin_list=checkin_list, nonce="a", user=admin_user)
    assert heard == [(checkin_id, True), (checkin_id, False)]


def test_a_failing_listener_undoes_the_scan(door, admin_user, monkeypatch):
    checkin_list, ticket = door
    monkeypatch.setattr(ticketing_selectors, "_admission_rules", [lambda lst, t: True])

    def broken(checkin):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ticketing_services, "_checkin_listeners", [broken])
    with pytest.raises(RuntimeError):
        redeem_ticket(secret=ticket.secret, checkin_list=checkin_list, user=admin_user)
    assert not Checkin.objects.exists()


# The card -----------------------------------------------------------------------------------


def test_the_printed_card_holds_the_tickets_secret(client, guardian, today, child, tmp_path):
    client.force_login(guardian)
    page = client.get(reverse("orchestra:member_cards")).content.decode()
    assert not child.cards.exists()
    assert reverse("orchestra:member_cards_issue") in page  # the button
    issued = client.post(reverse("orchestra:member_cards_issue"))
    assert issued.status_code == 302
    page = client.get(issued.url).content.decode()
    assert reverse("orchestra:member_cards_issue") not in page  # nothing left to issue
    card = child.cards.get()
    qr_url = reverse("ticketing:ticket_qr_png", args=[card.ticket.secret])
    png = client.get(qr_url).content
    path = tmp_path / "card.png"
    path.write_bytes(png)
    decoded = zxingcpp.read_barcodes(Image.open(path))
    assert [code.text for code in decoded] == [card.ticket.secret]
    assert card.ticket.display_code in page
    assert child.first_name not in qr_url


def test_staff_print_one_members_card(client, project_leader, today, child, other_child):
    client.force_login(project_leader)
    page = client.get(reverse("orchestra:member_cards"), {"member": child.pk}).content.decode()
    assert child.first_name in page and other_child.first_name not in page
    issued = client.post(reverse("orchestra:member_cards_issue"), {"member": child.pk})
    assert f"member={child.pk}" in issued.url
    assert list(MemberCard.objects.values_list("member", flat=True)) == [child.pk]
    page = client.get(issued.url).content.decode()
    assert child.cards.get().ticket.display_code in page


def test_issuing_twice_issues_each_card_once(client, project_leader, today, child):
    client.force_login(project_leader)
    url = reverse("orchestra:member_cards_issue")
    client.post(url)
    cards = dict(MemberCard.objects.values_list("member", "ticket"))
    assert child.pk in cards
    client.post(url)
    assert dict(MemberCard.objects.values_list("member", "ticket")) == cards


def test_issuing_needs_a_post(client, project_leader, tutor, today):
    _weekend, plans = today
    client.force_login(project_leader)
    assert client.get(reverse("orchestra:member_cards_issue")).status_code == 405
    client.force_login(tutor)
    sheet_issue = reverse("orchestra:session_sheet_issue", args=[plans["tutti"].event_id])
    assert client.get(sheet_issue).status_code == 405
    assert not MemberCard.objects.exists()


def test_the_card_pages_queries_do_not_grow_with_the_members(
    client, project_leader, today, municipality, youth_group, django_assert_max_num_queries
):
    from tests.orchestra.factories import new_member

    client.force_login(project_leader)
    url = reverse("orchestra:member_cards")
    client.post(reverse("orchestra:member_cards_issue"))
    reset_queries()  # each request resets the log: count from an empty one
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    for number in range(5):
        new_member(
            ("Ny", f"Spiller{number}"), age=12, municipality=municipality, groups=[youth_group]
        )
    with django_assert_max_num_queries(baseline):
        assert "Spiller4" in client.get(url).content.decode()  # without cards yet
    client.post(reverse("orchestra:member_cards_issue"))
    with django_assert_max_num_queries(baseline):
        page = client.get(url).content.decode()
    assert MemberCard.objects.get(member__last_name="Spiller4").ticket.display_code in page


# Two scanners at once (PostgreSQL) ----------------------------------------------------------


def _session_now(names):
    """Make (outside the test database's transaction) a season, a group with the members
    named, and a session that began five minutes ago led by two tutors: return the
    members, the plan and the tutors."""
    from events.models import Programme
    from orchestra.models import Instrument

    programme = PeriodFactory.build().programme
    programme.kind = Programme.Kind.ORCHESTRA
    programme.save()
    today = timezone.localdate()
    season = PeriodFactory(
        programme=programme, start=today - timedelta(days=30), end=today + timedelta(days=200)
    )
    # The flush of a transactional test removed the instruments the migrations made.
    violin, _created = Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings"}
    )
    group = GroupFactory(season=season, name="Tutti", slug="tutti", min_age=8, max_age=18)
    municipality = MunicipalityFactory()
    members = [
        member_services.add_member(
            first_name=first_name,
            last_name=last_name,
            birth_date=born_years_ago(12),
            municipality=municipality,
            instruments=[member_services.PlayedInstrument(violin, True, 3)],
            groups=[group],
            status=StatusChange.Status.ACTIVE,
            since=today - timedelta(days=10),
            by=None,
        )
        for first_name, last_name in names
    ]
    start = timezone.now() - timedelta(minutes=5)
    session = EventFactory(
        period=season,
        kind=Event.Kind.SESSION,
        venue=None,
        start=start,
        end=start + timedelta(hours=2),
    )
    tutors = [UserFactory(roles=[Role.TUTOR]), UserFactory(roles=[Role.TUTOR])]
    plan = SessionPlanFactory(event=session)
    plan.groups.set([group])
    plan.tutors.set(tutors)
    return members, plan, tutors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_scanners_scanning_one_card_at_once_record_one_attendance(round_):
    [member], plan, tutors = _session_now([("Sara", "Samtidig")])
    session, season = plan.event, plan.event.period
    checkin_list = services.session_checkin_list(plan)
    card = services.issue_member_card(member=member, season=season)

    def scan(i):
        return redeem_ticket(
            secret=card.ticket.secret,
            checkin_list=checkin_list,
            user=tutors[i],
            nonce=f"scan-{round_}-{i}",
        )

    results = run_together(2, scan)
    assert not [r for r in results if isinstance(r, Exception)], results
    outcomes = sorted((r.answer["status"], r.answer["reason"] or "") for r in results)
    assert outcomes == [("error", "already_redeemed"), ("ok", "")]
    rows = list(Attendance.objects.filter(member=member, session=session))
    assert len(rows) == 1
    assert rows[0].status == Attendance.Status.PRESENT
    accepted = Checkin.objects.get(successful=True)
    assert rows[0].checkin_id == accepted.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_leaders_issuing_the_missing_cards_at_once_issue_each_card_once(round_):
    members, plan, tutors = _session_now(
        [("Sara", "Samtidig"), ("Siri", "Samtidig"), ("Sander", "Samtidig")]
    )
    # One member has a card already: neither request may issue it again.
    first = services.issue_member_card(member=members[0], season=plan.event.period)
    url = reverse("orchestra:session_sheet_issue", args=[plan.event_id])
    clients = [Client(), Client()]
    for client, tutor in zip(clients, tutors, strict=True):
        client.force_login(tutor)

    results = run_together(2, lambda i: clients[i].post(url))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [r.status_code for r in results] == [302, 302]
    cards = list(MemberCard.objects.filter(season=plan.event.period))
    assert sorted(card.member_id for card in cards) == sorted(m.pk for m in members)
    assert MemberCard.objects.get(member=members[0]).ticket_id == first.ticket_id
    # No ticket was made for a card that was then not kept.
    card_event = services.card_event_uid(plan.event.period)
    assert Ticket.objects.filter(offer__event__uid=card_event).count() == 3
