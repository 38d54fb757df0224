"""The jury's pages for every role: the list, the review page and its autosave, recusal,
blind review, and the staff's progress, ranking and conflicts pages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from artists.models import Conflict, Review, ReviewPhase, Score
from artists.selectors import jury as selectors
from artists.services.jury import mark_conflict, save_review
from tests.artists.factories import (
    BLIND,
    ApplicantFactory,
    ApplicationFactory,
    ArtistImageFactory,
    full_scores,
    move_phase,
    tiny_image,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """A browser that reads the site in English, to match the messages below."""
    client.post(reverse("set_language"), {"language": "en"})
    return client


def list_url(call):
    return reverse("artists:jury_list", args=[call.pk])


def review_url(application):
    return reverse("artists:jury_review", args=[application.call_id, application.pk])


def autosave_url(application):
    return reverse("artists:jury_autosave", args=[application.call_id, application.pk])


def recuse_url(application):
    return reverse("artists:jury_recuse", args=[application.call_id, application.pk])


def form_data(criteria, values, **extra):
    data = {
        f"criterion_{criterion.pk}": "" if value is None else str(value)
        for criterion, value in zip(criteria, values, strict=True)
    }
    data.update({"comment": "", **extra})
    return data


def scores_of(application, juror):
    return {
        score.criterion_id: score.value
        for score in Score.objects.filter(review__application=application, review__juror=juror)
    }


# Who may see the pages ------------------------------------------------------------------


@pytest.mark.parametrize("page", ["list", "review", "recuse"])
def test_anonymous_visitors_are_sent_to_log_in(client, jurors, applications, page):
    url = {
        "list": list_url(applications[0].call),
        "review": review_url(applications[0]),
        "recuse": recuse_url(applications[0]),
    }[page]
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", ["artist", "nobody", "other_call_juror", "venue_host"])
def test_people_off_the_jury_are_refused(request, client, jurors, applications, role):
    client.force_login(request.getfixturevalue(role))
    index = client.get(reverse("artists:jury"))
    if role == "other_call_juror":
        assert "Kunst rett vest 2026" in index.content.decode()
        assert "Kunst rett vest 2027" not in index.content.decode()
    else:
        assert index.status_code == 403
    assert client.get(list_url(applications[0].call)).status_code == 403
    # An application's pages hide it from whoever is not on its jury (REVIEW_APPLICATION).
    for url in (review_url(applications[0]), recuse_url(applications[0])):
        assert client.get(url).status_code == 404, url
    response = client.post(autosave_url(applications[0]), {})
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_a_juror_sees_their_calls_and_their_list(client, jurors, applications):
    client.force_login(jurors[0])
    index = client.get(reverse("artists:jury"))
    assert index.status_code == 200
    assert "Kunst rett vest 2027" in index.content.decode()
    response = client.get(list_url(applications[0].call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reviewed 0 of 5" in html
    for application in applications:
        assert review_url(application) in html
    listed = [a.pk for a in response.context["applications"]]
    assert listed == [
        a.pk for a in selectors.applications_for_juror(applications[0].call, jurors[0])
    ]
    assert "Kunstner 0" not in html  # blind
    assert "Utkast" not in html and "Trukket" not in html


def test_the_list_shows_each_applications_review_status(client, jurors, criteria, applications):
    juror = jurors[0]
    save_review(application=applications[0], juror=juror, scores=full_scores(criteria, 5, 2, 10))
    save_review(application=applications[1], juror=juror, scores={criteria[0]: 3})
    client.force_login(juror)
    html = client.get(list_url(applications[0].call)).content.decode()
    assert "Reviewed 1 of 5" in html
    assert html.count("is-complete") == 1
    assert html.count("is-started") == 1
    assert "Reviewed · 100.0" in html
    assert html.count("Not reviewed") == 3


def test_a_juror_in_conflict_never_sees_the_application(client, jurors, applications):
    juror = jurors[0]
    mark_conflict(application=applications[0], juror=juror, reason="Bror", by=None)
    client.force_login(juror)
    html = client.get(list_url(applications[0].call)).content.decode()
    assert review_url(applications[0]) not in html
    assert "Reviewed 0 of 4" in html
    assert client.get(review_url(applications[0])).status_code == 404
    assert client.get(recuse_url(applications[0])).status_code == 404
    assert client.get(review_url(applications[1])).status_code == 200


@pytest.mark.parametrize("state", ["draft", "withdrawn"])
def test_unsubmitted_applications_are_not_shown(client, jurors, jury_call, jury_media, state):
    application = ApplicationFactory(
        call=jury_call, artist=ApplicantFactory(name="Ikke Sendt", slug="ikke-sendt"), state=state
    )
    client.force_login(jurors[0])
    assert client.get(review_url(application)).status_code == 404


@pytest.mark.parametrize(
    "when, text",
    [("before", "The review phase starts"), ("after", "The review phase ended")],
)
def test_outside_the_review_phase_a_juror_gets_a_clear_page(
    client, jurors, applications, review_phase, when, text
):
    move_phase(review_phase, when)
    client.force_login(jurors[0])
    for url in (list_url(applications[0].call), review_url(applications[0])):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert text in html
        assert review_url(applications[1]) not in html
        assert "Jeg arbeider med lys" not in html


def test_without_a_review_phase_a_juror_is_told_so(client, jurors, applications, review_phase):
    review_phase.delete()
    client.force_login(jurors[0])
    html = client.get(list_url(applications[0].call)).content.decode()
    assert "The review phase has not been set yet." in html


@pytest.mark.parametrize("when", ["before", "during", "after"])
def test_staff_may_look_at_any_time_without_scoring(
    client, project_leader, jurors, applications, review_phase, when
):
    move_phase(review_phase, when)
    client.force_login(project_leader)
    listing = client.get(list_url(applications[0].call))
    assert listing.status_code == 200
    assert "preview of what the jurors see" in listing.content.decode()
    page = client.get(review_url(applications[0]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Jeg arbeider med lys" in html
    assert "data-autosave-url" not in html
    response = client.post(review_url(applications[0]), {"comment": "", "action": "save"})
    assert response.status_code == 400
    assert "not on the jury" in response.content.decode()
    assert not Review.objects.exists()


# The review page ----------------------------------------------------------------------


def test_blind_review_shows_nothing_that_identifies_the_applicant(
    client, jurors, criteria, blind_application, applications
):
    client.force_login(jurors[0])
    for url in (list_url(blind_application.call), review_url(blind_application)):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for key, value in BLIND.items():
            assert value not in html, key
        assert "selvportrett" not in html
    html = client.get(review_url(blind_application)).content.decode()
    assert "Jeg arbeider med lys og flater." in html  # statement
    assert "Kunstakademiet i Bergen" in html  # CV
    assert "Høstutstillingen 2022." in html  # previous exhibitions
    for link in blind_application.image_links.all():
        # The jury's own copies, never the gallery's files.
        assert link.image.display.url not in html and link.image.image.url not in html
        copy = reverse(
            "artists:jury_review_image",
            args=[blind_application.call_id, blind_application.pk, link.position + 1, "stor"],
        )
        assert f'href="{copy}"' in html  # tap for the full image
        assert link.image.title not in html
    assert "Blind review" in html


def review_image_url(application, number=1, size="stor"):
    return reverse(
        "artists:jury_review_image", args=[application.call_id, application.pk, number, size]
    )


def test_the_jury_sees_its_own_copy_of_each_image(client, jurors, blind_application):
    client.force_login(jurors[0])
    response = client.get(review_image_url(blind_application))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "private" in response["Cache-Control"]
    assert "selvportrett" not in response["Content-Disposition"]
    link = blind_application.image_links.order_by("position").first()
    link.refresh_from_db()
    assert link.review_display.name.startswith("jury/")
    assert link.review_display.name != link.image.display.name
    first = b"".join(response.streaming_content)
    # Made once: the second look is served the same file.
    again = client.get(review_image_url(blind_application))
    assert b"".join(again.streaming_content) == first
    thumbnail = client.get(review_image_url(blind_application, size="liten"))
    assert thumbnail.status_code == 200
    list_html = client.get(list_url(blind_application.call)).content.decode()
    assert review_image_url(blind_application, size="liten") in list_html


@pytest.mark.parametrize("number, size", [(0, "stor"), (4, "stor"), (1, "huge")])
def test_a_review_image_that_does_not_exist_is_not_found(
    client, jurors, blind_application, number, size
):
    client.force_login(jurors[0])
    assert client.get(review_image_url(blind_application, number, size)).status_code == 404


def test_review_images_follow_the_review_pages_rules(
    client, jurors, blind_application, review_phase, other_call_juror, project_leader
):
    url = review_image_url(blind_application)
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(other_call_juror)
    assert client.get(url).status_code == 404
    mark_conflict(application=blind_application, juror=jurors[1], reason="Søster", by=None)
    client.force_login(jurors[1])
    assert client.get(url).status_code == 404
    client.force_login(jurors[0])
    assert client.get(url).status_code == 200
    move_phase(review_phase, "after")
    assert client.get(url).status_code == 404
    client.force_login(project_leader)  # staff look at any time
    assert client.get(url).status_code == 200


def test_another_image_gets_copies_of_its_own(
    client, jurors, blind_application, django_capture_on_commit_callbacks
):
    client.force_login(jurors[0])
    before = b"".join(client.get(review_image_url(blind_application)).streaming_content)
    link = blind_application.image_links.order_by("position").first()
    link.refresh_from_db()
    old_name = link.review_display.name
    other = ApplicantFactory(name="Annen Kunstner", slug="annen-kunstner", images=1).images.get()
    other.image.save("red.jpg", tiny_image(color="red"))
    with django_capture_on_commit_callbacks(execute=True):
        link.image = other
        link.save()
    after = b"".join(client.get(review_image_url(blind_application)).streaming_content)
    assert after != before
    link.refresh_from_db()
    assert link.review_display.name != old_name


def test_the_copies_go_when_the_application_image_goes(
    client, jurors, blind_application, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    client.force_login(jurors[0])
    client.get(review_image_url(blind_application))
    link = blind_application.image_links.order_by("position").first()
    link.refresh_from_db()
    names = [link.review_display.name, link.review_thumbnail.name]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        link.delete()
    assert not any(default_storage.exists(name) for name in names)


def test_with_names_visible_the_page_shows_the_name(
    client, jurors, criteria, blind_application, review_phase
):
    review_phase.names_visible = True
    review_phase.save()
    client.force_login(jurors[0])
    html = client.get(review_url(blind_application)).content.decode()
    assert BLIND["name"] in html
    assert BLIND["slug"] not in html
    assert BLIND["municipality"] not in html
    assert BLIND["filename"] not in html
    assert BLIND["name"] in client.get(list_url(blind_application.call)).content.decode()


def test_the_form_saves_without_javascript(client, jurors, criteria, applications):
    juror, application = jurors[0], applications[0]
    client.force_login(juror)
    page = client.get(review_url(application)).content.decode()
    assert "Artistic quality" in page and "Relevance to the exhibition" in page
    assert 'value="2"' in page and ">Maybe<" in page
    response = client.post(
        review_url(application),
        form_data(criteria, [4, 1, 7], comment="Godt.", comment_shareable="on", action="save"),
    )
    assert response.status_code == 302
    assert response["Location"] == review_url(application)
    review = Review.objects.get(application=application, juror=juror)
    assert review.is_complete and review.comment_shareable and review.comment == "Godt."
    assert scores_of(application, juror) == {
        criteria[0].pk: 4,
        criteria[1].pk: 1,
        criteria[2].pk: 7,
    }
    again = client.get(review_url(application)).content.decode()
    assert "Your review is saved." in again
    assert "Complete: weighted score" in again
    assert again.count(" checked") == 4  # three scores and "shareable"
    # Saving again changes the same review.
    client.post(review_url(application), form_data(criteria, [5, 1, 7], action="save"))
    assert Review.objects.filter(application=application, juror=juror).count() == 1
    assert scores_of(application, juror)[criteria[0].pk] == 5


def test_save_and_next_goes_to_the_fewest_reviews_then_the_jurors_order(
    client, jurors, criteria, applications
):
    first, second, _third = jurors
    call = applications[0].call
    order = selectors.applications_for_juror(call, first)
    for application in order[:3]:
        save_review(application=application, juror=second, scores=full_scores(criteria, 2, 1, 2))
    client.force_login(first)
    response = client.post(review_url(order[0]), form_data(criteria, [3, 1, 5], action="next"))
    assert response["Location"] == review_url(order[3])
    response = client.post(review_url(order[3]), form_data(criteria, [3, 1, 5], action="next"))
    assert response["Location"] == review_url(order[4])
    for application in order[1:]:
        save_review(application=application, juror=first, scores=full_scores(criteria, 3, 1, 5))
    response = client.post(review_url(order[4]), form_data(criteria, [3, 1, 5], action="next"))
    assert response["Location"] == list_url(call)
    assert "No other application is waiting" in client.get(list_url(call)).content.decode()


def test_bad_form_input_is_refused_and_changes_nothing(client, jurors, criteria, applications):
    juror, application = jurors[0], applications[0]
    save_review(application=application, juror=juror, scores={criteria[0]: 2}, comment="Før")
    client.force_login(juror)
    for values in ([9, 1, 5], [3, 7, 5], [3, 1, "ti"]):
        response = client.post(review_url(application), form_data(criteria, values, comment="X"))
        assert response.status_code == 400
        assert "is not on the scale" in response.content.decode()
    too_long = client.post(
        review_url(application), form_data(criteria, [3, 1, 5], comment="x" * 4001)
    )
    assert too_long.status_code == 400
    review = Review.objects.get(application=application, juror=juror)
    assert review.comment == "Før"
    assert scores_of(application, juror) == {criteria[0].pk: 2}


def test_posting_for_an_application_in_conflict_finds_nothing(
    client, jurors, criteria, applications
):
    """A juror in conflict with an application never learns it exists: not on a GET, not
    on a POST (REVIEW_APPLICATION hides it)."""
    juror = jurors[0]
    mark_conflict(application=applications[0], juror=juror, reason="Kusine", by=None)
    client.force_login(juror)
    response = client.post(review_url(applications[0]), form_data(criteria, [3, 1, 5]))
    assert response.status_code == 404
    assert "Jeg arbeider med lys" not in response.content.decode()
    assert not Review.objects.exists()


def test_posting_after_the_review_phase_is_refused(
    client, jurors, criteria, applications, review_phase
):
    move_phase(review_phase, "after")
    client.force_login(jurors[0])
    response = client.post(review_url(applications[0]), form_data(criteria, [3, 1, 5]))
    assert response.status_code == 400
    assert "The review phase ended" in response.content.decode()
    assert not Review.objects.exists()


# Autosave ---------------------------------------------------------------------------------


def test_autosave_answers_in_json_and_keeps_one_review(client, jurors, criteria, applications):
    juror, application = jurors[0], applications[0]
    client.force_login(juror)
    page = client.get(review_url(application)).content.decode()
    assert f'data-autosave-url="{autosave_url(application)}"' in page
    assert "artists/jury.js" in page
    first = client.post(autosave_url(application), form_data(criteria, [4, None, None]))
    assert first.status_code == 200
    body = first.json()
    assert body["saved"] is True
    assert body["is_complete"] is False
    assert body["weighted_score"] is None
    assert body["summary"] == "1 of 3 criteria scored."
    # The clock as the page's language writes it (core.formats.time), without seconds.
    assert re.fullmatch(r"\d{2}[:.]\d{2}", body["saved_at"]), body["saved_at"]
    second = client.post(
        autosave_url(application), form_data(criteria, [4, 2, 10], comment="Sterkt.")
    )
    body = second.json()
    assert body["is_complete"] is True
    assert body["weighted_score"] == "87.50"
    assert body["summary"] == "Complete: weighted score 87.5 of 100."
    assert Review.objects.filter(application=application, juror=juror).count() == 1
    assert Review.objects.get(application=application, juror=juror).comment == "Sterkt."


def test_autosave_refuses_bad_input_with_a_message(
    client, jurors, criteria, applications, review_phase
):
    juror = jurors[0]
    client.force_login(juror)
    out_of_scale = client.post(autosave_url(applications[0]), form_data(criteria, [6, 1, 5]))
    assert out_of_scale.status_code == 400
    assert out_of_scale.json()["saved"] is False
    assert "is not on the scale" in out_of_scale.json()["error"]
    assert f"criterion_{criteria[0].pk}" in out_of_scale.json()["errors"]

    # An application in conflict, or withdrawn, is not the jury's: not found.
    mark_conflict(application=applications[1], juror=juror, reason="Nabo", by=None)
    conflicted = client.post(autosave_url(applications[1]), form_data(criteria, [3, 1, 5]))
    assert conflicted.status_code == 404

    applications[2].state = "withdrawn"
    applications[2].save()
    withdrawn = client.post(autosave_url(applications[2]), form_data(criteria, [3, 1, 5]))
    assert withdrawn.status_code == 404

    move_phase(review_phase, "before")
    early = client.post(autosave_url(applications[3]), form_data(criteria, [3, 1, 5]))
    assert early.status_code == 400
    assert "The review phase starts" in early.json()["error"]
    assert not Review.objects.exists()


def test_autosave_takes_only_posts(client, jurors, applications):
    client.force_login(jurors[0])
    assert client.get(autosave_url(applications[0])).status_code == 405


def test_staff_cannot_score_through_autosave(
    client, project_leader, jurors, criteria, applications
):
    client.force_login(project_leader)
    response = client.post(autosave_url(applications[0]), form_data(criteria, [3, 1, 5]))
    assert response.status_code == 400
    assert "not on the jury" in response.json()["error"]


# Other jurors -----------------------------------------------------------------------------


def test_other_jurors_appear_as_letters_never_by_name(
    client, jurors, criteria, applications, review_phase
):
    review_phase.other_scores = ReviewPhase.OtherScores.AFTER_OWN
    review_phase.save()
    first, second, third = jurors
    application = applications[0]
    save_review(
        application=application,
        juror=second,
        scores=full_scores(criteria, 5, 2, 10),
        comment="En kommentar fra B.",
    )
    save_review(application=application, juror=third, scores=full_scores(criteria, 1, 0, 1))
    client.force_login(first)
    html = client.get(review_url(application)).content.decode()
    assert "Juror B" not in html  # not before their own review
    save_review(application=application, juror=first, scores=full_scores(criteria, 3, 1, 5))
    html = client.get(review_url(application)).content.decode()
    assert "Juror B" in html and "Juror C" in html
    assert "En kommentar fra B." in html
    for person in (second, third):
        for text in (person.username, person.first_name, person.last_name):
            assert text not in html


# Recusal ------------------------------------------------------------------------------------


def test_a_juror_recuses_from_the_page(client, jurors, criteria, applications):
    juror, application = jurors[0], applications[0]
    client.force_login(juror)
    assert "Declare a conflict of interest" in client.get(review_url(application)).content.decode()
    assert recuse_url(application) in client.get(list_url(application.call)).content.decode()
    assert client.get(recuse_url(application)).status_code == 200
    empty = client.post(recuse_url(application), {"reason": ""})
    assert empty.status_code == 400
    assert not Conflict.objects.exists()
    response = client.post(recuse_url(application), {"reason": "Jeg har undervist kunstneren."})
    assert response["Location"] == list_url(application.call)
    conflict = Conflict.objects.get()
    assert (conflict.juror, conflict.application, conflict.source) == (juror, application, "juror")
    assert client.get(review_url(application)).status_code == 404


# Staff pages -----------------------------------------------------------------------------------


def ranking_url(call, **query):
    url = reverse("artists:jury_ranking", args=[call.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    "name", ["jury_ranking", "jury_conflicts", "jury_ranking_export", "jury_conflicts_export"]
)
@pytest.mark.parametrize("role", ["juror", "artist", "nobody"])
def test_only_staff_reach_the_staff_pages(request, client, jurors, applications, name, role):
    args = [applications[0].call_id] + (["csv"] if name.endswith("export") else [])
    url = reverse(f"artists:{name}", args=args)
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_staff_see_progress_and_the_ranking_with_names(
    client, project_leader, jurors, criteria, applications
):
    first, second, third = jurors
    save_review(application=applications[0], juror=first, scores=full_scores(criteria, 5, 2, 10))
    save_review(application=applications[0], juror=second, scores=full_scores(criteria, 1, 0, 1))
    save_review(application=applications[1], juror=first, scores=full_scores(criteria, 3, 1, 5))
    mark_conflict(application=applications[2], juror=third, reason="Svoger", by=None)
    client.force_login(project_leader)
    response = client.get(ranking_url(applications[0].call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kunstner 0" in html and "Kunstner 4" in html
    assert "Jonas Jurysen" in html and "Jorunn Dommersen" in html
    progress = {item["juror"]: item for item in response.context["progress"]}
    assert (progress[first]["complete"], progress[first]["assigned"]) == (2, 5)
    assert (progress[third]["complete"], progress[third]["assigned"]) == (0, 4)
    rows = response.context["rows"]
    # Application 0: (100 + 0) / 2 = 50; application 1: 48.61 (see test_ranking).
    assert [row.application for row in rows[:2]] == [applications[0], applications[1]]
    assert "the ranking can still change" in html
    by_spread = client.get(ranking_url(applications[0].call, sort="-spread")).context["rows"]
    assert by_spread[0].application == applications[0]
    assert (
        'aria-sort="descending"' in client.get(ranking_url(applications[0].call)).content.decode()
    )


def test_staff_mark_and_export_conflicts(client, project_leader, jurors, applications):
    client.force_login(project_leader)
    url = reverse("artists:jury_conflicts", args=[applications[0].call_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"juror": jurors[1].pk, "application": applications[3].pk, "reason": "Gift med søkeren"},
    )
    assert response.status_code == 302
    again = client.post(
        url, {"juror": jurors[1].pk, "application": applications[3].pk, "reason": "Igjen"}
    )
    assert again.status_code == 400
    assert "already recorded" in again.content.decode()
    html = client.get(url).content.decode()
    assert "Gift med søkeren" in html and "Kunstner 3" in html and "Jonas Jurysen" in html
    csv = client.get(
        reverse("artists:jury_conflicts_export", args=[applications[0].call_id, "csv"])
    )
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Gift med søkeren" in text and "Kunstner 3" in text and "Marked by staff" in text
    xlsx = client.get(
        reverse("artists:jury_conflicts_export", args=[applications[0].call_id, "xlsx"])
    )
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert (
        client.get(
            reverse("artists:jury_conflicts_export", args=[applications[0].call_id, "pdf"])
        ).status_code
        == 404
    )


# Queries ------------------------------------------------------------------------------------


def grow(call, count, jurors, criteria):

    start = call.applications.count()
    for n in range(start, start + count):
        artist = ApplicantFactory(name=f"Mange {n}", slug=f"mange-{n}", images=0)
        ArtistImageFactory(
            artist=artist, image="x.jpg", display="x.jpg", thumbnail="x.jpg", title="Verk"
        )
        application = ApplicationFactory(call=call, artist=artist)
        for juror in jurors:
            save_review(application=application, juror=juror, scores=full_scores(criteria, 3, 1, 5))
        mark_conflict(application=application, juror=jurors[2], reason="Mange", by=None)


@pytest.mark.parametrize("page", ["list", "ranking"])
def test_pages_take_the_same_number_of_queries_for_5_and_40_applications(
    client,
    project_leader,
    jurors,
    criteria,
    jury_call,
    jury_media,
    page,
    django_assert_max_num_queries,
):
    user = jurors[0] if page == "list" else project_leader
    url = list_url(jury_call) if page == "list" else ranking_url(jury_call)
    client.force_login(user)
    grow(jury_call, 5, jurors, criteria)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    grow(jury_call, 35, jurors, criteria)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    if page == "list":
        assert "Reviewed 40 of 40" in html
    else:
        assert "Mange 39" in html
