"""Fixtures and helpers for the registration and the guardian's pages.

Import the fixtures into a test module with ``from tests.orchestra.registration_fixtures
import *`` (pytest finds them by name). Every child is synthetic.
"""

from datetime import date

import pytest

from orchestra import services
from orchestra.models import ConsentText, Instrument
from tests.factories import MunicipalityFactory

__all__ = [
    "NEW_CHILD",
    "ROLES",
    "STAFF",
    "birth_date_at_start",
    "form_data",
    "membership_text",
    "merged_municipality",
    "registered_child",
    "registration_open",
]

NEW_CHILD = ("Fiolina", "Bueføring")

STAFF = ("admin_user", "project_leader")
ROLES = (
    "anonymous",
    "nobody",
    "artist",
    "juror",
    "venue_host",
    "tutor",
    "guardian",
    "other_guardian",
    "member_user",
    *STAFF,
)


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


def birth_date_at_start(season, age: int) -> date:
    """Return a birth date that makes a child ``age`` on the season's first day."""
    start = season.start
    if (start.month, start.day) == (2, 29):
        return date(start.year - age, 2, 28)
    return date(start.year - age, start.month, start.day)


def form_data(season, municipality, *, age=11, trial=False, **overrides) -> dict:
    """Return a complete, valid POST of the registration form."""
    violin = Instrument.objects.get(name_en="Violin")
    viola = Instrument.objects.get(name_en="Viola")
    data = {
        "season": season.pk,
        "trial": "1" if trial else "0",
        "first_name": NEW_CHILD[0],
        "last_name": NEW_CHILD[1],
        "birth_date": birth_date_at_start(season, age).isoformat(),
        "municipality": municipality.pk,
        "main_instrument": violin.pk,
        "years_played": 3,
        "other_instruments": [viola.pk],
        "origin": "music_school",
        "origin_name": "Asker kulturskole",
        "guardian1-first_name": "Frida",
        "guardian1-last_name": "Bueføring",
        "guardian1-email": "Frida@Example.org",
        "guardian1-phone": "+47 900 11 111",
        "guardian1-relation": "mother",
        "guardian2-first_name": "",
        "guardian2-last_name": "",
        "guardian2-email": "",
        "guardian2-phone": "",
        "guardian2-relation": "father",
        "consent_membership": "on",
        "consent_photo": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def registered_child(
    season,
    municipality,
    *,
    names=NEW_CHILD,
    age=11,
    trial=False,
    email="frida@example.org",
):
    """Register a child through the real service, as the public form does."""
    from orchestra.selectors import current_consent_text
    from orchestra.services.registration import GuardianDetails, register_child

    return register_child(
        season=season,
        first_name=names[0],
        last_name=names[1],
        birth_date=birth_date_at_start(season, age),
        municipality=municipality,
        instruments=[services.PlayedInstrument(Instrument.objects.get(name_en="Cello"), True, 2)],
        guardians=[GuardianDetails("Frida", names[1], email, "mother", "+47 900 11 111")],
        consents=[current_consent_text(ConsentText.Kind.MEMBERSHIP)],
        trial=trial,
        by=None,
    ).member
