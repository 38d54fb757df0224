"""Orchestra API: the private calendar link of the logged-in guardian or member.

- POST /api/v1/calendar-token/ makes a new link (any earlier one stops) and answers its
  address: the only time the address is ever shown.
- GET /api/v1/calendar-token/current/ tells whether a link exists, and when it was made
  and last read; never the address.
- DELETE /api/v1/calendar-token/current/ stops the link; its feed then answers 404.

Only a guardian (a login with a guardian record) or a member with their own login has a
private calendar; anyone else gets 403, anonymous callers 401 or 403.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ErrorSerializer
from core.policies import LOGGED_IN
from orchestra.policies import OWN_PRIVATE_CALENDAR
from orchestra.selectors.calendars import calendar_owner, calendar_token_of
from orchestra.services.calendars import create_calendar_token, revoke_calendar_token


class CalendarLinkSerializer(serializers.Serializer):
    """A new private calendar link. Its address is in this answer and nowhere else."""

    feed_url = serializers.URLField(
        help_text=_("The feed's address (https), to copy into a calendar app.")
    )
    webcal_url = serializers.CharField(
        help_text=_("The same address as webcal://, which opens a calendar app.")
    )
    created_at = serializers.DateTimeField()


class CalendarStatusSerializer(serializers.Serializer):
    """Whether the caller has a private calendar link; never its address."""

    active = serializers.BooleanField(help_text=_("True while a link exists."))
    created_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When a calendar app last read the feed (to the hour).")
    )


class CalendarTokenViewSet(viewsets.GenericViewSet):
    """The private calendar link of the logged-in guardian or member with their own login."""

    # A method the routes do not take is a 405 to any login.
    policies = {
        "create": OWN_PRIVATE_CALENDAR,
        "current": OWN_PRIVATE_CALENDAR,
        "revoke": OWN_PRIVATE_CALENDAR,
        "*": LOGGED_IN,
    }
    serializer_class = CalendarStatusSerializer
    pagination_class = None
    filter_backends = []

    def owner(self):
        """Return the guardian or member whose calendar this is (OWN_PRIVATE_CALENDAR)."""
        return calendar_owner(self.request.user)

    @extend_schema(
        operation_id="calendar_token_create",
        request=None,
        responses={201: CalendarLinkSerializer, 401: ErrorSerializer, 403: ErrorSerializer},
        description=(
            "Make a new private calendar link; any earlier link stops working. The answer "
            "holds the address once: it is stored only hashed."
        ),
    )
    def create(self, request):
        owner = self.owner()
        token = create_calendar_token(owner=owner)
        calendar = calendar_token_of(owner)
        feed_url = request.build_absolute_uri(reverse("orchestra:private_feed", args=[token]))
        answer = CalendarLinkSerializer(
            {
                "feed_url": feed_url,
                "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
                "created_at": calendar.created_at,
            }
        )
        response = Response(answer.data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        operation_id="calendar_token_retrieve",
        responses={200: CalendarStatusSerializer, 401: ErrorSerializer, 403: ErrorSerializer},
    )
    @action(detail=False, methods=["get"], url_path="current")
    def current(self, request, **kwargs):
        calendar = calendar_token_of(self.owner())
        return Response(
            CalendarStatusSerializer(
                {
                    "active": calendar is not None,
                    "created_at": calendar.created_at if calendar else None,
                    "last_used_at": calendar.last_used_at if calendar else None,
                }
            ).data
        )

    @extend_schema(
        operation_id="calendar_token_destroy",
        request=None,
        responses={204: None, 401: ErrorSerializer, 403: ErrorSerializer},
        description="Stop the private calendar link (if any); its feed then answers 404.",
    )
    @current.mapping.delete
    def revoke(self, request):
        revoke_calendar_token(owner=self.owner())
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    """Register this module's routes."""
    router.register("calendar-token", CalendarTokenViewSet, basename="calendar-token")
