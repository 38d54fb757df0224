# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Member cards: ticketing's admission rules and check-in listeners (the hooks the cards
use), the card's QR code, and two scanners racing on one card (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import zxingcpp
from django.db import connection, reset_queries
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.roles import Role
from events.models import Event
from orchestra import services as member_services
from orchestra.models import Attendance, SessionPlan, StatusChange
from orchestra.services import attendance as services
from tests.factories import EventFactory, MunicipalityFactory, PeriodFactory, UserFactory
from tests.orchestra.conftest import born_years_ago
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    make_weekend,
    other_tutor,
    today,
    trumpeter,
)
from ticketing import selectors as ticketing_selectors
from ticketing import services as ticketing_services
from ticketing.models import Checkin, CheckinList, Offer
from ticketing.services import TicketRequest, annul_checkin, redeem_ticket, register

# The hooks ----------------------------------------------------------------------------------


@pytest.fixture
def door(db):
    event = EventFactory()
    other = EventFactory()
    offer = Offer.objects.create(event=other, name_nb="Annet arrangement")
    ticket = register(
        event=other,
        tickets=[TicketRequest(offer=offer, attendee_name="Gjest")],
        name="G",
        email="g@example.org",
    ).tickets.get()
    return CheckinList.objects.create(event=event, name="Dør"), ticket


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


def test_the_card_pages_queries_do_not_grow_with_the_members(
    client, project_leader, today, municipality, youth_group, django_assert_max_num_queries
):
    from tests.orchestra.conftest import new_member

    client.force_login(project_leader)
    url = reverse("orchestra:member_cards")
    client.get(url)  # issues the cards
    reset_queries()  # each request resets the log: count from an empty one
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    for number in range(5):
        new_member(
            ("Ny", f"Spiller{number}"), age=12, municipality=municipality, groups=[youth_group]
        )
    client.get(url)
    with django_assert_max_num_queries(baseline):
        assert "Spiller4" in client.get(url).content.decode()


# Two scanners at once (PostgreSQL) ----------------------------------------------------------


def run_together(count: int, work):
    barrier = threading.Barrier(count)

    def task(i):
        try:
            barrier.wait(timeout=30)
            return work(i)
        except Exception as exc:  # noqa: BLE001 -- returned to the test to inspect
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(task, range(count)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_scanners_scanning_one_card_at_once_record_one_attendance(round_):
    from events.models import Programme

    programme = PeriodFactory.build().programme
    programme.kind = Programme.Kind.ORCHESTRA
    programme.save()
    today = timezone.localdate()
    season = PeriodFactory(
        programme=programme, start=today - timedelta(days=30), end=today + timedelta(days=200)
    )
    from orchestra.models import Group, Instrument

    # The flush of a transactional test removed the instruments the migrations made.
    violin, _created = Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings"}
    )
    group = Group.objects.create(season=season, name="Tutti", slug="tutti", min_age=8, max_age=18)
    member = member_services.add_member(
        first_name="Sara",
        last_name="Samtidig",
        birth_date=born_years_ago(12),
        municipality=MunicipalityFactory(),
        instruments=[member_services.PlayedInstrument(violin, True, 3)],
        groups=[group],
        status=StatusChange.Status.ACTIVE,
        since=today - timedelta(days=10),
    )
    start = timezone.now() - timedelta(minutes=5)
    session = EventFactory(
        period=season,
        kind=Event.Kind.SESSION,
        venue=None,
        start=start,
        end=start + timedelta(hours=2),
    )
    tutors = [UserFactory(roles=[Role.TUTOR]), UserFactory(roles=[Role.TUTOR])]
    plan = SessionPlan.objects.create(event=session)
    plan.groups.set([group])
    plan.tutors.set(tutors)
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
