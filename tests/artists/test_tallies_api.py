"""The tallies and sales API: hosts count at their own places, staff everywhere; bad input
comes back as field errors, a retried nonce counts once. Answers match the schema."""

from datetime import date

import pytest
from django.conf import settings
from django.test import override_settings

from artists.models import ArtSale, VisitTally
from artists.services import tallies
from tests.artists.factories import WorkFactory
from tests.conftest import ROLE_FIXTURES

DAY = date(2016, 9, 17)
URL = "/api/v1/tallies/"
SALES = "/api/v1/sales/"


@pytest.fixture
def api_as(api_as):
    """API clients that read the answers in English, to match the messages below."""

    def login(user):
        client = api_as(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def as_user(request, who):
    if who == "anonymous":
        return None
    user = request.getfixturevalue(who)
    return getattr(user, "user", user)


def tap(place_field, place, **values):
    return {place_field: place.pk, "date": DAY.isoformat(), "visitors": 1, **values}


@pytest.fixture
def counted(open_studio, exhibition_open, artist_profile, venue_host):
    """One count at the studio and one at the exhibition."""
    studio_tally = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=3, nonce="s-1"
    ).tally
    exhibition_tally = tallies.record_tally(
        by=venue_host, place=exhibition_open, day=DAY, visitors=5, nonce="e-1"
    ).tally
    return studio_tally, exhibition_tally


# Who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin_user", {"s-1", "e-1"}),
        ("project_leader", {"s-1", "e-1"}),
        ("artist", {"s-1"}),
        ("venue_host", {"e-1"}),
        ("juror", set()),
        ("guardian", set()),
        ("tutor", set()),
        ("nobody", set()),
        ("other_host", set()),
        ("other_artist", set()),
    ],
)
def test_each_role_lists_the_tallies_of_its_own_places(
    request, api_as, check_schema, counted, who, expected
):
    answer = api_as(as_user(request, who)).get(URL)
    assert answer.status_code == 200
    assert {row["nonce"] for row in check_schema(answer)["results"]} == expected


def test_anonymous_gets_nothing(api_as, counted, check_schema):
    studio_tally, _ = counted
    for answer in (
        api_as(None).get(URL),
        api_as(None).get(f"{URL}{studio_tally.pk}/"),
        api_as(None).post(URL, tap("studio", studio_tally.studio), format="json"),
    ):
        assert answer.status_code == 401
    assert VisitTally.objects.count() == 2


def test_a_host_of_another_place_cannot_read_or_change_its_tallies(
    api_as, counted, venue_host, other_host
):
    # Refused (403), as the counting pages refuse them (artists.policies.COUNT_AT_PLACE).
    studio_tally, exhibition_tally = counted
    host = api_as(venue_host)
    assert host.get(f"{URL}{studio_tally.pk}/").status_code == 403
    assert host.post(f"{URL}{studio_tally.pk}/void/", {"reason": "x"}).status_code == 403
    assert host.patch(f"{URL}{studio_tally.pk}/", {"reason": "x", "visitors": 9}).status_code == 403
    other = api_as(other_host)
    assert other.get(f"{URL}{exhibition_tally.pk}/").status_code == 403
    studio_tally.refresh_from_db()
    assert (studio_tally.visitors, studio_tally.voided_at) == (3, None)


def test_the_tally_carries_its_place_and_corrections(api_as, check_schema, counted, artist_profile):
    studio_tally, _ = counted
    tallies.correct_tally(tally=studio_tally, by=artist_profile.user, reason="Typo", visitors=2)
    body = check_schema(api_as(artist_profile.user).get(f"{URL}{studio_tally.pk}/"))
    assert body["studio"] == studio_tally.studio_id and body["exhibition"] is None
    assert body["place_name"].endswith("Atelier Maler")
    assert body["visitors"] == 2
    assert [
        (c["before"]["visitors"], c["after"]["visitors"], c["reason"]) for c in body["corrections"]
    ] == [(3, 2, "Typo")]


# Counting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "place", "status"),
    [
        ("admin_user", "open_studio", 201),
        ("project_leader", "exhibition_open", 201),
        ("artist", "open_studio", 201),
        ("artist", "exhibition_open", 400),  # not a place they count at: a field error
        ("venue_host", "exhibition_open", 201),
        ("venue_host", "open_studio", 400),  # not a place they count at: a field error
        ("other_host", "exhibition_open", 400),  # not a place they count at: a field error
        ("other_artist", "open_studio", 400),  # not a place they count at: a field error
        ("juror", "open_studio", 403),
        ("guardian", "exhibition_open", 403),
        ("tutor", "exhibition_open", 403),
        ("nobody", "open_studio", 403),
    ],
)
def test_who_may_count_where(db, request, api_as, check_schema, who, place, status):
    target = request.getfixturevalue(place)
    field = "studio" if place == "open_studio" else "exhibition"
    answer = api_as(as_user(request, who)).post(URL, tap(field, target, nonce="n"), format="json")
    assert answer.status_code == status, answer.content
    check_schema(answer)
    assert VisitTally.objects.count() == (1 if status == 201 else 0)


def test_a_tap_answers_with_the_day_totals(api_as, check_schema, open_studio, artist_profile):
    client = api_as(artist_profile.user)
    client.post(URL, tap("studio", open_studio, visitors=2, nonce="a"), format="json")
    answer = client.post(
        URL,
        tap("studio", open_studio, visitors=4, category="guided_group", nonce="b"),
        format="json",
    )
    body = check_schema(answer)
    assert answer.status_code == 201
    assert body["replayed"] is False
    assert body["day_totals"]["visitors"] == 6
    by_category = {row["category"]: row["visitors"] for row in body["day_totals"]["by_category"]}
    assert by_category == {"single": 2, "school_class": 0, "guided_group": 4, "opening_guest": 0}


def test_a_replayed_nonce_answers_200_with_the_first_tally(
    api_as, check_schema, open_studio, artist_profile
):
    client = api_as(artist_profile.user)
    body = tap("studio", open_studio, visitors=3, nonce="same")
    first = client.post(URL, body, format="json")
    again = client.post(URL, {**body, "tapped_at": "2016-09-17T12:00:00+02:00"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert check_schema(again)["replayed"] is True
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["day_totals"]["visitors"] == 3
    assert VisitTally.objects.count() == 1


def test_a_nonce_reused_for_another_count_is_refused(api_as, open_studio, artist_profile):
    client = api_as(artist_profile.user)
    client.post(URL, tap("studio", open_studio, visitors=3, nonce="same"), format="json")
    answer = client.post(URL, tap("studio", open_studio, visitors=4, nonce="same"), format="json")
    assert answer.status_code == 400
    assert "already used" in answer.json()["detail"]
    assert list(VisitTally.objects.values_list("visitors", flat=True)) == [3]


def test_a_tap_sent_later_keeps_when_it_was_tapped(api_as, open_studio, artist_profile):
    answer = api_as(artist_profile.user).post(
        URL,
        tap("studio", open_studio, nonce="late", tapped_at="2016-09-17T13:05:00+02:00"),
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["tapped_at"].startswith("2016-09-17T13:05:00")


def test_a_school_class_is_counted_with_pupils_and_school(
    api_as, check_schema, exhibition_open, venue_host
):
    answer = api_as(venue_host).post(
        URL,
        tap(
            "exhibition",
            exhibition_open,
            category="school_class",
            visitors=27,
            pupils=25,
            school="Asker ungdomsskole",
        ),
        format="json",
    )
    assert answer.status_code == 201
    assert check_schema(answer)["day_totals"]["pupils"] == 25


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"visitors": 0}, "visitors"),
        ({"visitors": -3}, "visitors"),
        ({"visitors": 201}, "visitors"),
        ({"visitors": "many"}, "visitors"),
        ({"date": "2016-09-19"}, "date"),  # the studio is closed on the Monday
        ({"date": "2099-09-17"}, "date"),  # the future
        ({"category": "school_class", "visitors": 20}, "pupils"),
        ({"category": "school_class", "visitors": 20, "pupils": 19}, "school"),
        ({"category": "school_class", "visitors": 20, "pupils": 25, "school": "X"}, "pupils"),
        ({"category": "crowd"}, "category"),
        ({"studio": 99999}, "studio"),
    ],
)
def test_bad_input_comes_back_as_field_errors(api_as, open_studio, artist_profile, values, field):
    answer = api_as(artist_profile.user).post(
        URL, tap("studio", open_studio, **values), format="json"
    )
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert not VisitTally.objects.exists()


def test_a_tally_needs_exactly_one_place(api_as, open_studio, exhibition_open, project_leader):
    client = api_as(project_leader)
    both = {**tap("studio", open_studio), "exhibition": exhibition_open.pk}
    neither = {"date": DAY.isoformat(), "visitors": 1}
    for body in (both, neither):
        answer = client.post(URL, body, format="json")
        assert answer.status_code == 400
        assert "non_field_errors" in answer.json()
    assert not VisitTally.objects.exists()


def test_too_big_a_group_is_told_the_limit(api_as, open_studio, artist_profile):
    """A group of 500 hears "at most 200", not "give the number in the group"."""
    answer = api_as(artist_profile.user).post(
        URL, tap("studio", open_studio, visitors=500), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 400
    assert answer.json()["visitors"] == [
        "At most 200 visitors can be counted in one entry; split a larger group."
    ]
    assert not VisitTally.objects.exists()


@override_settings(TALLY_MAX_PER_ENTRY=500)
def test_the_maximum_follows_the_setting(api_as, open_studio, artist_profile):
    answer = api_as(artist_profile.user).post(
        URL, tap("studio", open_studio, visitors=450), format="json"
    )
    assert answer.status_code == 201


# Corrections and removals ----------------------------------------------------------------


def test_a_host_corrects_with_patch_or_post(api_as, check_schema, counted, artist_profile):
    studio_tally, _ = counted
    client = api_as(artist_profile.user)
    answer = client.patch(f"{URL}{studio_tally.pk}/", {"visitors": 2, "reason": "Typo"})
    assert check_schema(answer)["visitors"] == 2
    answer = client.post(
        f"{URL}{studio_tally.pk}/correct/", {"category": "opening_guest", "reason": "Opening"}
    )
    body = check_schema(answer)
    assert body["category"] == "opening_guest"
    assert [c["reason"] for c in body["corrections"]] == ["Typo", "Opening"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"visitors": 2}, "reason"),
        ({"visitors": 0, "reason": "x"}, "visitors"),
        ({"visitors": 999, "reason": "x"}, "visitors"),
        ({"date": "2016-09-19", "reason": "x"}, "date"),
    ],
)
def test_a_bad_correction_is_refused(api_as, counted, artist_profile, values, field):
    studio_tally, _ = counted
    answer = api_as(artist_profile.user).patch(f"{URL}{studio_tally.pk}/", values)
    assert answer.status_code == 400
    assert field in answer.json()
    studio_tally.refresh_from_db()
    assert studio_tally.visitors == 3 and not studio_tally.corrections.exists()


def test_staff_void_a_count_and_the_list_leaves_it_out(
    api_as, check_schema, counted, project_leader
):
    studio_tally, _ = counted
    client = api_as(project_leader)
    assert client.post(f"{URL}{studio_tally.pk}/void/", {}).status_code == 400
    answer = client.post(f"{URL}{studio_tally.pk}/void/", {"reason": "Counted twice"})
    assert check_schema(answer)["is_void"] is True
    listed = check_schema(client.get(URL))["results"]
    assert [row["nonce"] for row in listed] == ["e-1"]
    listed = check_schema(client.get(URL, {"include_voided": "true"}))["results"]
    assert {row["nonce"] for row in listed} == {"s-1", "e-1"}
    assert check_schema(client.get(f"{URL}{studio_tally.pk}/"))["is_void"] is True
    answer = client.post(f"{URL}{studio_tally.pk}/correct/", {"visitors": 1, "reason": "x"})
    assert answer.status_code == 400


def test_the_list_filters(api_as, check_schema, counted, project_leader, open_studio):
    client = api_as(project_leader)
    studio_tally, exhibition_tally = counted

    def nonces(**query):
        return {row["nonce"] for row in check_schema(client.get(URL, query))["results"]}

    assert nonces(studio=open_studio.pk) == {"s-1"}
    assert nonces(exhibition=exhibition_tally.exhibition_id) == {"e-1"}
    assert nonces(edition=open_studio.edition_id) == {"s-1", "e-1"}
    assert nonces(date="2016-09-18") == set()
    assert nonces(category="single") == {"s-1", "e-1"}


def test_the_day_endpoint(api_as, check_schema, counted, artist_profile, venue_host, open_studio):
    answer = api_as(artist_profile.user).get(
        f"{URL}day/", {"studio": open_studio.pk, "date": DAY.isoformat()}
    )
    body = check_schema(answer)
    assert (body["studio"], body["totals"]["visitors"]) == (open_studio.pk, 3)
    answer = api_as(venue_host).get(f"{URL}day/", {"studio": open_studio.pk})
    assert answer.status_code == 400 and "studio" in answer.json()
    assert api_as(venue_host).get(f"{URL}day/").status_code == 400


def test_the_list_takes_a_constant_number_of_queries(
    api_as, django_assert_max_num_queries, open_studio, artist_profile, project_leader
):
    client = api_as(project_leader)

    def count(n, start):
        for i in range(n):
            tally = tallies.record_tally(
                by=artist_profile.user, place=open_studio, day=DAY, visitors=2, nonce=f"{start}{i}"
            ).tally
            tallies.correct_tally(tally=tally, by=project_leader, reason="r", visitors=1)

    count(2, "a")
    with django_assert_max_num_queries(8) as small:
        assert client.get(URL).status_code == 200
    count(20, "b")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 22


# Sales -----------------------------------------------------------------------------------


@pytest.fixture
def sold(artist_profile, other_artist, edition, accepted):
    work = WorkFactory(artist=artist_profile, edition=edition, title="Fjord")
    mine = tallies.record_sale(
        by=artist_profile.user, artist=artist_profile, edition=edition, amount=4500, work=work
    )
    theirs = tallies.record_sale(
        by=other_artist.user, artist=other_artist, edition=edition, amount=900, description="Krus"
    )
    return mine, theirs


@pytest.mark.parametrize("who", [*ROLE_FIXTURES, "other_artist"])
def test_sales_are_private(request, api_as, check_schema, sold, who):
    answer = api_as(as_user(request, who)).get(SALES)
    expected = {"admin_user": [900, 4500], "project_leader": [900, 4500], "artist": [4500]}
    expected["other_artist"] = [900]
    if who not in expected:  # a login without an artist profile has no sales (ART_SALES)
        assert answer.status_code == 403
        return
    amounts = sorted(row["amount"] for row in check_schema(answer)["results"])
    assert amounts == expected[who]


def test_anonymous_sees_no_sales(api_as, sold):
    assert api_as(None).get(SALES).status_code == 401
    assert api_as(None).post(SALES, {"amount": 1}).status_code == 401


def test_the_artist_records_and_deletes_a_sale(
    api_as, check_schema, artist_profile, edition, accepted, studio
):
    client = api_as(artist_profile.user)
    answer = client.post(SALES, {"amount": 1200, "description": "Grafikk", "sold_on": "2016-09-17"})
    body = check_schema(answer)
    assert answer.status_code == 201
    assert (body["artist"], body["edition"], body["amount"]) == (
        artist_profile.pk,
        edition.pk,
        1200,
    )
    assert client.delete(f"{SALES}{body['id']}/").status_code == 204
    assert not ArtSale.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"amount": 0, "description": "x"}, "amount"),
        ({"amount": 100}, "description"),
    ],
)
def test_a_bad_sale_is_refused(api_as, artist_profile, accepted, values, field):
    answer = api_as(artist_profile.user).post(SALES, values)
    assert answer.status_code == 400
    assert field in answer.json()


def test_an_artist_cannot_record_or_delete_anothers_sale(
    api_as, sold, other_artist, artist_profile
):
    mine, _ = sold
    client = api_as(other_artist.user)
    answer = client.post(SALES, {"artist": artist_profile.pk, "amount": 5, "description": "x"})
    assert answer.status_code == 403
    assert client.delete(f"{SALES}{mine.pk}/").status_code == 404
    work = mine.work
    answer = client.post(SALES, {"amount": 5, "work": work.pk})
    assert answer.status_code == 400 and "work" in answer.json()
    assert ArtSale.objects.count() == 2


@pytest.mark.parametrize("who", ["juror", "venue_host", "nobody"])
def test_a_user_without_a_profile_records_no_sale(request, api_as, who, edition):
    answer = api_as(request.getfixturevalue(who)).post(
        SALES, {"edition": edition.pk, "amount": 5, "description": "x"}
    )
    assert answer.status_code == 403


def test_staff_record_a_sale_for_an_artist(api_as, project_leader, artist_profile, edition):
    client = api_as(project_leader)
    answer = client.post(SALES, {"edition": edition.pk, "amount": 5, "description": "x"})
    assert answer.status_code == 400 and "artist" in answer.json()
    answer = client.post(
        SALES,
        {"artist": artist_profile.pk, "edition": edition.pk, "amount": 5, "description": "x"},
    )
    assert answer.status_code == 201


def test_the_sales_list_takes_a_constant_number_of_queries(
    api_as, django_assert_max_num_queries, artist_profile, edition, project_leader
):
    client = api_as(project_leader)
    tallies.record_sale(
        by=project_leader, artist=artist_profile, edition=edition, amount=1, description="a"
    )
    with django_assert_max_num_queries(6) as small:
        client.get(SALES)
    for i in range(15):
        tallies.record_sale(
            by=project_leader, artist=artist_profile, edition=edition, amount=i + 1, description="b"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(SALES).json()["results"]) == 16
