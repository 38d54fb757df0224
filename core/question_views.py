"""The staff's page for the questions of one form (core.questions): add, change, move and
remove questions of an offer's registration, a call for applications...; and the download
of a file answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import questions
from core.models import Answer, Question
from core.policies import EDIT_QUESTIONS, requires
from core.question_forms import QuestionForm


def _owner(kind: str, owner_id: int):
    owner_kind = questions.owner_kind(kind)
    if owner_kind is None:
        raise Http404
    return owner_kind, get_object_or_404(owner_kind.queryset(), pk=owner_id)


def _check_owner_policy(request, question_set) -> None:
    """Refuse whom the owner's app does not let edit its questions or read its answers."""
    owner_type = question_set.owner_type
    owner_kind = questions.owner_kind(f"{owner_type.app_label}.{owner_type.model}")
    if owner_kind is None:
        raise Http404
    if not owner_kind.admits(request.user):
        raise PermissionDenied


def _question_list(question_set):
    if question_set is None:
        return []
    return list(
        question_set.questions.select_related("shown_when")
        .annotate(answer_count=Count("answers"))
        .order_by("position", "pk")
    )


@requires(EDIT_QUESTIONS, obj=None)
@require_http_methods(["GET", "HEAD", "POST"])
def question_set(request, kind, owner_id):
    """The questions of one owner, in order, and the form that adds one at the end."""
    owner_kind, owner = _owner(kind, owner_id)
    if not owner_kind.admits(request.user):
        raise PermissionDenied
    existing = questions.question_set_for(owner)
    rows = _question_list(existing)
    form = QuestionForm(request.POST or None, question_set=existing, earlier=rows)
    if request.method == "POST":
        form.instance.question_set = existing or questions.question_set_for(owner, create=True)
        form.instance.position = (rows[-1].position if rows else 0) + 1
        if form.is_valid():
            form.save()
            messages.success(request, _("The question is added."))
            return redirect("core:questions", kind=kind, owner_id=owner.pk)
    return render(
        request,
        "core/questions/set.html",
        {
            "owner": owner,
            "owner_title": owner_kind.title(owner),
            "back_url": owner_kind.back_url(owner),
            "kind": kind,
            "rows": rows,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _question(request, pk) -> Question:
    question = EDIT_QUESTIONS.get_object(
        request,
        Question.objects.select_related("question_set", "question_set__owner_type"),
        pk=pk,
    )
    _check_owner_policy(request, question.question_set)
    return question


def _back(question: Question):
    owner_type = question.question_set.owner_type
    return redirect(
        "core:questions",
        kind=f"{owner_type.app_label}.{owner_type.model}",
        owner_id=question.question_set.owner_id,
    )


@requires(EDIT_QUESTIONS)
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request, pk):
    """Change one question; a new consent text is a new version of it."""
    question = _question(request, pk)
    earlier = [
        q
        for q in _question_list(question.question_set)
        if (q.position, q.pk) < (question.position, question.pk)
    ]
    form = QuestionForm(
        request.POST or None, instance=question, question_set=question.question_set, earlier=earlier
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The question is saved."))
        return _back(question)
    owner_type = question.question_set.owner_type
    return render(
        request,
        "core/questions/edit.html",
        {
            "question": question,
            "form": form,
            "kind": f"{owner_type.app_label}.{owner_type.model}",
            "owner_id": question.question_set.owner_id,
        },
        status=400 if form.errors else 200,
    )


@requires(EDIT_QUESTIONS)
@require_POST
def question_move(request, pk, direction):
    question = _question(request, pk)
    if direction not in ("up", "down"):
        raise Http404
    try:
        questions.move_question(question=question, up=direction == "up")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return _back(question)


@requires(EDIT_QUESTIONS)
@require_POST
def question_remove(request, pk):
    question = _question(request, pk)
    questions.remove_question(question=question)
    messages.success(request, _("The question is removed, with its answers."))
    return _back(question)


@requires(EDIT_QUESTIONS)
@require_safe
def answer_file(request, pk):
    """Send a file answer as a download, never shown inline."""
    answer = EDIT_QUESTIONS.get_object(
        request,
        Answer.objects.select_related(
            "question", "question__question_set", "question__question_set__owner_type"
        ).exclude(file=""),
        pk=pk,
    )
    _check_owner_policy(request, answer.question.question_set)
    questions.record_health_reads(
        viewer=request.user, answers=[answer], path=request.path, channel="page"
    )
    response = FileResponse(answer.file.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
