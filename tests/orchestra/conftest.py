"""Fixtures of the orchestra: a season with two groups, children, guardians and logins.

Every test child is synthetic. Ages are counted from 1 January of a year, so that
they hold on any day the suite runs.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from events.models import Programme
from orchestra import services
from orchestra.models import ConsentText, Group, Instrument, StatusChange
from tests.factories import MunicipalityFactory, PeriodFactory, ProgrammeFactory, UserFactory

CHILD_NAME = ("Sunniva", "Strykersen")
OTHER_CHILD_NAME = ("Tobias", "Trompetsen")
TEEN_NAME = ("Maja", "Messingsen")


def born_years_ago(years: int) -> date:
    """Return a birth date that makes a child exactly ``years`` old all this year."""
    return date(timezone.localdate().year - years, 1, 1)


def instrument(name_en: str) -> Instrument:
    return Instrument.objects.get(name_en=name_en)


@pytest.fixture
def season(db):
    today = timezone.localdate()
    programme = ProgrammeFactory(
        slug="ungdomssymfonikerne", name="Ungdomssymfonikerne", kind=Programme.Kind.ORCHESTRA
    )
    return PeriodFactory(
        programme=programme,
        slug="season",
        name="Season",
        start=today - timedelta(days=100),
        end=today + timedelta(days=200),
    )


@pytest.fixture
def youth_group(season):
    return Group.objects.create(
        season=season, name="Ungdomssymfonikerne", slug="usym", min_age=8, max_age=18
    )


@pytest.fixture
def junior_group(season):
    return Group.objects.create(
        season=season, name="Juniorsymfonikerne", slug="junior", min_age=8, max_age=13
    )


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Asker", number="3203", valid_from=None)


def new_member(names, *, age, municipality, groups=(), by=None, **details):
    first_name, last_name = names
    return services.add_member(
        first_name=first_name,
        last_name=last_name,
        birth_date=born_years_ago(age),
        municipality=municipality,
        instruments=[services.PlayedInstrument(instrument("Violin"), True, 3)],
        groups=list(groups),
        status=StatusChange.Status.ACTIVE,
        since=timezone.localdate() - timedelta(days=30),
        by=by,
        **details,
    )


@pytest.fixture
def child(municipality, youth_group, junior_group, guardian):
    """An eleven-year-old violinist in both groups, whose guardian is the `guardian` user."""
    member = new_member(
        CHILD_NAME,
        age=11,
        municipality=municipality,
        groups=[youth_group, junior_group],
        medical_notes="Nut allergy: carries an EpiPen.",
    )
    record = services.add_guardian(
        member=member,
        relation="mother",
        first_name="Gunn",
        last_name="Strykersen",
        email="guardian@example.org",
        phone="+47 900 00 001",
        by=None,
    )
    record.user = guardian
    record.save(update_fields=["user"])
    return member


@pytest.fixture
def other_guardian(db):
    """A guardian login of another child only."""
    return UserFactory(username="other-guardian", roles=[Role.GUARDIAN])


@pytest.fixture
def other_child(municipality, youth_group, other_guardian):
    member = new_member(
        OTHER_CHILD_NAME,
        age=12,
        municipality=municipality,
        groups=[youth_group],
        medical_notes="Asthma.",
    )
    record = services.add_guardian(
        member=member,
        relation="father",
        first_name="Odd",
        last_name="Trompetsen",
        email="other-guardian@example.org",
        by=None,
    )
    record.user = other_guardian
    record.save(update_fields=["user"])
    return member


@pytest.fixture
def teen(municipality, youth_group):
    """A fifteen-year-old member without a login yet."""
    return new_member(TEEN_NAME, age=15, municipality=municipality, groups=[youth_group])


@pytest.fixture
def member_user(teen):
    """The teen's own login."""
    return services.create_member_login(
        member=teen, username="maja", email="maja@example.org", by=None
    )


@pytest.fixture
def photo_text(db):
    text = services.create_consent_text(kind=ConsentText.Kind.PHOTO, text_nb="Foto er lov.")
    return services.publish_consent_text(text=text)


@pytest.fixture
def api(api_as, request):
    """Return an API client logged in as a role fixture named by a string ("anonymous":
    none), for tests parametrized over roles."""

    def as_role(role):
        return api_as(None if role == "anonymous" else request.getfixturevalue(role))

    return as_role
