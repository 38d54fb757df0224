"""Orchestra API: the private calendar links of the logged-in guardian or member.

- GET /api/v1/calendar-token/ lists the caller's links: name, when made and last read;
  never an address.
- POST /api/v1/calendar-token/ makes a new named link (the others keep working) and
  answers its address: the only time the address is ever shown.
- DELETE /api/v1/calendar-token/{id}/ stops that link; its feed then answers 404. Another
  login's link is a 404.

Only a guardian (a login with a guardian record) or a member with their own login has a
private calendar; anyone else gets 403, anonymous callers 401 or 403.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from core.api import ErrorSerializer
from orchestra.api.base import OrchestraViewSet
from orchestra.models import CalendarToken, hash_calendar_token
from orchestra.policies import OWN_PRIVATE_CALENDAR
from orchestra.selectors.calendars import calendar_owner
from orchestra.services.calendars import create_calendar_token, revoke_calendar_token


class CalendarLinkInputSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Which device or person the link is for, such as “Family iPad”."),
    )


class CalendarLinkSerializer(serializers.ModelSerializer):
    """One private calendar link; never its address."""

    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When a calendar app last read the feed (to the hour).")
    )

    class Meta:
        model = CalendarToken
        fields = ["id", "name", "created_at", "last_used_at"]


class NewCalendarLinkSerializer(CalendarLinkSerializer):
    """A new private calendar link. Its address is in this answer and nowhere else."""

    feed_url = serializers.URLField(
        help_text=_("The feed's address (https), to copy into a calendar app.")
    )
    webcal_url = serializers.CharField(
        help_text=_("The same address as webcal://, which opens a calendar app.")
    )

    class Meta(CalendarLinkSerializer.Meta):
        fields = [*CalendarLinkSerializer.Meta.fields, "feed_url", "webcal_url"]


class CalendarTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, OrchestraViewSet):
    """The private calendar links of the logged-in guardian or member with their own login."""

    policies = {"*": OWN_PRIVATE_CALENDAR}
    serializer_class = CalendarLinkSerializer
    queryset = CalendarToken.objects.none()
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return self.reachable(CalendarToken.objects.all()).order_by("created_at", "pk")

    @extend_schema(
        operation_id="calendar_token_create",
        request=CalendarLinkInputSerializer,
        responses={
            201: NewCalendarLinkSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
        description=(
            "Make a new named private calendar link; the caller's other links keep working. "
            "The answer holds the address once: it is stored only hashed."
        ),
    )
    def create(self, request):
        data = CalendarLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = create_calendar_token(
            owner=calendar_owner(request.user), name=data.validated_data["name"]
        )
        link = CalendarToken.objects.get(token_hash=hash_calendar_token(token))
        feed_url = request.build_absolute_uri(reverse("orchestra:private_feed", args=[token]))
        link.feed_url = feed_url
        link.webcal_url = "webcal://" + feed_url.split("://", 1)[1]
        response = Response(NewCalendarLinkSerializer(link).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        description="Stop one private calendar link; its feed then answers 404.",
        responses={204: None, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    def destroy(self, request, *args, **kwargs):
        link = self.get_object()
        revoke_calendar_token(owner=link.guardian or link.member, pk=link.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    """Register this module's routes."""
    router.register("calendar-token", CalendarTokenViewSet, basename="calendar-token")
