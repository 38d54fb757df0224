"""Concerts: plan_concert() always brings the junior groups, and the concert's public page
lists the groups and guest ensembles that play, never a member."""

import pytest

from events.models import Event
from orchestra.exceptions import OrchestraError
from orchestra.models import Group, GuestEnsemble
from orchestra.services.masterclasses import plan_concert
from tests.factories import EventFactory
from tests.orchestra.conftest import CHILD_NAME, OTHER_CHILD_NAME
from tests.orchestra.test_masterclass_pages import ROLES


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
    GuestEnsemble.objects.create(
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
    GuestEnsemble.objects.create(event=event, name="Gjesteorkester")
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Gjesteorkester" not in body


def test_panel_query_count_is_constant(
    client, concert, youth_group, junior_group, project_leader, django_assert_max_num_queries
):
    plan_concert(event=concert, groups=[youth_group], by=project_leader)
    with django_assert_max_num_queries(50) as few:
        client.get(concert.get_absolute_url())
    for n in range(4):
        GuestEnsemble.objects.create(event=concert, name=f"Gjest {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(concert.get_absolute_url())
