"""The demo loader: what it creates, and that a second run changes nothing."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.demo import OSLO, anchor, today
from core.roles import Role
from events.models import Event, Period, Programme, Venue
from tests.calendars import instants, read_calendars
from tests.demo import demo_loaded, load_demo

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {
    "sekretariat": None,
    "leder": Role.PROJECT_LEADER,
    "jury": Role.JUROR,
    "jury2": Role.JUROR,
    "jury3": Role.JUROR,
    "kunstner": Role.ARTIST,
    "vert": Role.VENUE_HOST,
    "forelder": Role.GUARDIAN,
    "dirigent": Role.TUTOR,
    # No role group: a tour leader and a member with their own login (orchestra.demo).
    "turleder": "",
    "medlem": "",
}


@pytest.fixture(autouse=True)
def _fast_passwords_and_debug(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True


@pytest.fixture(scope="module")
def _demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo-media")) as output:
        yield output


@pytest.fixture
def demo(_demo_output, db):
    """What the first run of the loader printed; its data, loaded once for the module."""
    return _demo_output


def snapshot() -> dict:
    """Return what a second run must leave as it was."""
    User = get_user_model()
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (User, Group, User.groups.through, Programme, Period, Venue, Event)
        },
        "events": {e.uid: (e.revision, e.updated_at) for e in Event.objects.all()},
        "venues": {v.pk: v.updated_at for v in Venue.objects.all()},
        "passwords": dict(User.objects.values_list("username", "password")),
    }


def test_second_run_changes_nothing(demo):
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        output = load_demo()

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert snapshot() == before
    assert "nothing changed" in output


def test_a_changed_row_is_put_back_and_only_it_gets_a_new_revision(demo):
    event = Event.objects.get(uid="demo-krv-2016-fellesutstilling@kulturvest")
    event.title_nb = "Endret"
    event.save()
    before = snapshot()

    load_demo("--quiet")

    after = snapshot()
    event.refresh_from_db()
    assert event.title_nb == "Fellesutstilling på Lien"
    assert event.revision == 2
    changed = {uid for uid in before["events"] if before["events"][uid] != after["events"][uid]}
    assert changed == {event.uid}


def test_demo_users_log_in_with_demo_and_hold_their_roles(client, demo):
    User = get_user_model()
    for username, role in DEMO_LOGINS.items():
        user = User.objects.get(username=username)
        assert client.login(username=username, password="demo"), username
        groups = set(user.groups.values_list("name", flat=True))
        assert groups == ({role.value} if role else set())
    assert User.objects.get(username="sekretariat").is_superuser
    leader = User.objects.get(username="leder")
    assert leader.is_staff and not leader.is_superuser
    assert not User.objects.get(username="forelder").is_staff
    assert User.objects.count() == len(DEMO_LOGINS)


def test_project_leader_of_the_demo_opens_the_admin(client, demo):
    assert client.login(username="leder", password="demo")
    assert client.get(reverse("admin:events_event_changelist")).status_code == 200


def test_output_lists_logins_and_urls(demo):
    for username in DEMO_LOGINS:
        assert username in demo
    assert "Project leader" in demo
    assert "Tour leader (study trip)" in demo
    assert "Try this first" in demo
    for path in ("/", "/admin/", "/api/v1/docs/", "/jury/", "/telling/", "/kunstner/atelier/"):
        assert f"http://127.0.0.1:8000{path}" in demo
    assert load_demo("--quiet") == ""


def test_programmes_periods_and_venues(demo):
    assert dict(Programme.objects.values_list("slug", "kind")) == {
        "kunst-rett-vest": Programme.Kind.ART_ROUND,
        "ungdomssymfonikerne": Programme.Kind.ORCHESTRA,
    }
    for programme in Programme.objects.all():
        assert programme.description_nb and programme.description_en
    periods = {
        (p.programme.slug, p.slug): (p.start, p.end)
        for p in Period.objects.select_related("programme")
    }
    # Editions counted before Kulturvest (2007–2015, 2017) hold only reported figures.
    reported = {("kunst-rett-vest", str(year)) for year in [*range(2007, 2016), 2017]}
    assert reported <= set(periods)
    # 2016 keeps its real dates; the rest is counted from this week's Monday (core.demo).
    monday = anchor()
    saturday = monday - timedelta(days=2)
    year = saturday.year
    school_year = monday.year if monday.month >= 8 else monday.year - 1
    assert {key: value for key, value in periods.items() if key not in reported} == {
        ("kunst-rett-vest", "2016"): (date(2016, 9, 10), date(2016, 9, 25)),
        ("kunst-rett-vest", str(year)): (saturday, saturday + timedelta(days=15)),
        ("kunst-rett-vest", str(year + 1)): (
            saturday + timedelta(weeks=52),
            saturday + timedelta(weeks=52, days=15),
        ),
        ("kunst-rett-vest", str(year + 2)): (
            saturday + timedelta(weeks=104),
            saturday + timedelta(weeks=104, days=15),
        ),
        ("ungdomssymfonikerne", f"{school_year}-{school_year + 1}"): (
            monday - timedelta(weeks=12),
            monday + timedelta(days=160),
        ),
    }
    programme_venues = Venue.objects.filter(studios__isnull=True)
    assert programme_venues.count() == 11
    for venue in programme_venues:
        assert venue.has_coordinates and venue.address and len(venue.postcode) == 4


def test_venues_hold_the_municipality_of_their_time(demo):
    lien = Venue.objects.select_related("municipality").get(name="Lien på Dikemark")
    assert (lien.municipality.name, lien.municipality.number) == ("Asker", "0220")
    assert lien.municipality.valid_to == date(2019, 12, 31)
    assert "50 prosjektrom" in lien.description
    assert Venue.objects.get(name="Støa").municipality.name == "Hurum"
    museum = Venue.objects.select_related("municipality").get(name="Drammens Museum")
    assert museum.municipality.valid_from == date(2024, 1, 1)
    edition_2016 = Event.objects.filter(period__slug="2016", venue__isnull=False)
    assert all(e.venue.municipality.valid_to == date(2019, 12, 31) for e in edition_2016)
    season = Event.objects.filter(period__slug="2026-2027", venue__isnull=False)
    assert all(e.venue.municipality.valid_to is None for e in season)


def test_art_round_2016(demo):
    events = Event.objects.filter(period__slug="2016")
    exhibition = events.get(kind=Event.Kind.EXHIBITION, venue__name="Lien på Dikemark")
    assert exhibition.start.astimezone(OSLO).date() == date(2016, 9, 10)
    assert exhibition.end.astimezone(OSLO).date() == date(2016, 9, 25)
    opening = exhibition.children.get()
    assert opening.kind == Event.Kind.OPENING
    assert opening.start.astimezone(OSLO).date() == date(2016, 9, 10)
    weekends = events.filter(kind=Event.Kind.OPEN_STUDIO_WEEKEND).order_by("start")
    assert [(w.start.astimezone(OSLO).date(), w.end.astimezone(OSLO).date()) for w in weekends] == [
        (date(2016, 9, 17), date(2016, 9, 18)),
        (date(2016, 9, 24), date(2016, 9, 25)),
    ]
    local = events.filter(kind=Event.Kind.EXHIBITION).exclude(pk=exhibition.pk)
    assert set(local.values_list("venue__name", flat=True)) == {
        "Fengslet",
        "Støa",
        "Bærum kulturhus",
    }
    assert events.filter(kind=Event.Kind.WORKSHOP).count() == 1
    assert events.filter(kind=Event.Kind.GUIDED_TOUR).count() == 1
    assert events.count() == 9


def test_next_year_s_edition(demo):
    next_year = Event.objects.get(uid="demo-krv-2027-fellesutstilling@kulturvest").period
    events = Event.objects.filter(period=next_year)
    exhibition = events.get(kind=Event.Kind.EXHIBITION)
    assert exhibition.venue.name == "Drammens Museum"
    this_year = Event.objects.get(uid="demo-krv-2026-fellesutstilling@kulturvest")
    assert exhibition.start - this_year.start == timedelta(weeks=52)
    assert exhibition.start.astimezone(OSLO).weekday() == 5
    assert exhibition.children.get().kind == Event.Kind.OPENING
    assert events.filter(kind=Event.Kind.OPEN_STUDIO_WEEKEND).count() == 2


def test_the_demo_feeds_read_the_same_instants_in_every_parser(client, demo):
    """ical.js (Thunderbird, Nextcloud) read all nine events of September 2016, the first
    summer of the Kunst rett vest feed, an hour off; every programme and venue feed of the
    demo now reads the same in icalendar, vobject and ical.js (tests.calendars)."""
    programmes = Programme.objects.exclude(slug="kunst-rett-vest").values_list("slug", flat=True)
    urls = [
        reverse("events:programme_feed", args=[slug]) for slug in ("kunst-rett-vest", *programmes)
    ]
    urls += [reverse("events:venue_feed", args=[venue.pk]) for venue in Venue.objects.all()]
    responses = [client.get(url) for url in urls]
    assert {response.status_code for response in responses} == {200}
    (art_round, _), *_others = read_calendars(*(response.content for response in responses))
    first_summer = Event.objects.filter(
        period__programme__slug="kunst-rett-vest", period__slug="2016"
    )
    assert first_summer.count() == 9
    read = instants(art_round)
    for event in first_summer:
        assert read[event.uid] == (event.start, event.end)


def test_orchestra_season(demo):
    events = Event.objects.filter(period__slug="2026-2027")
    weekends = list(events.filter(kind=Event.Kind.REHEARSAL_WEEKEND).order_by("start"))
    assert len(weekends) == 7
    assert len({(w.start.year, w.start.month) for w in weekends}) == 7
    assert len({w.venue_id for w in weekends}) >= 4
    for weekend in weekends:
        saturday = weekend.start.astimezone(OSLO)
        assert saturday.weekday() == 5
        assert weekend.end.astimezone(OSLO).weekday() == 6
        assert weekend.visibility == Event.Visibility.MEMBERS
        sessions = list(weekend.children.all())
        assert {s.kind for s in sessions} == {Event.Kind.SESSION}
        assert {s.visibility for s in sessions} == {Event.Visibility.MEMBERS}
        assert {s.start.astimezone(OSLO).weekday() for s in sessions} == {5, 6}
        juniors = [s for s in sessions if "juniorene" in s.title_nb.lower()]
        assert len(juniors) == 1
        assert "Saturday only" in juniors[0].title_en
        assert sum("Gruppeøvelse" in s.title_nb for s in sessions) == 4
    tutti = next(s for s in weekends[0].children.all() if s.title_nb == "Tutti")
    assert tutti.start == datetime.combine(
        weekends[0].start.astimezone(OSLO).date(), datetime.min.time(), OSLO
    ).replace(hour=10)

    master_classes = events.filter(kind=Event.Kind.MASTER_CLASS)
    concerts = events.filter(kind=Event.Kind.CONCERT)
    assert master_classes.count() == 2 and concerts.count() == 3
    public = {Event.Visibility.PUBLIC}
    assert set(master_classes.values_list("visibility", flat=True)) == public
    assert set(concerts.values_list("visibility", flat=True)) == public

    tour = events.get(kind=Event.Kind.TOUR)
    # It leaves on the Sunday of this weekend's rehearsals, after the tutti.
    assert tour.start.astimezone(OSLO).date() == anchor() + timedelta(days=6)
    assert "Spania" in tour.title_nb and "Spain" in tour.title_en
    assert tour.children.count() >= 3
    # Today's extra sectional, whatever the day, so the conductor can take attendance.
    extra = events.get(uid="demo-uso-2026-2027-ovelse-i-dag@kulturvest")
    assert extra.start.astimezone(OSLO).date() == today()
    # ... and the open dress rehearsal in three days, with tickets (ticketing.demo: the
    # reminders page shows its ticket and waitlist offer reminders).
    assert events.get(uid="demo-uso-apen-generalprove@kulturvest").start.astimezone(
        OSLO
    ).date() == today() + timedelta(days=3)
    assert events.count() == 7 * 8 + 1 + 2 + 3 + 1 + tour.children.count() + 1


def test_every_event_has_titles_in_both_languages_and_fits_its_period(demo):
    for event in Event.objects.select_related("period", "parent"):
        assert event.title_nb and event.title_en
        assert event.period.start <= event.start.astimezone(OSLO).date() <= event.period.end
        event.full_clean()


def test_ticketing_demo(demo):
    from ticketing.models import CheckinList, Registration, Ticket

    concert = Event.objects.get(uid="demo-uso-2026-2027-konsert-jul@kulturvest")
    assert Ticket.objects.filter(offer__event=concert).count() >= 50
    assert CheckinList.objects.filter(event=concert).exists()
    opening = Event.objects.get(uid="demo-krv-2027-apning@kulturvest")
    assert Ticket.objects.filter(offer__event=opening).exists()
    assert CheckinList.objects.filter(event=opening).exists()
    workshop = Registration.objects.filter(event__uid="demo-krv-2027-grafikkverksted@kulturvest")
    states = set(workshop.values_list("state", flat=True))
    assert {"confirmed", "pending", "waitlisted"} <= states
    assert concert.hosts.filter(username="vert").exists()


def test_art_round_demo(demo):
    from artists.models import Application, Artist, Decision, Review

    assert Artist.objects.count() >= 315
    applications = Application.objects.filter(call__period__slug="2016")
    assert applications.count() == 180
    assert Review.objects.filter(application__in=applications, is_complete=True).count() == 540
    outcomes = Decision.objects.filter(
        released_at__isnull=False, application__call__period__slug="2016"
    ).values_list("outcome", flat=True)
    assert sorted(set(outcomes)) == ["accepted", "rejected", "waitlisted"]
    assert list(outcomes).count("accepted") == 140
    assert Artist.objects.filter(user__username="kunstner").exists()


def test_exhibitions_studios_and_counts_add_up_to_2016(demo):
    """The 2016 edition holds the real figures of SPEC.md."""
    from django.db.models import Count, Sum

    from artists.models import (
        ArtSale,
        Exhibition,
        QrVisit,
        ReportedFigures,
        Studio,
        VisitTally,
        Work,
    )

    edition = Period.objects.get(programme__slug="kunst-rett-vest", slug="2016")
    exhibitions = Exhibition.objects.filter(event__period=edition)
    assert sorted(exhibitions.values_list("role", flat=True)) == [
        "joint",
        "local",
        "local",
        "local",
    ]
    works = Work.objects.filter(edition=edition)
    assert works.count() == 140
    assert works.filter(shared_venue__name="Lien på Dikemark").count() == 31
    studios = Studio.objects.filter(edition=edition, is_published=True)
    assert studios.count() == 109
    assert not studios.filter(hours__isnull=True).exists()
    tallies = VisitTally.objects.filter(edition=edition, voided_at__isnull=True)
    joint = tallies.filter(exhibition__role="joint").aggregate(Sum("visitors"), Sum("pupils"))
    assert (joint["visitors__sum"], joint["pupils__sum"]) == (4250, 750)
    at_studios = tallies.filter(studio__isnull=False).aggregate(
        visits=Sum("visitors"), studios=Count("studio", distinct=True)
    )
    assert at_studios == {"visits": 14300, "studios": 109}
    assert ArtSale.objects.filter(edition=edition).aggregate(Sum("amount")) == {
        "amount__sum": 970000
    }
    assert QrVisit.objects.filter(edition=edition).exists()
    earlier = ReportedFigures.objects.filter(edition__start__year__lt=2016)
    all_time = (
        sum(figures.total_visits for figures in earlier)
        + tallies.aggregate(total=Sum("visitors"))["total"]
    )
    assert all_time == 153000
    # Visits grew every year up to 2016; 2017 was the first fall.
    growth = [figures.total_visits for figures in earlier.order_by("edition__start")]
    assert growth == sorted(set(growth))
    reported_2017 = ReportedFigures.objects.get(edition__slug="2017").total_visits
    assert reported_2017 < tallies.aggregate(total=Sum("visitors"))["total"]


def test_the_latest_edition_has_studios_on_the_map(demo):
    from artists.models import Studio

    studios = Studio.objects.filter(edition__slug="2026", is_published=True)
    assert studios.count() == 60
    assert not studios.filter(venue__latitude__isnull=True).exists()


def test_orchestra_demo_follows_the_2016_figures(demo):
    from orchestra.models import ConsentAcceptance, ConsentText, Group, Guardian, Member
    from orchestra.selectors import members_visible_to, members_with_status

    groups = {g.slug: g for g in Group.objects.filter(season__slug="2026-2027")}
    assert set(groups) == {"ungdomssymfonikerne", "juniorsymfonikerne"}
    assert (groups["juniorsymfonikerne"].min_age, groups["juniorsymfonikerne"].max_age) == (8, 13)

    def in_group(slug):
        return Member.objects.filter(
            memberships__group=groups[slug], memberships__left_on__isnull=True
        )

    assert in_group("ungdomssymfonikerne").count() == 35
    assert in_group("juniorsymfonikerne").count() == 22
    season_start = groups["juniorsymfonikerne"].season.start
    assert all(8 <= m.age_on(season_start) <= 13 for m in in_group("juniorsymfonikerne"))
    left = members_with_status(["left"])
    reasons = {m.status_changes.get(status="left").reason for m in left}
    assert left.count() == 5 and {"age_limit", "talent_programme"} <= reasons
    assert not Member.objects.filter(guardianships__isnull=True).exists()
    assert Guardian.objects.count() > 40
    assert Guardian.objects.filter(user__isnull=False).count() == 1
    forelder = get_user_model().objects.get(username="forelder")
    assert members_visible_to(forelder).count() == 2
    assert ConsentText.objects.filter(kind="photo").count() == 2
    photo = ConsentAcceptance.objects.filter(text__kind="photo")
    assert set(photo.values_list("text__version", flat=True)) == {1, 2}


def test_the_annual_report_of_2016_prints_the_real_figures(client, demo):
    """Done when: the statistics page prints the 2016 figures from the demo's tallies."""
    client.force_login(get_user_model().objects.get(username="leder"))
    response = client.get(reverse("artists:annual_report", args=["2016"]))
    assert response.status_code == 200
    text = response.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    for sentence in (
        "4 250 besøk i fellesutstillingen, av disse 750 elever",
        "14 300 besøk i 109 åpne atelierer",
        "kr 970 000",
        "153 000 besøk 2007–2016",
    ):
        assert sentence in text
    assert client.get(reverse("artists:statistics")).status_code == 200
    from artists.selectors.statistics import year_on_year

    rows = {
        row.year: row
        for row in year_on_year(Programme.objects.get(slug="kunst-rett-vest")).editions
    }
    assert not any(rows[year].fell for year in range(2007, 2017))
    assert rows[2017].fell and rows[2017].previous_year == 2016
    assert rows[2016].cumulative_visits == 153000


def test_orchestra_demo_plans_sessions_and_records_the_past_weekends(client, demo):
    """Every session is planned and led by `dirigent`; the two weekends held have answers,
    a leave and attendance; the conductor's page shows them."""
    from orchestra.models import Attendance, LeaveOfAbsence, SessionPlan
    from orchestra.selectors import members_visible_to

    dirigent = get_user_model().objects.get(username="dirigent")
    plans = SessionPlan.objects.filter(event__uid__startswith="demo-uso-2026-2027-helg-")
    assert plans.count() == 7 * 7
    assert not plans.exclude(tutors=dirigent).exists()
    strings = plans.get(event__uid="demo-uso-2026-2027-helg-1-strykere@kulturvest")
    assert strings.sections == ["strings"]
    assert [g.slug for g in strings.groups.all()] == ["ungdomssymfonikerne"]
    junior = plans.get(event__uid="demo-uso-2026-2027-helg-1-juniorer@kulturvest")
    assert [g.slug for g in junior.groups.all()] == ["juniorsymfonikerne"]
    held = Attendance.objects.values_list("session__parent__uid", flat=True).distinct()
    assert set(held) == {
        "demo-uso-2026-2027-helg-1@kulturvest",
        "demo-uso-2026-2027-helg-2@kulturvest",
    }
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert {"present", "late", "absent", "excused"} <= statuses
    assert Attendance.objects.filter(reply="not_coming").exclude(reason="").exists()
    leave = LeaveOfAbsence.objects.get()
    assert (
        not Attendance.objects.filter(
            member=leave.member, session__parent__uid="demo-uso-2026-2027-helg-2@kulturvest"
        )
        .exclude(status="excused")
        .exists()
    )
    # The members expected at the sessions dirigent leads, each with the status of that
    # day: those who left or went on leave after a weekend stay on its board.
    from orchestra.selectors.attendance import boards_for
    from orchestra.selectors.sessions import session_plans

    boards = boards_for(session_plans().filter(tutors=dirigent))
    expected = {row.member.pk for board in boards for row in board.rows if row.expected}
    assert set(members_visible_to(dirigent).values_list("pk", flat=True)) == expected
    assert len(expected) >= 35 + 22 - 1
    client.force_login(dirigent)
    tutti = plans.get(event__uid="demo-uso-2026-2027-helg-2-tutti-lordag@kulturvest")
    page = client.get(reverse("orchestra:session_attendance", args=[tutti.event_id]))
    assert page.status_code == 200
    before = Attendance.objects.count()
    load_demo()
    assert Attendance.objects.count() == before
