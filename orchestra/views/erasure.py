"""Staff pages of erasure requests: the requests guardians made, what completing one
erases and what the law lets us keep, and the button that completes it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from orchestra.exceptions import OrchestraError
from orchestra.selectors import is_orchestra_staff
from orchestra.selectors.erasure import erasure_overview, erasure_requests
from orchestra.services.retention import complete_erasure


def _staff_only(request):
    if not is_orchestra_staff(request.user):
        raise PermissionDenied


@login_required
@require_safe
def request_list(request):
    _staff_only(request)
    return render(request, "orchestra/erasure/list.html", {"erasure_requests": erasure_requests()})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_detail(request, pk):
    _staff_only(request)
    erasure = get_object_or_404(erasure_requests(), pk=pk)
    if request.method == "POST":
        try:
            complete_erasure(erasure=erasure, by=request.user)
        except OrchestraError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The member's data is erased."))
            return redirect("orchestra:erasure_requests")
    return render(
        request,
        "orchestra/erasure/detail.html",
        {"erasure": erasure, "overview": erasure_overview(erasure.member)},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("stab/orkester/sletting/", request_list, name="erasure_requests"),
    path("stab/orkester/sletting/<int:pk>/", request_detail, name="erasure_request"),
]
