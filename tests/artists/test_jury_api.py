"""The jury's API for every role: reviews and conflicts of interest, checked against the
OpenAPI schema."""

import pytest
from django.conf import settings
from django.utils import translation

from artists.models import Conflict, Review
from artists.services.jury import mark_conflict, recuse, save_review
from tests.artists.factories import ApplicantFactory, ApplicationFactory, full_scores, move_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(api_as):
    """API clients that read the answers in English, to match the messages below."""

    def login(user):
        client = api_as(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


REVIEWS = "/api/v1/reviews/"
CONFLICTS = "/api/v1/conflicts/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def review_body(application, criteria, values, **extra):
    return {
        "application": application.pk,
        "scores": [
            {"criterion": criterion.pk, "value": value}
            for criterion, value in zip(criteria, values, strict=True)
        ],
        **extra,
    }


# Reviews -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "nobody", "artist", "venue_host"])
def test_people_off_every_jury_get_no_reviews(request, api_as, jurors, applications, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = api_as(user)
    for url in (REVIEWS, CONFLICTS):
        answer = client.get(url)
        if user is None:
            assert answer.status_code in (401, 403)
        else:  # the lists of their own reviews and conflicts, of which they have none
            assert answer.status_code == 200 and answer.json()["count"] == 0
    assert client.post(REVIEWS, {"application": applications[0].pk}).status_code in (401, 403)
    assert client.post(
        CONFLICTS, {"application": applications[0].pk, "reason": "x"}
    ).status_code in (401, 403)


def test_a_juror_scores_and_changes_their_one_review(
    api_as, jurors, criteria, applications, check_schema
):
    client = api_as(jurors[0])
    created = client.post(
        REVIEWS, review_body(applications[0], criteria, [4, 2, 10], comment="Sterkt.")
    )
    assert created.status_code == 201
    body = check_schema(created)
    assert body["weighted_score"] == 87.5
    assert body["is_complete"] is True and body["counts"] is True
    assert body["call"] == applications[0].call_id
    assert body["comment"] == "Sterkt."
    again = client.post(REVIEWS, review_body(applications[0], criteria[:1], [5]))
    assert again.status_code == 200
    assert check_schema(again)["id"] == body["id"]
    assert Review.objects.count() == 1
    patched = client.patch(
        f"{REVIEWS}{body['id']}/",
        {"scores": [{"criterion": criteria[2].pk, "value": None}], "comment_shareable": True},
    )
    body = check_schema(patched)
    assert body["is_complete"] is False and body["weighted_score"] is None
    assert body["comment"] == "Sterkt." and body["comment_shareable"] is True
    assert [s["criterion"] for s in body["scores"]] == [criteria[0].pk, criteria[1].pk]
    listing = check_schema(client.get(REVIEWS))
    assert [r["id"] for r in listing["results"]] == [body["id"]]
    assert check_schema(client.get(f"{REVIEWS}{body['id']}/"))["id"] == body["id"]


def test_a_juror_reads_only_their_own_reviews(api_as, jurors, criteria, applications):
    first, second, _third = jurors
    mine = save_review(
        application=applications[0], juror=first, scores=full_scores(criteria, 3, 1, 5)
    )
    theirs = save_review(
        application=applications[0], juror=second, scores=full_scores(criteria, 5, 2, 10)
    )
    client = api_as(first)
    assert [r["id"] for r in client.get(REVIEWS).json()["results"]] == [mine.pk]
    assert client.get(f"{REVIEWS}{theirs.pk}/").status_code == 404
    assert client.patch(f"{REVIEWS}{theirs.pk}/", {"comment": "Hei"}).status_code == 404
    assert Review.objects.get(pk=theirs.pk).comment == ""


def test_bad_reviews_are_refused_and_change_nothing(
    api_as, jurors, criteria, applications, check_schema
):
    client = api_as(jurors[0])
    save_review(application=applications[0], juror=jurors[0], scores={criteria[0]: 2})
    cases = [
        review_body(applications[0], criteria, [6, 1, 5]),  # above the scale
        review_body(applications[0], criteria, [3, 3, 5]),  # not yes/maybe/no
        {
            "application": applications[0].pk,
            "scores": [{"criterion": criteria[0].pk, "value": 3}] * 2,
        },
        {"application": applications[0].pk, "scores": [{"criterion": 99999, "value": 3}]},
        {"application": applications[0].pk, "scores": [{"criterion": criteria[0].pk}]},
        {"application": 99999, "scores": []},
        {"scores": []},
        review_body(applications[0], criteria, [3, 1, 5], comment="x" * 4001),
    ]
    for body in cases:
        response = client.post(REVIEWS, body, format="json")
        assert response.status_code == 400, body
        check_schema(response)
    assert Review.objects.get().scores.get().value == 2
    scale = client.post(REVIEWS, cases[0], format="json").json()
    assert "is not on the scale" in scale["detail"]


def test_reviews_for_conflicts_and_unsubmitted_applications_are_refused(
    api_as, jurors, criteria, applications
):
    client = api_as(jurors[0])
    mark_conflict(application=applications[0], juror=jurors[0], reason="Venn", by=None)
    conflicted = client.post(REVIEWS, review_body(applications[0], criteria, [3, 1, 5]))
    assert conflicted.status_code == 400
    assert "conflict of interest" in conflicted.json()["detail"]
    applications[1].state = "withdrawn"
    applications[1].save()
    withdrawn = client.post(REVIEWS, review_body(applications[1], criteria, [3, 1, 5]))
    assert withdrawn.status_code == 400
    assert not Review.objects.exists()


def test_a_recused_jurors_review_is_hidden_from_them_and_marked_as_not_counting(
    api_as, project_leader, jurors, criteria, applications, review_phase, check_schema
):
    review = save_review(
        application=applications[0], juror=jurors[0], scores=full_scores(criteria, 3, 1, 5)
    )
    recuse(application=applications[0], juror=jurors[0], reason="Kjente igjen verket")
    client = api_as(jurors[0])
    assert client.get(REVIEWS).json()["results"] == []
    assert client.patch(f"{REVIEWS}{review.pk}/", {"comment": "x"}).status_code == 404
    move_phase(review_phase, "after")
    body = check_schema(api_as(project_leader).get(REVIEWS))
    assert [(r["id"], r["counts"]) for r in body["results"]] == [(review.pk, False)]


def test_a_juror_of_another_call_cannot_score_this_one(
    api_as, jurors, criteria, applications, other_call_juror
):
    response = api_as(other_call_juror).post(
        REVIEWS, review_body(applications[0], criteria, [3, 1, 5])
    )
    assert response.status_code == 400
    assert "not on the jury" in response.json()["detail"]
    assert api_as(other_call_juror).get(REVIEWS).json()["results"] == []


@pytest.mark.parametrize("when", ["before", "after"])
def test_outside_the_review_phase_jurors_neither_read_nor_write(
    api_as, jurors, criteria, applications, review_phase, when
):
    save_review(application=applications[0], juror=jurors[0], scores={criteria[0]: 3})
    move_phase(review_phase, when)
    client = api_as(jurors[0])
    assert client.get(REVIEWS).json()["results"] == []
    response = client.post(REVIEWS, review_body(applications[0], criteria, [3, 1, 5]))
    assert response.status_code == 400
    assert Review.objects.get().scores.count() == 1


@pytest.mark.parametrize("role", ["project_leader", "admin_user"])
def test_staff_read_every_review_only_after_the_review_phase(
    request, api_as, jurors, criteria, applications, review_phase, role, check_schema
):
    for juror in jurors:
        save_review(application=applications[0], juror=juror, scores=full_scores(criteria, 3, 1, 5))
    staff = request.getfixturevalue(role)
    client = api_as(staff)
    assert check_schema(client.get(REVIEWS))["results"] == []
    move_phase(review_phase, "after")
    body = check_schema(client.get(REVIEWS))
    assert body["count"] == 3
    assert {r["juror"] for r in body["results"]} == {juror.pk for juror in jurors}
    filtered = check_schema(client.get(REVIEWS, {"application": applications[1].pk}))
    assert filtered["count"] == 0


def test_staff_do_not_write_reviews(api_as, project_leader, jurors, criteria, applications):
    response = api_as(project_leader).post(
        REVIEWS, review_body(applications[0], criteria, [3, 1, 5])
    )
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_listing_reviews_takes_the_same_queries_for_5_and_40(
    api_as,
    project_leader,
    jurors,
    criteria,
    jury_call,
    jury_media,
    review_phase,
    django_assert_max_num_queries,
):
    def grow(count):
        start = jury_call.applications.count()
        for n in range(start, start + count):
            application = ApplicationFactory(
                call=jury_call,
                artist=ApplicantFactory(name=f"Mange {n}", slug=f"mange-{n}", images=0),
            )
            for juror in jurors:
                save_review(
                    application=application, juror=juror, scores=full_scores(criteria, 3, 1, 5)
                )

    client = api_as(jurors[0])
    grow(5)
    with django_assert_max_num_queries(10) as few:
        assert client.get(REVIEWS, {"page_size": 200}).json()["count"] == 5
    grow(35)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(REVIEWS, {"page_size": 200}).json()["count"] == 40
    move_phase(review_phase, "after")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api_as(project_leader).get(REVIEWS, {"page_size": 200}).json()["count"] == 120


# Conflicts ------------------------------------------------------------------------------------


def test_a_juror_recuses_through_the_api_and_reads_their_own_conflicts(
    api_as, jurors, applications, check_schema
):
    mark_conflict(application=applications[1], juror=jurors[1], reason="Andres", by=None)
    client = api_as(jurors[0])
    created = client.post(CONFLICTS, {"application": applications[0].pk, "reason": "Nabo"})
    assert created.status_code == 201
    body = check_schema(created)
    assert (body["juror"], body["source"], body["reason"]) == (jurors[0].pk, "juror", "Nabo")
    listing = check_schema(client.get(CONFLICTS))
    assert [c["id"] for c in listing["results"]] == [body["id"]]
    again = client.post(CONFLICTS, {"application": applications[0].pk, "reason": "Nabo"})
    assert again.status_code == 400
    empty = client.post(CONFLICTS, {"application": applications[2].pk, "reason": ""})
    assert empty.status_code == 400
    for_another = client.post(
        CONFLICTS,
        {"application": applications[2].pk, "juror": jurors[1].pk, "reason": "Kollega"},
    )
    assert for_another.status_code == 403
    assert Conflict.objects.count() == 2


def test_a_juror_cannot_recuse_outside_the_review_phase(api_as, jurors, applications, review_phase):
    move_phase(review_phase, "after")
    response = api_as(jurors[0]).post(
        CONFLICTS, {"application": applications[0].pk, "reason": "Nabo"}
    )
    assert response.status_code == 400
    assert not Conflict.objects.exists()


def test_staff_read_and_mark_conflicts(
    api_as, project_leader, jurors, applications, review_phase, other_call_juror, check_schema
):
    move_phase(review_phase, "before")
    recuse_later = mark_conflict(
        application=applications[0], juror=jurors[2], reason="Søster", by=None
    )
    client = api_as(project_leader)
    created = client.post(
        CONFLICTS,
        {"application": applications[1].pk, "juror": jurors[1].pk, "reason": "Samboer"},
    )
    assert created.status_code == 201
    body = check_schema(created)
    assert (body["juror"], body["source"]) == (jurors[1].pk, "staff")
    listing = check_schema(client.get(CONFLICTS, {"call": applications[0].call_id}))
    assert {c["id"] for c in listing["results"]} == {recuse_later.pk, body["id"]}
    assert check_schema(client.get(CONFLICTS, {"juror": jurors[1].pk}))["count"] == 1
    off_jury = client.post(
        CONFLICTS,
        {"application": applications[1].pk, "juror": other_call_juror.pk, "reason": "Feil"},
    )
    assert off_jury.status_code == 400
    assert "not on the jury" in check_schema(off_jury)["detail"]


def test_conflicts_cannot_be_changed_or_deleted(api_as, project_leader, jurors, applications):
    conflict = mark_conflict(application=applications[0], juror=jurors[0], reason="Nabo", by=None)
    client = api_as(project_leader)
    assert client.delete(f"{CONFLICTS}{conflict.pk}/").status_code == 405
    assert client.patch(f"{CONFLICTS}{conflict.pk}/", {"reason": "x"}).status_code == 405
    assert client.delete(f"{REVIEWS}1/").status_code in (403, 405)
