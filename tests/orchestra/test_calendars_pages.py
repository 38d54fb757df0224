"""The calendar pages and API of the orchestra, for every role: who may make, see and stop
a private calendar link, and the public list of the groups' feeds."""

import pytest
from django.test import Client

from orchestra.models import CalendarToken, hash_calendar_token
from orchestra.views.calendars import NEW_TOKEN_SESSION_KEY
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, ROLES, TEEN_NAME
from tests.orchestra.test_calendars_feeds import Season

# What the roles (ROLES) get on the guardian's page, the member's page and the API.
GUARDIANS = {"guardian", "other_guardian"}
MEMBERS = {"member_user"}


@pytest.fixture
def everyone(request, child, other_child, member_user):
    """Return the login of a role name (None: anonymous), with the children in place."""

    def user(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return user


@pytest.fixture
def weekend(season, youth_group, junior_group):
    return Season(season, youth_group, junior_group)


def client_as(user, **options):
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def expected_page_status(role, owners):
    if role == "anonymous":
        return 302
    return 200 if role in owners else 403


@pytest.mark.parametrize("role", ROLES)
def test_the_guardians_calendar_page_for_every_role(role, everyone, weekend):
    response = client_as(everyone(role)).get("/foresatt/kalender/")
    assert response.status_code == expected_page_status(role, GUARDIANS)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if response.status_code == 200:
        content = response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "/calendar/private/" not in content
        own, others = (
            (CHILD_NAME, OTHER_CHILD_NAME) if role == "guardian" else (OTHER_CHILD_NAME, CHILD_NAME)
        )
        assert f"{own[0]}: Tutti" in content
        assert others[0] not in content
        assert TEEN_NAME[0] not in content
        assert 'action="/foresatt/kalender/ny-lenke/"' in content


@pytest.mark.parametrize("role", ROLES)
def test_the_members_calendar_page_for_every_role(role, everyone, weekend):
    response = client_as(everyone(role)).get("/meg/kalender/")
    assert response.status_code == expected_page_status(role, MEMBERS)
    if response.status_code == 200:
        content = response.content.decode()
        assert "Tutti" in content
        assert CHILD_NAME[0] not in content
        assert OTHER_CHILD_NAME[0] not in content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url", "owners", "page"),
    [
        ("/foresatt/kalender/ny-lenke/", GUARDIANS, "/foresatt/kalender/"),
        ("/meg/kalender/ny-lenke/", MEMBERS, "/meg/kalender/"),
    ],
)
def test_making_links_for_every_role(role, url, owners, page, everyone):
    user = everyone(role)
    response = client_as(user).post(url, {"name": "Family iPad"})
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role in owners:
        assert response.status_code == 302
        assert response["Location"] == page
    else:
        assert response.status_code == 403
    made = role in owners
    assert list(CalendarToken.objects.values_list("name", flat=True)) == (
        ["Family iPad"] if made else []
    )
    # Pages answer GET only for reading: a GET never makes a link.
    assert client_as(user).get(url).status_code in (302, 403, 405)


@pytest.mark.parametrize("role", ROLES)
def test_stopping_a_link_for_every_role(role, everyone, guardian):
    from orchestra.models import Guardian
    from orchestra.services.calendars import create_calendar_token

    create_calendar_token(owner=Guardian.objects.get(user=guardian), name="Mum's phone")
    link = CalendarToken.objects.get()
    response = client_as(everyone(role)).post(f"/foresatt/kalender/{link.pk}/stopp/")
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    elif role in GUARDIANS:
        # Another guardian's link is not theirs to stop: nothing happens.
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert CalendarToken.objects.exists() == (role != "guardian")


@pytest.mark.parametrize("page", ["/foresatt/kalender/", "/meg/kalender/"])
def test_the_links_forms_need_the_csrf_token(page, guardian, member_user, child):
    user = guardian if page.startswith("/foresatt") else member_user
    client = client_as(user, enforce_csrf_checks=True)
    assert client.post(page + "ny-lenke/").status_code == 403
    assert not CalendarToken.objects.exists()
    content = client.get(page).content.decode()
    assert 'name="csrfmiddlewaretoken"' in content


def test_a_new_link_is_shown_once_and_opens_the_feed(client, guardian, child, weekend):
    client.force_login(guardian)
    response = client.post("/foresatt/kalender/ny-lenke/", {"name": "Mum's phone"}, follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    stored = CalendarToken.objects.get(guardian__user=guardian)
    start = content.index("/calendar/private/") + len("/calendar/private/")
    token = content[start : content.index(".ics", start)]
    assert hash_calendar_token(token) == stored.token_hash
    assert f"webcal://testserver/calendar/private/{token}.ics" in content
    assert "calendar.google.com" in content
    assert "Mum&#x27;s phone" in content
    assert NEW_TOKEN_SESSION_KEY not in client.session
    # Shown once: the next visit lists the link with its dates, not the address.
    again = client.get("/foresatt/kalender/").content.decode()
    assert token not in again
    assert "/calendar/private/" not in again
    assert "Mum&#x27;s phone" in again
    assert "Ikke ennå" in again  # last used: not yet
    assert f'action="/foresatt/kalender/{stored.pk}/stopp/"' in again
    feed = Client().get(f"/calendar/private/{token}.ics")
    assert feed.status_code == 200
    assert b"Sunniva: Tutti" in feed.content
    assert "Not yet" not in client.get("/foresatt/kalender/").content.decode()
    # A second link leaves the first working; stopping one leaves the other.
    client.post("/foresatt/kalender/ny-lenke/", {"name": "Family iPad"})
    assert Client().get(f"/calendar/private/{token}.ics").status_code == 200
    client.get("/foresatt/kalender/")
    client.post(f"/foresatt/kalender/{stored.pk}/stopp/")
    assert Client().get(f"/calendar/private/{token}.ics").status_code == 404
    assert list(CalendarToken.objects.values_list("name", flat=True)) == ["Family iPad"]


def test_a_token_in_the_session_that_is_no_longer_current_is_not_shown(
    client, guardian, child, weekend
):
    client.force_login(guardian)
    client.post("/foresatt/kalender/ny-lenke/")
    client.post(f"/foresatt/kalender/{CalendarToken.objects.get().pk}/stopp/")
    session = client.session
    session[NEW_TOKEN_SESSION_KEY] = "stale-token"
    session.save()
    assert "/calendar/private/" not in client.get("/foresatt/kalender/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_public_feeds_and_their_page_for_every_role(role, everyone, weekend, youth_group):
    client = client_as(everyone(role))
    page = client.get("/orkester/kalendere/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"/calendar/group/{youth_group.pk}.ics" in content
    for name in (CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME):
        assert name[0] not in content
        assert name[1] not in content
    feed = client.get(f"/calendar/group/{youth_group.pk}.ics")
    assert feed.status_code == 200
    for name in (CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME):
        assert name[0].encode() not in feed.content


@pytest.mark.parametrize("role", ROLES)
def test_a_private_feed_opens_with_its_token_whoever_asks(role, everyone, weekend, child):
    from orchestra.models import Guardian
    from orchestra.services.calendars import create_calendar_token

    token = create_calendar_token(owner=Guardian.objects.get(user__username="guardian"))
    client = client_as(everyone(role))
    assert client.get(f"/calendar/private/{token}.ics").status_code == 200
    assert client.get(f"/calendar/private/{token[:-1]}.ics").status_code == 404


def test_the_url_names(db):
    from django.urls import reverse

    assert reverse("orchestra:calendar") == "/foresatt/kalender/"
    assert reverse("orchestra:my_calendar") == "/meg/kalender/"
    assert reverse("orchestra:private_feed", args=["abc_-1"]) == "/calendar/private/abc_-1.ics"
    assert reverse("orchestra:group_feed", args=[7]) == "/calendar/group/7.ics"


# API ---------------------------------------------------------------------------------------

API_URL = "/api/v1/calendar-token/"


def api_status(role, ok):
    if role == "anonymous":
        return 401
    return ok if role in GUARDIANS | MEMBERS else 403


@pytest.mark.parametrize("role", ROLES)
def test_the_api_makes_lists_and_stops_links_for_every_role(
    role, everyone, api_as, check_schema, weekend
):
    api = api_as(everyone(role))
    made = api.post(API_URL, {"name": "Mum's phone"}, format="json")
    assert made.status_code == api_status(role, 201)
    answer = check_schema(made)
    second = api.post(API_URL, {}, format="json")
    listed = api.get(API_URL)
    assert listed.status_code == api_status(role, 200)
    links = check_schema(listed)
    if role in GUARDIANS | MEMBERS:
        assert made["Cache-Control"] == "no-store"
        feed_url = answer["feed_url"]
        assert feed_url.startswith("http://testserver/calendar/private/")
        assert answer["webcal_url"] == "webcal://" + feed_url.split("://", 1)[1]
        assert answer["name"] == "Mum's phone"
        token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
        assert CalendarToken.objects.get(pk=answer["id"]).token_hash == hash_calendar_token(token)
        assert [link["name"] for link in links] == ["Mum's phone", ""]
        assert all("feed_url" not in link for link in links)
        assert Client().get(feed_url).status_code == 200
        assert Client().get(second.json()["feed_url"]).status_code == 200
    else:
        assert not CalendarToken.objects.exists()
    if role in GUARDIANS | MEMBERS:
        stopped = api.delete(f"{API_URL}{answer['id']}/")
        assert stopped.status_code == 204
        assert Client().get(answer["feed_url"]).status_code == 404
        assert Client().get(second.json()["feed_url"]).status_code == 200
        assert len(check_schema(api.get(API_URL))) == 1


def test_the_api_stops_no_other_owners_link(api_as, guardian, other_guardian, child, other_child):
    from orchestra.models import Guardian
    from orchestra.services.calendars import create_calendar_token

    create_calendar_token(owner=Guardian.objects.get(user=guardian))
    link = CalendarToken.objects.get()
    assert api_as(other_guardian).delete(f"{API_URL}{link.pk}/").status_code == 404
    assert api_as(other_guardian).get(API_URL).json() == []
    assert CalendarToken.objects.exists()
    assert api_as(guardian).delete(f"{API_URL}{link.pk}/").status_code == 204
