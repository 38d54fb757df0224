"""Test data for the art round, made through the real services.

Images are made in memory with Pillow; artists, their galleries, applications and
decisions go through the same services as the pages and the API.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from artists.models import Artist, Call, Discipline, LetterTemplate
from artists.services import applications as application_services
from artists.services import decisions as decision_services
from artists.services import profiles as profile_services
from artists.services.profiles import unique_slug
from core.roles import Role
from events.models import Municipality, Programme
from tests.factories import PeriodFactory, ProgrammeFactory, UserFactory

# GPS tags of a home studio in Asker, as a phone camera writes them.
GPS_IFD = 0x8825
ORIENTATION = 0x0112
GPS_POSITION = {1: "N", 2: (59.0, 50.0, 1.5), 3: "E", 4: (10.0, 26.0, 4.2)}


def image_bytes(*, size=(64, 48), fmt="JPEG", color="teal", mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **options)
    return buffer.getvalue()


def image_upload(*, name=None, size=(64, 48), fmt="JPEG", **options) -> SimpleUploadedFile:
    """Return an uploaded image made in memory, as a browser would send it."""
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(fmt, fmt.lower())
    content_type = f"image/{'jpeg' if fmt == 'JPEG' else fmt.lower()}"
    return SimpleUploadedFile(
        name or f"work.{extension}", image_bytes(size=size, fmt=fmt, **options), content_type
    )


def gps_exif(*, orientation: int | None = None) -> bytes:
    """Return EXIF with a GPS position (and an orientation, if given)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = GPS_POSITION
    if orientation:
        exif[ORIENTATION] = orientation
    return exif.tobytes()


def municipality(number: str = "3203") -> Municipality:
    return Municipality.objects.get(number=number)


def new_artist(
    name: str,
    *,
    user=None,
    username: str | None = None,
    home: str = "3203",
    studio: str | None = None,
    disciplines=("painting",),
    images: int = 0,
    public: bool = True,
    **values,
) -> Artist:
    """Make an artist with a login and the artist role, and a gallery, through the services."""
    if user is None:
        username = username or unique_slug(name)
        user = UserFactory(username=username, roles=[Role.ARTIST])
    artist = profile_services.create_artist(
        name=name,
        user=user,
        email=values.pop("email", f"{user.username}@example.org"),
        home_municipality=municipality(home),
        studio_municipality=municipality(studio) if studio else None,
        disciplines=list(Discipline.objects.filter(slug__in=disciplines)),
        by=None,
        **values,
    )
    for number in range(images):
        profile_services.add_work_image(
            artist=artist,
            by=user,
            upload=image_upload(),
            title=f"Verk {number + 1}",
            year=2016,
            is_public=public,
        )
    return artist


def art_round_call(slug: str = "2016", *, name: str | None = None) -> Call:
    """Return an open call, with no required images, for an edition of the art round."""
    programme = ProgrammeFactory(
        slug="kunst-rett-vest", name="Kunst rett vest", kind=Programme.Kind.ART_ROUND
    )
    edition = PeriodFactory(programme=programme, slug=slug, name=name or f"Kunst rett vest {slug}")
    now = timezone.now()
    call = Call.objects.create(
        period=edition,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        min_images=0,
        max_images=5,
    )
    for outcome in ("accepted", "waitlisted", "rejected"):
        LetterTemplate.objects.create(
            call=call, outcome=outcome, language="nb", subject="{edition}", body="Hei {name}"
        )
    return call


def decide(call: Call, outcomes: dict[Artist, str], *, by, release: bool = True) -> None:
    """Apply, submit and decide through the real services, and (by default) release."""
    for artist, outcome in outcomes.items():
        application = application_services.start_application(call=call, artist=artist, by=None)
        application_services.update_application(
            application=application,
            statement="Jeg arbeider med lys.",
            cv="",
            previous_exhibitions="",
            images=[],
            by=None,
        )
        application_services.submit_application(application=application, by=None)
        decision_services.set_decision(application=application, outcome=outcome, by=by)
    if release:
        decision_services.release_decisions(call=call, by=by)
