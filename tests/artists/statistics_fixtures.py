"""Fixtures for visitor statistics: a counted 2016, reported earlier years, a falling 2017.

Import them with ``from tests.artists.statistics_fixtures import *`` (they build on the
visit fixtures, which this module re-exports). Small data goes through the real services;
the full-size 2016 edition is bulk-created, as an import would.
"""

from dataclasses import dataclass
from datetime import date, time

import pytest

from artists.models import (
    Exhibition,
    ExhibitionHours,
    ReportedFigures,
    Studio,
    StudioHours,
    VisitTally,
)
from artists.services import studios as studio_services
from artists.services.tallies import record_sale, record_tally, void_tally
from artists.services.visits import register_qr_visit
from events.models import Event, Period, Venue
from tests.artists.factories import municipality
from tests.artists.visit_fixtures import *  # noqa: F403
from tests.artists.visit_fixtures import STUDIO_DAYS, make_studio, oslo
from tests.factories import EventFactory, PeriodFactory, VenueFactory

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


@pytest.fixture
def edition_2016(edition):
    return date_edition(edition, 2016)


@pytest.fixture
def local_exhibition(edition_2016, venue_host):
    """A local joint exhibition at Fengslet in Ringerike, open on the weekends."""
    event = EventFactory(
        period=edition_2016,
        kind=Event.Kind.EXHIBITION,
        title_nb="Fengslet",
        venue=VenueFactory(name="Fengslet", municipality=municipality("3305")),
        start=oslo(2016, 9, 17, 12),
        end=oslo(2016, 9, 25, 17),
    )
    exhibition = Exhibition.objects.create(event=event, role=Exhibition.Role.LOCAL)
    exhibition.organising_municipalities.add(municipality("3305"), municipality("3310"))
    ExhibitionHours.objects.bulk_create(
        ExhibitionHours(exhibition=exhibition, date=day, opens=time(12), closes=time(17))
        for day in STUDIO_DAYS
    )
    event.hosts.add(venue_host)
    return exhibition


@pytest.fixture
def other_studio(accepted, other_artist, edition_2016, weekends):
    """The other artist's workshop in Bærum, open on the second weekend only."""
    studio = make_studio(
        other_artist,
        edition_2016,
        by=other_artist.user,
        name="Verksted Keramiker",
        address="Sandvika 2",
        postcode="1337",
        place="Sandvika",
        municipality=municipality("3201"),
    )
    for day in STUDIO_DAYS[2:]:
        studio_services.set_studio_hours(
            studio=studio, by=other_artist.user, day=day, opens=time(12), closes=time(16)
        )
    return studio


@pytest.fixture
def closed_studio(edition_2016, weekends):
    """A studio registered without opening hours: not an open studio."""
    venue = VenueFactory(name="Lukket atelier", municipality=municipality("3203"))
    return Studio.objects.create(edition=edition_2016, venue=venue)


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


@pytest.fixture
def counted_2016(
    edition_2016,
    exhibition_open,
    local_exhibition,
    open_studio,
    other_studio,
    closed_studio,
    artist_profile,
    other_artist,
    venue_host,
    project_leader,
    settings,
):
    """Tallies, QR visits and sales of 2016 through the real services, one tally voided."""
    settings.TALLY_MAX_PER_ENTRY = 500
    host, artist, potter = venue_host, artist_profile.user, other_artist.user
    joint, local = exhibition_open, local_exhibition
    for number in range(3):
        record_tally(by=host, place=joint, day=date(2016, 9, 10), visitors=1, nonce=f"tap-{number}")
    # A retried tap: the same nonce again counts nothing.
    record_tally(by=host, place=joint, day=date(2016, 9, 10), visitors=1, nonce="tap-0")
    record_tally(by=host, place=joint, day=date(2016, 9, 10), visitors=40, category=OPENING_GUEST)
    record_tally(
        by=host,
        place=joint,
        day=date(2016, 9, 13),
        visitors=25,
        pupils=23,
        school="Asker videregående skole",
        category=SCHOOL_CLASS,
    )
    record_tally(by=host, place=joint, day=date(2016, 9, 17), visitors=12, category=GUIDED_GROUP)
    mistake = record_tally(by=host, place=joint, day=date(2016, 9, 17), visitors=500).tally
    void_tally(tally=mistake, by=project_leader, reason="Tastefeil")
    record_tally(by=host, place=local, day=date(2016, 9, 17), visitors=7)
    record_tally(by=host, place=local, day=date(2016, 9, 24), visitors=4)
    record_tally(by=artist, place=open_studio, day=date(2016, 9, 17), visitors=10)
    record_tally(by=artist, place=open_studio, day=date(2016, 9, 18), visitors=6)
    record_tally(
        by=artist, place=open_studio, day=date(2016, 9, 24), visitors=15, category=GUIDED_GROUP
    )
    record_tally(by=potter, place=other_studio, day=date(2016, 9, 25), visitors=8)

    visits = [
        (joint, date(2016, 9, 10)),
        (joint, date(2016, 9, 11)),
        (local, date(2016, 9, 24)),
        (open_studio, date(2016, 9, 17)),
        (open_studio, date(2016, 9, 17)),
        (open_studio, date(2016, 9, 18)),
    ]
    for number, (place, day) in enumerate(visits):
        register_qr_visit(place=place, client_address=f"10.0.0.{number}", today=day)

    record_sale(
        by=artist,
        artist=artist_profile,
        edition=edition_2016,
        amount=5_000,
        description="Grafikk",
        sold_on=date(2016, 9, 17),
    )
    record_sale(
        by=potter,
        artist=other_artist,
        edition=edition_2016,
        amount=12_000,
        description="Krukke",
        sold_on=date(2016, 9, 25),
    )
    return Counted2016()


@pytest.fixture
def earlier_editions(edition_2016):
    """2014 and 2015 with reported figures only, and 2017 reported with fewer visits."""
    programme = edition_2016.programme
    return {
        2014: reported_edition(
            programme, 2014, joint_exhibition_visits=100, studio_visits=20, artists=90
        ),
        2015: reported_edition(
            programme,
            2015,
            joint_exhibition_visits=90,
            joint_exhibition_pupils=10,
            local_exhibition_visits=10,
            studio_visits=20,
            open_studios=5,
            artists=100,
            art_sales=20_000,
        ),
        2017: reported_edition(programme, 2017, joint_exhibition_visits=60, studio_visits=20),
    }


# The real 2016 figures, bulk-created ------------------------------------------------------

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


@pytest.fixture
def real_2016(edition_2016, exhibition_open, accepted, artist_profile, other_artist, weekends):
    """The 2016 figures as reported: 4,250 visits at the joint exhibition (750 pupils),
    14,300 visits in 109 open studios, NOK 970,000 of art sold, and 2007–2015 reported
    so that all editions together make 153,000 visits."""
    joint = exhibition_open
    # 30 school classes of 25 pupils, and 3,500 single visitors entered in groups of 100.
    bulk_tallies(
        joint,
        edition_2016,
        date(2016, 9, 13),
        [25] * 30,
        category=SCHOOL_CLASS,
        pupils=25,
        school="Asker",
    )
    bulk_tallies(joint, edition_2016, date(2016, 9, 17), [100] * 35)
    studios = bulk_studios(edition_2016, OPEN_STUDIOS_2016)
    base, extra = divmod(STUDIO_VISITS_2016, OPEN_STUDIOS_2016)
    for index, studio in enumerate(studios):
        bulk_tallies(studio, edition_2016, date(2016, 9, 17), [base + (index < extra)])
    record_sale(
        by=artist_profile.user,
        artist=artist_profile,
        edition=edition_2016,
        amount=500_000,
        description="Maleri",
    )
    record_sale(
        by=other_artist.user,
        artist=other_artist,
        edition=edition_2016,
        amount=470_000,
        description="Keramikk",
    )
    earlier = ALL_TIME_2007_2016 - JOINT_VISITS_2016 - STUDIO_VISITS_2016
    per_year, first = divmod(earlier, 9)
    for year in range(2007, 2016):
        reported_edition(
            edition_2016.programme,
            year,
            joint_exhibition_visits=per_year + (first if year == 2007 else 0),
        )
    return edition_2016
