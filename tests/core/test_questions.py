"""Questions of our own (core.questions): every kind validated on the server, conditions,
texts in bokmål and English, consent versions, file answers checked by their content, and
answers saved with the record they answer."""

import io
from datetime import date

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from core import questions
from core.models import Answer, AuditEntry, Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = Question.Kind


class AskForm(forms.Form):
    """A form that asks a question set, as an app's form does."""

    def __init__(self, *args, asked, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = asked
        questions.add_question_fields(self, asked)

    def clean(self):
        cleaned = super().clean()
        self.answers = questions.clean_answers(self, self.asked)
        return cleaned


@pytest.fixture
def owner():
    return UserFactory(username="owner-of-questions")


@pytest.fixture
def question_set(owner):
    return questions.question_set_for(owner, create=True)


@pytest.fixture
def add(question_set):
    def make(kind, **fields):
        fields.setdefault("label_nb", f"Spørsmål {kind}")
        fields.setdefault("label_en", f"Question {kind}")
        return questions.add_question(question_set=question_set, kind=kind, **fields)

    return make


def ask(asked, data=None, files=None):
    form = AskForm(data or {}, files, asked=asked)
    form.is_valid()
    return form


def name(question):
    return questions.field_name(question)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_required_questions_of_every_kind_are_refused_when_empty(add):
    asked = [
        add(Kind.SHORT_TEXT, required=True),
        add(Kind.LONG_TEXT, required=True),
        add(Kind.NUMBER, required=True),
        add(Kind.DATE, required=True),
        add(Kind.CHOICE, required=True, choices=[{"value": "s", "nb": "Liten", "en": "Small"}]),
        add(Kind.MULTIPLE_CHOICE, required=True, choices=[{"value": "a", "nb": "A", "en": "A"}]),
        add(Kind.YES_NO, required=True),
        add(
            Kind.CONSENT,
            required=True,
            consent_text_nb="Jeg samtykker.",
            consent_text_en="I agree.",
        ),
        add(Kind.FILE, required=True),
    ]
    form = ask(asked)
    assert set(form.errors) == {name(q) for q in asked}
    assert all(form.errors[name(q)].as_data()[0].code == "required" for q in asked)


def test_optional_questions_may_be_left_empty(add):
    asked = [add(Kind.SHORT_TEXT), add(Kind.NUMBER), add(Kind.CONSENT, consent_text_nb="Ja.")]
    form = ask(asked)
    assert form.is_valid()
    assert form.answers == {}


def test_values_are_checked_by_kind(add):
    choice = add(Kind.CHOICE, choices=[{"value": "s", "nb": "Liten"}, {"value": "l", "nb": "Stor"}])
    many = add(Kind.MULTIPLE_CHOICE, choices=[{"value": "a", "nb": "A"}, {"value": "b", "nb": "B"}])
    number = add(Kind.NUMBER)
    day = add(Kind.DATE)
    yes_no = add(Kind.YES_NO)
    text = add(Kind.SHORT_TEXT)
    bad = ask(
        [choice, many, number, day, yes_no, text],
        {
            name(choice): "xl",
            name(many): ["a", "z"],
            name(number): "many",
            name(day): "2026-02-30",
            name(yes_no): "maybe",
            name(text): "x" * 301,
        },
    )
    assert set(bad.errors) == {name(q) for q in (choice, many, number, day, yes_no, text)}

    good = ask(
        [choice, many, number, day, yes_no, text],
        {
            name(choice): "l",
            name(many): ["a", "b"],
            name(number): "12.5",
            name(day): "2027-01-31",
            name(yes_no): "no",
            name(text): "Fiolin",
        },
    )
    assert good.is_valid(), good.errors
    assert good.answers[choice.pk] == "l"
    assert good.answers[many.pk] == ["a", "b"]
    assert str(good.answers[number.pk]) == "12.5"
    assert good.answers[day.pk] == date(2027, 1, 31)
    assert good.answers[yes_no.pk] is False
    assert good.answers[text.pk] == "Fiolin"


def test_a_conditional_question_is_asked_and_required_only_when_shown(add):
    allergy = add(Kind.YES_NO, required=True)
    which = add(Kind.SHORT_TEXT, required=True, shown_when=allergy, shown_when_value="yes")
    deeper = add(Kind.SHORT_TEXT, required=True, shown_when=which, shown_when_value="nøtter")
    asked = [allergy, which, deeper]

    not_shown = ask(asked, {name(allergy): "no", name(which): "ignored"})
    assert not_shown.is_valid(), not_shown.errors
    assert not_shown.answers == {allergy.pk: False}

    shown = ask(asked, {name(allergy): "yes"})
    assert set(shown.errors) == {name(which)}

    chained = ask(asked, {name(allergy): "yes", name(which): "nøtter"})
    assert set(chained.errors) == {name(deeper)}
    # The widget names what it depends on, for static/core/questions.js.
    widget = chained.fields[name(which)].widget
    assert widget.attrs["data-shown-when"] == name(allergy)
    assert widget.attrs["data-shown-value"] == "yes"


def test_a_condition_on_a_choice_of_several(add):
    many = add(Kind.MULTIPLE_CHOICE, choices=[{"value": "a", "nb": "A"}, {"value": "b", "nb": "B"}])
    more = add(Kind.LONG_TEXT, required=True, shown_when=many, shown_when_value="b")
    assert ask([many, more], {name(many): ["a"]}).is_valid()
    assert set(ask([many, more], {name(many): ["a", "b"]}).errors) == {name(more)}


def test_a_condition_must_be_on_an_earlier_question_of_the_same_set(add, question_set):
    first = add(Kind.YES_NO)
    second = add(Kind.SHORT_TEXT)
    first.shown_when, first.shown_when_value = second, "x"
    with pytest.raises(ValidationError) as error:
        first.full_clean()
    assert "shown_when" in error.value.error_dict
    other = questions.question_set_for(UserFactory(), create=True)
    stranger = questions.add_question(question_set=other, kind=Kind.YES_NO, label_nb="Annen")
    second.shown_when, second.shown_when_value = stranger, "yes"
    with pytest.raises(ValidationError):
        second.full_clean()
    second.shown_when = first
    second.shown_when_value = ""
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "shown_when_value" in error.value.error_dict


def test_choice_questions_need_distinct_choices(add, question_set):
    with pytest.raises(ValidationError):
        add(Kind.CHOICE, choices=[])
    with pytest.raises(ValidationError):
        add(Kind.CHOICE, choices=[{"value": "a"}, {"value": "a"}])
    with pytest.raises(ValidationError):
        add(Kind.SHORT_TEXT, choices=[{"value": "a"}])
    with pytest.raises(ValidationError):
        add(Kind.CONSENT)  # no text to agree to


def test_labels_and_choices_in_the_active_language(add):
    choice = add(
        Kind.CHOICE,
        label_nb="Størrelse",
        label_en="Size",
        help_nb="Velg én",
        help_en="Pick one",
        choices=[{"value": "s", "nb": "Liten", "en": "Small"}],
    )
    with translation.override("nb"):
        field = AskForm(asked=[choice]).fields[name(choice)]
        assert (field.label, field.help_text, list(field.choices)) == (
            "Størrelse",
            "Velg én",
            [("s", "Liten")],
        )
    with translation.override("en"):
        field = AskForm(asked=[choice]).fields[name(choice)]
        assert (field.label, field.help_text, list(field.choices)) == (
            "Size",
            "Pick one",
            [("s", "Small")],
        )
    # No English text: the bokmål one.
    choice.label_en = ""
    with translation.override("en"):
        assert AskForm(asked=[choice]).fields[name(choice)].label == "Størrelse"


def test_consent_records_the_version_agreed_to(add, owner):
    consent = add(Kind.CONSENT, required=True, consent_text_nb="Bilder kan brukes.")
    assert consent.consent_version == 1
    record = UserFactory()
    form = ask([consent], {name(consent): "on"})
    assert form.is_valid()
    questions.save_answers(record=record, questions=[consent], answers=form.answers)

    consent.consent_text_nb = "Bilder kan brukes på nett."
    consent.save()
    consent.refresh_from_db()
    assert consent.consent_version == 2
    consent.label_nb = "Nytt navn"  # not the text agreed to: the same version
    consent.save()
    assert consent.consent_version == 2

    later = UserFactory()
    form = ask([consent], {name(consent): "on"})
    questions.save_answers(record=later, questions=[consent], answers=form.answers)
    versions = {a.record_id: a.consent_version for a in Answer.objects.all()}
    assert versions == {record.pk: 1, later.pk: 2}
    assert Answer.objects.get(record_id=record.pk).value is True


def test_a_file_answer_is_checked_by_its_content(add):
    upload = add(Kind.FILE, required=True)
    html = SimpleUploadedFile(
        "cv.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    refused = ask([upload], files={name(upload): html})
    assert refused.errors[name(upload)].as_data()[0].code == "type"
    svg = SimpleUploadedFile("a.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/png")
    assert name(upload) in ask([upload], files={name(upload): svg}).errors
    gif = io.BytesIO()
    Image.new("RGB", (2, 2)).save(gif, "GIF")
    as_gif = SimpleUploadedFile("a.gif", gif.getvalue(), "image/gif")
    assert name(upload) in ask([upload], files={name(upload): as_gif}).errors

    pdf = SimpleUploadedFile("cv.txt", b"%PDF-1.4\n%...\n", "text/plain")
    assert ask([upload], files={name(upload): pdf}).is_valid()
    png = SimpleUploadedFile("photo", png_bytes(), "application/octet-stream")
    form = ask([upload], files={name(upload): png})
    assert form.is_valid(), form.errors

    record = UserFactory()
    questions.save_answers(record=record, questions=[upload], answers=form.answers)
    answer = Answer.objects.get()
    assert answer.value == {"name": "photo", "type": "image"}
    assert answer.file.name.startswith("answers/")
    assert "photo" not in answer.file.name


def test_file_answers_are_never_served_as_media(client, add, settings):
    assert "answers" in settings.PRIVATE_MEDIA_DIRS
    response = client.get(f"{settings.MEDIA_URL}answers/whatever.pdf")
    assert response.status_code == 404


def test_saving_again_replaces_the_answers_and_they_go_with_the_record(add):
    text = add(Kind.SHORT_TEXT)
    record = UserFactory()
    questions.save_answers(record=record, questions=[text], answers={text.pk: "Først"})
    questions.save_answers(record=record, questions=[text], answers={text.pk: "Sist"})
    assert list(Answer.objects.values_list("value", flat=True)) == ["Sist"]
    assert questions.forget_answers(type(record), [record.pk]) == 1
    assert not Answer.objects.exists()


def test_jurors_never_get_identifying_answers(add):
    name_q = add(Kind.SHORT_TEXT, identifying=True)
    medium = add(Kind.SHORT_TEXT)
    record = UserFactory()
    questions.save_answers(
        record=record, questions=[name_q, medium], answers={name_q.pk: "Kari", medium.pk: "Olje"}
    )
    staff = questions.answers_by_record([record])[record.pk]
    juror = questions.answers_by_record([record], for_juror=True)[record.pk]
    assert [a.value for a in staff] == ["Kari", "Olje"]
    assert [a.value for a in juror] == ["Olje"]


def test_health_data_reads_are_logged_by_id(add, admin_user):
    health = add(Kind.SHORT_TEXT, health_data=True)
    plain = add(Kind.SHORT_TEXT)
    record = UserFactory()
    questions.save_answers(
        record=record, questions=[health, plain], answers={health.pk: "Astma", plain.pk: "Nei"}
    )
    heard = []
    listener = questions.register_health_read_listener(lambda **kwargs: heard.append(kwargs))
    try:
        questions.record_health_reads(
            viewer=admin_user,
            answers=list(Answer.objects.select_related("question")),
            path="/x/",
            channel="web",
        )
    finally:
        questions._health_listeners.remove(listener)
    entry = AuditEntry.objects.get(action=questions.HEALTH_DATA_SEEN)
    assert entry.actor == admin_user
    assert entry.content_type == ContentType.objects.get_for_model(record)
    assert entry.object_id == record.pk
    assert entry.changes["questions"] == [health.pk]
    assert "Astma" not in str(entry.changes)
    assert [a.question_id for a in heard[0]["answers"]] == [health.pk]


def test_moving_and_removing_questions(add):
    first, second, third = add(Kind.YES_NO), add(Kind.SHORT_TEXT), add(Kind.SHORT_TEXT)
    questions.move_question(question=third, up=True)
    order = list(Question.objects.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    dependent = add(Kind.SHORT_TEXT, shown_when=first, shown_when_value="yes")
    for _step in range(2):
        questions.move_question(question=dependent, up=True)
    with pytest.raises(ValidationError):
        questions.move_question(question=dependent, up=True)
    questions.remove_question(question=first)
    dependent.refresh_from_db()
    assert dependent.shown_when is None


def test_a_consent_text_changed_since_the_page_was_opened_is_refused(add):
    consent = add(Kind.CONSENT, required=True, consent_text_nb="Bilder kan brukes.")
    opened = AskForm(asked=[consent])
    version_field = f"{name(consent)}_version"
    assert opened.fields[version_field].initial == 1
    consent.consent_text_nb = "Bilder kan brukes overalt."
    consent.save()
    form = ask([consent], {name(consent): "on", version_field: "1"})
    assert name(consent) in form.errors
    form = ask([consent], {name(consent): "on", version_field: "2"})
    assert form.is_valid()
    assert form.answers == {consent.pk: True}
