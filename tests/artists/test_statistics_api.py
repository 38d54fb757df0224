"""The visitor statistics API: staff only, answers as the schema documents them."""

import pytest

from tests.conftest import ROLE_FIXTURES

pytestmark = pytest.mark.django_db

STAFF = {"admin_user", "project_leader"}
EDITION_URL = "/api/v1/visit-statistics/"
YEAR_ON_YEAR_URL = "/api/v1/visit-statistics/year-on-year/"


def test_an_editions_figures(api_as, admin_user, check_schema, counted_2016, edition_2016):
    body = check_schema(api_as(admin_user).get(EDITION_URL, {"edition": edition_2016.pk}))

    assert body["edition"] == {
        "id": edition_2016.pk,
        "slug": "2016",
        "name": edition_2016.name,
        "year": 2016,
    }
    assert body["figures"] == "counted"
    assert (body["joint_exhibition_visits"], body["joint_exhibition_pupils"]) == (80, 23)
    assert body["local_exhibition_visits"] == 11
    assert (body["studio_visits"], body["open_studios"]) == (39, 2)
    assert body["visits_per_open_studio"] == 19.5
    assert body["total_visits"] == 130
    assert body["qr_registrations"] == {"joint": 2, "local": 1, "studios": 3, "total": 6}
    assert [local["visits"] for local in body["local_exhibitions"]] == [11]
    assert {studio["name"]: studio["visits"] for studio in body["studios"]} == {
        "Atelier Maler": 31,
        "Verksted Keramiker": 8,
    }
    assert [weekend["visits"]["total"] for weekend in body["by_weekend"]] == [35, 27]
    assert sum(day["visits"]["total"] for day in body["by_day"]) == 130
    assert {row["name"]: row["visits"] for row in body["by_municipality"]} == {
        "Asker": 111,
        "Ringerike": 11,
        "Bærum": 8,
    }
    assert {row["category"]: row["visits"]["total"] for row in body["by_category"]} == {
        "single": 38,
        "school_class": 25,
        "guided_group": 27,
        "opening_guest": 40,
    }
    assert body["art_sales"] == {"total": 17_000, "count": 2}
    assert (body["artists"], body["applications"]) == (2, 3)


def test_sales_are_totals_only(api_as, admin_user, counted_2016, edition_2016):
    text = api_as(admin_user).get(EDITION_URL, {"edition": edition_2016.pk}).content.decode()

    assert "12000" not in text and "5000" not in text and "Krukke" not in text


def test_a_reported_edition(api_as, project_leader, check_schema, earlier_editions):
    body = check_schema(
        api_as(project_leader).get(EDITION_URL, {"edition": earlier_editions[2015].pk})
    )

    assert body["figures"] == "reported"
    assert (body["total_visits"], body["open_studios"], body["artists"]) == (120, 5, 100)
    assert body["art_sales"] == {"total": 20_000, "count": None}
    assert body["by_day"] == [] and body["studios"] == []


@pytest.mark.parametrize("query", [{}, {"edition": "x"}, {"edition": "999999"}])
def test_an_edition_must_be_given(api_as, admin_user, check_schema, query, edition_2016):
    response = api_as(admin_user).get(EDITION_URL, query)

    assert response.status_code == 400
    assert "edition" in check_schema(response)["detail"]


def test_an_orchestra_season_is_not_an_edition(api_as, admin_user, edition_2016):
    from events.models import Programme
    from tests.factories import PeriodFactory, ProgrammeFactory

    season = PeriodFactory(programme=ProgrammeFactory(kind=Programme.Kind.ORCHESTRA))

    assert api_as(admin_user).get(EDITION_URL, {"edition": season.pk}).status_code == 400


def test_year_on_year(api_as, admin_user, check_schema, counted_2016, earlier_editions):
    body = check_schema(api_as(admin_user).get(YEAR_ON_YEAR_URL))

    assert body["programme"]["slug"] == "kunst-rett-vest"
    rows = {row["edition"]["year"]: row for row in body["editions"]}
    assert [row["figures"] for row in rows.values()] == [
        "reported",
        "reported",
        "counted",
        "reported",
    ]
    assert rows[2017]["fell"] is True
    assert (rows[2017]["change"], rows[2017]["change_percent"]) == (-50, -38.5)
    assert rows[2017]["previous_year"] == 2016
    assert rows[2014]["change"] is None
    assert rows[2016]["cumulative_visits"] == 370
    assert rows[2016]["qr_registrations"] == 6
    assert body["all_time"]["total_visits"] == 450
    assert (body["all_time"]["first_year"], body["all_time"]["last_year"]) == (2014, 2017)


def test_year_on_year_of_a_chosen_programme(api_as, admin_user, check_schema, earlier_editions):
    programme = earlier_editions[2014].programme

    body = check_schema(api_as(admin_user).get(YEAR_ON_YEAR_URL, {"programme": programme.pk}))

    assert len(body["editions"]) == 4
    response = api_as(admin_user).get(YEAR_ON_YEAR_URL, {"programme": "0"})
    assert response.status_code == 400
    check_schema(response)


def test_year_on_year_without_an_art_round(api_as, admin_user, check_schema):
    body = check_schema(api_as(admin_user).get(YEAR_ON_YEAR_URL))

    assert body["programme"] is None
    assert body["editions"] == []
    assert body["all_time"]["total_visits"] == 0


@pytest.mark.parametrize("role", ROLE_FIXTURES)
@pytest.mark.parametrize("url", [EDITION_URL, YEAR_ON_YEAR_URL])
def test_only_staff_read_the_statistics(role, url, request, api_as, check_schema, edition_2016):
    client = api_as(request.getfixturevalue(role))

    response = client.get(url, {"edition": edition_2016.pk})

    assert response.status_code == (200 if role in STAFF else 403)
    check_schema(response)


@pytest.mark.parametrize("url", [EDITION_URL, YEAR_ON_YEAR_URL])
def test_anonymous_must_authenticate(url, api_as, check_schema, edition_2016):
    response = api_as(None).get(url, {"edition": edition_2016.pk})

    assert response.status_code == 401
    check_schema(response)


def test_the_api_reads_in_a_constant_number_of_queries(
    api_as, admin_user, counted_2016, edition_2016, earlier_editions, django_assert_max_num_queries
):
    client = api_as(admin_user)
    # The statistics' own queries, plus the user's roles.
    with django_assert_max_num_queries(15):
        client.get(EDITION_URL, {"edition": edition_2016.pk})
    with django_assert_max_num_queries(8):
        client.get(YEAR_ON_YEAR_URL)
