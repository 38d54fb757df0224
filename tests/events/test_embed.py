"""The embeddable lists of next events for other websites (/embed/...): who may frame
them follows EMBED_ALLOWED_ORIGINS, every other page stays unframeable, what they show,
and their query count."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from tests.factories import EventFactory, PeriodFactory, ProgrammeFactory, VenueFactory

ORIGINS = ["https://www.lier.kommune.no", "https://kulturhuset.example.no:8443"]


@pytest.fixture
def programme(db):
    return ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest")


@pytest.fixture
def venue(db):
    return VenueFactory(name="Lier kulturhus")


def add_events(programme, venue, count, *, start_in=1):
    period = PeriodFactory(programme=programme)
    now = timezone.now()
    for number in range(count):
        EventFactory(
            period=period,
            venue=venue,
            title_nb=f"Verksted {start_in + number}",
            start=now + timedelta(days=start_in + number),
            end=now + timedelta(days=start_in + number, hours=2),
        )


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    [directive] = [part.strip() for part in policy.split(";") if "frame-ancestors" in part]
    return directive


@pytest.mark.parametrize("path", ["/embed/programmes/kunst-rett-vest/", "venue"])
def test_only_the_allowed_origins_may_frame_the_embeds(client, settings, programme, venue, path):
    path = f"/embed/venues/{venue.pk}/" if path == "venue" else path
    settings.EMBED_ALLOWED_ORIGINS = ORIGINS
    allowed = client.get(path)
    assert allowed.status_code == 200
    assert frame_ancestors(allowed) == "frame-ancestors " + " ".join(ORIGINS)
    assert "X-Frame-Options" not in allowed
    # The rest of the policy is the site's own.
    assert "script-src 'self'" in allowed["Content-Security-Policy"]
    # Every other page stays unframeable.
    other = client.get("/programmes/kunst-rett-vest/")
    assert frame_ancestors(other) == "frame-ancestors 'none'"
    assert other["X-Frame-Options"] == "DENY"

    settings.EMBED_ALLOWED_ORIGINS = []
    closed = client.get(path)
    assert closed.status_code == 200
    assert frame_ancestors(closed) == "frame-ancestors 'none'"
    assert closed["X-Frame-Options"] == "DENY"


def test_the_programme_embed_lists_the_next_public_events_with_their_links(
    client, programme, venue
):
    add_events(programme, venue, 10)
    period = programme.periods.get()
    EventFactory(
        period=period,
        title_nb="Intern samling",
        visibility=Event.Visibility.MEMBERS,
        start=timezone.now() + timedelta(hours=5),
        end=timezone.now() + timedelta(hours=6),
    )
    EventFactory(
        period=period,
        title_nb="Verksted i fjor",
        start=timezone.now() - timedelta(days=300),
        end=timezone.now() - timedelta(days=300, hours=-2),
    )
    response = client.get("/embed/programmes/kunst-rett-vest/")
    content = response.content.decode()
    assert "Verksted 1<" in content
    assert "Verksted 8<" in content
    assert "Verksted 9<" not in content  # eight at most
    assert "Intern samling" not in content
    assert "Verksted i fjor" not in content
    first = Event.objects.get(title_nb="Verksted 1")
    assert f'href="http://testserver/events/{first.pk}/" target="_blank" rel="noopener"' in content
    assert 'href="http://testserver/programmes/kunst-rett-vest/"' in content
    assert '<meta name="robots" content="noindex">' in content
    assert "<script" not in content


def test_the_venue_embed_lists_the_venues_events(client, programme, venue):
    add_events(programme, venue, 2)
    elsewhere = VenueFactory(name="Drammen bibliotek")
    EventFactory(
        period=programme.periods.get(),
        venue=elsewhere,
        title_nb="Lesestund",
        start=timezone.now() + timedelta(days=1),
        end=timezone.now() + timedelta(days=1, hours=1),
    )
    content = client.get(f"/embed/venues/{venue.pk}/").content.decode()
    assert "Verksted 1<" in content and "Verksted 2<" in content
    assert "Lesestund" not in content
    assert client.get("/embed/venues/999999/").status_code == 404


def test_the_embeds_read_a_fixed_number_of_queries(client, programme, venue):
    add_events(programme, venue, 1)
    paths = ["/embed/programmes/kunst-rett-vest/", f"/embed/venues/{venue.pk}/"]

    def counts():
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries.captured_queries))
        return found

    one = counts()
    add_events(programme, venue, 6, start_in=20)
    assert counts() == one


@pytest.mark.parametrize("origin", ["https://example.no/path", "example.no", "https://*"])
def test_a_bad_origin_is_refused_at_start_up(origin, monkeypatch):
    monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", origin)
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "EMBED_ALLOWED_ORIGINS" in result.stderr
