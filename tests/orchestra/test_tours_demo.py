"""The demo's study trip follows the 2016 Spain tour's figures."""

from collections import Counter
from decimal import Decimal

import pytest

from orchestra.models import GuestEnsemble, Tour
from orchestra.selectors.tours import budget_of, ratio_of
from tests.demo import demo_loaded, load_demo


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo-media"), "--quiet"):
        yield


@pytest.fixture
def demo(_demo_data, db, settings):
    """The demo data, loaded once for the module; a test may run the loader again."""
    settings.DEBUG = True


def test_demo_tour_follows_the_2016_figures(demo):
    tour = Tour.objects.select_related("event").get()
    roles = Counter(tour.participants.values_list("role", flat=True))
    assert roles["conductor"] == 1
    assert roles["teacher"] == 3
    assert roles["tour_leader"] == 3
    assert roles["companion"] == 15
    assert 40 <= roles["player"] <= 50
    assert tour.time_zone == "Europe/Madrid"
    assert tour.event.children.filter(title_en__startswith="Concert").count() == 2
    assert GuestEnsemble.objects.filter(event=tour.event).exists()
    assert budget_of(tour).overrun == Decimal("105251")
    assert not ratio_of(tour).warning


def test_demo_tour_is_made_once(demo):
    tour = Tour.objects.get()
    before = tour.participants.count(), tour.costs.count()
    load_demo()
    assert (tour.participants.count(), tour.costs.count()) == before


def test_demo_tour_leader_logs_in_and_reaches_the_tour(client, demo):
    from django.urls import reverse
    from django.utils import timezone

    tour = Tour.objects.select_related("event").get()
    assert client.login(username="turleder", password="demo")
    page = client.get(reverse("orchestra:tours")).content.decode()
    assert tour.destination in page
    # The demo's tour leaves within a week, whatever the day: the leaders' window is open.
    assert tour.leader_window_open_on(timezone.localdate())
    participants = reverse("orchestra:tour_participants", args=[tour.pk])
    assert participants in page
    assert client.get(participants).status_code == 200
    # Not staff: the staff tour page stays closed.
    assert client.get(reverse("orchestra:tour", args=[tour.pk])).status_code == 404


def test_demo_member_login_sees_their_own_calendar(client, demo):
    from django.urls import reverse
    from django.utils import timezone

    from orchestra.models import Member

    member = Member.objects.get(user__username="medlem")
    assert member.may_have_own_login_on(timezone.localdate())
    assert client.login(username="medlem", password="demo")
    assert client.get(reverse("orchestra:my_calendar")).status_code == 200
    assert client.get(reverse("orchestra:my_master_classes")).status_code == 200


def test_demo_master_classes_and_concerts(demo):
    from events.models import Event
    from orchestra.models import Group, MasterClassSignUp
    from orchestra.selectors.masterclasses import (
        orchestra_concerts,
        planned_concerts,
        with_places,
    )

    classes = with_places(Event.objects.filter(kind=Event.Kind.MASTER_CLASS).order_by("start"))
    assert [c.capacity for c in classes] == [12, 10]
    assert all(c.plan is not None and c.plan.tutors.exists() for c in classes)
    strings, everyone = classes
    assert strings.places_left == 0 and strings.waiting == 2
    assert MasterClassSignUp.objects.filter(event=strings.event).count() == 14
    assert everyone.places_left == 6 and everyone.waiting == 0
    junior = Group.objects.get(slug="juniorsymfonikerne")
    concerts = planned_concerts(orchestra_concerts().order_by("start"))
    assert len(concerts) >= 3
    assert all(junior in concert.groups for concert in concerts)
    spring = next(c for c in concerts if c.event.uid == "demo-uso-2026-2027-konsert-var@kulturvest")
    assert [(offer.price, left) for offer, left in spring.offers] == [(150, 120), (0, 120)]


def test_demo_master_classes_are_made_once(demo):
    from orchestra.models import MasterClassSignUp
    from ticketing.models import Offer

    before = MasterClassSignUp.objects.count(), Offer.objects.count()
    load_demo()
    assert (MasterClassSignUp.objects.count(), Offer.objects.count()) == before
