"""The short URL of a QR poster: the place's page, and one QR visit per device per day."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.signing import get_cookie_signer
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from artists.models import QrVisit, Studio, VisitTally
from artists.services import exhibitions as work_services
from artists.services import studios as studio_services
from artists.services.visits import register_qr_visit
from artists.views.visits import COUNTED_COOKIE
from events.models import Event
from tests.artists.factories import ExhibitionFactory, WorkFactory, decide, make_studio, new_artist
from tests.factories import EventFactory, VenueFactory, oslo
from tests.shared_cache import counter_keys

SATURDAY = oslo(2016, 9, 17, 12)


@pytest.fixture
def clock(monkeypatch):
    """Return a function that stops the clock at a moment (noon on the first open-studio day).

    Tests make their data first: the services check it against today's date.
    """

    def set_to(moment=SATURDAY):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def published(open_studio):
    studio_services.publish_studio_numbers(edition=open_studio.edition)
    open_studio.refresh_from_db()
    return open_studio


@pytest.fixture
def work(accepted, artist_profile, edition):
    return work_services.register_work(
        artist=artist_profile,
        edition=edition,
        by=artist_profile.user,
        title="Lys over fjorden",
        year=2016,
        technique="Olje på lerret",
        dimensions="60 × 80 cm",
    )


@pytest.fixture
def other_studio(accepted, other_artist, edition, weekends):
    """The other artist's published studio, about 3 km away, open on Saturdays only."""
    studio = make_studio(
        other_artist,
        edition,
        by=other_artist.user,
        name="Keramikkverkstedet",
        address="Bondistranda 5",
        latitude=Decimal("59.850"),
        longitude=Decimal("10.480"),
    )
    for day in (date(2016, 9, 17), date(2016, 9, 24)):
        studio_services.set_studio_hours(
            studio=studio, by=other_artist.user, day=day, opens=time(12), closes=time(16)
        )
    studio_services.publish_studio_numbers(edition=edition)
    studio.refresh_from_db()
    return studio


def add_open_studios(edition_call, count, *, by, start=0):
    """Add ``count`` accepted artists, each with a work and a published open studio."""
    edition = edition_call.period
    artists = [
        new_artist(f"Kunstner {start + number}", username=f"kunstner{start + number}")
        for number in range(count)
    ]
    decide(edition_call, dict.fromkeys(artists, "accepted"), by=by)
    for number, artist in enumerate(artists):
        studio = make_studio(
            artist,
            edition,
            by=artist.user,
            name=f"Atelier {start + number}",
            latitude=Decimal("59.70") + Decimal(number) / 100,
            longitude=Decimal("10.30"),
        )
        studio_services.set_studio_hours(
            studio=studio, by=artist.user, day=date(2016, 9, 17), opens=time(11), closes=time(17)
        )
        work_services.register_work(
            artist=artist, edition=edition, by=artist.user, title=f"Verk {start + number}"
        )
    studio_services.publish_studio_numbers(edition=edition)


def visit_url(place) -> str:
    return reverse("artists:visit", args=[place.code])


# The page --------------------------------------------------------------------------------


def test_the_short_url_shows_the_studio(client, clock, published, work, artist_profile):
    clock()
    response = client.get(visit_url(published))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="visit-number"' in page and f">{published.number}<" in page
    assert "Atelier Maler" in page
    assert "Strandveien 1" in page
    assert "Step-free entrance." in page
    assert artist_profile.get_absolute_url() in page
    assert "Lys over fjorden" in page and "60 × 80 cm" in page
    assert "11.00–17.00" in page


def test_the_page_shows_the_work_image(client, clock, published, work, artist_profile):
    from tests.artists.factories import image_upload

    work_services.update_work(
        work=work, by=artist_profile.user, values={}, upload=image_upload(size=(400, 300))
    )
    work.refresh_from_db()
    clock()
    page = client.get(visit_url(published)).content.decode()
    assert work.thumbnail.url in page


def test_a_code_is_read_in_any_case(client, clock, published):
    clock()
    assert client.get(f"/v/{published.code.upper()}/").status_code == 200


def test_an_unknown_code_is_404(client, clock, published):
    clock()
    assert client.get("/v/zzzzzz/").status_code == 404
    assert QrVisit.objects.count() == 0


@pytest.mark.parametrize("role", ["anonymous", "nobody", "juror", "guardian", "other_artist"])
def test_an_unpublished_studio_is_404_for_the_public(client, clock, open_studio, role, request):
    clock()
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.force_login(user.user if role == "other_artist" else user)
    assert client.get(visit_url(open_studio)).status_code == 404
    assert client.get(reverse("artists:place", args=[open_studio.code])).status_code == 404
    assert QrVisit.objects.count() == 0


@pytest.mark.parametrize("role", ["admin_user", "project_leader", "artist"])
def test_an_unpublished_studio_is_shown_to_staff_and_its_artists_uncounted(
    client, clock, open_studio, role, request
):
    clock()
    client.force_login(request.getfixturevalue(role))
    response = client.get(visit_url(open_studio))
    assert response.status_code == 200
    assert "Atelier Maler" in response.content.decode()
    assert QrVisit.objects.count() == 0


def test_the_joint_exhibition_shows_every_accepted_artists_work(
    client, clock, exhibition_open, work, other_artist, refused_artist, edition
):
    clock()
    WorkFactory(artist=other_artist, edition=edition, title="Skål i steingods")
    # A refused artist's work (made past the service) is not shown.
    WorkFactory(artist=refused_artist, edition=edition, title="Avvist verk")
    response = client.get(visit_url(exhibition_open))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fellesutstilling på Lien" in page
    assert "Lys over fjorden" in page and "Skål i steingods" in page
    assert "Avvist verk" not in page
    assert "12.00–17.00" in page
    visit = QrVisit.objects.get()
    assert (visit.exhibition, visit.studio, visit.date) == (
        exhibition_open,
        None,
        date(2016, 9, 17),
    )


def test_a_local_exhibition_shows_the_works_placed_at_its_venue(
    client, clock, work, other_artist, edition, project_leader
):
    from artists.models import Exhibition

    venue = VenueFactory(name="Fengslet")
    event = EventFactory(
        period=edition,
        kind=Event.Kind.EXHIBITION,
        title_nb="Lokal fellesutstilling i Fengslet",
        venue=venue,
        start=oslo(2016, 9, 10, 12),
        end=oslo(2016, 9, 25, 17),
    )
    local = ExhibitionFactory(event=event, role=Exhibition.Role.LOCAL)
    clock()
    page = client.get(visit_url(local)).content.decode()
    assert "Lokal fellesutstilling i Fengslet" in page
    assert "Lys over fjorden" not in page  # nothing placed here yet: just the exhibition
    clock(SATURDAY.replace(hour=10))  # update_work checks against today's date
    work_services.update_work(work=work, by=project_leader, values={"shared_venue": venue})
    page = client.get(visit_url(local)).content.decode()
    assert "Lys over fjorden" in page
    # Without opening hours, an exhibition counts on the days of its event.
    assert QrVisit.objects.filter(exhibition=local).count() == 1


def test_nearby_studios_are_the_nearest_published_ones(
    client, clock, published, other_studio, edition_call, project_leader
):
    add_open_studios(edition_call, 6, by=project_leader)
    studio_services.publish_studio_numbers(edition=published.edition)
    unpublished_artist = new_artist("Ulla Upublisert", username="ulla")
    decide(edition_call, {unpublished_artist: "accepted"}, by=project_leader)
    hidden = make_studio(
        unpublished_artist,
        published.edition,
        by=unpublished_artist.user,
        name="Hjemmeatelier",
        latitude=Decimal("59.834"),
        longitude=Decimal("10.436"),
    )
    assert not Studio.objects.get(pk=hidden.pk).is_published
    clock()
    response = client.get(visit_url(published))
    nearby = response.context["nearby"]
    assert len(nearby) == 5
    assert nearby[0].studio == other_studio
    assert 2 < nearby[0].distance_km < 4
    assert nearby[0].open_today
    distances = [near.distance_km for near in nearby]
    assert distances == sorted(distances)
    names = [near.studio.venue.name for near in nearby]
    assert "Hjemmeatelier" not in names and "Atelier Maler" not in names
    page = response.content.decode()
    assert "Keramikkverkstedet" in page and "Hjemmeatelier" not in page
    assert reverse("artists:place", args=[other_studio.code]) in page


def test_a_closed_neighbour_is_marked_closed_today(client, clock, published, other_studio):
    clock(oslo(2016, 9, 18, 12))  # Sunday: the other studio is open on Saturdays only
    nearby = client.get(visit_url(published)).context["nearby"]
    assert [near.open_today for near in nearby] == [False]


# Counting --------------------------------------------------------------------------------


def test_opening_the_short_url_counts_one_visit(client, clock, published):
    clock()
    response = client.get(visit_url(published))
    visit = QrVisit.objects.get()
    assert (visit.studio, visit.exhibition, visit.edition, visit.date) == (
        published,
        None,
        published.edition,
        date(2016, 9, 17),
    )
    assert response.context["counted_now"]
    cookie = response.cookies[COUNTED_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 12 * 3600  # ends at midnight, twelve hours on
    assert VisitTally.objects.count() == 0


def test_the_same_device_counts_once_a_day_and_a_new_one_counts_again(client, clock, published):
    clock()
    client.get(visit_url(published))
    client.get(visit_url(published))
    assert QrVisit.objects.count() == 1
    Client().get(visit_url(published))
    assert QrVisit.objects.count() == 2


def test_the_same_device_counts_again_the_next_day(client, clock, published):
    clock()
    client.get(visit_url(published))
    clock(oslo(2016, 9, 18, 10))
    client.get(visit_url(published))
    assert list(QrVisit.objects.values_list("date", flat=True)) == [
        date(2016, 9, 17),
        date(2016, 9, 18),
    ]


def test_one_device_counts_at_each_place_once(client, clock, published, exhibition_open):
    clock()
    for _round in range(2):
        client.get(visit_url(published))
        client.get(visit_url(exhibition_open))
    assert QrVisit.objects.filter(studio=published).count() == 1
    assert QrVisit.objects.filter(exhibition=exhibition_open).count() == 1


def test_the_non_counting_page_counts_nothing(client, clock, published):
    clock()
    response = client.get(reverse("artists:place", args=[published.code]))
    assert response.status_code == 200
    assert QrVisit.objects.count() == 0


def test_head_requests_and_prefetches_count_nothing(client, clock, published):
    clock()
    assert client.head(visit_url(published)).status_code == 200
    assert client.get(visit_url(published), headers={"Sec-Purpose": "prefetch"}).status_code == 200
    assert QrVisit.objects.count() == 0


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "2016-09-17:" + "x" * 5,
        get_cookie_signer(salt="another-salt").sign("2016-09-17:abcdef"),
    ],
)
def test_a_forged_cookie_is_ignored(client, clock, published, value):
    clock()
    client.cookies[COUNTED_COOKIE] = value
    response = client.get(visit_url(published))
    assert response.status_code == 200
    assert QrVisit.objects.count() == 1


def test_a_cookie_claiming_this_place_for_today_must_be_signed(client, clock, published):
    clock()
    # The cookie's text without its signature: ignored, so the visit counts.
    client.cookies[COUNTED_COOKIE] = f"2016-09-17:{published.code}"
    client.get(visit_url(published))
    assert QrVisit.objects.count() == 1


def test_a_signed_cookie_from_yesterday_does_not_stop_today(client, clock, published):
    clock()
    signer = get_cookie_signer(salt=COUNTED_COOKIE + "artists.qr-visits.counted")
    client.cookies[COUNTED_COOKIE] = signer.sign(f"2016-09-16:{published.code}")
    client.get(visit_url(published))
    assert QrVisit.objects.count() == 1


def test_visits_count_only_on_the_places_open_days(client, clock, published):
    clock()
    clock(oslo(2016, 9, 19, 12))  # Monday between the two weekends
    assert Client().get(visit_url(published)).status_code == 200
    clock(oslo(2021, 9, 18, 12))  # a poster scanned years later
    response = Client().get(visit_url(published))
    assert response.status_code == 200
    assert "Atelier Maler" in response.content.decode()
    assert QrVisit.objects.count() == 0


def test_a_cancelled_exhibition_counts_nothing(client, clock, exhibition_open):
    clock()
    Event.objects.filter(pk=exhibition_open.event_id).update(status=Event.Status.CANCELLED)
    assert client.get(visit_url(exhibition_open)).status_code == 200
    assert QrVisit.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "counts"),
    [
        ("admin_user", False),
        ("project_leader", False),
        ("artist", False),  # the studio's own artist
        ("other_artist", True),  # hosts another place
        ("juror", True),
        ("venue_host", True),  # hosts the exhibition, not this studio
        ("guardian", True),
        ("tutor", True),
        ("nobody", True),
        ("anonymous", True),
    ],
)
def test_staff_and_the_studios_hosts_do_not_count(
    client, clock, published, exhibition_open, role, counts, request
):
    clock()
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.force_login(user.user if role == "other_artist" else user)
    response = client.get(visit_url(published))
    assert response.status_code == 200
    assert QrVisit.objects.count() == (1 if counts else 0)


@pytest.mark.parametrize(
    ("role", "counts"),
    [("venue_host", False), ("other_host", True), ("admin_user", False), ("artist", True)],
)
def test_the_exhibitions_hosts_do_not_count(client, clock, exhibition_open, role, counts, request):
    clock()
    client.force_login(request.getfixturevalue(role))
    assert client.get(visit_url(exhibition_open)).status_code == 200
    assert QrVisit.objects.count() == (1 if counts else 0)


@pytest.mark.parametrize("counter_store", ["table", "redis"], indirect=True)
def test_the_rate_limit_answers_429_and_counts_nothing(clock, published, settings, counter_store):
    clock()
    settings.QR_VISITS_PER_MINUTE = 2
    for _phone in range(2):
        assert Client().get(visit_url(published)).status_code == 200
    response = Client().get(visit_url(published))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert reverse("artists:place", args=[published.code]) in response.content.decode()
    assert QrVisit.objects.count() == 2
    # Another address is not held back, and the next minute counts again.
    assert Client(REMOTE_ADDR="10.0.0.9").get(visit_url(published)).status_code == 200
    assert QrVisit.objects.count() == 3
    clock(oslo(2016, 9, 17, 12, 1))
    assert Client().get(visit_url(published)).status_code == 200
    assert QrVisit.objects.count() == 4


@pytest.mark.parametrize("counter_store", ["table", "redis"], indirect=True)
def test_behind_a_proxy_each_visitor_has_their_own_limit(clock, published, settings, counter_store):
    """All requests come from the proxy's address; X-Forwarded-For tells the visitors apart."""
    clock()
    settings.QR_VISITS_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for visitor in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        response = Client(**proxy, HTTP_X_FORWARDED_FOR=visitor).get(visit_url(published))
        assert response.status_code == 200
    again = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").get(visit_url(published))
    assert again.status_code == 429
    assert QrVisit.objects.count() == 3


@pytest.mark.parametrize("counter_store", ["table", "redis"], indirect=True)
def test_the_rate_limit_keeps_no_address(clock, published, settings, counter_store):
    clock()
    Client(REMOTE_ADDR="203.0.113.77").get(visit_url(published))
    # The rate limits' counters live in Redis or a table, shared by all app servers.
    keys = counter_keys(counter_store)
    assert keys and not any("203.0.113" in key for key in keys)


def test_a_device_already_counted_is_not_rate_limited(client, clock, published, settings):
    clock()
    settings.QR_VISITS_PER_MINUTE = 1
    for _reload in range(3):
        assert client.get(visit_url(published)).status_code == 200
    assert QrVisit.objects.count() == 1


def test_a_qr_visit_holds_no_personal_data():
    fields = {field.name for field in QrVisit._meta.get_fields()}
    assert fields == {"id", "edition", "studio", "exhibition", "date", "registered_at"}


def test_the_service_takes_the_day_and_the_devices_places(clock, published):
    clock()
    day = date(2016, 9, 24)
    visit = register_qr_visit(place=published, client_address="10.1.1.1", today=day)
    assert visit.date == day
    assert (
        register_qr_visit(
            place=published, client_address="10.1.1.1", counted_today=[published.code], today=day
        )
        is None
    )
    assert (
        register_qr_visit(place=published, client_address="10.1.1.1", today=date(2016, 9, 20))
        is None
    )
    assert QrVisit.objects.count() == 1


# Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_studio_page_takes_constant_queries(
    client,
    clock,
    published,
    work,
    edition_call,
    project_leader,
    count,
    django_assert_max_num_queries,
):
    add_open_studios(edition_call, count, by=project_leader)
    clock()
    # The rate limit's shared counter takes two of them (count, and clear out old ones).
    with django_assert_max_num_queries(17):
        response = client.get(visit_url(published))
    assert len(response.context["nearby"]) == min(count, 5)


@pytest.mark.parametrize("count", [3, 30])
def test_the_exhibition_page_takes_constant_queries(
    client,
    clock,
    exhibition_open,
    weekends,
    work,
    edition_call,
    project_leader,
    count,
    django_assert_max_num_queries,
):
    add_open_studios(edition_call, count, by=project_leader)
    clock()
    # The rate limit's shared counter takes two of them (count, and clear out old ones).
    with django_assert_max_num_queries(18):
        response = client.get(visit_url(exhibition_open))
    assert len(response.context["showings"]) == count + 1
