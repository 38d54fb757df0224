"""Many guardians sign their children up for the last places of a master class at once,
on PostgreSQL with real threads: the class is never over capacity, and the others wait."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from core.roles import Role
from orchestra.exceptions import OrchestraError
from orchestra.models import Instrument
from orchestra.services import masterclasses as services
from tests.factories import UserFactory
from tests.orchestra.factories import add_guardian_with_login, new_member
from ticketing.models import Registration, Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FAMILIES = 12
PLACES = 3


@pytest.fixture
def violin(db):
    # A transactional test flushes the instruments a migration loaded.
    return Instrument.objects.get_or_create(
        name_en="Violin", defaults={"name_nb": "Fiolin", "section": "strings"}
    )[0]


@pytest.fixture
def families(violin, municipality, youth_group):
    pairs = []
    for n in range(FAMILIES):
        child = new_member(
            ("Barn", f"Nummer{n}"), age=10 + n % 5, municipality=municipality, groups=[youth_group]
        )
        user = UserFactory(username=f"forelder{n}", roles=[Role.GUARDIAN])
        add_guardian_with_login(
            child,
            user,
            first_name="Forelder",
            last_name=f"Nummer{n}",
            email=f"forelder{n}@example.org",
        )
        pairs.append((child, user))
    return pairs


def test_never_over_capacity(families, season, youth_group, project_leader):
    start = timezone.now() + timedelta(days=10)
    event = services.create_master_class(
        season=season,
        title_nb="Mesterklasse",
        start=start,
        end=start + timedelta(hours=2),
        capacity=PLACES,
        groups=[youth_group],
        by=project_leader,
    )
    barrier = threading.Barrier(FAMILIES)
    outcomes: list[str] = []
    lock = threading.Lock()

    def sign_up(child, user):
        try:
            barrier.wait()
            try:
                signed = services.sign_up(event=event, member=child, by=user)
                outcome = "waitlisted" if signed.waitlisted else "confirmed"
            except OrchestraError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=pair) for pair in families]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert len(outcomes) == FAMILIES
    assert outcomes.count("confirmed") == PLACES
    assert outcomes.count("waitlisted") == FAMILIES - PLACES
    holding = Ticket.objects.filter(
        offer__event=event,
        cancelled_at__isnull=True,
        registration__state=Registration.State.CONFIRMED,
    ).count()
    assert holding == PLACES


def test_two_guardians_of_one_child_sign_up_once(families, season, youth_group, project_leader):
    start = timezone.now() + timedelta(days=10)
    event = services.create_master_class(
        season=season,
        title_nb="Mesterklasse",
        start=start,
        end=start + timedelta(hours=2),
        capacity=PLACES,
        groups=[youth_group],
        by=project_leader,
    )
    child, first = families[0]
    second = UserFactory(username="forelder-to", roles=[Role.GUARDIAN])
    add_guardian_with_login(
        child,
        second,
        relation="father",
        first_name="To",
        last_name="Nummer0",
        email="to@example.org",
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign_up(user):
        try:
            barrier.wait()
            try:
                services.sign_up(event=event, member=child, by=user)
                outcomes.append("ok")
            except OrchestraError:
                outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Registration.objects.filter(event=event).count() == 1
