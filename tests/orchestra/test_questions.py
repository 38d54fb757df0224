"""A season's own questions (core.questions) on the orchestra's registration form: asked
with the season, saved with the child registered, shown to staff on the registrations
page, where a look at a health-data answer goes into the access log of sensitive data."""

import pytest
from django.urls import reverse

from core import questions
from core.models import Answer, Question
from orchestra.models import Member, SensitiveDataAccess
from orchestra.services.retention import anonymise_member
from tests.orchestra.factories import form_data

pytestmark = pytest.mark.django_db

URL = "/orkester/innmelding/"
Kind = Question.Kind


@pytest.fixture
def season_questions(registration_open):
    question_set = questions.question_set_for(registration_open, create=True)
    allergy = questions.add_question(
        question_set=question_set,
        kind=Kind.YES_NO,
        label_nb="Allergier?",
        required=True,
    )
    which = questions.add_question(
        question_set=question_set,
        kind=Kind.LONG_TEXT,
        label_nb="Hvilke?",
        required=True,
        shown_when=allergy,
        shown_when_value="yes",
        health_data=True,
    )
    return allergy, which


def test_a_guardian_answers_the_seasons_questions(
    client, registration_open, municipality, season_questions, django_capture_on_commit_callbacks
):
    allergy, which = season_questions
    allergy_field, which_field = map(questions.field_name, season_questions)
    assert f'name="{which_field}"' in client.get(URL).content.decode()
    data = form_data(registration_open, municipality)
    refused = client.post(URL, {**data, allergy_field: "yes"})
    assert refused.status_code == 400
    assert not Member.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**data, allergy_field: "yes", which_field: "Nøtter"})
    assert response.status_code == 302
    member = Member.objects.get()
    assert {a.question_id: a.value for a in member.answers.all()} == {
        allergy.pk: True,
        which.pk: "Nøtter",
    }


def test_staff_see_the_answers_and_the_look_is_logged(
    client,
    project_leader,
    registration_open,
    municipality,
    season_questions,
    django_capture_on_commit_callbacks,
):
    allergy_field, which_field = map(questions.field_name, season_questions)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            {
                **form_data(registration_open, municipality),
                allergy_field: "yes",
                which_field: "Nøtter",
            },
        )
    member = Member.objects.get()
    client.force_login(project_leader)
    html = client.get(reverse("orchestra:applications")).content.decode()
    assert "Nøtter" in html
    assert reverse("core:questions", args=["events.period", registration_open.pk]) in html
    access = SensitiveDataAccess.objects.get(member=member)
    assert access.data == [SensitiveDataAccess.Data.QUESTION_ANSWERS]
    assert access.viewer == project_leader

    anonymise_member(member, by=None)
    assert not Answer.objects.exists()


def test_a_childs_answers_and_the_seasons_questions_are_for_project_leaders_only(
    client, project_leader, registration_open, season_questions, municipality
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory
    from tests.orchestra.factories import new_member

    child = new_member(("Olga", "Orkester"), age=11, municipality=municipality)
    upload = questions.add_question(
        question_set=season_questions[0].question_set, kind=Kind.FILE, label_nb="Erklæring"
    )
    answer = Answer.objects.create(
        question=upload,
        record=child,
        value={"name": "e.pdf", "type": "pdf"},
        file=SimpleUploadedFile("e.pdf", b"%PDF-1.4"),
    )
    page = reverse("core:questions", args=["events.period", registration_open.pk])
    download = reverse("core:answer_file", args=[answer.pk])
    edit = reverse("core:question_edit", args=[upload.pk])
    client.force_login(UserFactory(username="office", is_staff=True))
    assert [client.get(url).status_code for url in (page, download, edit)] == [403, 403, 403]
    client.force_login(project_leader)
    assert [client.get(url).status_code for url in (page, download, edit)] == [200, 200, 200]
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment")


def test_the_registrations_page_reads_the_answers_in_a_constant_number_of_queries(
    client,
    project_leader,
    registration_open,
    municipality,
    season_questions,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    allergy_field, which_field = map(questions.field_name, season_questions)

    def register(first_name):
        data = form_data(registration_open, municipality, first_name=first_name)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, {**data, allergy_field: "yes", which_field: "Pollen"})
        assert response.status_code == 302

    register("Ane")
    client.force_login(project_leader)
    with django_assert_max_num_queries(60) as few:
        assert client.get(reverse("orchestra:applications")).status_code == 200
    count = len(few.captured_queries)
    assert count
    client.logout()
    for name in ("Bo", "Cille", "Dag"):
        register(name)
    client.force_login(project_leader)
    with django_assert_max_num_queries(count):
        html = client.get(reverse("orchestra:applications")).content.decode()
    assert html.count("Pollen") == 4
    assert SensitiveDataAccess.objects.count() == 5
