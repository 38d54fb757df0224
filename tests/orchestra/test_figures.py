"""The orchestra's figures and its sentences in the annual report: counts, never names."""

from datetime import timedelta

from django.utils import timezone

from events.models import Event
from orchestra import services
from orchestra.models import StatusChange, TourParticipant
from orchestra.reports import year_sentences
from orchestra.selectors.figures import orchestra_figures
from orchestra.services import tours
from tests.factories import EventFactory
from tests.orchestra.factories import CHILD_NAME, TEEN_NAME


def make_events(season):
    start = timezone.now() + timedelta(days=3)
    weekend = EventFactory(
        period=season,
        kind=Event.Kind.REHEARSAL_WEEKEND,
        venue=None,
        start=start,
        end=start + timedelta(days=1),
    )
    for hours in (0, 4):
        EventFactory(
            period=season,
            parent=weekend,
            kind=Event.Kind.SESSION,
            venue=None,
            start=start + timedelta(hours=hours),
            end=start + timedelta(hours=hours + 3),
        )
    EventFactory(period=season, kind=Event.Kind.CONCERT, venue=None, start=start, end=start)
    EventFactory(
        period=season,
        kind=Event.Kind.CONCERT,
        venue=None,
        start=start,
        end=start,
        status=Event.Status.CANCELLED,
    )


def make_tour(season, **extra):
    start = timezone.now() + timedelta(days=20)
    event = EventFactory(
        period=season,
        kind=Event.Kind.TOUR,
        venue=None,
        start=start,
        end=start + timedelta(days=4),
        **extra,
    )
    return tours.create_tour(event=event, destination="Madrid", time_zone="Europe/Madrid")


def test_a_season_in_figures(
    season,
    youth_group,
    junior_group,
    child,
    other_child,
    teen,
    project_leader,
    django_assert_max_num_queries,
):
    make_events(season)
    services.set_status(
        member=teen,
        status=StatusChange.Status.LEFT,
        since=timezone.localdate(),
        reason=StatusChange.Reason.AGE_LIMIT,
        by=project_leader,
    )
    tour = make_tour(season)
    tours.add_player(tour=tour, member=child, by=None)
    tours.add_player(tour=tour, member=other_child, by=None)
    tours.add_adult(tour=tour, role=TourParticipant.Role.CONDUCTOR, name="Dag Dirigent", by=None)
    tours.add_adult(tour=tour, role=TourParticipant.Role.TOUR_LEADER, name="Tove Turleder", by=None)
    tours.add_adult(
        tour=tour, role=TourParticipant.Role.TOUR_LEADER, name="Trond Turleder", by=None
    )
    cancelled = make_tour(season, status=Event.Status.CANCELLED)
    tours.add_adult(
        tour=cancelled, role=TourParticipant.Role.COMPANION, name="Kari Ledsager", by=None
    )
    with django_assert_max_num_queries(9):
        figures = orchestra_figures(season.programme, season.start, season.end)
    assert [(g.group.slug, g.members) for g in figures.groups] == [("usym", 2), ("junior", 1)]
    assert figures.members == 2
    assert figures.joined == 3
    assert figures.left == {"age_limit": 1}
    assert figures.origins == {"music_school": 2}
    assert figures.events == {"rehearsal_weekend": 1, "session": 2, "concert": 1, "tour": 1}
    assert figures.tour_participants == {"player": 2, "conductor": 1, "tour_leader": 2}
    sentences = year_sentences(figures)
    assert sentences[0].startswith("Ungdomssymfonikerne hadde 2 medlemmer og Juniorsymfonikerne 1")
    assert "3 nye medlemmer begynte." in sentences
    assert "1 medlem sluttet: 1 nådde øvre aldersgrense." in sentences
    assert "1 helgesamling, 2 økter, 1 konsert og 1 turné." in sentences
    assert "5 deltakere på turné: 2 spillere, 1 dirigent og 2 turledere." in sentences
    text = " ".join(sentences)
    for name in (*CHILD_NAME, *TEEN_NAME):
        assert name not in text


def test_the_statistics_page_shows_the_season_in_figures(
    client, season, youth_group, child, other_child, project_leader
):
    from django.urls import reverse

    client.force_login(project_leader)
    response = client.get(reverse("orchestra:attendance_statistics"), {"season": season.pk})
    text = response.content.decode()
    assert "Ungdomssymfonikerne hadde 2 medlemmer og Juniorsymfonikerne 1 per " in text
    assert CHILD_NAME[0] not in text.split("report-sentences")[1].split("</ul>")[0]
