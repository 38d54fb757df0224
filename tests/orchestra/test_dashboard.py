"""The orchestra's dashboard panels: a guardian's children's next sessions with one-tap
coming / not coming, a tutor's sessions, a tour leader's checklists, and the registrations
waiting for the project leader."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from events.models import Event
from orchestra import services
from orchestra.models import Attendance, ConsentText, TourParticipant
from orchestra.services import tours as tour_services
from tests.dashboards import DASHBOARD, dashboard_html, panel, panel_keys, queries_of
from tests.factories import EventFactory, UserFactory
from tests.orchestra.factories import (
    CHILD_NAME,
    OTHER_CHILD_NAME,
    SessionPlanFactory,
    add_guardian_with_login,
    new_member,
    registered_child,
)
from tests.ticketing.test_dashboard import full_event_with_waitlist

pytestmark = pytest.mark.django_db


def session(season, group, *, days: int, hour: int = 10, tutors=(), title="Tutti"):
    """Plan a session of the group ``days`` from today at ``hour``."""
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), time(hour))
    )
    return SessionPlanFactory(
        event__period=season,
        event__title_nb=title,
        event__title_en=title,
        event__start=start,
        event__end=start + timedelta(hours=2),
        groups=[group],
        tutors=list(tutors),
    )


def own_child(guardian, municipality, group, number: int):
    member = new_member(
        (f"Barn{number}", "Strykersen"), age=10, municipality=municipality, groups=[group]
    )
    add_guardian_with_login(
        member,
        guardian,
        first_name="Gunn",
        last_name="Strykersen",
        email="guardian@example.org",
    )
    return member


# The guardian ------------------------------------------------------------------------------


def test_a_guardian_sees_their_childs_next_sessions_and_what_is_unanswered(
    client, guardian, child, other_child, season, youth_group
):
    plans = [session(season, youth_group, days=days, title=f"Økt {days}") for days in (2, 3, 4, 5)]
    services.attendance.reply_for_session(
        member=child, session=plans[0].event, reply="coming", by=guardian
    )
    client.force_login(guardian)
    html = panel(dashboard_html(client), "orchestra.children")
    assert CHILD_NAME[0] in html
    assert OTHER_CHILD_NAME[0] not in html
    assert f'data-member="{other_child.pk}"' not in html
    # The next three sessions, the first answered; the fourth behind a link.
    assert html.count("data-session=") == 3
    assert 'data-reply="coming"' in html
    assert 'data-unanswered="3"' in html
    assert "Økt 5" not in html
    assert f"{reverse('orchestra:absence')}?child={child.pk}" in html
    # Forms carry the member's id, never a name.
    assert f'name="member" value="{child.pk}"' in html
    assert f'name="next" value="{DASHBOARD}#dash-child-{child.pk}"' in html


def test_tapping_coming_on_the_dashboard_records_it_and_comes_back(
    client, guardian, child, season, youth_group
):
    plan = session(season, youth_group, days=2)
    client.force_login(guardian)
    back_to = f"{DASHBOARD}#dash-child-{child.pk}"
    response = client.post(
        reverse("orchestra:absence_reply"),
        {"member": child.pk, "session": plan.event_id, "reply": "coming", "next": back_to},
    )
    assert response.status_code == 302
    assert response["Location"] == back_to
    row = Attendance.objects.get(member=child, session=plan.event)
    assert (row.reply, row.replied_by) == ("coming", guardian)
    html = panel(dashboard_html(client), "orchestra.children")
    assert 'data-reply="coming"' in html
    assert "data-unanswered" not in html


def test_not_coming_needs_a_reason_and_then_is_recorded(
    client, guardian, child, season, youth_group
):
    plan = session(season, youth_group, days=2)
    client.force_login(guardian)
    data = {"member": child.pk, "session": plan.event_id, "reply": "not_coming", "next": DASHBOARD}
    refused = client.post(reverse("orchestra:absence_reply"), data)
    assert refused.status_code == 400
    assert not Attendance.objects.filter(member=child, reply="not_coming").exists()
    response = client.post(reverse("orchestra:absence_reply"), {**data, "reason": "illness"})
    assert response["Location"] == DASHBOARD
    row = Attendance.objects.get(member=child, session=plan.event)
    assert (row.reply, row.reason) == ("not_coming", "illness")


def test_answering_for_another_guardians_child_is_refused(
    client, guardian, child, other_child, season, youth_group
):
    plan = session(season, youth_group, days=2)
    client.force_login(guardian)
    response = client.post(
        reverse("orchestra:absence_reply"),
        {"member": other_child.pk, "session": plan.event_id, "reply": "coming", "next": DASHBOARD},
    )
    assert response.status_code == 404
    assert not Attendance.objects.filter(member=other_child).exists()


def test_the_answer_never_leads_to_another_site(client, guardian, child, season, youth_group):
    plan = session(season, youth_group, days=2)
    client.force_login(guardian)
    response = client.post(
        reverse("orchestra:absence_reply"),
        {
            "member": child.pk,
            "session": plan.event_id,
            "reply": "coming",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"].startswith(reverse("orchestra:absence"))


def test_a_place_offered_at_a_master_class_waits_for_the_guardian(
    client,
    guardian,
    other_guardian,
    child,
    other_child,
    season,
    youth_group,
    tutor,
    project_leader,
    django_capture_on_commit_callbacks,
):
    session(season, youth_group, days=2)
    start = timezone.now() + timedelta(days=14)
    master_class = services.masterclasses.create_master_class(
        season=season,
        title_nb="Mesterklasse",
        title_en="Master class",
        start=start,
        end=start + timedelta(hours=3),
        capacity=1,
        groups=[youth_group],
        tutors=[tutor],
        by=project_leader,
    )
    services.masterclasses.sign_up(event=master_class, member=other_child, by=other_guardian)
    services.masterclasses.sign_up(event=master_class, member=child, by=guardian)
    client.force_login(guardian)
    assert "data-offered" not in panel(dashboard_html(client), "orchestra.children")
    with django_capture_on_commit_callbacks(execute=True):
        services.masterclasses.cancel_sign_up(
            event=master_class, member=other_child, by=other_guardian
        )
    html = panel(dashboard_html(client), "orchestra.children")
    assert 'data-offered="1"' in html
    assert f'href="{reverse("orchestra:my_master_classes")}#child-{child.pk}"' in html
    client.force_login(other_guardian)
    assert "data-offered" not in panel(dashboard_html(client), "orchestra.children")


def test_a_member_with_their_own_login_answers_for_themself(
    client, member_user, teen, child, season, youth_group
):
    plan = session(season, youth_group, days=2)
    client.force_login(member_user)
    html = panel(dashboard_html(client), "orchestra.children")
    assert f'data-member="{teen.pk}"' in html
    assert f'data-member="{child.pk}"' not in html
    response = client.post(
        reverse("orchestra:absence_reply"),
        {"member": teen.pk, "session": plan.event_id, "reply": "coming", "next": DASHBOARD},
    )
    assert response["Location"] == DASHBOARD
    assert Attendance.objects.get(member=teen, session=plan.event).replied_by == member_user


@pytest.mark.parametrize("role", ["project_leader", "juror", "artist", "venue_host", "tutor"])
def test_no_one_else_sees_the_childrens_panel(client, request, role, child, season, youth_group):
    session(season, youth_group, days=2)
    client.force_login(request.getfixturevalue(role))
    html = dashboard_html(client)
    assert "orchestra.children" not in panel_keys(html)
    assert CHILD_NAME[0] not in html


def test_the_guardians_panel_reads_a_fixed_number_of_queries(
    client, guardian, municipality, season, youth_group, django_assert_max_num_queries
):
    for number in range(2):
        own_child(guardian, municipality, youth_group, number)
        session(season, youth_group, days=number + 2)
    client.force_login(guardian)
    baseline = queries_of(client, django_assert_max_num_queries)
    for number in range(2, 10):
        own_child(guardian, municipality, youth_group, number)
        session(season, youth_group, days=number + 2)
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline
    assert dashboard_html(client).count("dashboard-child") == 10


# The tutor (conductor) ---------------------------------------------------------------------


def test_a_tutor_sees_todays_and_next_sessions_with_the_attendance_page(
    client, tutor, child, guardian, season, youth_group
):
    other_tutor = UserFactory(username="other-tutor", roles=[Role.TUTOR])
    today = session(season, youth_group, days=0, hour=23, tutors=[tutor], title="I dag")
    later = session(season, youth_group, days=3, tutors=[tutor], title="Senere")
    session(season, youth_group, days=1, tutors=[other_tutor], title="Ikke min")
    services.attendance.reply_for_session(
        member=child, session=later.event, reply="not_coming", reason="illness", by=guardian
    )
    client.force_login(tutor)
    html = panel(dashboard_html(client), "orchestra.sessions")
    assert "I dag" in html and "Senere" in html
    assert "Ikke min" not in html
    assert html.index("I dag") < html.index("Senere")
    assert f'href="{reverse("orchestra:session_attendance", args=[today.event_id])}"' in html
    assert 'data-not-coming="1"' in html
    # A tutor never reads a child's name here.
    assert CHILD_NAME[0] not in html


def test_a_tutor_without_sessions_sees_no_sessions_panel(client, tutor):
    client.force_login(tutor)
    assert "orchestra.sessions" not in panel_keys(dashboard_html(client))


def test_the_tutors_panel_reads_a_fixed_number_of_queries(
    client, tutor, season, youth_group, django_assert_max_num_queries
):
    for days in range(2):
        session(season, youth_group, days=days + 1, tutors=[tutor])
    client.force_login(tutor)
    baseline = queries_of(client, django_assert_max_num_queries)
    for days in range(2, 10):
        session(season, youth_group, days=days + 1, tutors=[tutor])
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline


# The tour leader ---------------------------------------------------------------------------


def make_tour(season, leader, *, days: int, players=()):
    start = timezone.now() + timedelta(days=days)
    event = EventFactory(
        period=season,
        kind=Event.Kind.TOUR,
        title_nb=f"Turné {days}",
        venue=None,
        start=start,
        end=start + timedelta(days=4),
    )
    tour = tour_services.create_tour(
        event=event, destination="Madrid", time_zone="Europe/Madrid", budget=Decimal("1000")
    )
    tour_services.add_adult(
        tour=tour, role=TourParticipant.Role.TOUR_LEADER, name="Tove", user=leader, by=None
    )
    for member in players:
        tour_services.add_player(tour=tour, member=member, by=None)
    return tour


def test_a_tour_leader_sees_the_checklists_counted_without_names(
    client, season, child, other_child
):
    leader = UserFactory(username="tourleader")
    tour = make_tour(season, leader, days=3, players=[child, other_child])
    client.force_login(leader)
    html = panel(dashboard_html(client), "orchestra.tours")
    assert "Turné 3" in html
    assert 'data-complete="0"' in html
    assert "(3)" in html  # nobody has shown an insurance card: all three
    assert CHILD_NAME[0] not in html and OTHER_CHILD_NAME[0] not in html
    # In the leaders' window: the participant list.
    assert f'href="{reverse("orchestra:tour_participants", args=[tour.pk])}"' in html


def test_a_complete_checklist_is_counted_complete(
    client, season, child, other_child, guardian, project_leader
):
    text = services.create_consent_text(kind=ConsentText.Kind.TRAVEL, text_nb="Barnet kan reise.")
    services.publish_consent_text(text=text)
    leader = UserFactory(username="tourleader")
    tour = make_tour(season, leader, days=3, players=[child, other_child])
    player = tour.participants.get(member=child)
    tour_services.update_checklist(
        participant=player,
        by=project_leader,
        passport_valid_until=timezone.localdate() + timedelta(days=400),
        ehic=True,
        share_paid=True,
    )
    tour_services.update_trip_details(
        participant=player, by=guardian, emergency_contacts="Mor: +47 900 00 001"
    )
    tour_services.give_travel_consent(participant=player, by=guardian)
    client.force_login(leader)
    html = panel(dashboard_html(client), "orchestra.tours")
    assert 'data-complete="1"' in html  # the child; not the other child, not the leader


def test_outside_the_window_the_leader_is_sent_to_the_tour_list(client, season):
    leader = UserFactory(username="tourleader")
    make_tour(season, leader, days=60)
    client.force_login(leader)
    html = panel(dashboard_html(client), "orchestra.tours")
    assert f'href="{reverse("orchestra:tours")}"' in html
    assert "deltakere" not in html


def test_the_tour_panel_reads_a_fixed_number_of_queries(
    client, season, municipality, youth_group, django_assert_max_num_queries
):
    leader = UserFactory(username="tourleader")
    members = [
        new_member(
            (f"Spiller{n}", "Turnésen"), age=12, municipality=municipality, groups=[youth_group]
        )
        for n in range(10)
    ]
    make_tour(season, leader, days=3, players=members[:2])
    client.force_login(leader)
    baseline = queries_of(client, django_assert_max_num_queries)
    make_tour(season, leader, days=5, players=members[2:])
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline


# The project leader ------------------------------------------------------------------------


def test_the_project_leader_sees_the_orchestra_registrations_waiting(
    client, project_leader, registration_open, season, municipality, guardian
):
    registered_child(season, municipality)
    client.force_login(project_leader)
    html = panel(dashboard_html(client), "orchestra.registrations")
    assert 'data-count="waiting">1<' in html
    assert f'href="{reverse("orchestra:applications")}"' in html
    client.force_login(guardian)
    assert "orchestra.registrations" not in panel_keys(dashboard_html(client))


def test_a_project_leader_who_is_also_a_guardian_sees_both_roles_panels(
    client, project_leader, registration_open, season, youth_group, municipality
):
    own_child(project_leader, municipality, youth_group, 1)
    session(season, youth_group, days=2)
    registered_child(season, municipality)
    full_event_with_waitlist(1)
    client.force_login(project_leader)
    keys = panel_keys(dashboard_html(client))
    assert {"ticketing.registrations", "orchestra.registrations", "orchestra.children"} <= set(keys)
    # In their order: the organiser's work first, then the family's.
    assert keys.index("ticketing.registrations") < keys.index("orchestra.children")


def test_the_orchestra_registrations_panel_reads_a_fixed_number_of_queries(
    client, project_leader, registration_open, season, municipality, django_assert_max_num_queries
):
    def register(number):
        registered_child(
            season, municipality, names=(f"Ny{number}", "Søkersen"), email=f"ny{number}@example.org"
        )

    for number in range(2):
        register(number)
    client.force_login(project_leader)
    baseline = queries_of(client, django_assert_max_num_queries)
    for number in range(2, 10):
        register(number)
    assert queries_of(client, django_assert_max_num_queries, baseline) <= baseline
    assert 'data-count="waiting">10<' in dashboard_html(client)
