"""Fixtures of the orchestra: a season with two groups, children, guardians and logins,
and the consent texts a registration needs. Every test child is synthetic; the helpers
that make them are in factories.py."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from events.models import Programme
from orchestra import services
from orchestra.models import ConsentText
from tests.factories import MunicipalityFactory, PeriodFactory, ProgrammeFactory, UserFactory
from tests.orchestra.factories import (  # noqa: F401 -- tests/e2e imports these from here
    CHILD_NAME,
    OTHER_CHILD_NAME,
    TEEN_NAME,
    GroupFactory,
    add_guardian_with_login,
    born_years_ago,
    instrument,
    new_member,
)


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
    return GroupFactory(
        season=season, name="Ungdomssymfonikerne", slug="usym", min_age=8, max_age=18
    )


@pytest.fixture
def junior_group(season):
    return GroupFactory(
        season=season, name="Juniorsymfonikerne", slug="junior", min_age=8, max_age=13
    )


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Asker", number="3203", valid_from=None)


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
    add_guardian_with_login(
        member,
        guardian,
        first_name="Gunn",
        last_name="Strykersen",
        email="guardian@example.org",
        phone="+47 900 00 001",
    )
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
    add_guardian_with_login(
        member,
        other_guardian,
        relation="father",
        first_name="Odd",
        last_name="Trompetsen",
        email="other-guardian@example.org",
    )
    return member


@pytest.fixture
def teen(municipality, youth_group):
    """A fifteen-year-old member without a login yet."""
    return new_member(TEEN_NAME, age=15, municipality=municipality, groups=[youth_group])


@pytest.fixture
def two_children(child, teen, guardian):
    """The guardian answers for the teen too: two sections on the page."""
    add_guardian_with_login(
        teen,
        guardian,
        first_name="Gunn",
        last_name="Strykersen",
        email="guardian@example.org",
    )
    return child, teen


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


# Registration -----------------------------------------------------------------------------


@pytest.fixture
def membership_text(db):
    text = services.create_consent_text(
        kind=ConsentText.Kind.MEMBERSHIP,
        text_nb="Vi lagrer opplysningene om barnet.",
        text_en="We store the child's details.",
    )
    return services.publish_consent_text(text=text)


@pytest.fixture
def registration_open(season, youth_group, junior_group, municipality, membership_text, photo_text):
    """A season with both groups and the current consent texts."""
    return season


@pytest.fixture
def merged_municipality(db):
    """A municipality merged away in 2020: not on today's map."""
    return MunicipalityFactory(
        name="Røyken", number="0627", valid_from=None, valid_to=date(2019, 12, 31)
    )
