"""Staff pages: decide on a call's applications from the ranking, release, send the letters."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from artists.exceptions import ArtistsError
from artists.models import Call, Decision, Letter
from artists.policies import DECIDE_ON_APPLICATIONS
from artists.selectors.jury import outbox_letters, ranking, ranking_sort
from artists.services import decisions as services
from core import questions
from core.models import OutboundMessage
from core.policies import requires

Status = OutboundMessage.Status


def _call(request, call_id) -> Call:
    return DECIDE_ON_APPLICATIONS.get_object(
        request, Call.objects.select_related("period"), pk=call_id
    )


@requires(DECIDE_ON_APPLICATIONS, obj="call_id")
def decisions(request, call_id):
    """The ranking with a decision per application; decisions stay pending until released."""
    call = _call(request, call_id)
    if request.method == "POST":
        return _save_decisions(request, call)
    sort = ranking_sort(request.GET.get("sort"))
    rows = ranking(call, sort=sort)
    decided = {
        decision.application_id: decision
        for decision in Decision.objects.filter(application__call=call)
    }
    # The answers to the call's own questions, all of them (staff), in one query.
    answers = questions.answers_by_record([row.application for row in rows])
    questions.record_health_reads(
        viewer=request.user,
        answers=[answer for items in answers.values() for answer in items],
        path=request.path,
        channel="page",
    )
    counts = dict.fromkeys(Decision.Outcome.values, 0)
    for decision in decided.values():
        counts[decision.outcome] += 1
    return render(
        request,
        "artists/staff/decisions.html",
        {
            "call": call,
            "rows": [
                (row, decided.get(row.application.pk), answers.get(row.application.pk, []))
                for row in rows
            ],
            "sort": sort,
            "outcomes": Decision.Outcome.choices,
            "counts": counts,
            "pending": sum(1 for d in decided.values() if not d.is_released),
            "unsent": Letter.objects.filter(application__call=call, sent_at__isnull=True).count(),
        },
    )


def _save_decisions(request, call):
    if "release" in request.POST:
        try:
            letters = services.release_decisions(call=call, by=request.user)
        except ArtistsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d decision released; its letter is in the outbox.",
                    "%(count)d decisions released; their letters are in the outbox.",
                    len(letters),
                )
                % {"count": len(letters)},
            )
            return redirect("artists:outbox", call_id=call.pk)
        return redirect("artists:decisions", call_id=call.pk)
    try:
        changed = services.set_decisions(
            call=call, outcomes=_posted_outcomes(request.POST), by=request.user
        )
    except (ArtistsError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext("%(count)d decision saved.", "%(count)d decisions saved.", changed)
            % {"count": changed},
        )
    return redirect(f"{request.path}?sort={ranking_sort(request.GET.get('sort'))}")


@requires(DECIDE_ON_APPLICATIONS, obj="call_id")
def outbox(request, call_id):
    """Letters written on release: read them, send them, see them delivered, resend."""
    call = _call(request, call_id)
    letters = outbox_letters(call)
    if request.method == "POST" and "resend" in request.POST:
        chosen = request.POST["resend"]
        letter = get_object_or_404(
            Letter, application__call=call, pk=int(chosen) if chosen.isdigit() else 0
        )
        try:
            services.resend_letter(letter=letter, by=request.user)
        except ArtistsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The letter is queued to be sent again."))
        return redirect("artists:outbox", call_id=call.pk)
    if request.method == "POST":
        chosen = Letter.objects.filter(application__call=call, sent_at__isnull=True)
        selected = request.POST.getlist("letter")
        if selected:
            chosen = chosen.filter(pk__in=[int(pk) for pk in selected if pk.isdigit()])
        sent = services.send_letters(letters=list(chosen), by=request.user)
        messages.success(
            request,
            ngettext("%(count)d letter sent.", "%(count)d letters sent.", sent) % {"count": sent},
        )
        return redirect("artists:outbox", call_id=call.pk)
    return render(
        request,
        "artists/staff/outbox.html",
        {
            "call": call,
            "unsent": [letter for letter in letters if letter.sent_at is None],
            "failed": [letter for letter in letters if letter.delivery_status == Status.FAILED],
            "waiting": [letter for letter in letters if letter.delivery_status == Status.QUEUED],
            "sent": [
                letter
                for letter in letters
                if letter.sent_at is not None
                and letter.delivery_status not in (Status.FAILED, Status.QUEUED)
            ],
        },
    )


def _posted_outcomes(data) -> dict[int, str]:
    """Return the form's outcomes by application id ("outcome-<id>"), the chosen ones only."""
    outcomes = {}
    for key, outcome in data.items():
        if key.startswith("outcome-") and outcome:
            outcomes[int(key.removeprefix("outcome-") or 0)] = outcome
    return outcomes


urlpatterns = [
    path("kunstrunde/utlysninger/<int:call_id>/vedtak/", decisions, name="decisions"),
    path("kunstrunde/utlysninger/<int:call_id>/utboks/", outbox, name="outbox"),
]
