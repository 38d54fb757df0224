"""Staff pages of erasure requests: the requests guardians made, what completing one
erases and what the law lets us keep, and the button that completes it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.policies import requires
from orchestra.exceptions import OrchestraError
from orchestra.policies import MANAGE_ERASURE
from orchestra.selectors.erasure import erasure_overview, erasure_requests
from orchestra.services.retention import complete_erasure


@requires(MANAGE_ERASURE, obj=None)
@require_safe
def request_list(request):
    return render(request, "orchestra/erasure/list.html", {"erasure_requests": erasure_requests()})


@requires(MANAGE_ERASURE)
@require_http_methods(["GET", "HEAD", "POST"])
def request_detail(request, pk):
    erasure = MANAGE_ERASURE.get_object(request, erasure_requests(), pk=pk)
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
