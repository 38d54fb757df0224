"""Orchestra pages: the public registration form, and the staff's list of registrations.

URLs hold ids, never a child's name; the confirmation page reads what it shows from the
visitor's session.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import questions, ratelimit
from core.policies import requires
from orchestra.exceptions import OrchestraError
from orchestra.forms.registration import ApprovalForm, GuardianForm, RegistrationForm
from orchestra.models import Group, Member, StatusChange
from orchestra.policies import MANAGE_REGISTRATIONS, REGISTER_CHILD
from orchestra.selectors import guardian_of
from orchestra.selectors.guardians import pending_registrations
from orchestra.selectors.registration import age_at_start, registration_seasons, suggested_group
from orchestra.services.registration import (
    approve_registration,
    decline_registration,
    register_child,
)

SESSION_KEY = "orchestra_registration"


def _guardian_initial(user) -> dict:
    """Fill in the first guardian from the logged-in guardian's own record."""
    record = guardian_of(user)
    if record is None:
        return {}
    return {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "email": record.email,
        "phone": record.phone,
    }


@requires(REGISTER_CHILD, obj=None)
@ratelimit.rate_limited(ratelimit.ORCHESTRA_REGISTRATION)
def register(request):
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(data, request.FILES or None)
    first = GuardianForm(data, prefix="guardian1", initial=_guardian_initial(request.user))
    second = GuardianForm(data, prefix="guardian2", optional=True)
    if data is not None and form.is_open:
        valid = all([form.is_valid(), first.is_valid(), second.is_valid()])
        if valid:
            guardians = [first.details()]
            if not second.is_empty():
                guardians.append(second.details())
            try:
                # The answers to the season's own questions are saved with the child, or neither.
                with transaction.atomic():
                    result = register_child(
                        season=form.cleaned_data["season"],
                        first_name=form.cleaned_data["first_name"],
                        last_name=form.cleaned_data["last_name"],
                        birth_date=form.cleaned_data["birth_date"],
                        municipality=form.cleaned_data["municipality"],
                        instruments=form.instruments(),
                        guardians=guardians,
                        consents=form.consents(),
                        origin=form.cleaned_data["origin"],
                        origin_name=form.cleaned_data["origin_name"],
                        trial=form.cleaned_data["trial"],
                        by=request.user,
                        language=translation.get_language() or "nb",
                    )
                    form.save_answers(result.member)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                request.session[SESSION_KEY] = {
                    "trial": form.cleaned_data["trial"],
                    "season": form.cleaned_data["season"].name,
                    "suggested_group": (
                        result.suggested_group.name if result.suggested_group else ""
                    ),
                    "emails": [guardian.email for guardian in result.guardians],
                }
                return redirect("orchestra:registered")
    seasons = list(form.fields["season"].queryset.prefetch_related("orchestra_groups"))
    invalid = data is not None and any(f.errors for f in (form, first, second))
    return render(
        request,
        "orchestra/registration/register.html",
        {"form": form, "guardian_forms": [first, second], "seasons": seasons},
        status=400 if invalid else 200,
    )


@requires(REGISTER_CHILD, obj=None)
@require_safe
def registered(request):
    summary = request.session.get(SESSION_KEY)
    if summary is None:
        return redirect("orchestra:register")
    return render(request, "orchestra/registration/registered.html", {"summary": summary})


# Staff --------------------------------------------------------------------------------


def _chosen_season(request):
    seasons = list(registration_seasons())
    chosen = request.GET.get("sesong") or request.POST.get("sesong")
    for season in seasons:
        if str(season.pk) == chosen:
            return season, seasons
    return (seasons[0] if seasons else None), seasons


@requires(MANAGE_REGISTRATIONS, obj=None)
@require_safe
def applications(request):
    season, seasons = _chosen_season(request)
    groups = list(Group.objects.filter(season=season).select_related("season")) if season else []
    rows = []
    members = list(pending_registrations())
    # The answers to the seasons' own questions, in one query; health data is logged.
    answers = questions.answers_by_record(members)
    questions.record_health_reads(
        viewer=request.user,
        answers=[answer for items in answers.values() for answer in items],
        path=request.path,
        channel="page",
    )
    for member in members:
        age = (
            age_at_start(member.birth_date, season)
            if season
            else member.age_on(timezone.localdate())
        )
        suggestion = suggested_group(groups, age)
        form = ApprovalForm(
            groups=Group.objects.filter(pk__in=[group.pk for group in groups]),
            initial={
                "groups": [suggestion.pk] if suggestion else [],
                "status": member.current_status
                if member.current_status == StatusChange.Status.TRIAL
                else StatusChange.Status.ACTIVE,
            },
            auto_id=f"id_{member.pk}_%s",
        )
        form.fields["groups"].choices = [(group.pk, group.name) for group in groups]
        rows.append(
            {
                "member": member,
                "age": age,
                "suggestion": suggestion,
                "form": form,
                "answers": answers.get(member.pk, []),
            }
        )
    return render(
        request,
        "orchestra/registration/applications.html",
        {"season": season, "seasons": seasons, "rows": rows},
    )


def _pending_member(request, pk) -> Member:
    return MANAGE_REGISTRATIONS.get_object(
        request, Member.objects.filter(anonymised_at__isnull=True), pk=pk
    )


def _back(season):
    url = redirect("orchestra:applications").url
    return redirect(f"{url}?sesong={season.pk}" if season else url)


@requires(MANAGE_REGISTRATIONS)
@require_POST
def approve(request, pk):
    member = _pending_member(request, pk)
    season, _seasons = _chosen_season(request)
    form = ApprovalForm(request.POST, groups=Group.objects.filter(season=season))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(season)
    try:
        approve_registration(
            member=member,
            groups=list(form.cleaned_data["groups"].select_related("season")),
            status=form.cleaned_data["status"],
            by=request.user,
            # The guardians' language is not stored: they get the site's default.
            language=settings.LANGUAGE_CODE,
        )
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Registration %(id)d approved; the guardians get an email.") % {"id": member.pk},
        )
    return _back(season)


@requires(MANAGE_REGISTRATIONS)
@require_POST
def decline(request, pk):
    member = _pending_member(request, pk)
    season, _seasons = _chosen_season(request)
    try:
        decline_registration(member=member, by=request.user)
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration %(id)d declined.") % {"id": member.pk})
    return _back(season)


urlpatterns = [
    path("orkester/innmelding/", register, name="register"),
    path("orkester/innmelding/takk/", registered, name="registered"),
    path("stab/orkester/soknader/", applications, name="applications"),
    path("stab/orkester/soknader/<int:pk>/godkjenn/", approve, name="approve"),
    path("stab/orkester/soknader/<int:pk>/avsla/", decline, name="decline"),
]
