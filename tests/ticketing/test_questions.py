"""An offer's own questions (core.questions): staff add them on their page, people answer
those of the offers they choose while registering, and staff read the answers on the
registrations page, in the export and through the API; the answers go with the
registration's retention."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import questions
from core.models import Answer, AuditEntry, Question
from tests.ticketing.factories import OfferFactory
from ticketing.models import Registration
from ticketing.retention import anonymise_registrations

pytestmark = pytest.mark.django_db

Kind = Question.Kind


def register_url(event):
    return reverse("ticketing:register", args=[event.pk])


def questions_url(offer):
    return reverse("core:questions", args=["ticketing.offer", offer.pk])


def form_data(offer, quantity=1, **extra):
    data = {"name": "Kari Nordmann", "email": "kari@example.org", f"quantity_{offer.pk}": quantity}
    data.update(extra)
    return data


@pytest.fixture
def offer_questions(offer):
    question_set = questions.question_set_for(offer, create=True)
    diet = questions.add_question(
        question_set=question_set,
        kind=Kind.YES_NO,
        label_nb="Spesiell kost?",
        label_en="Special diet?",
        required=True,
    )
    which = questions.add_question(
        question_set=question_set,
        kind=Kind.SHORT_TEXT,
        label_nb="Hvilken?",
        label_en="Which?",
        required=True,
        shown_when=diet,
        shown_when_value="yes",
        health_data=True,
    )
    return diet, which


def test_staff_add_a_conditional_question_to_an_offer(client, project_leader, offer):
    client.force_login(project_leader)
    assert client.get(questions_url(offer)).status_code == 200
    response = client.post(
        questions_url(offer),
        {"kind": "yes_no", "label_nb": "Spesiell kost?", "label_en": "Special diet?"},
    )
    assert response.status_code == 302
    diet = Question.objects.get()
    assert diet.question_set.owner == offer
    response = client.post(
        questions_url(offer),
        {
            "kind": "choice",
            "label_nb": "Hvilken?",
            "choices_text": "veg | Vegetar | Vegetarian\nglu | Glutenfri",
            "required": "on",
            "shown_when": diet.pk,
            "shown_when_value": "yes",
        },
    )
    assert response.status_code == 302
    which = Question.objects.get(kind="choice")
    assert which.choices == [
        {"value": "veg", "nb": "Vegetar", "en": "Vegetarian"},
        {"value": "glu", "nb": "Glutenfri", "en": ""},
    ]
    assert (which.shown_when, which.position) == (diet, diet.position + 1)
    html = client.get(questions_url(offer)).content.decode()
    assert f'id="question-{which.pk}"' in html and "data-condition" in html

    # A choice question without choices is refused on its field.
    refused = client.post(questions_url(offer), {"kind": "choice", "label_nb": "Tom"})
    assert refused.status_code == 400
    assert "choices_text" in refused.context["form"].errors


def test_staff_change_move_and_remove_questions(client, project_leader, offer, offer_questions):
    diet, which = offer_questions
    client.force_login(project_leader)
    edit = reverse("core:question_edit", args=[which.pk])
    assert client.get(edit).status_code == 200
    data = {"kind": "short_text", "label_nb": "Hvilken kost?", "required": "on"}
    assert client.post(edit, data).status_code == 302
    which.refresh_from_db()
    assert (which.label_nb, which.shown_when) == ("Hvilken kost?", None)
    client.post(reverse("core:question_move", args=[which.pk, "up"]))
    order = list(Question.objects.order_by("position").values_list("pk", flat=True))
    assert order == [which.pk, diet.pk]
    client.post(reverse("core:question_remove", args=[diet.pk]))
    assert list(Question.objects.values_list("pk", flat=True)) == [which.pk]


def test_the_question_page_has_a_constant_number_of_queries(
    client, project_leader, offer, offer_questions, django_assert_max_num_queries
):
    client.force_login(project_leader)
    with django_assert_max_num_queries(14) as few:
        client.get(questions_url(offer))
    question_set = offer_questions[0].question_set
    for n in range(10):
        questions.add_question(question_set=question_set, kind=Kind.SHORT_TEXT, label_nb=f"S{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(questions_url(offer))


def test_register_asks_the_questions_of_the_offers_chosen(client, event, offer, offer_questions):
    diet, which = offer_questions
    other = OfferFactory(event=event, name_nb="Voksen", pool=offer.pool)
    html = client.get(register_url(event)).content.decode()
    diet_field = questions.field_name(diet)
    which_field = questions.field_name(which)
    assert f'name="{diet_field}"' in html
    assert f'data-shown-when="{diet_field}"' in html
    assert "core/questions.js" in html

    # Not chosen: its questions are not asked.
    data = form_data(offer, 0, **{f"quantity_{other.pk}": 1})
    assert client.post(register_url(event), data).status_code == 302
    assert not Answer.objects.exists()

    # Chosen: required, and the conditional one only when shown.
    def chosen(**answers):  # the same person again: another registration, meant
        return form_data(offer, 1, confirm_another="on", **{f"quantity_{other.pk}": 0}, **answers)

    refused = client.post(register_url(event), chosen())
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {diet_field}
    refused = client.post(register_url(event), chosen(**{diet_field: "yes"}))
    assert set(refused.context["form"].errors) == {which_field}

    response = client.post(
        register_url(event), chosen(**{diet_field: "yes", which_field: "Nøtter"})
    )
    assert response.status_code == 302
    registration = Registration.objects.latest("pk")
    answers = {a.question_id: a.value for a in registration.answers.all()}
    assert answers == {diet.pk: True, which.pk: "Nøtter"}

    response = client.post(register_url(event), chosen(**{diet_field: "no", which_field: "x"}))
    assert response.status_code == 302
    registration = Registration.objects.latest("pk")
    assert {a.question_id: a.value for a in registration.answers.all()} == {diet.pk: False}


def test_a_file_answer_is_refused_by_content_on_the_register_form(client, event, offer):
    upload = questions.add_question(
        question_set=questions.question_set_for(offer, create=True),
        kind=Kind.FILE,
        label_nb="Legeerklæring",
        required=True,
    )
    field = questions.field_name(upload)
    assert 'enctype="multipart/form-data"' in client.get(register_url(event)).content.decode()
    html_as_pdf = SimpleUploadedFile("erklaering.pdf", b"<html><body>hi</body></html>")
    response = client.post(register_url(event), form_data(offer, 1, **{field: html_as_pdf}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Registration.objects.exists()
    pdf = SimpleUploadedFile("erklaering.pdf", b"%PDF-1.4\n1 0 obj\n")
    assert client.post(register_url(event), form_data(offer, 1, **{field: pdf})).status_code == 302
    answer = Answer.objects.get()
    assert answer.value["type"] == "pdf" and answer.file.name.endswith(".pdf")


def answer(registration, question, value):
    return Answer.objects.create(question=question, record=registration, value=value)


def test_staff_see_the_answers_and_health_data_reads_are_logged(
    client,
    project_leader,
    event,
    offer,
    offer_questions,
    make_registration,
    django_assert_max_num_queries,
):
    diet, which = offer_questions
    registration = make_registration("Kari Nordmann")
    answer(registration, diet, True)
    answer(registration, which, "Nøtter")
    client.force_login(project_leader)
    url = reverse("ticketing:event_registrations", args=[event.pk])
    with django_assert_max_num_queries(22) as few:
        html = client.get(url).content.decode()
    assert "Spesiell kost?" in html and "Nøtter" in html
    assert questions_url(offer) in html
    entry = AuditEntry.objects.get(action=questions.HEALTH_DATA_SEEN)
    assert (entry.actor, entry.object_id) == (project_leader, registration.pk)
    assert entry.changes["questions"] == [which.pk]

    for n in range(8):
        more = make_registration(f"Person {n}", email=f"p{n}@example.org")
        answer(more, diet, False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_export_has_the_answers(
    client, project_leader, event, offer, offer_questions, make_registration
):
    diet, which = offer_questions
    registration = make_registration("Kari Nordmann")
    answer(registration, diet, True)
    answer(registration, which, "Nøtter")
    client.force_login(project_leader)
    text = client.get(reverse("ticketing:export_attendees_csv", args=[event.pk])).content.decode(
        "utf-8-sig"
    )
    assert "Spesiell kost?: Ja; Hvilken?: Nøtter" in text
    assert AuditEntry.objects.filter(action=questions.HEALTH_DATA_SEEN).count() == 1


def test_the_api_has_the_answers(
    api_as,
    project_leader,
    offer_questions,
    make_registration,
    check_schema,
    django_assert_max_num_queries,
):
    diet, which = offer_questions
    registration = make_registration("Kari Nordmann")
    answer(registration, diet, True)
    answer(registration, which, "Nøtter")
    client = api_as(project_leader)
    body = check_schema(client.get(f"/api/v1/registrations/{registration.pk}/"))
    assert [(a["question"], a["value"], a["health_data"]) for a in body["answers"]] == [
        (diet.pk, True, False),
        (which.pk, "Nøtter", True),
    ]
    assert body["answers"][0]["question_label_nb"] == "Spesiell kost?"
    assert AuditEntry.objects.filter(action=questions.HEALTH_DATA_SEEN).count() == 1

    with django_assert_max_num_queries(20) as few:
        check_schema(client.get("/api/v1/registrations/"))
    for n in range(5):
        answer(make_registration(f"P{n}", email=f"p{n}@example.org"), diet, False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/registrations/")


def test_answers_go_with_the_registration(offer_questions, make_registration):
    diet, which = offer_questions
    kept = make_registration("Ola")
    answer(kept, diet, True)
    cleared = make_registration("Kari")
    answer(cleared, which, "Nøtter")
    anonymise_registrations(Registration.objects.filter(pk=cleared.pk))
    assert list(Answer.objects.values_list("record_id", flat=True)) == [kept.pk]
    kept.delete()
    registration_type = ContentType.objects.get_for_model(Registration)
    assert not Answer.objects.filter(record_type=registration_type).exists()
