"""Visitor statistics: the figures per edition and year on year, and the staff pages."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pytest
from django.urls import reverse

from artists.models import VisitTally
from artists.selectors.statistics import (
    COUNTED,
    NO_FIGURES,
    REPORTED,
    edition_statistics,
    year_on_year,
)
from tests.artists.factories import bulk_studios, bulk_tallies, reported_edition
from tests.conftest import ROLE_FIXTURES
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db


# Per edition ------------------------------------------------------------------------------


def test_edition_counts_tallies_by_place_and_never_voided_ones(counted_2016, edition_2016):
    stats = edition_statistics(edition_2016)

    assert stats.source == COUNTED
    assert stats.joint_visits == counted_2016.joint == 80
    assert stats.joint_pupils == counted_2016.joint_pupils
    assert stats.local_visits == counted_2016.local
    assert stats.studio_visits == counted_2016.studios
    assert stats.total_visits == counted_2016.total
    assert VisitTally.objects.filter(voided_at__isnull=False).get().visitors == 500


def test_edition_keeps_qr_registrations_apart_from_the_visits(counted_2016, edition_2016):
    stats = edition_statistics(edition_2016)

    assert (stats.qr.joint, stats.qr.local, stats.qr.studios) == (2, 1, 3)
    assert stats.qr.total == counted_2016.qr
    assert stats.total_visits == counted_2016.total  # no QR visit added
    day = next(day for day in stats.days if day.date == date(2016, 9, 11))
    assert (day.visits.total, day.qr) == (0, 1)


def test_open_studios_are_the_studios_with_opening_hours(counted_2016, edition_2016):
    stats = edition_statistics(edition_2016)

    assert stats.open_studios == 2  # the closed studio has no hours
    assert stats.visits_per_studio == Decimal("19.5")
    by_name = {figures.name: figures for figures in stats.studios}
    assert by_name["Atelier Maler"].visits == 31
    assert by_name["Atelier Maler"].qr == 3
    assert by_name["Verksted Keramiker"].visits == 8
    assert "Lukket atelier" not in by_name


def test_local_exhibitions_each(counted_2016, edition_2016, local_exhibition):
    stats = edition_statistics(edition_2016)

    [local] = stats.local_exhibitions
    assert local.exhibition == local_exhibition
    assert (local.visits, local.qr, local.municipality) == (11, 1, "Ringerike")


def test_by_day_weekend_municipality_and_category(counted_2016, edition_2016):
    stats = edition_statistics(edition_2016)

    days = {day.date: day for day in stats.days}
    assert days[date(2016, 9, 10)].visits.joint == 43
    assert days[date(2016, 9, 17)].visits.total == 12 + 7 + 10  # the voided 500 left out
    assert days[date(2016, 9, 17)].qr == 2
    assert [weekend.first_day for weekend in stats.weekends] == [
        date(2016, 9, 17),
        date(2016, 9, 24),
    ]
    first, second = stats.weekends
    assert (first.visits.joint, first.visits.local, first.visits.studios) == (12, 7, 16)
    assert (second.visits.joint, second.visits.local, second.visits.studios) == (0, 4, 23)
    municipalities = {figures.name: figures.visits for figures in stats.municipalities}
    assert municipalities == {"Asker": 80 + 31, "Ringerike": 11, "Bærum": 8}
    categories = {figures.category: figures for figures in stats.categories}
    assert categories["single"].visits.total == 3 + 11 + 16 + 8
    assert categories["school_class"].pupils == 23
    assert categories["guided_group"].visits.total == 27
    assert categories["opening_guest"].entries == 1


def test_sales_artists_and_applications(counted_2016, edition_2016):
    stats = edition_statistics(edition_2016)

    assert (stats.art_sales, stats.sales_count) == (17_000, 2)
    assert stats.artists == 2  # accepted; the refused artist applied too
    assert stats.applications == 3


def test_an_edition_without_tallies_shows_its_reported_figures(edition_2016, earlier_editions):
    stats = edition_statistics(earlier_editions[2015])

    assert stats.source == REPORTED
    assert (stats.joint_visits, stats.joint_pupils, stats.total_visits) == (90, 10, 120)
    assert (stats.open_studios, stats.artists, stats.art_sales) == (5, 100, 20_000)
    assert edition_statistics(edition_2016).source == NO_FIGURES


# Year on year -----------------------------------------------------------------------------


def test_year_on_year_marks_counted_and_reported_and_the_fall(counted_2016, earlier_editions):
    comparison = year_on_year(earlier_editions[2014].programme)

    rows = {row.year: row for row in comparison.editions}
    assert [row.year for row in comparison.editions] == [2014, 2015, 2016, 2017]
    assert [rows[year].source for year in rows] == [REPORTED, REPORTED, COUNTED, REPORTED]
    assert rows[2014].change is None
    assert (rows[2015].change, rows[2015].change_percent) == (0, Decimal("0.0"))
    assert rows[2016].total_visits == 130
    assert (rows[2016].change, rows[2016].change_percent) == (10, Decimal("8.3"))
    assert (rows[2017].change, rows[2017].change_percent) == (-50, Decimal("-38.5"))
    assert [year for year, row in rows.items() if row.fell] == [2017]
    assert rows[2016].qr == 6
    assert (rows[2016].artists, rows[2016].applications, rows[2016].art_sales) == (2, 3, 17_000)
    assert rows[2016].open_studios == 2


def test_all_time_and_cumulative_totals(counted_2016, earlier_editions):
    comparison = year_on_year(earlier_editions[2014].programme)

    rows = {row.year: row for row in comparison.editions}
    assert [rows[year].cumulative_visits for year in rows] == [120, 240, 370, 450]
    assert rows[2016].first_year == 2014
    total = comparison.all_time
    assert (total.editions, total.first_year, total.last_year) == (4, 2014, 2017)
    assert total.total_visits == 450
    assert total.art_sales == 20_000 + 17_000


def test_editions_without_any_figures_are_listed_and_skipped(counted_2016, earlier_editions):
    later = PeriodFactory(
        programme=earlier_editions[2014].programme,
        slug="2027",
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
    )

    rows = year_on_year(later.programme).editions

    assert rows[-1].edition == later
    assert (rows[-1].source, rows[-1].change, rows[-1].cumulative_visits) == (NO_FIGURES, None, 0)


# Constant queries -------------------------------------------------------------------------


def _grow(edition, exhibition, studios: int, days_of_tallies: int):
    made = bulk_studios(edition, studios, first_number=100 + edition.studios.count())
    for studio in made:
        bulk_tallies(studio, edition, date(2016, 9, 17), [3] * days_of_tallies)
    bulk_tallies(exhibition, edition, date(2016, 9, 14), [2] * days_of_tallies * 5)


def _query_counts(edition, exhibition, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        edition_statistics(edition)
    with django_assert_max_num_queries(limit):
        year_on_year(edition.programme)


@pytest.mark.parametrize("size", [(1, 1), (40, 6)])
def test_statistics_run_a_constant_number_of_queries(
    size,
    counted_2016,
    edition_2016,
    exhibition_open,
    earlier_editions,
    django_assert_max_num_queries,
):
    studios, tallies = size
    _grow(edition_2016, exhibition_open, studios, tallies)
    for year in range(2000, 2000 + studios // 4):
        reported_edition(edition_2016.programme, year, studio_visits=10)

    _query_counts(edition_2016, exhibition_open, django_assert_max_num_queries, 13)


# Pages ------------------------------------------------------------------------------------

STAFF = {"admin_user", "project_leader"}


def _pages(edition):
    return [
        reverse("artists:statistics"),
        reverse("artists:statistics_export_csv"),
        reverse("artists:statistics_export_xlsx"),
        reverse("artists:edition_statistics", args=[edition.slug]),
        reverse("artists:annual_report", args=[edition.slug]),
        reverse("artists:edition_statistics_export_csv", args=[edition.slug, "days"]),
        reverse("artists:edition_statistics_export_xlsx", args=[edition.slug, "studios"]),
    ]


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_only_staff_see_the_statistics(role, request, client, counted_2016, edition_2016):
    client.force_login(request.getfixturevalue(role))

    for url in _pages(edition_2016):
        response = client.get(url)
        assert response.status_code == (200 if role in STAFF else 403), url


def test_anonymous_visitors_are_sent_to_log_in(client, counted_2016, edition_2016):
    for url in _pages(edition_2016):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unknown_edition_or_table_is_not_found(admin_client, counted_2016, edition_2016):
    assert admin_client.get(reverse("artists:edition_statistics", args=["1999"])).status_code == 404
    url = reverse("artists:edition_statistics_export_csv", args=[edition_2016.slug, "artists"])
    assert admin_client.get(url).status_code == 404


def test_year_on_year_page_marks_the_falling_year(admin_client, counted_2016, earlier_editions):
    response = admin_client.get(reverse("artists:statistics"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="is-marked"') == 1
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    assert html.count('class="bar is-marked"') == 1  # the 2017 bar
    assert "−38,5" in html or "-38,5" in html


def test_edition_page_shows_every_table_with_its_chart(admin_client, counted_2016, edition_2016):
    response = admin_client.get(reverse("artists:edition_statistics", args=[edition_2016.slug]))

    html = response.content.decode()
    for key in (
        "summary",
        "places",
        "qr",
        "exhibitions",
        "days",
        "weekends",
        "municipalities",
        "categories",
        "studios",
    ):
        assert f'id="table-{key}"' in html
    assert html.count("<svg") == 7
    assert "Atelier Maler" in html and "Fengslet" in html


def test_art_sales_are_never_shown_per_artist(admin_client, counted_2016, edition_2016):
    html = admin_client.get(
        reverse("artists:edition_statistics", args=[edition_2016.slug])
    ).content.decode()

    assert "17\xa0000" in html
    assert "12\xa0000" not in html and "5\xa0000" not in html
    assert "Grafikk" not in html and "Krukke" not in html


def test_csv_export_is_the_table_as_shown(admin_client, counted_2016, edition_2016):
    url = reverse("artists:edition_statistics_export_csv", args=[edition_2016.slug, "places"])
    response = admin_client.get(url)

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="2016-places.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 5
    assert rows[1][1:4] == ["1", "80", "23"]
    assert rows[3][1:] == ["2", "39", "0", "19.5"]
    assert rows[4][2] == "130"


def test_xlsx_export_has_numbers_as_numbers(admin_client, counted_2016, earlier_editions):
    response = admin_client.get(reverse("artists:statistics_export_xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_year = {row[1]: row for row in rows[1:] if row[1]}
    assert by_year[2016][8] == 130
    assert by_year[2017][9] == -50
    assert rows[-1][8] == 450  # all time


@pytest.mark.parametrize("size", [(1, 1), (30, 4)])
def test_pages_run_a_constant_number_of_queries(
    size,
    admin_client,
    counted_2016,
    edition_2016,
    exhibition_open,
    earlier_editions,
    django_assert_max_num_queries,
):
    studios, tallies = size
    _grow(edition_2016, exhibition_open, studios, tallies)
    # The statistics' own queries, and the session, the user and their roles.
    pages = [
        (reverse("artists:statistics"), 11),
        (reverse("artists:statistics_export_xlsx"), 9),
        (reverse("artists:edition_statistics", args=[edition_2016.slug]), 17),
        (reverse("artists:edition_statistics_export_csv", args=[edition_2016.slug, "days"]), 16),
        (reverse("artists:annual_report", args=[edition_2016.slug]), 23),
    ]
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            assert admin_client.get(url).status_code == 200


SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)  # noqa: S314 - our own page's markup


def test_charts_are_accessible_svg(admin_client, counted_2016, edition_2016, earlier_editions):
    pages = [
        reverse("artists:statistics"),
        reverse("artists:edition_statistics", args=[edition_2016.slug]),
    ]
    charts = []
    for url in pages:
        html = admin_client.get(url).content.decode()
        charts += re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(charts) == 8

    for markup in charts:
        svg = parse_svg(markup)
        assert svg.get("role") == "img"
        ids = {element.get("id") for element in svg.iter() if element.get("id")}
        labels = svg.get("aria-labelledby").split()
        assert labels and set(labels) <= ids
        assert svg.find(f"{SVG}title").text
        for bar in svg.iter(f"{SVG}g"):
            assert bar.find(f"{SVG}title").text
    year_on_year = parse_svg(charts[0])
    [fell] = [bar for bar in year_on_year.iter(f"{SVG}g") if "is-marked" in bar.get("class")]
    assert fell.find(f"{SVG}title").text.startswith("2017: 80")
    assert "▼ 80" in "".join(fell.itertext())
