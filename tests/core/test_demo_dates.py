"""The demo is alive on any day: `load_demo` with the clock set to four days of the year,
and every journey of the demo tried through the real services, selectors and pages.

Done when (issue 14, section 3): "the demo's journeys can be tried on any date". The four
days cover a weekday in each season, a Saturday and a Sunday (the demo's week then is the
coming one: core.demo.anchor).
"""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.demo import OSLO, anchor, demo_uid, today
from events.models import Event
from tests.demo import demo_loaded

pytestmark = pytest.mark.django_db

DAYS = {
    "saturday-16-january": datetime(2027, 1, 16, 9, 30, tzinfo=OSLO),
    "thursday-1-april": datetime(2027, 4, 1, 14, 0, tzinfo=OSLO),
    "sunday-18-july-evening": datetime(2027, 7, 18, 20, 0, tzinfo=OSLO),
    "thursday-24-december": datetime(2026, 12, 24, 11, 0, tzinfo=OSLO),
}


@pytest.fixture(scope="module", params=list(DAYS), ids=list(DAYS))
def _demo_on(request, django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        time_machine.travel(DAYS[request.param], tick=True),
        demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo-media"), "--quiet"),
    ):
        yield DAYS[request.param]


@pytest.fixture
def demo(_demo_on, db, settings):
    """The demo loaded on one of the four days; the clock stays on that day."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    return _demo_on


def user(username):
    return get_user_model().objects.get(username=username)


def event(key):
    return Event.objects.get(uid=demo_uid(key))


def week_ahead() -> tuple:
    """Today and the last day of the demo's week (its Sunday)."""
    return today(), anchor() + timedelta(days=6)


def test_the_clock_is_on_the_chosen_day(demo):
    assert today() == demo.date()


def test_the_open_call_takes_kunstner_s_application(demo):
    from artists.models import Application, Artist, Call
    from artists.services.applications import (
        eligibility_problems,
        start_application,
        submit_application,
        update_application,
    )

    kunstner = Artist.objects.get(user__username="kunstner")
    open_calls = [call for call in Call.objects.all() if call.is_open()]
    assert len(open_calls) == 1
    call = open_calls[0]
    assert call.closes_at.astimezone(OSLO).date() > today() + timedelta(days=14)
    assert eligibility_problems(call, kunstner) == []
    application = start_application(call=call, artist=kunstner, by=user("kunstner"))
    update_application(
        application=application,
        statement="Jeg viser nye tresnitt.",
        cv="Kunstakademiet.",
        previous_exhibitions="",
        images=list(kunstner.images.order_by("position")[: call.min_images]),
        by=user("kunstner"),
    )
    submit_application(application=application, by=user("kunstner"))
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_every_juror_has_applications_to_score_in_an_open_review_phase(client, demo):
    from artists.models import Call
    from artists.selectors.jury import applications_for_juror, juror_progress, review_phase

    in_review = [
        call
        for call in Call.objects.all()
        if (phase := review_phase(call)) is not None and phase.is_active()
    ]
    assert len(in_review) == 1
    call = in_review[0]
    for username in ("jury", "jury2", "jury3"):
        progress = juror_progress(applications_for_juror(call, user(username)))
        assert 0 < progress["complete"] < progress["total"], username
    client.force_login(user("jury"))
    assert client.get(reverse("artists:jury_list", args=[call.pk])).status_code == 200


def test_the_current_edition_has_released_decisions_and_open_days_this_week(client, demo):
    from artists.models import Decision, Exhibition, StudioHours

    exhibition = event("krv-2026-fellesutstilling")
    edition = exhibition.period
    decisions = Decision.objects.filter(application__call__period=edition)
    assert decisions.filter(released_at__lte=demo, outcome="accepted").count() == 60
    first, last = week_ahead()
    joint = Exhibition.objects.get(event=exhibition)
    assert joint.hours.filter(date__gte=first, date__lte=last).exists()
    assert StudioHours.objects.filter(
        studio__edition=edition, date__gte=first, date__lte=last
    ).exists()
    assert joint.event.hosts.filter(username="vert").exists()
    # Counts from earlier years, to compare this year with.
    from artists.models import ReportedFigures

    assert ReportedFigures.objects.filter(edition__start__year__lt=2016).count() == 9
    client.force_login(user("vert"))
    assert client.get(reverse("artists:statistics")).status_code in (200, 403)


def test_kunstner_is_accepted_with_a_studio_works_and_sales(client, demo):
    from artists.models import Artist, ArtSale, Decision, Studio, Work

    kunstner = Artist.objects.get(user__username="kunstner")
    edition = event("krv-2026-fellesutstilling").period
    assert Decision.objects.get(
        application__artist=kunstner, application__call__period=edition
    ).outcome == ("accepted")
    studio = Studio.objects.get(edition=edition, artists=kunstner)
    first, last = week_ahead()
    assert studio.hours.filter(date__gte=first, date__lte=last).exists()
    assert Work.objects.filter(edition=edition, artist=kunstner).exists()
    assert ArtSale.objects.filter(edition=edition, artist=kunstner).count() >= 2
    assert kunstner.images.count() >= 3


def test_names_and_titles_read_like_people_and_art(demo):
    from artists.models import Artist, ArtistImage, Work
    from orchestra.models import TourParticipant

    names = list(Artist.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    titles = [
        *ArtistImage.objects.values_list("title", flat=True),
        *Work.objects.values_list("title", flat=True),
        *TourParticipant.objects.exclude(name="").values_list("name", flat=True),
    ]
    assert len(set(ArtistImage.objects.values_list("title", flat=True))) > 40
    for text in [*names, *titles]:
        assert not any(character.isdigit() for character in text), text


def test_forelder_signs_a_child_up_for_the_open_master_class(demo):
    from orchestra.models import Member
    from orchestra.services.masterclasses import sign_up

    open_class = event("uso-2026-2027-mesterklasse-2")
    assert open_class.start.astimezone(OSLO).date() > today()
    child = Member.objects.filter(guardianships__guardian__user__username="forelder").order_by(
        "-birth_date"
    )[0]
    signed = sign_up(event=open_class, member=child, by=user("forelder"))
    assert not signed.waitlisted


def test_the_full_master_class_offers_its_waitlist(demo):
    from orchestra.models import MasterClassSignUp, Member
    from orchestra.selectors.masterclasses import eligibility_problem, with_places
    from orchestra.selectors.members import members_with_details
    from orchestra.services.masterclasses import sign_up

    full = event("uso-2026-2027-mesterklasse-1")
    (master_class,) = with_places(Event.objects.filter(pk=full.pk))
    assert master_class.places_left == 0 and master_class.waiting >= 1
    signed_up = MasterClassSignUp.objects.filter(event=full).values_list("member", flat=True)
    candidates = members_with_details(Member.objects.exclude(pk__in=signed_up)).order_by("pk")
    member = next(m for m in candidates if eligibility_problem(m, master_class.plan) is None)
    assert sign_up(event=full, member=member, by=user("leder")).waitlisted


def test_the_tour_is_ahead_and_turleder_sees_its_checklist(client, demo):
    from orchestra.models import Tour

    tour = Tour.objects.select_related("event").get()
    assert tour.first_day > today()
    assert tour.leader_window_open_on(today())
    assert tour.participants.filter(role="tour_leader", user__username="turleder").exists()
    client.force_login(user("turleder"))
    page = client.get(reverse("orchestra:tour_participants", args=[tour.pk]))
    assert page.status_code == 200


def test_forelder_and_medlem_answer_for_this_weekend(demo):
    from orchestra.models import Member
    from orchestra.services.attendance import reply_for_weekend

    saturday = anchor() + timedelta(days=5)
    weekend = Event.objects.get(
        kind=Event.Kind.REHEARSAL_WEEKEND, start__date__gte=saturday - timedelta(days=1),
        start__date__lte=saturday,
    )  # fmt: skip
    assert weekend.end > demo
    child = Member.objects.filter(
        guardianships__guardian__user__username="forelder",
        memberships__group__slug="ungdomssymfonikerne",
    ).get()
    answers = reply_for_weekend(member=child, weekend=weekend, reply="coming", by=user("forelder"))
    assert answers
    member = Member.objects.get(user__username="medlem")
    assert reply_for_weekend(member=member, weekend=weekend, reply="coming", by=user("medlem"))


def test_dirigent_takes_attendance_today(client, demo):
    from orchestra.selectors.attendance import boards_for
    from orchestra.selectors.sessions import session_plans
    from orchestra.services.attendance import record_attendance

    plans = session_plans().filter(
        tutors__username="dirigent", event__start__date__gte=today() - timedelta(days=1)
    )
    todays = [plan for plan in plans if plan.event.start.astimezone(OSLO).date() == today()]
    assert todays
    (board,) = boards_for(todays[:1])
    row = board.expected_rows[0]
    recorded = record_attendance(
        session=board.session, member=row.member, status="present", by=user("dirigent")
    )
    assert recorded.status == "present"
    client.force_login(user("dirigent"))
    page = client.get(reverse("orchestra:session_attendance", args=[board.session.pk]))
    assert page.status_code == 200


# A run on a later day ---------------------------------------------------------------------

LOADED_ON = datetime(2026, 12, 24, 11, 0, tzinfo=OSLO)
# Three weeks on and into a new year: the editions take the next year's slugs.
LATER = datetime(2027, 1, 14, 9, 0, tzinfo=OSLO)


@pytest.fixture(scope="module")
def _loaded_before_christmas(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        time_machine.travel(LOADED_ON, tick=True),
        demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo-media"), "--quiet"),
    ):
        yield


def counts() -> dict:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("events", "artists", "orchestra", "ticketing", "auth")
    }


def test_a_later_run_moves_the_dates_and_makes_nothing_twice(_loaded_before_christmas, db):
    from artists.models import Call, StudioHours, VisitTally
    from artists.selectors.jury import applications_for_juror, juror_progress, review_phase
    from orchestra.models import Attendance
    from tests.demo import load_demo

    exhibition = event("krv-2026-fellesutstilling")
    before = counts()
    attendance = set(Attendance.objects.values_list("session__parent__uid", flat=True))
    with time_machine.travel(LATER, tick=True):
        output = load_demo("--force")
        assert "moved" in output
        after = counts()
        # Rows found by their natural keys and moved, not made again. (The extra sectional's
        # session plan, the tallies... stay one each; only today's session moved.)
        assert after == before, {k: (before[k], after[k]) for k in after if after[k] != before[k]}
        moved = event("krv-2026-fellesutstilling")
        assert moved.start - exhibition.start == timedelta(weeks=3)
        assert moved.period.slug == "2027"
        assert moved.revision == exhibition.revision + 1
        # Every journey is open on the new day.
        first, last = week_ahead()
        assert StudioHours.objects.filter(
            studio__edition=moved.period, date__gte=first, date__lte=last
        ).exists()
        assert not VisitTally.objects.filter(date__gt=today()).exists()
        assert [call.is_open() for call in Call.objects.all()].count(True) == 1
        in_review = next(c for c in Call.objects.all() if (p := review_phase(c)) and p.is_active())
        progress = juror_progress(applications_for_juror(in_review, user("jury")))
        assert 0 < progress["complete"] < progress["total"]
        assert set(Attendance.objects.values_list("session__parent__uid", flat=True)) == (
            attendance
        )
        # A second run on that day changes nothing.
        assert "nothing changed" in load_demo("--force")
