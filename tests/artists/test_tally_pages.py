"""The tally pages: the places a host counts at, a place's page on a phone, corrections,
the artist's sales, and staff's completeness matrix with reminders."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from artists.models import ArtSale, TallyReminder, VisitTally
from artists.services import tallies
from tests.artists.factories import STUDIO_DAYS, WorkFactory, add_studios, edition_in
from tests.conftest import ROLE_FIXTURES

DAY = date(2016, 9, 17)


@pytest.fixture
def client(client):
    """A browser that reads the pages in English, to match the messages below."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def login(client, request, who):
    if who == "anonymous":
        return None
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    client.force_login(user)
    return user


def studio_page(studio, day=None):
    path = reverse("artists:tally_studio", args=[studio.pk])
    return f"{path}?dag={day.isoformat()}" if day else path


def exhibition_page(exhibition, day=None):
    path = reverse("artists:tally_exhibition", args=[exhibition.pk])
    return f"{path}?dag={day.isoformat()}" if day else path


# The places a host counts at -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_studio", "sees_exhibition"),
    [
        ("admin_user", True, True),
        ("project_leader", True, True),
        ("artist", True, False),
        ("venue_host", False, True),
        ("juror", False, False),
        ("guardian", False, False),
        ("tutor", False, False),
        ("nobody", False, False),
        ("other_host", False, False),
        ("other_artist", False, False),
    ],
)
def test_the_index_lists_the_places_the_user_counts_at(
    client, request, open_studio, exhibition_open, who, sees_studio, sees_exhibition
):
    login(client, request, who)
    page = client.get(reverse("artists:tally_index")).content.decode()
    assert (studio_page(open_studio) in page) is sees_studio
    assert (exhibition_page(exhibition_open) in page) is sees_exhibition
    assert ("Kunst rett vest 2016" in page) is (sees_studio or sees_exhibition)


def test_the_index_needs_a_login(client):
    answer = client.get(reverse("artists:tally_index"))
    assert answer.status_code == 302 and "/accounts/login/" in answer.url


def test_the_index_shows_the_current_edition_first(client, open_studio, artist_profile):
    open_studio.edition.start, open_studio.edition.end = date(2016, 1, 1), date(2016, 12, 31)
    open_studio.edition.save()
    later = add_studios(edition_in(2017), 1, days=[date(2017, 9, 16)])[0]
    later.artists.add(artist_profile)
    client.force_login(artist_profile.user)
    page = client.get(reverse("artists:tally_index")).content.decode()
    assert page.index("Kunst rett vest 2017") < page.index("Kunst rett vest 2016")


# A place's page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "studio_status", "exhibition_status"),
    [
        ("admin_user", 200, 200),
        ("project_leader", 200, 200),
        ("artist", 200, 403),
        ("venue_host", 403, 200),
        ("juror", 403, 403),
        ("guardian", 403, 403),
        ("tutor", 403, 403),
        ("nobody", 403, 403),
        ("other_host", 403, 403),
        ("other_artist", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_who_sees_a_tally_page(
    client, request, open_studio, exhibition_open, who, studio_status, exhibition_status
):
    login(client, request, who)
    assert client.get(studio_page(open_studio)).status_code == studio_status
    assert client.get(exhibition_page(exhibition_open)).status_code == exhibition_status


def test_the_page_opens_on_the_latest_open_day_and_shows_the_totals(
    client, open_studio, artist_profile
):
    tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=date(2016, 9, 25), visitors=4
    )
    tallies.record_tally(
        by=artist_profile.user,
        place=open_studio,
        day=date(2016, 9, 25),
        visitors=2,
        category=VisitTally.Category.OPENING_GUEST,
    )
    client.force_login(artist_profile.user)
    answer = client.get(studio_page(open_studio))
    page = answer.content.decode()
    assert answer.context["day"] == date(2016, 9, 25)
    assert answer.context["days"] == STUDIO_DAYS
    assert re.search(r"data-total[^>]*>6<", page)
    assert re.search(r'data-category-total="opening_guest">2<', page)
    assert 'data-day="2016-09-25"' in page
    assert f'data-place-id="{open_studio.pk}"' in page
    assert "<script>" not in page  # no inline script: all of it is in tally.js
    assert "artists/tally.js" in page


def test_the_day_picker_chooses_among_open_days(client, open_studio, artist_profile):
    client.force_login(artist_profile.user)
    assert client.get(studio_page(open_studio, DAY)).context["day"] == DAY
    closed = client.get(studio_page(open_studio, date(2016, 9, 19)))
    assert closed.context["day"] == date(2016, 9, 25)
    assert client.get(studio_page(open_studio) + "?dag=nonsense").context["day"] == date(
        2016, 9, 25
    )


def test_a_place_not_open_yet_has_no_tap_form(client, artist_profile, open_studio):
    later = add_studios(edition_in(2099), 1, days=[date(2099, 9, 19)])[0]
    later.artists.add(artist_profile)
    client.force_login(artist_profile.user)
    answer = client.get(studio_page(later))
    assert answer.status_code == 200 and answer.context["day"] is None
    assert "data-tap-form" not in answer.content.decode()
    assert client.post(studio_page(later), {"add": "one"}).status_code == 404


def test_taps_without_the_script_count_once_per_nonce(client, open_studio, artist_profile):
    client.force_login(artist_profile.user)
    form = client.get(studio_page(open_studio, DAY)).context["form"]
    nonce = form.initial["nonce"]
    post = {"dag": DAY.isoformat(), "nonce": nonce, "category": "single", "add": "one"}
    assert client.post(studio_page(open_studio, DAY), post).status_code == 302
    client.post(studio_page(open_studio, DAY), post)  # the same form sent twice
    group = {"dag": DAY.isoformat(), "nonce": "g-1", "category": "guided_group"}
    client.post(studio_page(open_studio, DAY), {**group, "add": "group", "group": "12"})
    assert sorted(VisitTally.objects.values_list("visitors", "category")) == [
        (1, "single"),
        (12, "guided_group"),
    ]
    assert VisitTally.objects.filter(date=DAY).count() == 2


def test_a_bad_tap_is_refused_with_a_message(client, exhibition_open, venue_host):
    client.force_login(venue_host)
    url = exhibition_page(exhibition_open, DAY)
    answer = client.post(
        url, {"category": "school_class", "add": "group", "group": "20"}, follow=True
    )
    assert "Give the number of pupils in the class." in answer.content.decode()
    answer = client.post(url, {"category": "single", "add": "group", "group": "999"}, follow=True)
    assert "At most 200 visitors" in answer.content.decode()
    assert client.post(url, {"category": "single", "add": "group"}).status_code == 400
    assert not VisitTally.objects.exists()


def test_the_page_tells_the_script_the_limit_of_a_group(client, exhibition_open, venue_host):
    """The script's words for a group above TALLY_MAX_PER_ENTRY name the limit."""
    client.force_login(venue_host)
    html = client.get(exhibition_page(exhibition_open, DAY)).content.decode()
    too_many = re.search(r'<span data-key="group-too-many">([^<]*)</span>', html)
    assert too_many.group(1) == (
        "At most 200 visitors can be counted in one entry; split a larger group."
    )
    assert 'data-max="200"' in html


def test_the_host_corrects_and_removes_from_the_page(client, open_studio, artist_profile):
    tally = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=12
    ).tally
    client.force_login(artist_profile.user)
    page = client.get(studio_page(open_studio, DAY)).content.decode()
    assert reverse("artists:tally_correct", args=[tally.pk]) in page
    prefix = f"t{tally.pk}-"
    answer = client.post(
        reverse("artists:tally_correct", args=[tally.pk]),
        {f"{prefix}category": "single", f"{prefix}visitors": "2", f"{prefix}reason": "Typo"},
    )
    assert answer.status_code == 302 and answer.url == studio_page(open_studio, DAY)
    tally.refresh_from_db()
    assert tally.visitors == 2
    answer = client.post(
        reverse("artists:tally_remove", args=[tally.pk]), {f"r{tally.pk}-reason": "Double"}
    )
    tally.refresh_from_db()
    assert tally.is_void
    page = client.get(studio_page(open_studio, DAY)).content.decode()
    assert "Typo" in page and "Double" in page and "12 → 2" in page
    assert re.search(r"data-total[^>]*>0<", page)


def test_a_correction_without_a_reason_changes_nothing(client, open_studio, artist_profile):
    tally = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=3
    ).tally
    client.force_login(artist_profile.user)
    prefix = f"t{tally.pk}-"
    answer = client.post(
        reverse("artists:tally_correct", args=[tally.pk]),
        {f"{prefix}category": "single", f"{prefix}visitors": "2"},
        follow=True,
    )
    assert "say why" in answer.content.decode()
    tally.refresh_from_db()
    assert tally.visitors == 3


@pytest.mark.parametrize("who", ["venue_host", "other_artist", "nobody", "other_host"])
def test_others_cannot_correct_or_remove(client, request, open_studio, artist_profile, who):
    tally = tallies.record_tally(
        by=artist_profile.user, place=open_studio, day=DAY, visitors=3
    ).tally
    login(client, request, who)
    prefix = f"t{tally.pk}-"
    values = {f"{prefix}category": "single", f"{prefix}visitors": "2", f"{prefix}reason": "x"}
    assert client.post(reverse("artists:tally_correct", args=[tally.pk]), values).status_code == 403
    answer = client.post(
        reverse("artists:tally_remove", args=[tally.pk]), {f"r{tally.pk}-reason": "x"}
    )
    assert answer.status_code == 403
    tally.refresh_from_db()
    assert tally.visitors == 3 and not tally.is_void


def test_staff_use_the_page_of_any_place(client, exhibition_open, project_leader):
    client.force_login(project_leader)
    url = exhibition_page(exhibition_open, DAY)
    client.post(url, {"nonce": "x", "category": "single", "add": "one"})
    assert VisitTally.objects.get().recorded_by == project_leader


# Sales -----------------------------------------------------------------------------------


@pytest.fixture
def work(artist_profile, edition, accepted):
    return WorkFactory(artist=artist_profile, edition=edition, title="Fjord")


def test_the_artist_records_lists_and_deletes_sales(client, artist_profile, work, other_artist):
    client.force_login(artist_profile.user)
    url = reverse("artists:sales")
    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["work"].queryset) == [work]
    client.post(url, {"amount": "4500", "work": work.pk, "sold_on": "2016-09-17"})
    client.post(url, {"amount": "800", "description": "Skisse", "sold_on": "2016-09-18"})
    tallies.record_sale(
        by=other_artist.user,
        artist=other_artist,
        edition=work.edition,
        amount=99999,
        description="Not theirs to see",
    )
    page = client.get(url)
    text = page.content.decode()
    assert page.context["total"] == 5300
    assert "Fjord" in text and "Skisse" in text and "Not theirs to see" not in text
    sale = ArtSale.objects.get(amount=800)
    assert client.post(reverse("artists:sale_delete", args=[sale.pk])).status_code == 302
    assert client.get(url).context["total"] == 4500


def test_a_sale_needs_a_work_or_a_description(client, artist_profile, work):
    client.force_login(artist_profile.user)
    answer = client.post(reverse("artists:sales"), {"amount": "100", "sold_on": "2016-09-17"})
    assert answer.status_code == 400
    assert "Choose the exhibited work or say what was sold." in answer.content.decode()
    assert not ArtSale.objects.exists()


def test_another_artist_cannot_delete_a_sale(client, artist_profile, work, other_artist):
    sale = tallies.record_sale(
        by=artist_profile.user, artist=artist_profile, edition=work.edition, amount=5, work=work
    )
    client.force_login(other_artist.user)
    assert client.post(reverse("artists:sale_delete", args=[sale.pk])).status_code == 404
    assert ArtSale.objects.exists()


@pytest.mark.parametrize("who", ["juror", "venue_host", "guardian", "tutor", "nobody"])
def test_the_sales_page_is_for_artists_and_staff(client, request, who):
    login(client, request, who)
    assert client.get(reverse("artists:sales")).status_code == 403


def test_the_sales_page_needs_a_login(client):
    assert client.get(reverse("artists:sales")).status_code == 302


def test_staff_see_all_sales_and_an_artists_page(client, project_leader, artist_profile, work):
    tallies.record_sale(
        by=artist_profile.user, artist=artist_profile, edition=work.edition, amount=700, work=work
    )
    client.force_login(project_leader)
    overview = client.get(reverse("artists:sales"))
    assert overview.context["total"] == 700 and "Mari Maler" in overview.content.decode()
    own = client.get(reverse("artists:sales") + f"?kunstner={artist_profile.pk}")
    assert own.context["artist"] == artist_profile and own.context["total"] == 700


# Completeness ----------------------------------------------------------------------------


def completeness_url(edition):
    return reverse("artists:tally_completeness", args=[edition.slug])


@pytest.mark.parametrize("who", [*ROLE_FIXTURES, "anonymous"])
def test_completeness_is_for_staff(client, request, open_studio, who):
    login(client, request, who)
    answer = client.get(completeness_url(open_studio.edition))
    if who in ("admin_user", "project_leader"):
        assert answer.status_code == 200
    elif who == "anonymous":
        assert answer.status_code == 302
    else:
        assert answer.status_code == 403
    assert client.post(completeness_url(open_studio.edition), {}).status_code in (302, 403)
    assert not TallyReminder.objects.exists()


def test_the_matrix_shows_each_place_and_day(
    client, open_studio, exhibition_open, artist_profile, project_leader
):
    tallies.record_tally(by=artist_profile.user, place=open_studio, day=DAY, visitors=7)
    client.force_login(project_leader)
    page = client.get(completeness_url(open_studio.edition)).content.decode()
    row = page[page.index(f'data-place="studio:{open_studio.pk}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r'data-day="2016-09-17" data-state="reported">\s*7', row)
    assert 'data-day="2016-09-18" data-state="missing"' in row
    assert 'data-day="2016-09-13" data-state="closed"' in row
    assert f'value="studio:{open_studio.pk}:2016-09-18" checked' in row


def test_staff_send_reminders_from_the_matrix(
    client,
    open_studio,
    exhibition_open,
    project_leader,
    artist_profile,
    venue_host,
    django_capture_on_commit_callbacks,
):
    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            completeness_url(open_studio.edition),
            {
                "cell": [
                    f"studio:{open_studio.pk}:2016-09-18",
                    f"exhibition:{exhibition_open.pk}:2016-09-11",
                    "studio:99999:2016-09-18",
                    "garbage",
                ]
            },
            follow=True,
        )
    assert "Reminders sent to 2 places." in answer.content.decode()
    assert sorted(mail.outbox[i].to[0] for i in range(2)) == sorted(
        [artist_profile.email, venue_host.email]
    )
    assert TallyReminder.objects.count() == 2
    page = client.get(completeness_url(open_studio.edition)).content.decode()
    assert 'data-day="2016-09-18" data-state="reminded"' in page


def test_the_index_goes_to_the_current_edition(client, project_leader, open_studio):
    client.force_login(project_leader)
    answer = client.get(reverse("artists:tally_completeness_index"))
    assert answer.status_code == 302 and answer.url == completeness_url(open_studio.edition)


def test_the_matrix_takes_a_constant_number_of_queries(
    client, django_assert_max_num_queries, open_studio, exhibition_open, project_leader
):
    client.force_login(project_leader)
    edition = open_studio.edition
    add_studios(edition, 2)
    with django_assert_max_num_queries(20) as small:
        assert client.get(completeness_url(edition)).status_code == 200
    studios = add_studios(edition, 25, first_number=300)
    for studio in studios[:10]:
        tallies.record_tally(by=project_leader, place=studio, day=DAY, visitors=3)
        tallies.send_tally_reminders(
            by=project_leader, edition=edition, missing=[(studio, date(2016, 9, 18))]
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(completeness_url(edition))
    assert len(page.context["matrix"].rows) == 1 + 1 + 2 + 25
