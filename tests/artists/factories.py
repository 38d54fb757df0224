"""Test data for the art round, and the figures tests compare it with.

Images are made in memory with Pillow. Artists with profiles, studios and decisions go
through the same services as the pages and the API (``new_artist``, ``make_studio``,
``decide``); the factory-boy factories make the rows no service makes on its own (calls,
criteria, exhibitions) and the many applicants the jury tests need quickly. The fixtures
built from these live in ``tests/artists/conftest.py``.
"""

import io
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from artists.models import (
    Application,
    ApplicationImage,
    Artist,
    ArtistImage,
    Call,
    Criterion,
    Discipline,
    Exhibition,
    ExhibitionHours,
    LetterTemplate,
    ReportedFigures,
    ReviewPhase,
    Studio,
    StudioHours,
    VisitTally,
    Work,
)
from artists.services import applications as application_services
from artists.services import decisions as decision_services
from artists.services import profiles as profile_services
from artists.services import studios as studio_services
from artists.services.profiles import unique_slug
from core.roles import Role
from events.models import Event, Municipality, Period, Programme, Venue
from tests.factories import (
    EventFactory,
    PeriodFactory,
    ProgrammeFactory,
    UserFactory,
    VenueFactory,
    oslo,
)

# Factories for the rows the services do not make on their own -----------------------------


class CallFactory(factory.django.DjangoModelFactory):
    """A call of an art-round edition, open from yesterday for a month."""

    class Meta:
        model = Call

    period = factory.SubFactory(
        PeriodFactory,
        programme=factory.SubFactory(ProgrammeFactory, kind=Programme.Kind.ART_ROUND),
    )
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    call = factory.SubFactory(CallFactory)
    outcome = "accepted"
    language = "nb"
    subject = "{edition}"
    body = "Hei {name}"


class ReviewPhaseFactory(factory.django.DjangoModelFactory):
    """A review phase running now."""

    class Meta:
        model = ReviewPhase

    call = factory.SubFactory(CallFactory)
    kind = ReviewPhase.Kind.REVIEW
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name_nb = factory.Sequence(lambda n: f"Kriterium {n}")


class ExhibitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibition

    event = factory.SubFactory(EventFactory, kind=Event.Kind.EXHIBITION)
    role = Exhibition.Role.LOCAL


class ExhibitionHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExhibitionHours

    exhibition = factory.SubFactory(ExhibitionFactory)
    date = date(2016, 9, 17)
    opens = time(12)
    closes = time(17)


class StudioFactory(factory.django.DjangoModelFactory):
    """A studio without artists; the edition is always given."""

    class Meta:
        model = Studio

    venue = factory.SubFactory(VenueFactory)


class StudioHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudioHours

    studio = factory.SubFactory(StudioFactory)
    date = date(2016, 9, 17)
    opens = time(11)
    closes = time(17)


class ArtistImageFactory(factory.django.DjangoModelFactory):
    """One image of an artist's gallery: a tiny real JPEG in all three sizes."""

    class Meta:
        model = ArtistImage

    class Params:
        filename = "work.jpg"

    image = factory.LazyAttribute(lambda o: tiny_image(o.filename))
    display = factory.LazyAttribute(lambda o: tiny_image(o.filename))
    thumbnail = factory.LazyAttribute(lambda o: tiny_image(o.filename))
    title = factory.Sequence(lambda n: f"Verk {n}")


def add_images(artist: Artist, count: int, *, first: int = 1, **fields) -> None:
    """Add ``count`` images to the artist's gallery, titled "Verk 1", "Verk 2", ..."""
    for number in range(count):
        ArtistImageFactory(
            artist=artist, **{"title": f"Verk {first + number}", "position": number, **fields}
        )


class ArtistFactory(factory.django.DjangoModelFactory):
    """An artist's record made directly, without the profile services (new_artist uses
    them). ``images=n`` adds a gallery of n images; ``images__year=2025`` sets their fields."""

    class Meta:
        model = Artist
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Kunstner {n}")
    slug = factory.Sequence(lambda n: f"kunstner-{n}")

    @factory.post_generation
    def images(self, create, count, **fields):
        add_images(self, count or 0, **fields)


class ApplicantFactory(ArtistFactory):
    """An applicant as the jury sees them: a login named by the slug, and three images
    (40 × 30, oil on canvas) unless ``images=`` says otherwise."""

    user = factory.SubFactory(
        UserFactory, username=factory.SelfAttribute("..slug"), roles=[Role.ARTIST]
    )

    @factory.post_generation
    def images(self, create, count, **fields):
        details = {
            "width": 40,
            "height": 30,
            "year": 2025,
            "technique": "Olje på lerret",
            "dimensions": "60 × 80 cm",
        }
        add_images(self, 3 if count is None else count, **details, **fields)


class ApplyingArtistFactory(ArtistFactory):
    """An artist of Asker with a login and an email, and four images ("Verk 0" to "Verk 3")
    unless ``images=`` says otherwise: what the open ``call`` of the application tests
    accepts."""

    user = factory.SubFactory(
        UserFactory, username=factory.SelfAttribute("..slug"), roles=[Role.ARTIST]
    )
    name = factory.LazyAttribute(lambda artist: artist.slug.title())
    email = factory.LazyAttribute(lambda artist: f"{artist.slug}@example.org")
    home_municipality = factory.LazyFunction(lambda: municipality("3203"))

    @factory.post_generation
    def images(self, create, count, **fields):
        add_images(self, 4 if count is None else count, first=0, **fields)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application made directly, submitted twelve days ago (a draft was never sent, a
    withdrawn one was withdrawn a day later), with the artist's images in their order."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    artist = factory.SubFactory(ApplicantFactory)
    state = Application.State.SUBMITTED
    statement = "Jeg arbeider med lys og flater."
    cv = "Kunstakademiet i Bergen, 2010."
    previous_exhibitions = "Høstutstillingen 2022."
    submitted_at = factory.LazyAttribute(
        lambda a: (
            None if a.state == Application.State.DRAFT else timezone.now() - timedelta(days=12)
        )
    )
    withdrawn_at = factory.LazyAttribute(
        lambda a: (
            timezone.now() - timedelta(days=11) if a.state == Application.State.WITHDRAWN else None
        )
    )

    @factory.post_generation
    def image_links(self, create, extracted, **kwargs):
        if create:
            ApplicationImage.objects.bulk_create(
                ApplicationImage(application=self, image=image, position=position)
                for position, image in enumerate(self.artist.images.order_by("position"))
            )


class WorkFactory(factory.django.DjangoModelFactory):
    """An accepted artist's work in the joint exhibition; artist and edition are given."""

    class Meta:
        model = Work

    title = factory.Sequence(lambda n: f"Verk {n}")


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
    call = CallFactory(
        period=edition,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        min_images=0,
        max_images=5,
    )
    for outcome in ("accepted", "waitlisted", "rejected"):
        LetterTemplateFactory(
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


# Studios and exhibitions of the 2016 edition -----------------------------------------------

STUDIO_DAYS = [date(2016, 9, 17), date(2016, 9, 18), date(2016, 9, 24), date(2016, 9, 25)]

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


def edition_in(year: int):
    """Return a new edition of the art round running through the given year."""
    edition = art_round_call(str(year)).period
    edition.start, edition.end = date(year, 1, 1), date(year, 12, 31)
    edition.save(update_fields=["start", "end"])
    return edition


def add_studios(edition, count: int, *, first_number: int = 100, days=None) -> list:
    """Add studios without artists, open on the given days (the first weekend of 2016)."""
    studios = [
        StudioFactory(edition=edition, venue=VenueFactory(), number=first_number + n)
        for n in range(count)
    ]
    StudioHours.objects.bulk_create(
        StudioHours(studio=studio, date=day, opens=time(11), closes=time(17))
        for studio in studios
        for day in (days or STUDIO_DAYS[:2])
    )
    return studios


# The jury ---------------------------------------------------------------------------------

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


def tiny_image(name: str = "work.jpg", color: str = "teal") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


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


def full_scores(criteria, quality: int, relevance: int, presentation: int) -> dict:
    return dict(zip(criteria, (quality, relevance, presentation), strict=True))


# Applications -----------------------------------------------------------------------------


# Visitor statistics -----------------------------------------------------------------------

SINGLE = VisitTally.Category.SINGLE
SCHOOL_CLASS = VisitTally.Category.SCHOOL_CLASS
GUIDED_GROUP = VisitTally.Category.GUIDED_GROUP
OPENING_GUEST = VisitTally.Category.OPENING_GUEST


def date_edition(edition: Period, year: int) -> Period:
    """Give an edition the calendar year it belongs to (the factories' default is 2026)."""
    Period.objects.filter(pk=edition.pk).update(start=date(year, 1, 1), end=date(year, 12, 31))
    edition.refresh_from_db()
    return edition


def reported_edition(programme, year: int, **figures) -> Period:
    """An edition counted outside Kulturvest, with its reported figures."""
    edition = PeriodFactory(
        programme=programme,
        slug=str(year),
        name=f"{programme.name} {year}",
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    ReportedFigures.objects.create(edition=edition, source="Årsmelding", **figures)
    return edition


@dataclass
class Counted2016:
    """What the ``counted_2016`` fixture recorded, to compare the statistics with."""

    joint: int = 80
    joint_pupils: int = 23
    local: int = 11
    studios: int = 39
    qr_joint: int = 2
    qr_local: int = 1
    qr_studios: int = 3
    sales_total: int = 17_000
    sales_count: int = 2
    voided: int = 500

    @property
    def total(self) -> int:
        return self.joint + self.local + self.studios

    @property
    def qr(self) -> int:
        return self.qr_joint + self.qr_local + self.qr_studios


OPEN_STUDIOS_2016 = 109
STUDIO_VISITS_2016 = 14_300
JOINT_VISITS_2016 = 4_250
PUPILS_2016 = 750
ART_SOLD_2016 = 970_000
ALL_TIME_2007_2016 = 153_000


def bulk_studios(edition: Period, count: int, *, first_number: int = 1) -> list[Studio]:
    """Make ``count`` studios, each open on 17 September, as an import would."""
    asker = municipality("3203")
    venues = Venue.objects.bulk_create(
        Venue(name=f"Atelier {first_number + n}", municipality=asker) for n in range(count)
    )
    studios = Studio.objects.bulk_create(
        Studio(edition=edition, venue=venue, number=first_number + n, is_published=True)
        for n, venue in enumerate(venues)
    )
    StudioHours.objects.bulk_create(
        StudioHours(studio=studio, date=date(2016, 9, 17), opens=time(11), closes=time(17))
        for studio in studios
    )
    return studios


def bulk_tallies(place, edition: Period, day: date, visits: list[int], **values) -> None:
    field = "studio" if isinstance(place, Studio) else "exhibition"
    VisitTally.objects.bulk_create(
        VisitTally(edition=edition, date=day, visitors=count, **{field: place}, **values)
        for count in visits
    )


def studios_at_scale(edition, count: int, prefix: str) -> None:
    """Make ``count`` published studios, one artist each, open 17 and 18 September 2016, in
    three municipalities by turn (scale data for query counts, not a workflow)."""
    for number in range(count):
        artist = ArtistFactory(name=f"{prefix} {number}", slug=f"{prefix}-{number}")
        venue = VenueFactory(
            name=f"{prefix} atelier {number}",
            municipality=municipality(["3203", "3201", "3301"][number % 3]),
            latitude=Decimal("59.8") + Decimal(number) / 1000,
            longitude=Decimal("10.4"),
        )
        studio = StudioFactory(edition=edition, venue=venue)
        studio.artists.add(artist)
        for day in (17, 18):
            StudioHoursFactory(
                studio=studio, date=date(2016, 9, day), opens=time(11), closes=time(17)
            )
    studio_services.publish_studio_numbers(edition=edition)


def open_studio_weekend(edition):
    """Add the open-studio weekend of 17 and 18 September 2016 to an edition."""
    return EventFactory(
        period=edition,
        kind=Event.Kind.OPEN_STUDIO_WEEKEND,
        venue=None,
        start=oslo(2016, 9, 17, 11),
        end=oslo(2016, 9, 18, 17),
    )


def two_studio_editions() -> tuple:
    """Return two editions (2016 and 2017) with an open-studio weekend each, for comparing
    a page's queries with few and with many studios."""
    few, many = art_round_call("2016").period, art_round_call("2017").period
    for edition in (few, many):
        open_studio_weekend(edition)
    return few, many


def studio_without_coordinates(artist_profile, edition, *, by):
    """Register a studio with no place on the map, open 17 September 2016, and publish."""
    studio = make_studio(
        artist_profile, edition, by=by, name="Uten kart", latitude=None, longitude=None
    )
    studio_services.set_studio_hours(
        studio=studio, by=by, day=date(2016, 9, 17), opens=time(11), closes=time(17)
    )
    studio_services.publish_studio_numbers(edition=edition)
    return studio
