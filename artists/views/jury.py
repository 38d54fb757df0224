"""Pages of the jury: a juror's list, the review page with autosave, recusal; for staff the
progress, the ranking and the conflicts of interest, with their exports.

Jurors see applications by their ids only: no slug, name or filename reaches a page in a
blind review. Domain errors from the services become a form error (or a JSON error) here.
"""

import tablib
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from artists.exceptions import ArtistsError
from artists.forms.jury import RecuseForm, ReviewForm, StaffConflictForm
from artists.models import Application, Call, Criterion, Review
from artists.policies import JURY, MANAGE_JURY, REVIEW_APPLICATION, SEE_JURY_CALL
from artists.selectors import jury as selectors
from artists.services import jury as services
from core import formats, questions, spreadsheets
from core.policies import requires


def _calls():
    return Call.objects.select_related("period")


def _jury_call(request, call_id: int) -> Call:
    """Return the call of a jury page, as SEE_JURY_CALL lets: its jurors and staff."""
    return SEE_JURY_CALL.get_object(request, _calls(), pk=call_id)


def _staff_call(request, call_id: int) -> Call:
    return MANAGE_JURY.get_object(request, _calls(), pk=call_id)


def _closed(request, access):
    return render(request, "artists/jury/closed.html", {"call": access.call, "access": access})


def _application(request, call_id: int, application_id: int) -> Application:
    """Return a submitted application of the call as the jury sees it (REVIEW_APPLICATION:
    never to a juror in conflict with it, whatever else they are; 404 to whom it refuses)."""
    return REVIEW_APPLICATION.get_object(
        request, selectors.applications_of_call_for_jury(call_id), pk=application_id
    )


def review_summary(review: Review | None, criteria: list[Criterion]) -> str:
    """Return the state of a juror's review in words."""
    if review is not None and review.is_complete:
        return _("Complete: weighted score %(score)s of 100.") % {
            "score": number_format(review.weighted_score, 1)
        }
    scored = review.scores.count() if review is not None else 0
    return _("%(scored)s of %(total)s criteria scored.") % {
        "scored": scored,
        "total": len(criteria),
    }


@requires(JURY, obj=None)
@require_safe
def jury_index(request):
    calls = list(SEE_JURY_CALL.filter(request.user, selectors.jury_calls()))
    now = timezone.now()
    rows = []
    for call in calls:
        phases = list(call.phases.all())
        phase = phases[0] if phases else None
        rows.append({"call": call, "phase": phase, "open": bool(phase and phase.is_active(now))})
    return render(
        request,
        "artists/jury/index.html",
        {"rows": rows, "is_staff": MANAGE_JURY.admits(request.user)},
    )


@requires(SEE_JURY_CALL, obj="call_id")
@require_safe
def juror_list(request, call_id):
    call = _jury_call(request, call_id)
    access = selectors.jury_access(call, request.user)
    if not access.may_see:
        return _closed(request, access)
    applications = selectors.applications_for_juror(call, request.user)
    return render(
        request,
        "artists/jury/list.html",
        {
            "call": call,
            "access": access,
            "applications": applications,
            "progress": selectors.juror_progress(applications),
        },
    )


def _render_review(request, access, application, form=None, status=200):
    page = selectors.review_page(access, application, request.user)
    questions.record_health_reads(
        viewer=request.user, answers=page["answers"], path=request.path, channel="page"
    )
    if form is None:
        form = ReviewForm(criteria=page["criteria"], review=page["review"])
    return render(
        request,
        "artists/jury/review.html",
        {
            "call": access.call,
            "access": access,
            "application": application,
            "form": form,
            "recuse_form": RecuseForm(),
            "summary": review_summary(page["review"], page["criteria"]),
            **page,
        },
        status=status,
    )


@requires(REVIEW_APPLICATION, obj="application_id")
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, call_id, application_id):
    application = _application(request, call_id, application_id)
    access = selectors.jury_access(application.call, request.user)
    if request.method == "POST":
        return _save_review(request, access, application)
    if not access.may_see:
        return _closed(request, access)
    return _render_review(request, access, application)


def _save_review(request, access, application):
    """Save the review from the page's form (without JavaScript), then stay or go on."""
    criteria = selectors.criteria_of(access.call)
    form = ReviewForm(request.POST, criteria=criteria)
    try:
        if not form.is_valid():
            raise ArtistsError(_("The review is not saved: correct the errors below."))
        services.save_review(
            application=application,
            juror=request.user,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            comment_shareable=form.cleaned_data["comment_shareable"],
        )
    except ArtistsError as exc:
        if not access.may_see:
            return render(
                request,
                "artists/jury/refused.html",
                {"call": access.call, "message": str(exc)},
                status=400,
            )
        form.add_error(None, str(exc))
        return _render_review(request, access, application, form=form, status=400)
    messages.success(request, _("Your review is saved."))
    if request.POST.get("action") == "next":
        following = selectors.next_for_juror(access.call, request.user, after=application)
        if following is None:
            messages.info(request, _("No other application is waiting for your review."))
            return redirect("artists:jury_list", call_id=access.call.pk)
        return redirect("artists:jury_review", call_id=access.call.pk, application_id=following.pk)
    return redirect("artists:jury_review", call_id=access.call.pk, application_id=application.pk)


@requires(REVIEW_APPLICATION, obj="application_id")
@require_POST
def autosave(request, call_id, application_id):
    """Save the review form as it is now and answer in JSON; the page's script calls it."""
    application = _application(request, call_id, application_id)
    criteria = selectors.criteria_of(application.call)
    form = ReviewForm(request.POST, criteria=criteria)
    if not form.is_valid():
        errors = {name: [str(message) for message in found] for name, found in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse({"saved": False, "error": first, "errors": errors}, status=400)
    try:
        saved = services.save_review(
            application=application,
            juror=request.user,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            comment_shareable=form.cleaned_data["comment_shareable"],
        )
    except ArtistsError as exc:
        return JsonResponse({"saved": False, "error": str(exc), "errors": {}}, status=400)
    return JsonResponse(
        {
            "saved": True,
            "is_complete": saved.is_complete,
            "weighted_score": None if saved.weighted_score is None else str(saved.weighted_score),
            "summary": review_summary(saved, criteria),
            "saved_at": formats.time(saved.updated_at),
        }
    )


@requires(REVIEW_APPLICATION, obj="application_id")
@require_http_methods(["GET", "HEAD", "POST"])
def recuse(request, call_id, application_id):
    """A juror steps aside from an application, with a reason for staff."""
    application = _application(request, call_id, application_id)
    call = application.call
    access = selectors.jury_access(call, request.user)
    if not access.may_see:
        return _closed(request, access)
    form = RecuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recuse(
                application=application, juror=request.user, reason=form.cleaned_data["reason"]
            )
        except ArtistsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Your conflict of interest is recorded: the application has left your list."),
            )
            return redirect("artists:jury_list", call_id=call.pk)
    position = selectors.position_of(call, request.user, application)
    return render(
        request,
        "artists/jury/recuse.html",
        {"call": call, "application": application, "form": form, "position": position},
        status=400 if form.errors else 200,
    )


# The jury's copies of an application's images, by size in the address.
REVIEW_IMAGE_SIZES = {"stor": "review_display", "liten": "review_thumbnail"}


@requires(REVIEW_APPLICATION, obj="application_id")
@require_safe
def review_image(request, call_id, application_id, number, size):
    """Serve the jury's copy of an application's image to those who may see the application.

    The copy has an address of its own, behind the same checks as the review page: the
    call's jurors during the review phase and staff, never a juror in conflict with it.
    """
    if size not in REVIEW_IMAGE_SIZES:
        raise Http404
    application = _application(request, call_id, application_id)
    if not selectors.jury_access(application.call, request.user).may_see:
        raise Http404
    link = selectors.review_image_link(application, number)
    if link is None:
        raise Http404
    try:
        link = services.review_copy(link=link)
        file = getattr(link, REVIEW_IMAGE_SIZES[size])
        file.open("rb")
    except OSError:
        # The gallery's file is gone or unreadable: there is no image to show.
        raise Http404 from None
    response = FileResponse(file, content_type="image/webp", filename=f"{number}.webp")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# Staff ---------------------------------------------------------------------------------


@requires(MANAGE_JURY, obj="call_id")
@require_safe
def ranking(request, call_id):
    call = _staff_call(request, call_id)
    sort = selectors.ranking_sort(request.GET.get("sort"))
    phase = selectors.review_phase(call)
    return render(
        request,
        "artists/jury/ranking.html",
        {
            "call": call,
            "phase": phase,
            "phase_running": bool(phase and phase.is_active()),
            "progress": selectors.jury_progress(call),
            "rows": selectors.ranking(call, sort=sort),
            "sort": sort,
            "columns": _ranking_columns(sort),
        },
    )


def _ranking_columns(sort: str) -> list[dict]:
    """Return the sortable columns with the sort each header link asks for next."""
    titles = {
        "name": _("Artist"),
        "weighted": _("Weighted total"),
        "mean": _("Mean"),
        "median": _("Median"),
        "reviews": _("Reviews"),
        "spread": _("Spread"),
    }
    columns = []
    for key, title in titles.items():
        active = sort.lstrip("-") == key
        descending = sort.startswith("-")
        if active:
            following = key if descending else f"-{key}"
        else:
            following = key if key == "name" else f"-{key}"
        columns.append(
            {
                "key": key,
                "title": title,
                "sort": following,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
            }
        )
    return columns


def _download(dataset, name: str, fmt: str) -> HttpResponse:
    if fmt not in spreadsheets.CONTENT_TYPES:
        raise Http404
    return spreadsheets.download(dataset, fmt, name)


def _number(value):
    return "" if value is None else float(value)


@requires(MANAGE_JURY, obj="call_id")
@require_safe
def ranking_export(request, call_id, fmt):
    call = _staff_call(request, call_id)
    rows = selectors.ranking(call, sort=selectors.ranking_sort(request.GET.get("sort")))
    dataset = tablib.Dataset(
        headers=[
            _("Place"),
            _("Application"),
            _("Artist"),
            _("Weighted total"),
            _("Mean"),
            _("Median"),
            _("Reviews"),
            _("Spread"),
        ]
    )
    for row in rows:
        dataset.append(
            [
                row.rank or "",
                row.application.pk,
                row.application.artist.name,
                _number(row.weighted),
                _number(row.mean),
                _number(row.median),
                row.reviews,
                _number(row.spread),
            ]
        )
    return _download(dataset, f"{call.period.slug}-ranking", fmt)


@requires(MANAGE_JURY, obj="call_id")
@require_http_methods(["GET", "HEAD", "POST"])
def conflicts(request, call_id):
    call = _staff_call(request, call_id)
    form = StaffConflictForm(
        request.POST or None,
        jurors=selectors.jurors_of(call),
        applications=selectors.submitted_applications(call)
        .select_related("artist")
        .order_by("artist__name", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_conflict(
                application=form.cleaned_data["application"],
                juror=form.cleaned_data["juror"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ArtistsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The conflict of interest is recorded."))
            return redirect("artists:jury_conflicts", call_id=call.pk)
    return render(
        request,
        "artists/jury/conflicts.html",
        {"call": call, "conflicts": selectors.conflicts_for_staff(call), "form": form},
        status=400 if form.errors else 200,
    )


@requires(MANAGE_JURY, obj="call_id")
@require_safe
def conflicts_export(request, call_id, fmt):
    call = _staff_call(request, call_id)
    dataset = tablib.Dataset(
        headers=[
            _("Application"),
            _("Artist"),
            _("Juror"),
            _("Declared by"),
            _("Reason"),
            _("Declared"),
        ]
    )
    for conflict in selectors.conflicts_for_staff(call):
        dataset.append(
            [
                conflict.application_id,
                conflict.application.artist.name,
                conflict.juror.get_full_name() or conflict.juror.username,
                conflict.get_source_display(),
                conflict.reason,
                timezone.localtime(conflict.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return _download(dataset, f"{call.period.slug}-conflicts", fmt)


urlpatterns = [
    path("jury/", jury_index, name="jury"),
    path("jury/<int:call_id>/", juror_list, name="jury_list"),
    path("jury/<int:call_id>/soknad/<int:application_id>/", review, name="jury_review"),
    path(
        "jury/<int:call_id>/soknad/<int:application_id>/lagre/",
        autosave,
        name="jury_autosave",
    ),
    path(
        "jury/<int:call_id>/soknad/<int:application_id>/verk/<int:number>/<str:size>.webp",
        review_image,
        name="jury_review_image",
    ),
    path(
        "jury/<int:call_id>/soknad/<int:application_id>/inhabil/",
        recuse,
        name="jury_recuse",
    ),
    path("jury/<int:call_id>/rangering/", ranking, name="jury_ranking"),
    path(
        "jury/<int:call_id>/rangering.<str:fmt>",
        ranking_export,
        name="jury_ranking_export",
    ),
    path("jury/<int:call_id>/inhabilitet/", conflicts, name="jury_conflicts"),
    path(
        "jury/<int:call_id>/inhabilitet.<str:fmt>",
        conflicts_export,
        name="jury_conflicts_export",
    ),
]
