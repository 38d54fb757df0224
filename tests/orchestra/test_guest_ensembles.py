"""Guest ensembles: staff keep them through the API; their contacts reach no one else."""

import pytest

from events.models import Event
from orchestra.models import GuestEnsemble
from tests.conftest import ROLE_FIXTURES
from tests.factories import EventFactory
from tests.orchestra.factories import GuestEnsembleFactory


@pytest.fixture
def concert(season):
    return EventFactory(period=season, kind=Event.Kind.CONCERT, venue=None)


@pytest.fixture
def guests(concert):
    return GuestEnsembleFactory(
        event=concert,
        name="Asker ungdomsorkester",
        contact_name="Kari Kontakt",
        contact_email="kari@example.org",
        players=24,
    )


@pytest.mark.parametrize("role", [*ROLE_FIXTURES, None])
def test_only_staff_read_the_guest_ensembles(request, api_as, guests, check_schema, role):
    user = request.getfixturevalue(role) if role else None
    response = api_as(user).get("/api/v1/guest-ensembles/")
    if role in ("admin_user", "project_leader"):
        body = check_schema(response)
        assert [row["name"] for row in body["results"]] == ["Asker ungdomsorkester"]
    else:
        assert response.status_code in (401, 403)
        assert "kari@example.org" not in response.content.decode()


def test_staff_invite_an_ensemble_with_field_errors_for_bad_input(
    api_as, project_leader, concert, guardian, check_schema
):
    api = api_as(project_leader)
    created = api.post(
        "/api/v1/guest-ensembles/",
        {"event": concert.pk, "name": "Drammen juniorstrykere", "players": 12},
    )
    assert check_schema(created)["players"] == 12
    bad = api.post("/api/v1/guest-ensembles/", {"event": concert.pk, "players": -1})
    assert bad.status_code == 400 and {"name", "players"} <= set(bad.json())
    refused = api_as(guardian).post(
        "/api/v1/guest-ensembles/", {"event": concert.pk, "name": "X", "players": 1}
    )
    assert refused.status_code == 403
    assert GuestEnsemble.objects.count() == 1


def test_the_list_reads_a_fixed_number_of_queries(
    api_as, project_leader, concert, django_assert_max_num_queries
):
    api = api_as(project_leader)
    GuestEnsembleFactory(event=concert, name="En", players=1)
    with django_assert_max_num_queries(8) as few:
        api.get("/api/v1/guest-ensembles/")
    GuestEnsemble.objects.bulk_create(
        GuestEnsemble(event=concert, name=f"Ensemble {n}", players=n) for n in range(20)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get("/api/v1/guest-ensembles/")
