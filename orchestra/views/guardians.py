"""Orchestra pages: the guardian's own pages ("My children", consents, export, deletion
request, contact details).

A guardian reaches only their own children: every child is fetched through
orchestra.policies.ACT_FOR_CHILD (or EXPORT_CHILD_DATA), and anyone else gets a 404.
URLs hold ids, never a child's name.
"""

import json
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.policies import requires
from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.forms.guardians import (
    ConsentForm,
    ContactForm,
    DeletionRequestForm,
    WithdrawConsentForm,
)
from orchestra.models import Member, SensitiveDataAccess, StatusChange
from orchestra.policies import (
    ACT_AS_GUARDIAN,
    ACT_FOR_CHILD,
    CONSENT_FOR_ONESELF,
    EXPORT_CHILD_DATA,
)
from orchestra.selectors import guardian_of, member_of
from orchestra.selectors.consents import WITHDRAWABLE
from orchestra.selectors.guardians import children_overview, member_export, own_consent_states
from orchestra.services.access_log import record_sensitive_access
from orchestra.services.retention import request_erasure

logger = logging.getLogger("orchestra.views")


def _own_child(request, pk):
    """Return the guardian and one of their own children; 404 for any other member."""
    child = ACT_FOR_CHILD.get_object(request, Member.objects.all(), pk=pk)
    return guardian_of(request.user), child


@requires(ACT_AS_GUARDIAN, obj=None)
@require_safe
def my_children(request):
    guardian = guardian_of(request.user)
    return render(
        request,
        "orchestra/guardians/my_children.html",
        {
            "guardian": guardian,
            "children": children_overview(guardian),
            "statuses": StatusChange.Status.choices,
            "withdrawable": WITHDRAWABLE,
        },
    )


@requires(ACT_FOR_CHILD)
@require_POST
def consent(request, pk):
    guardian, child = _own_child(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.give_consent(
                text=form.cleaned_data["text"], member=child, by=request.user, guardian=guardian
            )
        except OrchestraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you: the consent is recorded."))
    else:
        messages.error(request, _("This consent text is not available."))
    return redirect(f"{redirect('orchestra:my_children').url}#child-{child.pk}")


@requires(ACT_FOR_CHILD)
@require_POST
def withdraw_consent(request, pk):
    """Withdraw one kind of consent for one's own child, as easily as it was given."""
    guardian, child = _own_child(request, pk)
    form = WithdrawConsentForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_consent(
                kind=form.cleaned_data["kind"], member=child, by=request.user, guardian=guardian
            )
        except OrchestraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The consent is withdrawn."))
    else:
        messages.error(request, _("This consent cannot be withdrawn here."))
    return redirect(f"{redirect('orchestra:my_children').url}#child-{child.pk}")


@requires(CONSENT_FOR_ONESELF, obj=None)
@require_http_methods(["GET", "HEAD", "POST"])
def my_consents(request):
    """A member old enough to consent for themself (ORCHESTRA_SELF_CONSENT_AGE) gives and
    withdraws their own consents here."""
    member = member_of(request.user)
    if request.method == "POST":
        give = ConsentForm(request.POST) if "text" in request.POST else None
        withdraw = WithdrawConsentForm(request.POST) if "kind" in request.POST else None
        try:
            if give is not None and give.is_valid():
                services.give_consent(
                    text=give.cleaned_data["text"], member=member, by=request.user
                )
                messages.success(request, _("Thank you: the consent is recorded."))
            elif withdraw is not None and withdraw.is_valid():
                services.withdraw_consent(
                    kind=withdraw.cleaned_data["kind"], member=member, by=request.user
                )
                messages.success(request, _("The consent is withdrawn."))
            else:
                messages.error(request, _("This consent text is not available."))
        except OrchestraError as exc:
            messages.error(request, str(exc))
        return redirect("orchestra:my_consents")
    return render(
        request,
        "orchestra/guardians/my_consents.html",
        {"states": own_consent_states(member), "withdrawable": WITHDRAWABLE},
    )


@requires(EXPORT_CHILD_DATA)
@require_safe
def export(request, pk):
    """Download everything stored about a child: for the child's guardians and staff."""
    member = EXPORT_CHILD_DATA.get_object(request, Member.objects.all(), pk=pk)
    data = {
        "exported_at": timezone.now().isoformat(),
        **member_export(member),
    }
    Data = SensitiveDataAccess.Data
    seen = [Data.MEDICAL_NOTES]
    if data["tours"]:
        seen += [Data.TRIP_MEDICAL_NOTES, Data.EMERGENCY_CONTACTS]
    record_sensitive_access(
        viewer=request.user,
        seen={member.pk: seen},
        path=request.path,
        channel=SensitiveDataAccess.Channel.EXPORT,
    )
    logger.info("orchestra member %s exported by user %s", member.pk, request.user.pk)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"member-{member.pk}.json")
    return response


@requires(ACT_FOR_CHILD)
@require_http_methods(["GET", "HEAD", "POST"])
def request_deletion(request, pk):
    guardian, child = _own_child(request, pk)
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_erasure(member=child, guardian=guardian, note=form.cleaned_data["note"])
        return render(request, "orchestra/guardians/deletion_requested.html", {"child": child})
    return render(
        request,
        "orchestra/guardians/request_deletion.html",
        {"child": child, "form": form},
        status=400 if form.errors else 200,
    )


@requires(ACT_AS_GUARDIAN, obj=None)
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    guardian = guardian_of(request.user)
    initial = {
        "first_name": guardian.first_name,
        "last_name": guardian.last_name,
        "email": guardian.email,
        "phone": guardian.phone,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_guardian(guardian=guardian, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        except OrchestraError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your contact details are saved."))
            return redirect("orchestra:my_children")
    return render(
        request,
        "orchestra/guardians/contact.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("foresatt/", my_children, name="my_children"),
    path("foresatt/kontakt/", contact, name="guardian_contact"),
    path("foresatt/barn/<int:pk>/samtykke/", consent, name="child_consent"),
    path("foresatt/barn/<int:pk>/samtykke/trekk/", withdraw_consent, name="child_withdraw_consent"),
    path("medlem/samtykke/", my_consents, name="my_consents"),
    path("foresatt/barn/<int:pk>/data.json", export, name="child_export"),
    path("foresatt/barn/<int:pk>/sletting/", request_deletion, name="child_deletion"),
]
