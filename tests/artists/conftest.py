"""Shared fixtures for the art round's tests; the data helpers are in factories.py."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from artists.models import (
    Application,
    Criterion,
    Exhibition,
    ExhibitionHours,
    ReviewPhase,
)
from artists.services import studios as studio_services
from artists.services.profiles import add_work_image
from artists.services.tallies import record_sale, record_tally, void_tally
from artists.services.visits import register_qr_visit
from core.roles import Role
from events.models import Event, Municipality, Programme
from tests.artists.factories import (
    ALL_TIME_2007_2016,
    BLIND,
    GUIDED_GROUP,
    JOINT_VISITS_2016,
    OPEN_STUDIOS_2016,
    OPENING_GUEST,
    SCHOOL_CLASS,
    STUDIO_DAYS,
    STUDIO_VISITS_2016,
    ApplicantFactory,
    ApplicationFactory,
    ApplyingArtistFactory,
    CallFactory,
    Counted2016,
    CriterionFactory,
    ExhibitionFactory,
    LetterTemplateFactory,
    ReviewPhaseFactory,
    StudioFactory,
    art_round_call,
    bulk_studios,
    bulk_tallies,
    date_edition,
    decide,
    image_upload,
    make_studio,
    municipality,
    new_artist,
    reported_edition,
)
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    PeriodFactory,
    ProgrammeFactory,
    UserFactory,
    VenueFactory,
    oslo,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded files of every test in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def artist_profile(artist):
    """The profile of the ``artist`` user: two public images and one that is not."""
    profile = new_artist("Mari Maler", user=artist, disciplines=("painting", "drawing"), images=2)
    add_work_image(
        artist=profile, by=artist, upload=image_upload(), title="Skisse", is_public=False
    )
    return profile


@pytest.fixture
def other_artist(db):
    """Another artist, with a login, a profile and one public image."""
    return new_artist("Kari Keramiker", username="keramikeren", disciplines=("ceramics",), images=1)


# Open studios and exhibitions of the 2016 edition -----------------------------------------


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
    return ExhibitionFactory(
        event=event, role=Exhibition.Role.JOINT, host_municipality=municipality("3203")
    )


@pytest.fixture
def studio(accepted, artist_profile, edition, weekends):
    return make_studio(artist_profile, edition, by=artist_profile.user)


@pytest.fixture
def published_studio(studio, artist_profile, edition):
    """The artist's studio, open 11–17 on Saturday 17 September 2016, numbered and public."""
    studio_services.set_studio_hours(
        studio=studio,
        by=artist_profile.user,
        day=date(2016, 9, 17),
        opens=time(11),
        closes=time(17),
    )
    studio_services.publish_studio_numbers(edition=edition)
    studio.refresh_from_db()
    return studio


# Visitor counts: an open studio and the joint exhibition, with hosts ----------------------


@pytest.fixture
def open_studio(studio, artist_profile):
    """The artist's studio, open 11–17 on all four open-studio days of 2016."""
    for day in STUDIO_DAYS:
        studio_services.set_studio_hours(
            studio=studio, by=artist_profile.user, day=day, opens=time(11), closes=time(17)
        )
    return studio


@pytest.fixture
def exhibition_open(joint_exhibition, venue_host):
    """The joint exhibition, open 12–17 every day from 10 to 25 September, kept by venue_host."""
    ExhibitionHours.objects.bulk_create(
        ExhibitionHours(
            exhibition=joint_exhibition, date=date(2016, 9, day), opens=time(12), closes=time(17)
        )
        for day in range(10, 26)
        if day != 12  # closed on Monday 12 September
    )
    joint_exhibition.event.hosts.add(venue_host)
    return joint_exhibition


@pytest.fixture
def other_host(db):
    """A venue host of another venue: hosts nothing here."""
    return UserFactory(username="otherhost", roles=[Role.VENUE_HOST])


@pytest.fixture
def asker_after_flush(transactional_db):
    """The studio's municipality (Asker), for tests that flush the database.

    It comes from a data migration, but a transactional test before may have flushed it.
    """
    from events.models import Municipality

    Municipality.objects.get_or_create(
        number="3203", defaults={"name": "Asker", "county": "Akershus"}
    )


@pytest.fixture
def shared_studio(open_studio, other_artist):
    """The artist's studio, shared with other_artist: both count there."""
    open_studio.artists.add(other_artist)
    return open_studio


# Visitor statistics: a counted 2016, reported earlier years, a falling 2017 ---------------


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
    exhibition = ExhibitionFactory(event=event, role=Exhibition.Role.LOCAL)
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
    return StudioFactory(edition=edition_2016, venue=venue)


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


# The jury: a closed call in its review phase, criteria, three jurors, applications --------


@pytest.fixture
def jury_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def jury_call(db):
    """A call that closed ten days ago, for the 2027 edition."""
    programme = ProgrammeFactory(slug="kunst-rett-vest", kind=Programme.Kind.ART_ROUND)
    period = PeriodFactory(programme=programme, slug="2027", name="Kunst rett vest 2027")
    now = timezone.now()
    return CallFactory(
        period=period, opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10)
    )


@pytest.fixture
def review_phase(jury_call):
    """The review phase, running now: blind, other jurors' scores never shown."""
    now = timezone.now()
    return ReviewPhaseFactory(
        call=jury_call,
        kind=ReviewPhase.Kind.REVIEW,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=5),
    )


@pytest.fixture
def criteria(jury_call):
    """Quality (weight 2, 1–5), relevance (yes/maybe/no) and presentation (1–10)."""
    return [
        CriterionFactory(
            call=jury_call,
            name_nb="Kunstnerisk kvalitet",
            name_en="Artistic quality",
            weight=Decimal("2"),
            lowest=1,
            highest=5,
            position=0,
        ),
        CriterionFactory(
            call=jury_call,
            name_nb="Relevans for utstillingen",
            name_en="Relevance to the exhibition",
            scale=Criterion.Scale.YES_MAYBE_NO,
            position=1,
        ),
        CriterionFactory(
            call=jury_call,
            name_nb="Presentasjon",
            name_en="Presentation",
            lowest=1,
            highest=10,
            position=2,
        ),
    ]


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
    call = CallFactory(
        period=period, opens_at=now - timedelta(days=50), closes_at=now - timedelta(days=20)
    )
    ReviewPhaseFactory(
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
        ApplicationFactory(
            call=jury_call, artist=ApplicantFactory(name=f"Kunstner {n}", slug=f"kunstner-{n}")
        )
        for n in range(5)
    ]
    ApplicationFactory(
        call=jury_call,
        artist=ApplicantFactory(name="Utkast Usendt", slug="utkast-usendt"),
        state=Application.State.DRAFT,
    )
    ApplicationFactory(
        call=jury_call,
        artist=ApplicantFactory(name="Trukket Tilbake", slug="trukket-tilbake"),
        state=Application.State.WITHDRAWN,
    )
    return submitted


@pytest.fixture
def blind_application(jury_call, jury_media):
    """A submitted application whose applicant is easy to recognise (see BLIND)."""
    municipality = MunicipalityFactory(name=BLIND["municipality"])
    artist = ApplicantFactory(
        name=BLIND["name"],
        slug=BLIND["slug"],
        images__filename=BLIND["filename"],
        home_municipality=municipality,
        studio_municipality=municipality,
        bio_nb=BLIND["bio"],
        email=BLIND["email"],
    )
    return ApplicationFactory(call=jury_call, artist=artist)


# Applications and decisions: an open call of 2027 with letters, artists with images -------


@pytest.fixture
def call_edition(db):
    """The 2027 edition of the art round, whose open ``call`` the application tests use."""
    programme = ProgrammeFactory(slug="kunst-rett-vest", kind=Programme.Kind.ART_ROUND)
    return PeriodFactory(programme=programme, slug="2027", name="Kunst rett vest 2027")


@pytest.fixture
def call(call_edition):
    now = timezone.now()
    call = CallFactory(
        period=call_edition,
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
        LetterTemplateFactory(
            call=call,
            outcome=outcome,
            language="nb",
            subject=subject,
            body="Hei {name}, {outcome}. Poeng: {score}. Median: {median}.\n{comments}",
        )
    LetterTemplateFactory(
        call=call,
        outcome="accepted",
        language="en",
        subject="Welcome to {edition}",
        body="Dear {name}: {outcome}. See {profile_url}",
    )
    return call


@pytest.fixture
def applicant(db):
    return ApplyingArtistFactory(slug="maleren", name="Mari Maler")


@pytest.fixture
def other_applicant(db):
    return ApplyingArtistFactory(slug="keramikeren", name="Kari Keramiker")
