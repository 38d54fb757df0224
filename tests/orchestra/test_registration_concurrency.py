"""Races on PostgreSQL, each thread on its own connection: two staff members deciding the
same registration, and two siblings registered at once with the same new guardian."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Programme
from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.models import ConsentText, Guardian, Instrument, Member, StatusChange
from orchestra.selectors import latest_status_of
from orchestra.services.registration import (
    GuardianDetails,
    approve_registration,
    decline_registration,
    register_child,
)
from tests.concurrency import run_together
from tests.factories import MunicipalityFactory, PeriodFactory, ProgrammeFactory
from tests.orchestra.factories import GroupFactory, birth_date_at_start

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup():
    """Everything made here: a flushed database has no migrated instruments."""
    today = timezone.localdate()
    programme = ProgrammeFactory(slug="usym", name="Usym", kind=Programme.Kind.ORCHESTRA)
    season = PeriodFactory(
        programme=programme,
        slug="s",
        name="Sesong",
        start=today - timedelta(days=10),
        end=today + timedelta(days=300),
    )
    group = GroupFactory(season=season, name="Usym", slug="u", min_age=8, max_age=18)
    instrument, _created = Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings"}
    )
    text = services.publish_consent_text(
        text=services.create_consent_text(kind=ConsentText.Kind.MEMBERSHIP, text_nb="Ja.")
    )
    municipality = MunicipalityFactory(name="Asker", number="3203", valid_from=None)

    def register(first_name, email="felles@example.org"):
        return register_child(
            season=season,
            first_name=first_name,
            last_name="Søskensen",
            birth_date=birth_date_at_start(season, 12),
            municipality=municipality,
            instruments=[services.PlayedInstrument(instrument)],
            guardians=[GuardianDetails("Forelder", "Søskensen", email, "mother", "1")],
            consents=[text],
            by=None,
        )

    return group, register


def test_two_staff_members_deciding_at_once_one_wins(setup):
    group, register = setup
    member = register("Anna").member

    def decide(i):
        fresh = Member.objects.get(pk=member.pk)
        if i == 0:
            return approve_registration(member=fresh, groups=[group], by=None)
        return decline_registration(member=fresh, by=None)

    results = run_together(2, decide)
    refused = [r for r in results if isinstance(r, OrchestraError)]
    assert len(refused) == 1, results
    status = latest_status_of(member).status
    assert status in (StatusChange.Status.ACTIVE, StatusChange.Status.LEFT)
    assert member.memberships.exists() == (status == StatusChange.Status.ACTIVE)
    assert member.status_changes.count() == 2


@pytest.mark.parametrize("round_", range(3))
def test_siblings_registered_at_once_share_one_new_guardian(setup, round_):
    _group, register = setup
    results = run_together(2, lambda i: register(["Anna", "Bjørn"][i]))
    assert not [r for r in results if isinstance(r, Exception)], results
    guardian = Guardian.objects.get()
    assert guardian.guardianships.count() == 2
    assert Member.objects.count() == 2
