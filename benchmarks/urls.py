"""The project's URLs plus two for the benchmarks: a health check and the baseline view.

The baseline does what every API write does on this stack and nothing else: token
authentication (the project's default authentication classes), the IsAuthenticated
check, parsing and validating the same JSON as the redeem view, one plain INSERT in
autocommit, and a small JSON answer. The redeem view's cost above it is the check-in
logic itself.
"""

from django.http import HttpResponse
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


def health(request):
    """Answer 200 without touching the database, so the runner knows a worker is up."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", BaselineView.as_view(), name="bench-baseline"),
    path("bench/health/", health, name="bench-health"),
    *project_urlpatterns,
]
