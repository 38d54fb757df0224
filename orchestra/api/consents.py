"""Orchestra API: consent texts, consents given and withdrawn."""

from datetime import datetime

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import FIELD_ERRORS, ErrorSerializer
from events.filters import IdFilter
from orchestra import services
from orchestra.api.base import MemberIdFilter, OrchestraViewSet
from orchestra.exceptions import OrchestraError
from orchestra.models import ConsentAcceptance, ConsentText, ConsentWithdrawal, Guardian, Member
from orchestra.policies import MANAGE_CONSENTS, SEE_CONSENT_TEXTS, SEE_MEMBER_RECORD
from orchestra.selectors.consents import WITHDRAWABLE


class ConsentInputSerializer(serializers.Serializer):
    text = serializers.PrimaryKeyRelatedField(
        queryset=ConsentText.objects.filter(published_at__isnull=False),
        help_text=_("The published consent text version, by id."),
    )


class ConsentSerializer(serializers.ModelSerializer):
    """A consent given to one version of a text; ``withdrawn_at`` is set once it has been
    withdrawn (the consent then no longer stands)."""

    kind = serializers.ChoiceField(
        source="text.kind", choices=ConsentText.Kind.choices, read_only=True
    )
    version = serializers.IntegerField(source="text.version", read_only=True)
    withdrawn_at = serializers.SerializerMethodField()

    class Meta:
        model = ConsentAcceptance
        fields = [
            "id",
            "text",
            "kind",
            "version",
            "member",
            "capacity",
            "guardian",
            "accepted_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_withdrawn_at(self, consent) -> datetime | None:
        """When the consent was withdrawn; null while it stands."""
        withdrawal = getattr(consent, "withdrawal", None)
        return withdrawal.withdrawn_at if withdrawal else None


class WithdrawConsentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(kind, label) for kind, label in ConsentText.Kind.choices if kind in WITHDRAWABLE],
        help_text=_("The kind of consent to withdraw."),
    )


class ConsentWithdrawalSerializer(serializers.ModelSerializer):
    """The withdrawal of one given consent: which consent (text version), by whom, when."""

    member = serializers.IntegerField(source="acceptance.member_id", read_only=True)
    kind = serializers.ChoiceField(
        source="acceptance.text.kind", choices=ConsentText.Kind.choices, read_only=True
    )
    version = serializers.IntegerField(source="acceptance.text.version", read_only=True)

    class Meta:
        model = ConsentWithdrawal
        fields = [
            "id",
            "acceptance",
            "member",
            "kind",
            "version",
            "capacity",
            "guardian",
            "withdrawn_at",
        ]
        read_only_fields = fields


# Consents -------------------------------------------------------------------------------


class ConsentTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsentText
        fields = ["id", "kind", "version", "text_nb", "text_en", "published_at"]
        read_only_fields = fields


class ConsentTextInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConsentText.Kind.choices)
    text_nb = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True, default="")


class ConsentTextUpdateSerializer(serializers.Serializer):
    text_nb = serializers.CharField(required=False)
    text_en = serializers.CharField(allow_blank=True, required=False)


class ConsentTextFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ConsentText.Kind.choices)

    class Meta:
        model = ConsentText
        fields = ["kind"]


@extend_schema_view(
    create=extend_schema(
        request=ConsentTextInputSerializer,
        responses={201: ConsentTextSerializer, 400: FIELD_ERRORS},
    ),
    update=extend_schema(
        request=ConsentTextUpdateSerializer,
        responses={200: ConsentTextSerializer, 400: FIELD_ERRORS},
    ),
    partial_update=extend_schema(
        request=ConsentTextUpdateSerializer,
        responses={200: ConsentTextSerializer, 400: FIELD_ERRORS},
    ),
    destroy=extend_schema(responses={204: None, 400: ErrorSerializer}),
)
class ConsentTextViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """Consent texts, versioned. Anyone reads the published ones; staff write drafts,
    publish them, and write a new version instead of changing a published one."""

    policies = {"read": SEE_CONSENT_TEXTS, "write": MANAGE_CONSENTS}
    queryset = ConsentText.objects.none()
    serializer_class = ConsentTextSerializer
    filterset_class = ConsentTextFilter

    def get_queryset(self):
        return self.reachable(ConsentText.objects.all()).order_by("kind", "-version")

    def create(self, request, *args, **kwargs):
        data = ConsentTextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = services.create_consent_text(**data.validated_data)
        return Response(ConsentTextSerializer(text).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        kwargs.pop("partial", None)
        data = ConsentTextUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = services.update_consent_text(text=self.get_object(), **data.validated_data)
        return Response(ConsentTextSerializer(text).data)

    def perform_destroy(self, instance):
        if instance.is_published:
            raise OrchestraError(_("A published consent text is kept: write a new version."))
        instance.delete()

    @extend_schema(
        request=None,
        responses={200: ConsentTextSerializer, 400: ErrorSerializer},
        summary=_("Publish a draft consent text"),
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        text = services.publish_consent_text(text=self.get_object())
        return Response(ConsentTextSerializer(text).data)


class RecordConsentInputSerializer(ConsentInputSerializer):
    """A consent given on paper, recorded by staff."""

    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    guardian = serializers.PrimaryKeyRelatedField(
        queryset=Guardian.objects.all(),
        allow_null=True,
        default=None,
        help_text=_("The guardian who consented; empty: the member consented themself."),
    )


class ConsentFilter(MemberIdFilter):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="text__kind", choices=ConsentText.Kind.choices
    )

    class Meta:
        model = ConsentAcceptance
        fields = ["member", "kind"]


@extend_schema_view(
    create=extend_schema(
        request=RecordConsentInputSerializer,
        responses={201: ConsentSerializer, 400: FIELD_ERRORS},
    )
)
class ConsentViewSet(
    OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Consents given for the members a user may see. Staff record paper consents here;
    guardians and members consent through /members/{id}/consent/."""

    policies = {"read": SEE_MEMBER_RECORD, "write": MANAGE_CONSENTS}
    queryset = ConsentAcceptance.objects.none()
    serializer_class = ConsentSerializer
    filterset_class = ConsentFilter

    def get_queryset(self):
        consents = self.reachable(ConsentAcceptance.objects.all())
        return consents.select_related("text", "guardian", "withdrawal").order_by(
            "-accepted_at", "-pk"
        )

    def create(self, request, *args, **kwargs):
        data = RecordConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        acceptance = services.give_consent(**data.validated_data, by=request.user)
        return Response(ConsentSerializer(acceptance).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawalFilter(django_filters.FilterSet):
    member = IdFilter(label=_("Member (id)"), field_name="acceptance__member_id")

    class Meta:
        model = ConsentWithdrawal
        fields = ["member"]


class ConsentWithdrawalViewSet(OrchestraViewSet, viewsets.ReadOnlyModelViewSet):
    """Withdrawn consents of the members a user may see (staff all: the history).
    Guardians and members withdraw through /members/{id}/withdraw-consent/."""

    policies = {"read": SEE_MEMBER_RECORD, "write": MANAGE_CONSENTS}
    queryset = ConsentWithdrawal.objects.none()
    serializer_class = ConsentWithdrawalSerializer
    filterset_class = ConsentWithdrawalFilter

    def get_queryset(self):
        withdrawals = self.reachable(ConsentWithdrawal.objects.all())
        return withdrawals.select_related("acceptance__text").order_by("-withdrawn_at", "-pk")


def register(router):
    """Register the consent text, consent and withdrawal routes."""
    router.register("consent-texts", ConsentTextViewSet, basename="consent-text")
    router.register("consents", ConsentViewSet, basename="consent")
    router.register("consent-withdrawals", ConsentWithdrawalViewSet, basename="consent-withdrawal")
