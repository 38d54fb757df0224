"""A call's own questions (core.questions): asked on the application form (required when
the application is submitted, not while it is a draft), saved with the application, shown
to staff, and to jurors only when the question does not identify the applicant."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from artists.models import Application
from core import questions
from core.models import Answer, Question

pytestmark = pytest.mark.django_db

Kind = Question.Kind


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def add(call, kind, label, **fields):
    return questions.add_question(
        question_set=questions.question_set_for(call, create=True),
        kind=kind,
        label_nb=label,
        **fields,
    )


def url(call):
    return reverse("artists:application", args=[call.pk])


def post(client, call, applicant, action="save", **extra):
    data = {
        "statement": "Jeg maler lys.",
        "cv": "CV",
        "previous_exhibitions": "",
        "images": [image.pk for image in applicant.images.order_by("position")[:3]],
        "action": action,
    }
    data.update(extra)
    return client.post(url(call), data)


def test_an_artist_answers_the_calls_questions(client, call, applicant):
    medium = add(
        call,
        Kind.CHOICE,
        "Medium",
        required=True,
        choices=[
            {"value": "olje", "nb": "Olje", "en": "Oil"},
            {"value": "akvarell", "nb": "Akvarell", "en": "Watercolour"},
        ],
    )
    portfolio = add(call, Kind.FILE, "Portefølje", required=True)
    medium_field, portfolio_field = map(questions.field_name, (medium, portfolio))
    client.force_login(applicant.user)
    html = client.get(url(call)).content.decode()
    assert f'name="{medium_field}"' in html and 'enctype="multipart/form-data"' in html

    # A draft may leave them empty; submitting may not.
    assert post(client, call, applicant).status_code == 302
    refused = post(client, call, applicant, action="submit")
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {medium_field, portfolio_field}

    pdf = SimpleUploadedFile("mappe.pdf", b"%PDF-1.7\n")
    saved = post(client, call, applicant, **{medium_field: "olje", portfolio_field: pdf})
    assert saved.status_code == 302
    # The file given with the draft is kept when it is submitted without it again.
    submitted = post(client, call, applicant, action="submit", **{medium_field: "akvarell"})
    assert submitted.status_code == 302
    application = Application.objects.get()
    assert application.state == Application.State.SUBMITTED
    answers = {a.question_id: a for a in application.answers.all()}
    assert answers[medium.pk].value == "akvarell"
    assert answers[portfolio.pk].value == {"name": "mappe.pdf", "type": "pdf"}
    # The page shows the saved answer when it is opened again.
    form = client.get(url(call)).context["form"]
    assert form[medium_field].value() == "akvarell"


@pytest.fixture
def answered(jury_call, applications):
    name = add(jury_call, Kind.SHORT_TEXT, "Fullt navn", identifying=True)
    medium = add(jury_call, Kind.SHORT_TEXT, "Medium")
    cv = add(jury_call, Kind.FILE, "CV-fil")
    for application in Application.objects.filter(call=jury_call):
        Answer.objects.create(question=name, record=application, value=f"Navn {application.pk}")
        Answer.objects.create(question=medium, record=application, value="Olje på lerret")
        Answer.objects.create(
            question=cv,
            record=application,
            value={"name": "kari_nordmann_cv.pdf", "type": "pdf"},
            file=SimpleUploadedFile("x.pdf", b"%PDF-1.4"),
        )
    return name, medium, cv


def test_jurors_never_see_identifying_answers_nor_file_names(
    client, jurors, answered, applications
):
    application = applications[0]
    client.force_login(jurors[0])
    html = client.get(
        reverse("artists:jury_review", args=[application.call_id, application.pk])
    ).content.decode()
    assert "Olje på lerret" in html
    assert f"Navn {application.pk}" not in html and "Fullt navn" not in html
    assert "kari_nordmann_cv" not in html
    assert (
        reverse("core:answer_file", args=[application.answers.exclude(file="").get().pk])
        not in html
    )


def test_staff_see_every_answer_on_the_decisions_page(
    client, project_leader, jury_call, answered, applications, django_assert_max_num_queries
):
    client.force_login(project_leader)
    url = reverse("artists:decisions", args=[jury_call.pk])
    with django_assert_max_num_queries(40) as few:
        html = client.get(url).content.decode()
    for application in Application.objects.filter(call=jury_call, state="submitted"):
        assert f"Navn {application.pk}" in html
    assert "kari_nordmann_cv.pdf" in html
    assert reverse("core:questions", args=["artists.call", jury_call.pk]) in html
    count = len(few.captured_queries)
    from tests.artists.factories import ApplicantFactory, ApplicationFactory

    name, medium, cv = answered
    for n in range(3):
        more = ApplicationFactory(
            call=jury_call, artist=ApplicantFactory(name=f"Ny {n}", slug=f"ny-{n}")
        )
        Answer.objects.create(question=medium, record=more, value="Tre")
    with django_assert_max_num_queries(count):
        client.get(url)
