"""Questions of our own: staff add questions to a form people fill in (an offer's
registration, a call for applications...), and the answers are saved with what they answer.

The apps plug in here without core importing them (like events/panels.py):

- ``register_owner_kind(OwnerKind(...))`` says which records may own a question set (an
  offer, a call) and where staff go back to from the question editor;
- a form calls ``add_question_fields(form, questions)`` in its ``__init__``,
  ``clean_answers(form, questions)`` in its ``clean()``, and the view saves with
  ``save_answers(record=..., questions=..., cleaned_data=...)`` in the same transaction as
  the record;
- staff pages read answers with ``answers_by_record(...)``; jurors with
  ``for_juror=True`` (identifying questions left out); health-data answers seen are told
  to the listeners registered with ``register_health_read_listener`` (the access log).

The server decides: a conditional question is asked only when the earlier answer has the
given value, and its answer is required (when it is required) only then;
static/core/questions.js only shows and hides.
"""

import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.models import Answer, AuditEntry, Question, QuestionSet

FIELD_PREFIX = "question_"
PDF_MAGIC = b"%PDF-"
# The image kinds and pixel limit of artists.images (work images): the same checks.
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000
ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"
YES, NO = "yes", "no"
# The audit action of a look at health-data answers (core.questions.record_health_reads).
HEALTH_DATA_SEEN = "questions.health_data_seen"


# Owners -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerKind:
    """A kind of record that may own a question set: ``key`` is ``app_label.model``;
    ``policy`` (a core.policies.Policy) says who may edit its questions and download its
    file answers, on top of the staff's question pages' own policy (a child's answers on
    the orchestra's form: its project leaders only)."""

    key: str
    title: Callable[[Model], str]
    back_url: Callable[[Model], str]
    queryset: Callable[[], object]
    policy: object = None

    def admits(self, user) -> bool:
        return self.policy is None or self.policy.admits(user)


_owner_kinds: dict[str, OwnerKind] = {}


def register_owner_kind(kind: OwnerKind) -> OwnerKind:
    _owner_kinds[kind.key] = kind
    return kind


def owner_kind(key: str) -> OwnerKind | None:
    return _owner_kinds.get(key)


def content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def owner_key(owner: Model) -> str:
    return owner._meta.label_lower


def question_set_for(owner: Model, *, create: bool = False) -> QuestionSet | None:
    """Return the owner's question set, made on demand when ``create``."""
    owner_type = ContentType.objects.get_for_model(owner)
    if create:
        return QuestionSet.objects.get_or_create(owner_type=owner_type, owner_id=owner.pk)[0]
    return QuestionSet.objects.filter(owner_type=owner_type, owner_id=owner.pk).first()


def questions_for_owners(owners: Iterable[Model]) -> dict[int, list[Question]]:
    """Return each owner's questions in order, by owner id, in one query (owners of one
    model)."""
    owners = list(owners)
    if not owners:
        return {}
    owner_type = ContentType.objects.get_for_model(owners[0])
    result: dict[int, list[Question]] = {owner.pk: [] for owner in owners}
    questions = Question.objects.filter(
        question_set__owner_type=owner_type,
        question_set__owner_id__in=[owner.pk for owner in owners],
    ).select_related("question_set", "shown_when")
    for question in questions.order_by("position", "pk"):
        result[question.question_set.owner_id].append(question)
    return result


# Form fields ------------------------------------------------------------------------------


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


def _field_for(question: Question) -> forms.Field:
    Kind = Question.Kind
    common = {"label": question.label, "help_text": question.help, "required": False}
    if question.kind == Kind.SHORT_TEXT:
        return forms.CharField(max_length=300, **common)
    if question.kind == Kind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if question.kind == Kind.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=2, **common)
    if question.kind == Kind.DATE:
        return forms.DateField(**common)
    if question.kind == Kind.CHOICE:
        return forms.ChoiceField(
            choices=question.choice_options(), widget=forms.RadioSelect, **common
        )
    if question.kind == Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=question.choice_options(), widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == Kind.YES_NO:
        return forms.ChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common
        )
    if question.kind == Kind.CONSENT:
        common["label"] = question.consent_text or question.label
        return forms.BooleanField(**common)
    return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}), **common)


def add_question_fields(form: forms.Form, questions: Iterable[Question]) -> list[str]:
    """Add a field to ``form`` for each question, in order; return the field names (a
    consent question's is followed by the hidden version of the text shown). Each field's
    widget names the question it depends on, for static/core/questions.js."""
    names = []
    for question in questions:
        field = _field_for(question)
        attrs = {"data-question": str(question.pk)}
        if question.shown_when_id:
            attrs["data-shown-when"] = field_name(question.shown_when)
            attrs["data-shown-value"] = question.shown_when_value
        field.widget.attrs.update(attrs)
        field.question = question
        form.fields[field_name(question)] = field
        names.append(field_name(question))
        if question.kind == Question.Kind.CONSENT:
            # The version of the text the person read: a text changed since is refused.
            form.fields[f"{field_name(question)}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=question.consent_version, required=False
            )
            names.append(f"{field_name(question)}_version")
    return names


def _is_empty(question: Question, value) -> bool:
    if question.kind == Question.Kind.CONSENT:
        return value is not True
    return value in (None, "", [], ())


def _matches(question: Question, value, expected: str) -> bool:
    if isinstance(value, list | tuple):
        return expected in [str(item) for item in value]
    if isinstance(value, bool):
        return expected.lower() in ({YES, "true", "1"} if value else {NO, "false", "0"})
    return value is not None and str(value) == expected


def shown_questions(questions: Iterable[Question], values: dict[int, object]) -> set[int]:
    """Return the ids of the questions asked, given the answers by question id: a
    conditional question is asked when the earlier one is asked and answered as given."""
    shown: set[int] = set()
    for question in sorted(questions, key=lambda q: (q.position, q.pk)):
        parent = question.shown_when_id
        if parent is None or (
            parent in shown and _matches(question, values.get(parent), question.shown_when_value)
        ):
            shown.add(question.pk)
    return shown


def check_file(upload) -> str:
    """Return the extension of an acceptable file answer (pdf, jpg, png or webp), or raise
    ValidationError.

    The content decides, not the name or the type the browser sends: a PDF starts with
    %PDF-, an image is a JPEG, PNG or WebP that Pillow reads, within the pixel limit of
    work images (artists.images).
    """
    size = getattr(upload, "size", None) or 0
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.QUESTION_FILE_MAX_MB * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(mb)d MB."),
            code="too_large",
            params={"mb": settings.QUESTION_FILE_MAX_MB},
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    extension = ""
    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(_("Upload a PDF or a JPEG, PNG or WebP image."), code="type")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="pixels")
            image.verify()
            extension = {"JPEG": "jpg"}.get(image.format, image.format.lower())
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Upload a PDF or a JPEG, PNG or WebP image."), code="type") from exc
    finally:
        upload.seek(0)
    return extension


def clean_answers(
    form: forms.Form,
    questions: Iterable[Question],
    *,
    enforce_required: bool = True,
    files_kept: Iterable[int] = (),
) -> dict[int, object]:
    """Validate the answers in ``form.cleaned_data`` (call from ``form.clean``): errors go
    on the question's field; the answers of questions not asked are dropped. Return the
    answers by question id, of the questions asked.

    A draft (an application saved, not sent) passes ``enforce_required=False``; a file
    question already answered by an earlier save is in ``files_kept`` and needs no new
    file."""
    questions = list(questions)
    files_kept = set(files_kept)
    cleaned = form.cleaned_data
    values = {}
    for question in questions:
        name = field_name(question)
        value = cleaned.get(name)
        if question.kind == Question.Kind.YES_NO and value in (YES, NO):
            value = value == YES
        values[question.pk] = value
    shown = shown_questions(questions, values)
    answers = {}
    for question in questions:
        name = field_name(question)
        if question.pk not in shown:
            cleaned.pop(name, None)
            form.errors.pop(name, None)
            continue
        value = values[question.pk]
        if name in form.errors:
            continue
        if _is_empty(question, value):
            if question.required and enforce_required and question.pk not in files_kept:
                form.add_error(
                    name, forms.ValidationError(_("This field is required."), "required")
                )
            continue
        if question.kind == Question.Kind.CONSENT:
            read = cleaned.get(f"{name}_version")
            if read is not None and read != question.consent_version:
                form.add_error(
                    name, _("This text has changed since the page was opened: read it again.")
                )
                continue
        if question.kind == Question.Kind.FILE:
            try:
                check_file(value)
            except ValidationError as exc:
                form.add_error(name, exc)
                continue
        answers[question.pk] = value
    return answers


def _stored(question: Question, value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def save_answers(*, record: Model, questions: Iterable[Question], answers: dict[int, object]):
    """Save the answers (from clean_answers) with ``record``, in the caller's transaction:
    a consent answer records the version of the text agreed to; a file is stored under a
    random name in a private directory. Saving again replaces the record's answers."""
    record_type = ContentType.objects.get_for_model(record)
    by_pk = {question.pk: question for question in questions}
    rows = []
    now = timezone.now()
    with transaction.atomic():
        earlier = Answer.objects.filter(
            record_type=record_type, record_id=record.pk, question__in=list(by_pk)
        )
        # A file answered before and not given again is kept (a draft saved twice).
        kept_files = [
            pk for pk, q in by_pk.items() if q.kind == Question.Kind.FILE and pk not in answers
        ]
        earlier.exclude(question__in=kept_files).delete()
        for pk, value in answers.items():
            question = by_pk[pk]
            answer = Answer(
                question=question,
                record_type=record_type,
                record_id=record.pk,
                answered_at=now,
            )
            if question.kind == Question.Kind.FILE:
                extension = check_file(value)
                answer.value = {
                    "name": value.name[:200],
                    "type": "pdf" if extension == "pdf" else "image",
                }
                # Stored under a random name with the extension of what it is (models).
                answer.file.save(f"answer.{extension}", value, save=False)
            else:
                answer.value = _stored(question, value)
            if question.kind == Question.Kind.CONSENT:
                answer.consent_version = question.consent_version
            answer.full_clean(exclude=["record_type", "file"], validate_constraints=False)
            rows.append(answer)
        Answer.objects.bulk_create(rows)
    return rows


# Reading answers --------------------------------------------------------------------------

HealthReadListener = Callable[..., None]
_health_listeners: list[HealthReadListener] = []


def register_health_read_listener(listener: HealthReadListener) -> HealthReadListener:
    """``listener(viewer=, answers=, path=, channel=)`` is called with the health-data
    answers a person was shown (the apps log them in their access log)."""
    _health_listeners.append(listener)
    return listener


def record_health_reads(*, viewer, answers: Iterable[Answer], path: str, channel: str) -> None:
    """Log that ``viewer`` was shown these answers, if any is health data: one audit entry
    per record answered (ids only, in one insert), then the apps' listeners (orchestra's
    access log of a member's sensitive data, when a member's form has such questions)."""
    answers = [answer for answer in answers if answer.question.health_data]
    if not answers:
        return
    seen: dict[tuple[int, int], list[int]] = defaultdict(list)
    for answer in answers:
        seen[(answer.record_type_id, answer.record_id)].append(answer.question_id)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=viewer if getattr(viewer, "is_authenticated", False) else None,
                action=HEALTH_DATA_SEEN,
                content_type_id=record_type_id,
                object_id=record_id,
                object_repr=f"{ContentType.objects.get_for_id(record_type_id).model} {record_id}",
                changes={"questions": sorted(set(ids)), "path": path[:500], "channel": channel},
            )
            for (record_type_id, record_id), ids in seen.items()
        ]
    )
    for listener in _health_listeners:
        listener(viewer=viewer, answers=answers, path=path, channel=channel)


def initial_values(record: Model, questions: Iterable[Question]) -> dict[str, object]:
    """Return the record's saved answers as a form's initial values (files excepted)."""
    if record is None or record.pk is None:
        return {}
    initial = {}
    for answer in answers_by_record([record]).get(record.pk, []):
        question = answer.question
        if question.kind == Question.Kind.FILE:
            continue
        value = answer.value
        if question.kind == Question.Kind.YES_NO:
            value = YES if value else NO
        initial[field_name(question)] = value
    return initial


def answered_files(record: Model) -> set[int]:
    """Return the ids of the file questions the record has a file answer to."""
    if record is None or record.pk is None:
        return set()
    return set(
        Answer.objects.filter(
            record_type=ContentType.objects.get_for_model(record), record_id=record.pk
        )
        .exclude(file="")
        .values_list("question_id", flat=True)
    )


def display_value(answer: Answer) -> str:
    """The answer as text in the active language."""
    question, value = answer.question, answer.value
    if question.kind == Question.Kind.FILE:
        return (value or {}).get("name", "")
    if question.kind in (Question.Kind.YES_NO, Question.Kind.CONSENT):
        text = str(_("Yes") if value else _("No"))
        if question.kind == Question.Kind.CONSENT and answer.consent_version:
            text = f"{text} (v{answer.consent_version})"
        return text
    if question.kind in Question.CHOICE_KINDS:
        labels = dict(question.choice_options())
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(item), str(item)) for item in chosen)
    return "" if value is None else str(value)


def answers_by_record(
    records: Iterable[Model], *, for_juror: bool = False
) -> dict[int, list[Answer]]:
    """Return the answers of the records (of one model), in the questions' order, by record
    id, in one query; jurors never get the answers of identifying questions."""
    records = list(records)
    if not records:
        return {}
    record_type = ContentType.objects.get_for_model(records[0])
    answers = Answer.objects.filter(
        record_type=record_type, record_id__in=[record.pk for record in records]
    ).select_related("question")
    if for_juror:
        answers = answers.filter(question__identifying=False)
    result: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers.order_by("question__position", "question__pk"):
        result[answer.record_id].append(answer)
    return result


# Editing a question set -------------------------------------------------------------------


def add_question(*, question_set: QuestionSet, **fields) -> Question:
    """Add a question at the end of the set."""
    last = question_set.questions.aggregate(last=Max("position"))["last"]
    question = Question(question_set=question_set, position=(last or 0) + 1, **fields)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def move_question(*, question: Question, up: bool) -> None:
    """Swap the question with the one before (or after) it; a condition stays on an earlier
    question, so a question does not move above the one it depends on."""
    questions = list(
        Question.objects.select_for_update()
        .filter(question_set=question.question_set_id)
        .order_by("position", "pk")
    )
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    first, second = sorted((index, other))
    if questions[second].shown_when_id == questions[first].pk:
        raise ValidationError(_("A question stays after the question it depends on."))
    questions[first], questions[second] = questions[second], questions[first]
    for position, item in enumerate(questions, start=1):
        item.position = position
    Question.objects.bulk_update(questions, ["position"])


def remove_question(*, question: Question) -> None:
    """Remove a question with its answers; questions depending on it are asked always."""
    question.delete()


def answers_prefetch(lookup: str = "answers") -> Prefetch:
    """Prefetch a record's answers (its GenericRelation to Answer) in the questions' order."""
    return Prefetch(
        lookup,
        Answer.objects.select_related("question").order_by("question__position", "question__pk"),
    )


def forget_answers(model, ids: Iterable[int]) -> int:
    """Delete the answers of these records of ``model``, files too (a retention rule that
    clears the records calls it); return how many went."""
    record_type = ContentType.objects.get_for_model(model)
    answers = Answer.objects.filter(record_type=record_type, record_id__in=list(ids))
    files = list(answers.exclude(file="").values_list("file", flat=True))
    count, _by_model = answers.delete()
    storage = Answer._meta.get_field("file").storage
    for name in files:
        transaction.on_commit(lambda name=name: storage.delete(name))
    return count
