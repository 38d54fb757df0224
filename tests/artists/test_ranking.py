"""The ranking of a call's applications: the figures, places, every sort, the exports,
the scores other modules use, and a constant number of queries."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from artists.models import Application
from artists.selectors.jury import application_scores, jury_progress, ranking
from artists.services.jury import recuse, save_review
from tests.artists.factories import ApplicantFactory, ApplicationFactory, full_scores

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def scored(jurors, criteria, applications):
    """Kunstner 0–4 as A–E. Weighted scores of each review in the comments.

    A: 100, 0, 62.5. B: 75, 75. C: 37.5 and an incomplete review. D: nothing.
    E: 75, and a 0 by a juror who then recused.
    """
    first, second, third = jurors
    a, b, c, d, e = applications

    def score(application, juror, *values):
        save_review(application=application, juror=juror, scores=full_scores(criteria, *values))

    score(a, first, 5, 2, 10)  # 100
    score(a, second, 1, 0, 1)  # 0
    score(a, third, 3, 1, 10)  # 62.5
    score(b, first, 5, 2, 1)  # 75
    score(b, second, 5, 2, 1)  # 75
    score(c, first, 3, 1, 1)  # 37.5
    save_review(application=c, juror=second, scores={criteria[0]: 5})  # incomplete
    score(e, first, 5, 2, 1)  # 75
    score(e, second, 1, 0, 1)  # 0, then recused
    recuse(application=e, juror=second, reason="Kjenner kunstneren")
    return {"A": a, "B": b, "C": c, "D": d, "E": e}


@pytest.fixture
def client(client):
    """A browser that reads the site in English, to match the column names below."""
    client.post(reverse("set_language"), {"language": "en"})
    return client


def letters(rows, scored):
    names = {application.pk: letter for letter, application in scored.items()}
    return "".join(names[row.application.pk] for row in rows)


def test_the_figures_of_each_application(scored):
    call = scored["A"].call
    scores = application_scores(call)
    assert scores[scored["A"].pk] == {
        "weighted": Decimal("54.17"),
        "mean": Decimal("55.56"),  # every score alike: (3 × 100 + 3 × 0 + 50 + 50 + 100) / 9
        "median": Decimal("62.50"),
        "reviews": 3,
        "spread": Decimal("100.00"),
        "lowest": Decimal("0.00"),
        "highest": Decimal("100.00"),
    }
    assert scores[scored["B"].pk]["weighted"] == Decimal("75.00")
    assert scores[scored["B"].pk]["spread"] == Decimal("0.00")
    assert scores[scored["C"].pk]["reviews"] == 1  # the incomplete review does not count
    assert scores[scored["D"].pk] == {
        "weighted": None,
        "mean": None,
        "median": None,
        "reviews": 0,
        "spread": None,
        "lowest": None,
        "highest": None,
    }
    # The recused juror's 0 is left out.
    assert scores[scored["E"].pk]["weighted"] == Decimal("75.00")
    assert scores[scored["E"].pk]["reviews"] == 1


def test_only_submitted_applications_are_ranked(scored, jury_call):
    ranked = {row.application.pk for row in ranking(jury_call)}
    assert ranked == {application.pk for application in scored.values()}
    assert set(application_scores(jury_call)) == ranked
    assert not Application.objects.filter(pk__in=ranked).exclude(state="submitted").exists()


def test_places_follow_the_weighted_total_with_shared_places_for_ties(scored, jury_call):
    rows = ranking(jury_call)
    assert letters(rows, scored) == "BEACD"
    assert [row.rank for row in rows] == [1, 1, 3, 4, 0]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("-weighted", "BEACD"),
        ("weighted", "CABED"),
        ("-spread", "ABECD"),
        ("spread", "BECAD"),
        ("reviews", "DECBA"),
        ("-reviews", "ABECD"),
        ("-median", "BEACD"),
        ("mean", "CABED"),
        ("-mean", "BEACD"),
        ("name", "ABCDE"),
        ("-name", "EDCBA"),
        ("nonsense", "BEACD"),
        ("", "BEACD"),
    ],
)
def test_the_ranking_sorts_by_any_column_with_empty_figures_last(scored, jury_call, sort, expected):
    assert letters(ranking(jury_call, sort=sort), scored) == expected


def test_the_ranking_page_sorts_server_side(client, project_leader, scored, jury_call):
    client.force_login(project_leader)
    url = reverse("artists:jury_ranking", args=[jury_call.pk])
    response = client.get(url, {"sort": "-spread"})
    assert letters(response.context["rows"], scored) == "ABECD"
    html = response.content.decode()
    assert 'href="?sort=spread"' in html  # the active column's link turns the order
    assert 'href="?sort=-median"' in html


def test_the_ranking_exports_as_csv_and_xlsx(client, project_leader, scored, jury_call):
    client.force_login(project_leader)
    url = reverse("artists:jury_ranking_export", args=[jury_call.pk, "csv"])
    response = client.get(url, {"sort": "-weighted"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "2027-ranking.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Place",
        "Application",
        "Artist",
        "Weighted total",
        "Mean",
        "Median",
        "Reviews",
        "Spread",
    ]
    assert rows[1][2:] == ["Kunstner 1", "75.0", "66.67", "75.0", "2", "0.0"]
    assert rows[3][:3] == ["3", str(scored["A"].pk), "Kunstner 0"]
    assert rows[5] == ["", str(scored["D"].pk), "Kunstner 3", "", "", "", "0", ""]

    xlsx = client.get(reverse("artists:jury_ranking_export", args=[jury_call.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Place"
    assert values[1][2] == "Kunstner 1"
    assert values[1][3] == 75.0


def test_progress_per_juror(scored, jurors, jury_call):
    progress = {item["juror"]: item for item in jury_progress(jury_call)}
    first, second, third = jurors
    assert (progress[first]["complete"], progress[first]["assigned"]) == (4, 5)
    # The second juror's review of E no longer counts, and E is no longer theirs.
    assert (progress[second]["complete"], progress[second]["assigned"]) == (2, 4)
    assert progress[second]["conflicts"] == 1
    assert (progress[third]["complete"], progress[third]["assigned"]) == (1, 5)


def test_the_ranking_takes_the_same_queries_for_5_and_40_applications(
    jurors, criteria, jury_call, jury_media, django_assert_max_num_queries
):
    def grow(count):
        start = jury_call.applications.count()
        for n in range(start, start + count):
            application = ApplicationFactory(
                call=jury_call,
                artist=ApplicantFactory(name=f"Mange {n}", slug=f"mange-{n}", images=0),
            )
            for number, juror in enumerate(jurors):
                save_review(
                    application=application,
                    juror=juror,
                    scores=full_scores(criteria, 1 + (n + number) % 5, n % 3, 1 + n % 10),
                )

    grow(5)
    with django_assert_max_num_queries(15) as few:
        assert len(ranking(jury_call, sort="-spread")) == 5
        assert len(application_scores(jury_call)) == 5
        assert len(jury_progress(jury_call)) == 3
    grow(35)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(ranking(jury_call, sort="-spread")) == 40
        assert len(application_scores(jury_call)) == 40
        assert len(jury_progress(jury_call)) == 3
