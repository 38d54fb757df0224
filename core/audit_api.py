"""The audit trail in the API: a record's history, read-only, for staff (core.audit)."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from core import audit
from core.models import AuditEntry
from core.policies import STAFF


class AuditEntrySerializer(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField(
        help_text=_('The kind of record, "app_label.model" (orchestra.member).')
    )
    actor = serializers.IntegerField(
        source="actor_id", allow_null=True, help_text=_("The user's id; null: the system.")
    )

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "record_type",
            "object_id",
            "object_repr",
            "changes",
        ]
        read_only_fields = fields

    def get_record_type(self, entry) -> str:
        content_type = ContentType.objects.get_for_id(entry.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class AuditEntryFilter(django_filters.FilterSet):
    record_type = django_filters.CharFilter(
        label=_('Kind of record, "app_label.model"'), method="filter_record_type"
    )
    object_id = django_filters.NumberFilter(label=_("Record id"))
    action = django_filters.CharFilter(label=_("Action"))

    class Meta:
        model = AuditEntry
        fields = ["record_type", "object_id", "action"]

    def filter_record_type(self, queryset, name, value):
        app_label, _dot, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, newest first; filter by record type and id for one record's history.
    Staff only."""

    policy = STAFF
    queryset = AuditEntry.objects.order_by("-at", "-pk")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter


class AuditedWritesMixin:
    """For API views of records that concern people and are written by the serializer, not
    a service: creates, updates and deletes leave audit entries, as the admin's do
    (core.admin.AuditedModelAdmin), named ``<app>.<model>.created|updated|deleted`` with
    ``"via": "api"``. Actions that call a service log there, not here.
    """

    def _audit_action(self, model, verb: str) -> str:
        return f"{model._meta.app_label}.{model._meta.model_name}.{verb}"

    def perform_create(self, serializer):
        super().perform_create(serializer)
        instance = serializer.instance
        audit.log_action(
            instance,
            self._audit_action(type(instance), "created"),
            self.request.user,
            changes={"via": "api", **audit.created(instance)},
        )

    def perform_update(self, serializer):
        before = audit.field_values(serializer.instance)
        super().perform_update(serializer)
        instance = serializer.instance
        audit.log_action(
            instance,
            self._audit_action(type(instance), "updated"),
            self.request.user,
            changes={"via": "api", **audit.diff(instance, before)},
        )

    def perform_destroy(self, instance):
        audit.log_action(
            instance,
            self._audit_action(type(instance), "deleted"),
            self.request.user,
            changes={"via": "api"},
        )
        super().perform_destroy(instance)


def register(router):
    router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")
