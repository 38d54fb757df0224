"""The project's URLs plus the benchmarks' own: a health check and the baseline views.

The baseline does what every API write does on this stack and nothing else: token
authentication (the project's default authentication classes), the IsAuthenticated
check, parsing and validating the same JSON as the redeem view, one plain INSERT in
autocommit, and a small JSON answer. The redeem view's cost above it is the check-in
logic itself.

The bytes baseline (benchmarks/pages.py) answers a GET with the bytes of a file the
benchmark saved (in BENCH_BYTES_DIR: a feed or page as the real view answered it), with
an ETag, and 304 to a request that sends it: what serving those bytes from memory costs
through the same middleware, without any query.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import path
from django.utils import timezone
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns
from ticketing.api import RedeemInputSerializer
from ticketing.models import Checkin


class BaselineView(APIView):
    """Authenticate, parse the redeem JSON, insert one refused-scan row, answer 201."""

    permission_classes = [IsAuthenticated]

    def post(self, request):
        data = RedeemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        now = timezone.now()
        checkin = Checkin.objects.create(
            checkin_list_id=values["list"],
            ticket=None,
            attempted_secret=values["secret"][:64],
            type=values["type"],
            successful=False,
            reason=Checkin.Reason.INVALID,
            nonce=values["nonce"],
            user=request.user,
            scanned_at=now,
            received_at=now,
        )
        return Response({"status": "ok", "id": checkin.pk}, status=status.HTTP_201_CREATED)


CONTENT_TYPES = {".ics": "text/calendar; charset=utf-8", ".html": "text/html; charset=utf-8"}


@cache
def saved_bytes(name: str) -> tuple[bytes, str] | None:
    """Return a saved answer's bytes and their ETag, read once per worker."""
    folder = os.environ.get("BENCH_BYTES_DIR")
    path = Path(folder or ".", name)
    if not folder or "/" in name or path.suffix not in CONTENT_TYPES or not path.is_file():
        return None
    content = path.read_bytes()
    return content, f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def bytes_baseline(request, name):
    """Answer the saved bytes (or 304 to their ETag), touching no database."""
    saved = saved_bytes(name)
    if saved is None:
        raise Http404
    content, etag = saved
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type=CONTENT_TYPES[Path(name).suffix])
    response["ETag"] = etag
    return response


def health(request):
    """Answer 200 without touching the database, so the runner knows a worker is up."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", BaselineView.as_view(), name="bench-baseline"),
    path("bench/health/", health, name="bench-health"),
    path("bench/bytes/<str:name>", bytes_baseline, name="bench-bytes"),
    *project_urlpatterns,
]
