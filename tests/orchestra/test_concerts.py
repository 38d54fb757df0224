"""Concerts: plan_concert() always brings the junior groups, and the concert's public page
lists the groups and guest ensembles that play, never a member."""

import pytest
from django.conf import settings

from events.models import Event
from orchestra.exceptions import OrchestraError
from orchestra.models import Group
from orchestra.services.masterclasses import plan_concert
from tests.factories import EventFactory
from tests.orchestra.factories import (
    CHILD_NAME,
    OTHER_CHILD_NAME,
    GroupFactory,
    GuestEnsembleFactory,
)
from tests.orchestra.test_masterclass_pages import ROLES
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory


@pytest.fixture
def concert(season):
    return EventFactory(period=season, kind=Event.Kind.CONCERT, title_nb="Vårkonsert")


def test_the_junior_group_plays_at_every_concert(
    concert, youth_group, junior_group, project_leader
):
    plan = plan_concert(event=concert, groups=[youth_group], by=project_leader)
    assert set(plan.groups.all()) == {youth_group, junior_group}
    # Planning again with no group still keeps the juniors.
    plan = plan_concert(event=concert, groups=[], by=project_leader)
    assert set(plan.groups.all()) == {junior_group}


def test_a_group_of_another_season_is_refused(concert, project_leader, youth_group):
    other = EventFactory(kind=Event.Kind.CONCERT)
    with pytest.raises(OrchestraError):
        plan_concert(event=other, groups=[youth_group], by=project_leader)


def test_only_staff_plan_concerts_and_only_concerts(concert, youth_group, guardian, project_leader):
    with pytest.raises(OrchestraError):
        plan_concert(event=concert, groups=[youth_group], by=guardian)
    rehearsal = EventFactory(period=concert.period, kind=Event.Kind.SESSION)
    with pytest.raises(OrchestraError):
        plan_concert(event=rehearsal, groups=[youth_group], by=project_leader)


def test_a_season_without_junior_groups_needs_a_group(season, project_leader):
    concert = EventFactory(period=season, kind=Event.Kind.CONCERT)
    with pytest.raises(OrchestraError):
        plan_concert(event=concert, groups=[], by=project_leader)
    assert not Group.objects.filter(season=season).exists()


@pytest.mark.parametrize("logged_in", ROLES)
def test_public_page_lists_groups_and_ensembles_but_no_member(
    client,
    request,
    concert,
    youth_group,
    junior_group,
    child,
    other_child,
    project_leader,
    logged_in,
):
    plan_concert(event=concert, groups=[youth_group], by=project_leader)
    GuestEnsembleFactory(
        event=concert, name="Drammen ungdomsorkester", contact_name="Kari Kontakt", players=30
    )
    if logged_in != "anonymous":
        client.force_login(request.getfixturevalue(logged_in))
    body = client.get(concert.get_absolute_url()).content.decode()
    assert "Ungdomssymfonikerne" in body
    assert "Juniorsymfonikerne" in body
    assert "Drammen ungdomsorkester" in body
    assert "Kari Kontakt" not in body
    for first, last in (CHILD_NAME, OTHER_CHILD_NAME):
        assert first not in body
        assert last not in body


def test_panel_only_on_concerts(client, season, youth_group):
    event = EventFactory(period=season, kind=Event.Kind.WORKSHOP)
    GuestEnsembleFactory(event=event, name="Gjesteorkester")
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Gjesteorkester" not in body


def test_panel_query_count_is_constant(
    client, concert, youth_group, junior_group, project_leader, django_assert_max_num_queries
):
    plan_concert(event=concert, groups=[youth_group], by=project_leader)
    with django_assert_max_num_queries(50) as few:
        client.get(concert.get_absolute_url())
    for n in range(4):
        GuestEnsembleFactory(event=concert, name=f"Gjest {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(concert.get_absolute_url())


# The project leader's planning page ---------------------------------------------------------

PLANNING = "/stab/orkester/konserter/"


@pytest.fixture
def paid_concert(concert):
    pool = CapacityPoolFactory(event=concert, name="Salen", size=300)
    OfferFactory(event=concert, name_nb="Voksen", pool=pool, price=150)
    return concert


@pytest.mark.parametrize("role", ROLES)
def test_planning_page_is_for_staff_only(client, request, role, concert, youth_group, child):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(PLANNING)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("project_leader", "admin_user"):
        assert response.status_code == 200
        assert concert.title_nb in response.content.decode()
    else:
        assert response.status_code == 403
    post = client.post(f"{PLANNING}{concert.pk}/grupper/", {"groups": [youth_group.pk]})
    if role not in ("project_leader", "admin_user"):
        assert post.status_code in (302, 403)
        assert not concert_groups(concert)


def concert_groups(concert) -> set[str]:
    return set(Group.objects.filter(session_plans__event=concert).values_list("name", flat=True))


def test_planning_page_shows_groups_ensembles_and_places(
    client, project_leader, paid_concert, youth_group, junior_group, child
):
    GuestEnsembleFactory(event=paid_concert, name="Gjestekoret", players=12)
    client.force_login(project_leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(PLANNING).content.decode()
    assert "No groups are chosen yet." in body
    assert "Gjestekoret" in body and "12 players" in body
    assert "300 places left" in body and "NOK\xa0150" in body
    # The junior group is ticked and cannot be unticked.
    assert f'value="{junior_group.pk}" checked disabled' in body
    assert CHILD_NAME[0] not in body


def test_leader_sets_the_line_up_and_the_juniors_stay(
    client, project_leader, concert, youth_group, junior_group
):
    client.force_login(project_leader)
    response = client.post(f"{PLANNING}{concert.pk}/grupper/", {"groups": [youth_group.pk]})
    assert response.status_code == 302
    assert response.url.endswith(f"#concert-{concert.pk}")
    assert concert_groups(concert) == {"Ungdomssymfonikerne", "Juniorsymfonikerne"}
    client.post(f"{PLANNING}{concert.pk}/grupper/", {"groups": []})
    assert concert_groups(concert) == {"Juniorsymfonikerne"}


def test_a_group_of_another_season_is_ignored_and_errors_are_shown(client, project_leader, season):
    concert = EventFactory(period=season, kind=Event.Kind.CONCERT)
    other_season_group = GroupFactory(
        season=EventFactory(kind=Event.Kind.CONCERT).period, name="Annen", min_age=8, max_age=18
    )
    client.force_login(project_leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        f"{PLANNING}{concert.pk}/grupper/", {"groups": [other_season_group.pk, "x"]}, follow=True
    )
    # No group of the season and no junior group: nothing to plan, a clear message.
    assert "Choose the groups that play at the concert." in response.content.decode()
    assert not concert_groups(concert)


def test_planning_page_query_count_is_constant(
    client, project_leader, season, youth_group, junior_group, django_assert_max_num_queries
):
    client.force_login(project_leader)
    first = EventFactory(period=season, kind=Event.Kind.CONCERT)
    plan_concert(event=first, groups=[youth_group], by=project_leader)
    with django_assert_max_num_queries(30) as few:
        client.get(PLANNING)
    for n in range(5):
        concert = EventFactory(period=season, kind=Event.Kind.CONCERT)
        plan_concert(event=concert, groups=[youth_group], by=project_leader)
        GuestEnsembleFactory(event=concert, name=f"Gjest {n}", players=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PLANNING)


# /api/v1/concerts/ --------------------------------------------------------------------------

API = "/api/v1/concerts/"


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_concerts_for_everyone_without_members(
    api, role, paid_concert, youth_group, junior_group, child, project_leader, check_schema
):
    plan_concert(event=paid_concert, groups=[youth_group], by=project_leader)
    GuestEnsembleFactory(
        event=paid_concert, name="Gjestekoret", contact_name="Kari Kontakt", players=12
    )
    hidden = EventFactory(
        period=paid_concert.period, kind=Event.Kind.CONCERT, visibility=Event.Visibility.STAFF
    )
    response = api(role).get(API)
    body = check_schema(response)
    ids = [row["id"] for row in body["results"]]
    if role in ("project_leader", "admin_user"):
        assert ids == sorted([paid_concert.pk, hidden.pk])
    else:
        assert ids == [paid_concert.pk]
    row = next(r for r in body["results"] if r["id"] == paid_concert.pk)
    assert {g["name"] for g in row["groups"]} == {"Ungdomssymfonikerne", "Juniorsymfonikerne"}
    assert row["guest_ensembles"] == [{"name": "Gjestekoret", "players": 12}]
    assert row["offers"][0]["places_left"] == 300
    text = response.content.decode()
    assert "Kari Kontakt" not in text and CHILD_NAME[0] not in text
    assert api(role).get(f"{API}{hidden.pk}/").status_code == (
        200 if role in ("project_leader", "admin_user") else 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_only_staff_set_the_groups(api, role, concert, youth_group, junior_group, check_schema):
    response = api(role).post(
        f"{API}{concert.pk}/groups/", {"groups": [youth_group.pk]}, format="json"
    )
    if role in ("project_leader", "admin_user"):
        body = check_schema(response)
        assert {g["name"] for g in body["groups"]} == {"Ungdomssymfonikerne", "Juniorsymfonikerne"}
    else:
        assert response.status_code in (401, 403)
        assert not concert_groups(concert)


def test_api_refuses_a_group_of_another_season(api, concert, check_schema):
    other = GroupFactory(
        season=EventFactory(kind=Event.Kind.CONCERT).period, name="Annen", min_age=8, max_age=18
    )
    response = api("project_leader").post(
        f"{API}{concert.pk}/groups/", {"groups": [other.pk]}, format="json"
    )
    assert response.status_code == 400
    assert not concert_groups(concert)


def test_api_query_count_is_constant(
    api, season, youth_group, project_leader, django_assert_max_num_queries
):
    client = api("anonymous")
    first = EventFactory(period=season, kind=Event.Kind.CONCERT)
    plan_concert(event=first, groups=[youth_group], by=project_leader)
    with django_assert_max_num_queries(20) as few:
        client.get(API)
    for n in range(5):
        concert = EventFactory(period=season, kind=Event.Kind.CONCERT)
        plan_concert(event=concert, groups=[youth_group], by=project_leader)
        GuestEnsembleFactory(event=concert, name=f"Gjest {n}", players=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(API).json()["results"]) == 6
