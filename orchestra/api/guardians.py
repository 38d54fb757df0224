"""Orchestra API: guardians, their details and their links to members."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api import FIELD_ERRORS, ErrorSerializer
from core.audit_api import AuditedWritesMixin
from orchestra import services
from orchestra.api.base import LoginSerializer, OrchestraViewSet
from orchestra.models import Guardian, Guardianship, Member
from orchestra.policies import (
    CHANGE_GUARDIAN_CONTACTS,
    MANAGE_MEMBERS,
    OWN_GUARDIAN_RECORD,
    SEE_GUARDIAN_CONTACTS,
)
from orchestra.selectors import guardians_with_children

# Guardians ------------------------------------------------------------------------------


class GuardianChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guardianship
        fields = ["member", "relation"]
        read_only_fields = fields


class GuardianSerializer(serializers.ModelSerializer):
    """A guardian with the ids of their children; for staff and the guardian themself."""

    children = serializers.SerializerMethodField()
    has_login = serializers.SerializerMethodField()

    class Meta:
        model = Guardian
        fields = ["id", "first_name", "last_name", "email", "phone", "has_login", "children"]
        read_only_fields = fields

    @extend_schema_field(GuardianChildSerializer(many=True))
    def get_children(self, guardian) -> list[dict]:
        return GuardianChildSerializer(guardian.guardianships.all(), many=True).data

    def get_has_login(self, guardian) -> bool:
        return guardian.user_id is not None


class GuardianFieldsSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=30, allow_blank=True, default="")


class GuardianInputSerializer(GuardianFieldsSerializer):
    """A guardian of a member; one already known by the email is linked instead."""

    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    relation = serializers.ChoiceField(choices=Guardianship.Relation.choices)
    create_login = serializers.BooleanField(
        default=False, help_text=_("Give the guardian a login (username: the email).")
    )


class LinkInputSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    relation = serializers.ChoiceField(choices=Guardianship.Relation.choices)


@extend_schema_view(
    create=extend_schema(
        request=GuardianInputSerializer, responses={201: GuardianSerializer, 400: FIELD_ERRORS}
    ),
    update=extend_schema(
        request=GuardianFieldsSerializer, responses={200: GuardianSerializer, 400: FIELD_ERRORS}
    ),
    partial_update=extend_schema(
        request=GuardianFieldsSerializer, responses={200: GuardianSerializer, 400: FIELD_ERRORS}
    ),
)
class GuardianViewSet(AuditedWritesMixin, OrchestraViewSet, viewsets.ModelViewSet):
    """Guardians: staff see and change all; a guardian sees and changes their own details."""

    queryset = Guardian.objects.none()
    serializer_class = GuardianSerializer
    # A guardian reads and changes their own details; staff add, link and give logins.
    policies = {
        "read": SEE_GUARDIAN_CONTACTS,
        "me": OWN_GUARDIAN_RECORD,
        "update": CHANGE_GUARDIAN_CONTACTS,
        "partial_update": CHANGE_GUARDIAN_CONTACTS,
        "write": MANAGE_MEMBERS,
    }

    def get_queryset(self):
        visible = self.reachable(Guardian.objects.all())
        return guardians_with_children(visible).order_by("last_name", "first_name", "pk")

    def get_serializer_class(self):
        if self.action == "create":
            return GuardianInputSerializer
        if self.action in ("update", "partial_update"):
            return GuardianFieldsSerializer
        return GuardianSerializer

    def output(self, guardian: Guardian) -> dict:
        guardian = guardians_with_children(Guardian.objects.filter(pk=guardian.pk)).get()
        return GuardianSerializer(guardian).data

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        data = GuardianInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        create_login = values.pop("create_login")
        guardian = services.add_guardian(**values, by=request.user)
        if create_login and guardian.user_id is None:
            services.create_guardian_login(guardian=guardian, by=request.user)
        return Response(self.output(guardian), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        guardian = self.get_object()
        data = GuardianFieldsSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_guardian(guardian=guardian, **data.validated_data, by=request.user)
        return Response(self.output(guardian))

    @extend_schema(
        responses={200: GuardianSerializer, 404: ErrorSerializer},
        summary=_("The guardian's own record"),
    )
    @action(detail=False, methods=["get"])
    def me(self, request, **kwargs):
        guardian = self.get_queryset().filter(user=request.user).first()
        if guardian is None:
            raise NotFound()
        return Response(GuardianSerializer(guardian).data)

    @extend_schema(
        request=LinkInputSerializer,
        responses={200: GuardianSerializer, 400: FIELD_ERRORS},
        summary=_("Make this guardian a guardian of another member too"),
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        guardian = self.get_object()
        data = LinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.link_guardian(guardian=guardian, **data.validated_data, by=request.user)
        return Response(self.output(guardian))

    @extend_schema(
        request=None,
        responses={201: LoginSerializer, 400: ErrorSerializer},
        summary=_("Give the guardian a login"),
        description=_("The username is the email; its owner sets a password by password reset."),
    )
    @action(detail=True, methods=["post"])
    def login(self, request, pk=None):
        user = services.create_guardian_login(guardian=self.get_object(), by=request.user)
        return Response({"id": user.pk, "username": user.username}, status=201)


def register(router):
    """Register the guardian routes."""
    router.register("guardians", GuardianViewSet, basename="guardian")
