"""Pages where an artist applies to a call, follows the application and reads the outcome."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from artists.exceptions import ArtistsError
from artists.forms.applications import ApplicationForm
from artists.models import Application, Call
from artists.policies import APPLY
from artists.selectors.applications import calls_open_to, outcome_for_applicant
from artists.services import applications as services
from artists.views.profiles import own_artist
from core import questions, ratelimit
from core.policies import requires


@requires(APPLY, obj=None)
def application_list(request):
    artist = own_artist(request)
    return render(
        request,
        "artists/applications/list.html",
        {
            "artist": artist,
            "applications": artist.applications.select_related("call__period", "decision").order_by(
                "-call__opens_at"
            ),
            "open_calls": calls_open_to(artist),
        },
    )


@requires(APPLY, obj=None)
@ratelimit.rate_limited(ratelimit.ARTIST_APPLICATION, key=ratelimit.by_user_or_address)
def application(request, call_id):
    artist = own_artist(request)
    call = get_object_or_404(Call.objects.select_related("period"), pk=call_id)
    existing = Application.objects.filter(call=call, artist=artist).first()
    now = timezone.now()
    if request.method == "POST":
        return _act(request, call, artist, existing, now)
    form = ApplicationForm(instance=existing, artist=artist, asked=_asked(call))
    return _render(request, call, artist, existing, form, now)


def _asked(call):
    """The call's own questions (core.questions), in order."""
    return questions.questions_for_owners([call])[call.pk]


def _render(request, call, artist, existing, form, now, status=200):
    return render(
        request,
        "artists/applications/application.html",
        {
            "call": call,
            "artist": artist,
            "application": existing,
            "form": form,
            "is_open": call.is_open(now),
            "problems": services.eligibility_problems(call, artist) if not existing else [],
            "missing": services.completeness_problems(existing) if existing else [],
            "outcome": outcome_for_applicant(existing) if existing else None,
        },
        status=status,
    )


def _act(request, call, artist, existing, now):
    action = request.POST.get("action", "save")
    try:
        if action == "withdraw":
            if existing is None:
                raise ArtistsError(_("There is no application to withdraw."))
            services.withdraw_application(application=existing, now=now, by=request.user)
            messages.success(request, _("Your application is withdrawn."))
            return redirect("artists:application", call_id=call.pk)
        form = ApplicationForm(
            request.POST,
            request.FILES or None,
            instance=existing,
            artist=artist,
            asked=_asked(call),
            # A draft may be saved half answered; a submitted application may not.
            submitting=action == "submit"
            or (existing is not None and existing.state == Application.State.SUBMITTED),
        )
        if not form.is_valid():
            return _render(request, call, artist, existing, form, now, status=400)
        # The answers to the call's questions are saved with the application, or neither.
        with transaction.atomic():
            application = existing or services.start_application(
                call=call, artist=artist, now=now, by=request.user
            )
            services.update_application(
                application=application,
                statement=form.cleaned_data["statement"],
                cv=form.cleaned_data["cv"],
                previous_exhibitions=form.cleaned_data["previous_exhibitions"],
                images=form.chosen_images(),
                now=now,
                by=request.user,
            )
            form.save_answers(application)
        if action == "submit":
            services.submit_application(application=application, now=now, by=request.user)
            messages.success(
                request, _("Your application is submitted. A receipt is on its way by email.")
            )
        else:
            messages.success(request, _("Saved."))
    except ArtistsError as exc:
        form = ApplicationForm(
            request.POST,
            request.FILES or None,
            instance=existing,
            artist=artist,
            asked=_asked(call),
        )
        form.is_valid()
        form.add_error(None, str(exc))
        existing = Application.objects.filter(call=call, artist=artist).first()
        return _render(request, call, artist, existing, form, now, status=400)
    return redirect("artists:application", call_id=call.pk)


urlpatterns = [
    path("kunstner/soknader/", application_list, name="applications"),
    path("kunstner/soknader/<int:call_id>/", application, name="application"),
]
