"""The demo's study trip follows the 2016 Spain tour's figures."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from orchestra.models import GuestEnsemble, Tour
from orchestra.selectors.tours import budget_of, ratio_of


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


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
    call_command("load_demo", stdout=StringIO())
    assert (tour.participants.count(), tour.costs.count()) == before
