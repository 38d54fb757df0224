"""What the orchestra's API modules share: the viewset base, the access log of
sensitive data, and small serializers and filters used by several areas."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from core.permissions import view_policy
from events.filters import IdFilter
from orchestra.models import SensitiveDataAccess
from orchestra.services.access_log import record_sensitive_access


class OrchestraViewSet(viewsets.GenericViewSet):
    """The orchestra's views. Each declares its ``policies`` (orchestra.policies), which
    core.permissions.PolicyPermission reads, and fetches its rows through the policy of
    the request's action (reachable), so that a list shows what its records allow."""

    def reachable(self, queryset: QuerySet) -> QuerySet:
        """Return the rows of the queryset the request's policy lets its user reach."""
        policy = view_policy(self, self.request)
        if policy is None:
            return queryset.none()
        return policy.filter(self.request.user, queryset)

    def get_queryset(self):
        return self.reachable(super().get_queryset())


class LogsSensitiveAccess:
    """For viewsets whose answers may hold a child's medical notes or emergency contacts:
    their serializers note what they showed with seen_sensitive(), and the answer records
    it in the access log once per request (orchestra.services.access_log)."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not hasattr(self, "sensitive_seen"):
            self.sensitive_seen = {}
        context["sensitive_seen"] = self.sensitive_seen
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        seen = getattr(self, "sensitive_seen", None)
        if seen and response.status_code < 400:
            record_sensitive_access(
                viewer=request.user,
                seen=seen,
                path=request.get_full_path(),
                channel=SensitiveDataAccess.Channel.API,
            )
        return response


def seen_sensitive(context: dict, member_id: int | None, *kinds: str) -> None:
    """Note, in a serializer's context, that the answer shows these kinds of a member's
    sensitive data (LogsSensitiveAccess)."""
    seen = context.get("sensitive_seen")
    if seen is not None and member_id is not None:
        seen.setdefault(member_id, set()).update(kinds)


STAFF_ONLY = _("Staff only: absent for anyone else.")


class LoginSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class MemberIdFilter(django_filters.FilterSet):
    member = IdFilter(label=_("Member (id)"), field_name="member_id")
