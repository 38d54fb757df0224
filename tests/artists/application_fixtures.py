"""Fixtures for applications and decisions: an open call with criteria, an artist with images."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from artists.models import Artist, ArtistImage, Call, LetterTemplate
from core.roles import Role
from events.models import Municipality, Programme
from tests.factories import PeriodFactory, ProgrammeFactory, UserFactory


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def tiny_jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="work.jpg")


def make_artist(username: str, *, images: int = 4, **values) -> Artist:
    user = UserFactory(username=username, roles=[Role.ARTIST])
    municipality = values.pop("home_municipality", None) or Municipality.objects.get(number="3203")
    artist = Artist.objects.create(
        user=user,
        name=values.pop("name", username.title()),
        slug=username,
        email=f"{username}@example.org",
        home_municipality=municipality,
        **values,
    )
    for number in range(images):
        ArtistImage.objects.create(
            artist=artist,
            image=tiny_jpeg(),
            display=tiny_jpeg(),
            thumbnail=tiny_jpeg(),
            title=f"Verk {number}",
            position=number,
        )
    return artist


@pytest.fixture
def edition(db):
    programme = ProgrammeFactory(slug="kunst-rett-vest", kind=Programme.Kind.ART_ROUND)
    return PeriodFactory(programme=programme, slug="2027", name="Kunst rett vest 2027")


@pytest.fixture
def call(edition):
    now = timezone.now()
    call = Call.objects.create(
        period=edition,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10),
        min_images=3,
        max_images=5,
    )
    call.eligible_municipalities.set(Municipality.objects.filter(number__in=["3203", "3201"]))
    for outcome, subject in (
        ("accepted", "Velkommen til {edition}"),
        ("waitlisted", "Venteliste for {edition}"),
        ("rejected", "Svar på søknad til {edition}"),
    ):
        LetterTemplate.objects.create(
            call=call,
            outcome=outcome,
            language="nb",
            subject=subject,
            body="Hei {name}, {outcome}. Poeng: {score}. Median: {median}.\n{comments}",
        )
    LetterTemplate.objects.create(
        call=call,
        outcome="accepted",
        language="en",
        subject="Welcome to {edition}",
        body="Dear {name}: {outcome}. See {profile_url}",
    )
    return call


@pytest.fixture
def applicant(media_root, db):
    return make_artist("maleren", name="Mari Maler")


@pytest.fixture
def other_applicant(media_root, db):
    return make_artist("keramikeren", name="Kari Keramiker")
