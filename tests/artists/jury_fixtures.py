"""Fixtures for the jury: a closed call in its review phase, criteria, three jurors, and
submitted applications with tiny real images in a temporary media folder.

The artist side is made directly with the ORM here, as the artists' own services are
tested elsewhere.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from artists.models import (
    Application,
    ApplicationImage,
    Artist,
    ArtistImage,
    Call,
    Criterion,
    ReviewPhase,
)
from core.roles import Role
from events.models import Programme
from tests.factories import MunicipalityFactory, PeriodFactory, ProgrammeFactory, UserFactory

__all__ = [
    "_fast_passwords",
    "jury_media",
    "jury_call",
    "review_phase",
    "criteria",
    "jurors",
    "other_call",
    "other_call_juror",
    "applications",
    "blind_application",
    "tiny_image",
    "make_applicant",
    "make_application",
    "full_scores",
    "move_phase",
    "BLIND",
]

# What identifies the applicant of ``blind_application``: none of it may reach a juror's
# page in a blind review.
BLIND = {
    "name": "Mari Malersen",
    "slug": "mari-malersen-atelier",
    "municipality": "Sjøvikstrand",
    "filename": "mari-malersen-selvportrett.jpg",
    "bio": "Utdannet ved Vestlandets kunstakademi",
    "email": "mari.malersen@example.org",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hash the test users' passwords quickly: the jury tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def jury_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def tiny_image(name: str = "work.jpg", color: str = "teal") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def make_applicant(
    name: str, *, slug: str, images: int = 3, filename: str = "work.jpg", **values
) -> Artist:
    user = UserFactory(username=slug[:150], roles=[Role.ARTIST])
    artist = Artist.objects.create(user=user, name=name, slug=slug, **values)
    for number in range(images):
        ArtistImage.objects.create(
            artist=artist,
            image=tiny_image(filename),
            display=tiny_image(filename),
            thumbnail=tiny_image(filename),
            width=40,
            height=30,
            title=f"Verk {number + 1}",
            year=2025,
            technique="Olje på lerret",
            dimensions="60 × 80 cm",
            position=number,
        )
    return artist


def make_application(
    call: Call, artist: Artist, *, state: str = Application.State.SUBMITTED, **values
) -> Application:
    now = timezone.now()
    application = Application.objects.create(
        call=call,
        artist=artist,
        state=state,
        statement=values.pop("statement", "Jeg arbeider med lys og flater."),
        cv=values.pop("cv", "Kunstakademiet i Bergen, 2010."),
        previous_exhibitions=values.pop("previous_exhibitions", "Høstutstillingen 2022."),
        submitted_at=now - timedelta(days=12) if state != Application.State.DRAFT else None,
        withdrawn_at=now - timedelta(days=11) if state == Application.State.WITHDRAWN else None,
        **values,
    )
    ApplicationImage.objects.bulk_create(
        [
            ApplicationImage(application=application, image=image, position=position)
            for position, image in enumerate(artist.images.order_by("position"))
        ]
    )
    return application


@pytest.fixture
def jury_call(db):
    """A call that closed ten days ago, for the 2027 edition."""
    programme = ProgrammeFactory(slug="kunst-rett-vest", kind=Programme.Kind.ART_ROUND)
    period = PeriodFactory(programme=programme, slug="2027", name="Kunst rett vest 2027")
    now = timezone.now()
    return Call.objects.create(
        period=period, opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10)
    )


@pytest.fixture
def review_phase(jury_call):
    """The review phase, running now: blind, other jurors' scores never shown."""
    now = timezone.now()
    return ReviewPhase.objects.create(
        call=jury_call,
        kind=ReviewPhase.Kind.REVIEW,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=5),
    )


def move_phase(phase: ReviewPhase, when: str) -> ReviewPhase:
    """Move the phase so that now is "before" it, "after" it, or "during" it."""
    now = timezone.now()
    if when == "before":
        phase.starts_at, phase.ends_at = now + timedelta(days=1), now + timedelta(days=10)
    elif when == "after":
        phase.starts_at, phase.ends_at = now - timedelta(days=10), now - timedelta(days=1)
    else:
        phase.starts_at, phase.ends_at = now - timedelta(days=5), now + timedelta(days=5)
    phase.save()
    return phase


@pytest.fixture
def criteria(jury_call):
    """Quality (weight 2, 1–5), relevance (yes/maybe/no) and presentation (1–10)."""
    return [
        Criterion.objects.create(
            call=jury_call,
            name_nb="Kunstnerisk kvalitet",
            name_en="Artistic quality",
            weight=Decimal("2"),
            lowest=1,
            highest=5,
            position=0,
        ),
        Criterion.objects.create(
            call=jury_call,
            name_nb="Relevans for utstillingen",
            name_en="Relevance to the exhibition",
            scale=Criterion.Scale.YES_MAYBE_NO,
            position=1,
        ),
        Criterion.objects.create(
            call=jury_call,
            name_nb="Presentasjon",
            name_en="Presentation",
            lowest=1,
            highest=10,
            position=2,
        ),
    ]


def full_scores(criteria, quality: int, relevance: int, presentation: int) -> dict:
    return dict(zip(criteria, (quality, relevance, presentation), strict=True))


@pytest.fixture
def jurors(juror, jury_call, review_phase, criteria):
    """The call's three jurors; the shared ``juror`` is the first."""
    second = UserFactory(
        username="jurymedlem2", first_name="Jonas", last_name="Jurysen", roles=[Role.JUROR]
    )
    third = UserFactory(
        username="jurymedlem3", first_name="Jorunn", last_name="Dommersen", roles=[Role.JUROR]
    )
    jury_call.jurors.add(juror, second, third)
    return [juror, second, third]


@pytest.fixture
def other_call(db):
    programme = ProgrammeFactory(slug="kunst-rett-vest", kind=Programme.Kind.ART_ROUND)
    period = PeriodFactory(programme=programme, slug="2026", name="Kunst rett vest 2026")
    now = timezone.now()
    call = Call.objects.create(
        period=period, opens_at=now - timedelta(days=50), closes_at=now - timedelta(days=20)
    )
    ReviewPhase.objects.create(
        call=call,
        kind=ReviewPhase.Kind.REVIEW,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=5),
    )
    return call


@pytest.fixture
def other_call_juror(other_call):
    """A juror of another call only."""
    user = UserFactory(username="annenjury", roles=[Role.JUROR])
    other_call.jurors.add(user)
    return user


@pytest.fixture
def applications(jury_call, jury_media):
    """Five submitted applications, and a draft and a withdrawn one the jury never sees."""
    submitted = [
        make_application(jury_call, make_applicant(f"Kunstner {n}", slug=f"kunstner-{n}"))
        for n in range(5)
    ]
    make_application(
        jury_call,
        make_applicant("Utkast Usendt", slug="utkast-usendt"),
        state=Application.State.DRAFT,
    )
    make_application(
        jury_call,
        make_applicant("Trukket Tilbake", slug="trukket-tilbake"),
        state=Application.State.WITHDRAWN,
    )
    return submitted


@pytest.fixture
def blind_application(jury_call, jury_media):
    """A submitted application whose applicant is easy to recognise (see BLIND)."""
    municipality = MunicipalityFactory(name=BLIND["municipality"])
    artist = make_applicant(
        BLIND["name"],
        slug=BLIND["slug"],
        filename=BLIND["filename"],
        home_municipality=municipality,
        studio_municipality=municipality,
        bio_nb=BLIND["bio"],
        email=BLIND["email"],
    )
    return make_application(jury_call, artist)
