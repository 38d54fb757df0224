"""The art round's dashboard panels: decisions and letters and the missing visitor counts
for staff, the reviews a juror has left, an artist's own round, and the places a host or an
artist counts at today."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from artists.models import ExhibitionHours
from artists.services import decisions as decision_services
from artists.services import jury as jury_services
from artists.services import studios as studio_services
from artists.services import tallies as tally_services
from events.models import Event
from tests.artists.factories import (
    ApplicantFactory,
    ApplicationFactory,
    ExhibitionFactory,
    WorkFactory,
    add_studios,
    art_round_call,
    full_scores,
    make_studio,
)
from tests.dashboards import dashboard_html, panel, panel_keys, queries_of
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def local_today():
    return timezone.localdate()


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


# Staff: decisions and letters --------------------------------------------------------------


def test_staff_see_the_applications_waiting_for_a_decision_per_call(
    client, project_leader, jury_call, applications
):
    for application in applications[:2]:
        decision_services.set_decision(
            application=application, outcome="accepted", by=project_leader
        )
    client.force_login(project_leader)
    html = panel(dashboard_html(client), "artists.decisions")
    assert "Kunst rett vest 2027" in html
    assert 'data-undecided="3"' in html  # the draft and the withdrawn one are not counted
    assert 'data-unreleased="2"' in html
    assert f'href="{reverse("artists:decisions", args=[jury_call.pk])}"' in html


def test_staff_see_the_letters_not_sent(client, project_leader, edition_call, accepted):
    client.force_login(project_leader)
    html = panel(dashboard_html(client), "artists.decisions")
    assert 'data-unsent="3"' in html
    assert f'href="{reverse("artists:outbox", args=[edition_call.pk])}"' in html


def test_an_open_call_is_not_waiting_for_decisions(client, project_leader):
    call = art_round_call("2030")
    ApplicationFactory(call=call)
    client.force_login(project_leader)
    assert "artists.decisions" not in panel_keys(dashboard_html(client))


@pytest.mark.parametrize("role", ["juror", "artist", "venue_host", "guardian", "tutor", "nobody"])
def test_only_staff_see_decisions_and_counts(client, request, role, jury_call, applications):
    client.force_login(request.getfixturevalue(role))
    keys = panel_keys(dashboard_html(client))
    assert "artists.decisions" not in keys
    assert "artists.counts" not in keys


def test_the_decisions_panel_reads_a_fixed_number_of_queries(
    client, project_leader, django_assert_max_num_queries
):
    def closed_call(number):
        call = art_round_call(f"{2040 + number}")
        call.opens_at, call.closes_at = timezone.now() - timedelta(days=20), timezone.now()
        call.save(update_fields=["opens_at", "closes_at"])
        ApplicationFactory(call=call, artist=ApplicantFactory(slug=f"soker-{number}"))
        return call

    for number in range(2):
        closed_call(number)
    client.force_login(project_leader)
    baseline = queries_of(client, django_assert_max_num_queries)
    for number in range(2, 10):
        closed_call(number)
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline


# Staff: visitor counts missing -------------------------------------------------------------


@pytest.fixture
def running_edition(db):
    """An edition of the art round running now (the factories' 2026–2027)."""
    return art_round_call("2026").period


def test_staff_see_the_open_days_without_a_count(client, project_leader, running_edition):
    yesterday = local_today() - timedelta(days=1)
    studios = add_studios(running_edition, 2, days=[yesterday, local_today() + timedelta(days=3)])
    tally_services.record_tally(by=project_leader, place=studios[0], day=yesterday, visitors=4)
    client.force_login(project_leader)
    html = panel(dashboard_html(client), "artists.counts")
    assert 'data-count="missing-days">1<' in html
    assert f'href="{reverse("artists:tally_completeness", args=[running_edition.slug])}"' in html


def test_with_every_count_in_there_is_no_counts_panel(client, project_leader, running_edition):
    yesterday = local_today() - timedelta(days=1)
    studios = add_studios(running_edition, 1, days=[yesterday])
    tally_services.record_tally(by=project_leader, place=studios[0], day=yesterday, visitors=4)
    client.force_login(project_leader)
    assert "artists.counts" not in panel_keys(dashboard_html(client))


def test_the_counts_panel_reads_a_fixed_number_of_queries(
    client, project_leader, running_edition, django_assert_max_num_queries
):
    days = [local_today() - timedelta(days=1)]
    add_studios(running_edition, 2, days=days)
    client.force_login(project_leader)
    baseline = queries_of(client, django_assert_max_num_queries)
    add_studios(running_edition, 8, days=days, first_number=200)
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline
    assert 'data-count="missing-days">10<' in dashboard_html(client)


# The juror ---------------------------------------------------------------------------------


def test_a_juror_sees_the_reviews_left_and_the_windows_end(
    client, juror, jurors, jury_call, review_phase, criteria, applications
):
    jury_services.save_review(
        application=applications[0], juror=juror, scores=full_scores(criteria, 4, 1, 7)
    )
    jury_services.recuse(application=applications[1], juror=juror, reason="Min nabo.")
    client.force_login(juror)
    html = panel(dashboard_html(client), "artists.jury")
    assert 'data-left="3"' in html  # five, one in conflict, one done
    assert f'href="{reverse("artists:jury_list", args=[jury_call.pk])}"' in html
    assert str(timezone.localtime(review_phase.ends_at).day) in html
    # Blind: no applicant's name.
    assert "Kunstner 2" not in html


def test_a_juror_of_another_call_sees_only_their_own(
    client, other_call_juror, other_call, jurors, jury_call, applications
):
    client.force_login(other_call_juror)
    html = panel(dashboard_html(client), "artists.jury")
    assert f'data-call="{other_call.pk}"' in html
    assert f'data-call="{jury_call.pk}"' not in html


def test_after_the_review_window_the_juror_panel_is_gone(
    client, juror, jurors, review_phase, applications
):
    review_phase.ends_at = timezone.now() - timedelta(minutes=1)
    review_phase.save(update_fields=["ends_at"])
    client.force_login(juror)
    assert "artists.jury" not in panel_keys(dashboard_html(client))


def test_an_artist_never_sees_the_jurors_panel(
    client, artist, artist_profile, jurors, applications
):
    client.force_login(artist)
    assert "artists.jury" not in panel_keys(dashboard_html(client))


def test_the_jurors_panel_reads_a_fixed_number_of_queries(
    client, juror, jurors, jury_call, django_assert_max_num_queries
):
    def apply(number):
        ApplicationFactory(
            call=jury_call, artist=ApplicantFactory(name=f"Søker {number}", slug=f"s-{number}")
        )

    for number in range(2):
        apply(number)
    client.force_login(juror)
    baseline = queries_of(client, django_assert_max_num_queries)
    for number in range(2, 10):
        apply(number)
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline
    assert 'data-left="10"' in dashboard_html(client)


# The artist --------------------------------------------------------------------------------


@pytest.fixture
def coming_weekend(edition):
    """An open-studio weekend of the edition starting the day after tomorrow."""
    first = local_today() + timedelta(days=2)
    return EventFactory(
        period=edition,
        kind=Event.Kind.OPEN_STUDIO_WEEKEND,
        title_nb="Åpne atelierer",
        venue=None,
        start=at(first, 11),
        end=at(first + timedelta(days=1), 17),
    )


def test_an_artist_sees_their_application_their_open_days_and_sales_to_record(
    client, artist, artist_profile, accepted, edition, coming_weekend
):
    studio = make_studio(artist_profile, edition, by=artist)
    first = local_today() + timedelta(days=2)
    for day in (first, first + timedelta(days=1)):
        studio_services.set_studio_hours(
            studio=studio, by=artist, day=day, opens=time(11), closes=time(17)
        )
    work = WorkFactory(artist=artist_profile, edition=edition, for_sale=True, price=9000)
    client.force_login(artist)
    html = panel(dashboard_html(client), "artists.artist")
    assert 'data-state="accepted"' in html
    assert (
        f'href="{reverse("artists:application", args=[accepted[0].applications.get().call_id])}"'
        in html
    )
    assert html.count("data-open-day=") == 2
    assert f'data-open-day="{first.isoformat()}"' in html
    assert f'href="{reverse("artists:own_studio")}"' in html
    assert 'data-count="unsold">1 ' in html
    assert f'href="{reverse("artists:sales")}"' in html
    # Once its sale is recorded, the work waits for nothing.
    tally_services.record_sale(
        by=artist, artist=artist_profile, edition=edition, amount=9000, work=work
    )
    assert 'data-count="unsold"' not in panel(dashboard_html(client), "artists.artist")


def test_an_artist_is_shown_the_open_calls_not_applied_to(client, artist, artist_profile):
    call = art_round_call("2031")
    client.force_login(artist)
    html = panel(dashboard_html(client), "artists.artist")
    assert f'data-open-call="{call.pk}"' in html
    assert f'href="{reverse("artists:application", args=[call.pk])}"' in html


def test_an_artist_sees_only_their_own(
    client, artist, artist_profile, accepted, other_artist, edition
):
    WorkFactory(artist=other_artist, edition=edition, for_sale=True, price=100)
    client.force_login(artist)
    html = panel(dashboard_html(client), "artists.artist")
    assert html.count("data-application=") == 1
    assert 'data-count="unsold"' not in html


def test_the_artists_panel_reads_a_fixed_number_of_queries(
    client, artist, artist_profile, accepted, edition, django_assert_max_num_queries
):
    WorkFactory(artist=artist_profile, edition=edition, for_sale=True, price=100)

    def open_call_and_application(number):
        art_round_call(f"{2050 + number}")
        ApplicationFactory(call=art_round_call(f"{2070 + number}"), artist=artist_profile)

    for number in range(2):
        open_call_and_application(number)
    client.force_login(artist)
    baseline = queries_of(client, django_assert_max_num_queries)
    for number in range(2, 10):
        open_call_and_application(number)
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline
    html = dashboard_html(client)
    assert html.count("data-open-call=") == 8  # DASHBOARD_ROWS
    assert html.count("data-application=") == 8


# Counting today ----------------------------------------------------------------------------


def exhibition_open_today(edition, host, title="Fellesutstilling"):
    event = EventFactory(
        period=edition,
        kind=Event.Kind.EXHIBITION,
        title_nb=title,
        start=at(local_today() - timedelta(days=2), 12),
        end=at(local_today() + timedelta(days=5), 17),
    )
    exhibition = ExhibitionFactory(event=event)
    ExhibitionHours.objects.create(
        exhibition=exhibition, date=local_today(), opens=time(0), closes=time(23, 59)
    )
    event.hosts.add(host)
    return exhibition


def test_a_host_sees_the_places_open_today_with_the_counter(
    client, venue_host, other_host, running_edition
):
    mine = exhibition_open_today(running_edition, venue_host, "Min utstilling")
    exhibition_open_today(running_edition, other_host, "Annen utstilling")
    tally_services.record_tally(by=venue_host, place=mine, day=local_today(), visitors=7)
    client.force_login(venue_host)
    html = panel(dashboard_html(client), "artists.counting")
    assert "Min utstilling" in html and "Annen utstilling" not in html
    assert 'data-counted="7"' in html
    assert f'href="{reverse("artists:tally_exhibition", args=[mine.pk])}"' in html


def test_a_host_with_nothing_open_today_sees_no_counting_panel(client, venue_host, running_edition):
    exhibition = exhibition_open_today(running_edition, venue_host)
    ExhibitionHours.objects.filter(exhibition=exhibition).update(
        date=local_today() + timedelta(days=1)
    )
    client.force_login(venue_host)
    assert "artists.counting" not in panel_keys(dashboard_html(client))


def test_the_counting_panel_reads_a_fixed_number_of_queries(
    client, venue_host, running_edition, django_assert_max_num_queries
):
    for number in range(2):
        exhibition_open_today(running_edition, venue_host, f"Utstilling {number}")
    client.force_login(venue_host)
    baseline = queries_of(client, django_assert_max_num_queries)
    for number in range(2, 10):
        exhibition_open_today(running_edition, venue_host, f"Utstilling {number}")
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline


def test_an_artist_with_their_studio_open_today_gets_the_counter(
    client, artist, artist_profile, accepted, edition, other_artist
):
    EventFactory(
        period=edition,
        kind=Event.Kind.OPEN_STUDIO_WEEKEND,
        title_nb="Åpne atelierer",
        venue=None,
        start=at(local_today(), 0),
        end=at(local_today() + timedelta(days=1), 17),
    )
    studio = make_studio(artist_profile, edition, by=artist)
    studio_services.set_studio_hours(
        studio=studio, by=artist, day=local_today(), opens=time(0), closes=time(23, 59)
    )
    client.force_login(artist)
    html = panel(dashboard_html(client), "artists.counting")
    assert f'href="{reverse("artists:tally_studio", args=[studio.pk])}"' in html
    client.force_login(other_artist.user)
    assert "artists.counting" not in panel_keys(dashboard_html(client))
