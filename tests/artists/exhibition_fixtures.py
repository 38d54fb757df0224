"""Fixtures for exhibitions, works and open studios: the 2016 edition with two weekends."""

from datetime import datetime
from decimal import Decimal

import pytest

from artists.models import Exhibition
from artists.services import studios as studio_services
from events.models import Event
from tests.artists.factories import art_round_call, decide, municipality, new_artist
from tests.factories import OSLO, EventFactory, VenueFactory


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.fixture
def edition_call(db):
    return art_round_call("2016")


@pytest.fixture
def edition(edition_call):
    return edition_call.period


@pytest.fixture
def refused_artist(db):
    """An artist whose application was rejected."""
    return new_artist("Rolf Avslag", username="avslag")


@pytest.fixture
def accepted(edition_call, artist_profile, other_artist, refused_artist, project_leader):
    """Accept ``artist_profile`` and ``other_artist``, reject ``refused_artist``, and release."""
    decide(
        edition_call,
        {artist_profile: "accepted", other_artist: "accepted", refused_artist: "rejected"},
        by=project_leader,
    )
    return [artist_profile, other_artist]


@pytest.fixture
def weekends(edition):
    """The two open-studio weekends of 2016: 17–18 and 24–25 September."""
    return [
        EventFactory(
            period=edition,
            kind=Event.Kind.OPEN_STUDIO_WEEKEND,
            title_nb=f"Åpne atelierer {day}.–{day + 1}. september",
            venue=None,
            start=oslo(2016, 9, day, 11),
            end=oslo(2016, 9, day + 1, 17),
        )
        for day in (17, 24)
    ]


@pytest.fixture
def joint_exhibition(edition):
    event = EventFactory(
        period=edition,
        kind=Event.Kind.EXHIBITION,
        title_nb="Fellesutstilling på Lien",
        venue=VenueFactory(name="Lien", municipality=municipality("3203")),
        start=oslo(2016, 9, 10, 12),
        end=oslo(2016, 9, 25, 17),
    )
    return Exhibition.objects.create(
        event=event, role=Exhibition.Role.JOINT, host_municipality=municipality("3203")
    )


STUDIO = {
    "name": "Atelier Maler",
    "address": "Strandveien 1",
    "postcode": "1384",
    "place": "Asker",
    "latitude": Decimal("59.833"),
    "longitude": Decimal("10.435"),
    "accessibility": "Step-free entrance.",
}


def make_studio(artist_profile, edition, *, by, **values):
    return studio_services.register_studio(
        artist=artist_profile,
        edition=edition,
        by=by,
        municipality=values.pop("municipality", None) or municipality("3203"),
        **{**STUDIO, **values},
    )


@pytest.fixture
def studio(accepted, artist_profile, edition, weekends):
    return make_studio(artist_profile, edition, by=artist_profile.user)
