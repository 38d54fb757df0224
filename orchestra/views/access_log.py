"""The staff's page of the access log of sensitive data: who saw which child's medical
notes or emergency contacts, when and by which path; filtered by member and by viewer.
Anyone but staff gets a 404 (orchestra.policies.READ_ACCESS_LOG)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.policies import requires
from orchestra.policies import READ_ACCESS_LOG
from orchestra.selectors.access_log import access_log_visible_to

PER_PAGE = 50


class AccessLogFilterForm(forms.Form):
    member = forms.IntegerField(label=gettext_lazy("Member (id)"), required=False, min_value=1)
    viewer = forms.IntegerField(
        label=gettext_lazy("Viewer (login id)"), required=False, min_value=1
    )


@requires(READ_ACCESS_LOG, obj=None)
@require_safe
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    rows = access_log_visible_to(request.user).order_by("-accessed_at", "-pk")
    if form.is_valid():
        if form.cleaned_data["member"]:
            rows = rows.filter(member_id=form.cleaned_data["member"])
        if form.cleaned_data["viewer"]:
            rows = rows.filter(viewer_id=form.cleaned_data["viewer"])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orchestra/access_log.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("orkester/tilgangslogg/", access_log, name="access_log"),
]
