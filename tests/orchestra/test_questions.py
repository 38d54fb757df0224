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
