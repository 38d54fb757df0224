"""Orchestra API: members, their status history and their places in groups.

Members are children. The member record is read through
``orchestra.selectors.member_records_visible_to(user)``: staff see all, a guardian their
own children, a member with their own login themself, anyone else nobody (an empty list,
and 404 for one member). Medical notes are in the answer for staff only. URLs hold ids,
never names.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import FIELD_ERRORS
from core.audit_api import AuditedWritesMixin
from events.api import MunicipalitySummarySerializer
from events.filters import IdFilter
from events.models import Municipality
from orchestra import services
from orchestra.api.base import (
    STAFF_ONLY,
    LoginSerializer,
    LogsSensitiveAccess,
    MemberIdFilter,
    OrchestraViewSet,
    seen_sensitive,
)
from orchestra.api.consents import (
    ConsentInputSerializer,
    ConsentSerializer,
    ConsentWithdrawalSerializer,
    WithdrawConsentInputSerializer,
)
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    Group,
    Guardianship,
    Instrument,
    Member,
    MemberInstrument,
    Membership,
    Section,
    SensitiveDataAccess,
    StatusChange,
)
from orchestra.policies import MANAGE_MEMBERS, SEE_MEDICAL_NOTES, SEE_MEMBER_RECORD
from orchestra.selectors import (
    guardian_of,
    members_with_details,
)

# Members --------------------------------------------------------------------------------


class MemberInstrumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="instrument.name", read_only=True)
    section = serializers.ChoiceField(
        source="instrument.section", choices=Section.choices, read_only=True
    )

    class Meta:
        model = MemberInstrument
        fields = ["instrument", "name", "section", "is_main", "years_played"]
        read_only_fields = fields


class MembershipSummarySerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    season = serializers.IntegerField(source="group.season_id", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "group", "group_name", "season", "joined_on", "left_on"]
        read_only_fields = fields


class GuardianLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guardianship
        fields = ["guardian", "relation"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    """A member as the API shows them to staff, their guardians and themself.

    ``medical_notes`` is in the answer for staff only; the schema marks it optional
    for that reason.
    """

    municipality = MunicipalitySummarySerializer(read_only=True)
    gender = serializers.ChoiceField(
        choices=Member.Gender.choices, allow_blank=True, read_only=True
    )
    instruments = MemberInstrumentSerializer(source="member_instruments", many=True, read_only=True)
    memberships = MembershipSummarySerializer(many=True, read_only=True)
    guardians = GuardianLinkSerializer(source="guardianships", many=True, read_only=True)
    current_status = serializers.ChoiceField(
        choices=StatusChange.Status.choices, allow_null=True, read_only=True
    )
    status_since = serializers.DateField(allow_null=True, read_only=True)
    has_own_login = serializers.SerializerMethodField()
    medical_notes = serializers.CharField(required=False, help_text=STAFF_ONLY)

    class Meta:
        model = Member
        fields = [
            "id",
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "municipality",
            "origin",
            "origin_name",
            "years_played",
            "photo_consent",
            "instruments",
            "memberships",
            "guardians",
            "current_status",
            "status_since",
            "has_own_login",
            "medical_notes",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_own_login(self, member) -> bool:
        return member.user_id is not None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_medical_notes"):
            data.pop("medical_notes", None)
        else:
            seen_sensitive(self.context, instance.pk, SensitiveDataAccess.Data.MEDICAL_NOTES)
        return data


class PlayedInstrumentSerializer(serializers.Serializer):
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.all())
    is_main = serializers.BooleanField(default=False)
    years_played = serializers.IntegerField(
        min_value=0, max_value=20, allow_null=True, required=False
    )

    def played(self, values) -> services.PlayedInstrument:
        return services.PlayedInstrument(
            values["instrument"], values.get("is_main", False), values.get("years_played")
        )


class MemberFieldsSerializer(serializers.Serializer):
    """The fields of a member that staff write; omitted fields stay as they are on update."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    gender = serializers.ChoiceField(choices=Member.Gender.choices, allow_blank=True, default="")
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all())
    origin = serializers.ChoiceField(
        choices=Member.Origin.choices, default=Member.Origin.MUSIC_SCHOOL
    )
    origin_name = serializers.CharField(max_length=200, allow_blank=True, default="")
    years_played = serializers.IntegerField(min_value=0, max_value=20, default=0)
    # No photo_consent: it follows the photo consent given and withdrawn
    # (orchestra.selectors.consents); staff record a paper consent through /consents/.
    medical_notes = serializers.CharField(allow_blank=True, default="")
    instruments = PlayedInstrumentSerializer(many=True, required=False)

    def played_instruments(self) -> list[services.PlayedInstrument] | None:
        if "instruments" not in self.validated_data:
            return None
        item = PlayedInstrumentSerializer()
        return [item.played(values) for values in self.validated_data["instruments"]]

    def member_values(self) -> dict:
        return {name: value for name, value in self.validated_data.items() if name != "instruments"}


NEW_STATUSES = [(value, label) for value, label in StatusChange.Status.choices if value != "left"]


class MemberInputSerializer(MemberFieldsSerializer):
    """A new member, with instruments, groups and a first status (applicant by default)."""

    groups = serializers.PrimaryKeyRelatedField(
        queryset=Group.objects.all(), many=True, required=False
    )
    status = serializers.ChoiceField(choices=NEW_STATUSES, default="applicant")
    since = serializers.DateField(
        required=False, help_text=_("Date of the first status and of joining the groups.")
    )

    def member_values(self) -> dict:
        values = super().member_values()
        for name in ("groups", "status", "since"):
            values.pop(name, None)
        return values


class MemberLoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(allow_blank=True, required=False)


class MemberFilter(django_filters.FilterSet):
    group = IdFilter(
        label=_("In the group now (id)"), method="filter_group", field_name="memberships"
    )
    status = django_filters.ChoiceFilter(
        label=_("Current status"), field_name="current_status", choices=StatusChange.Status.choices
    )
    instrument = IdFilter(label=_("Plays the instrument (id)"), method="filter_instrument")
    section = django_filters.ChoiceFilter(
        label=_("Main instrument's section"), method="filter_section", choices=Section.choices
    )

    class Meta:
        model = Member
        fields = ["group", "status", "instrument", "section"]

    def filter_group(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.filter(group_id=value, left_on__isnull=True).values(
                "member_id"
            )
        )

    def filter_instrument(self, queryset, name, value):
        return queryset.filter(
            pk__in=MemberInstrument.objects.filter(instrument_id=value).values("member_id")
        )

    def filter_section(self, queryset, name, value):
        return queryset.filter(
            pk__in=MemberInstrument.objects.filter(is_main=True, instrument__section=value).values(
                "member_id"
            )
        )


@extend_schema_view(
    create=extend_schema(
        request=MemberInputSerializer, responses={201: MemberSerializer, 400: FIELD_ERRORS}
    ),
    update=extend_schema(
        request=MemberFieldsSerializer, responses={200: MemberSerializer, 400: FIELD_ERRORS}
    ),
    partial_update=extend_schema(
        request=MemberFieldsSerializer, responses={200: MemberSerializer, 400: FIELD_ERRORS}
    ),
)
class MemberViewSet(
    AuditedWritesMixin, LogsSensitiveAccess, OrchestraViewSet, viewsets.ModelViewSet
):
    """Members of the orchestra: staff see and change all; a guardian reads their own
    children; a member with their own login reads themself; anyone else sees none.

    The status changes through /status-changes/, groups through /memberships/.
    """

    queryset = Member.objects.none()
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    # The member record (birth date, municipality, guardians) is not for tutors: they read
    # names, instruments and attendance through the session boards. Consents are given and
    # withdrawn by the member's family (_family_guardian, and the service's age rules).
    policies = {
        "read": SEE_MEMBER_RECORD,
        "write": MANAGE_MEMBERS,
        "consent": SEE_MEMBER_RECORD,
        "withdraw_consent": SEE_MEMBER_RECORD,
    }

    def get_queryset(self):
        visible = self.reachable(Member.objects.all())
        return members_with_details(visible).order_by("last_name", "first_name", "pk")

    def get_serializer_class(self):
        if self.action == "create":
            return MemberInputSerializer
        if self.action in ("update", "partial_update"):
            return MemberFieldsSerializer
        return MemberSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["show_medical_notes"] = SEE_MEDICAL_NOTES.admits(self.request.user)
        return context

    def output(self, member: Member) -> dict:
        member = self.get_queryset().get(pk=member.pk)
        return MemberSerializer(member, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        member = services.add_member(
            **data.member_values(),
            instruments=data.played_instruments() or [],
            groups=values.get("groups", []),
            status=values["status"],
            since=values.get("since"),
            by=request.user,
        )
        return Response(self.output(member), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        member = self.get_object()
        data = MemberFieldsSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_member(
            member=member,
            instruments=data.played_instruments(),
            **data.member_values(),
            by=request.user,
        )
        return Response(self.output(member))

    def _family_guardian(self, member, *, refuse: Exception):
        """Return the requesting guardian of the member (None when the member acts for
        themself); raise ``refuse`` for anyone else. The service checks the age rules."""
        guardian = guardian_of(self.request.user)
        if guardian is not None and not guardian.guardianships.filter(member=member).exists():
            guardian = None
        if guardian is None and member.user_id != self.request.user.pk:
            raise refuse
        return guardian

    @extend_schema(
        request=ConsentInputSerializer,
        responses={201: ConsentSerializer, 400: FIELD_ERRORS},
        summary=_("Give a consent for this member"),
        description=_(
            "A guardian consents for their own child; a member old enough "
            "(ORCHESTRA_SELF_CONSENT_AGE) consents for themself. Staff record consents "
            "given on paper through /consents/."
        ),
    )
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        member = self.get_object()
        data = ConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        guardian = self._family_guardian(
            member,
            refuse=OrchestraError(
                _("Only the member's guardians or the member themself consent here.")
            ),
        )
        acceptance = services.give_consent(
            text=data.validated_data["text"], member=member, by=request.user, guardian=guardian
        )
        return Response(ConsentSerializer(acceptance).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=WithdrawConsentInputSerializer,
        responses={200: ConsentWithdrawalSerializer(many=True), 400: FIELD_ERRORS},
        summary=_("Withdraw a consent for this member"),
        description=_(
            "A guardian withdraws a consent for their own child; a member old enough "
            "(ORCHESTRA_SELF_CONSENT_AGE) withdraws their own. Every consent of that kind "
            "that stands is withdrawn; the history stays."
        ),
    )
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request, pk=None):
        member = self.get_object()
        data = WithdrawConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Staff see the member, but a withdrawal is the family's to make (staff record a
        # paper withdrawal through /consents/).
        guardian = self._family_guardian(
            member,
            refuse=PermissionDenied(
                _("Only the member's guardians or the member themself withdraw consents here.")
            ),
        )
        withdrawals = services.withdraw_consent(
            kind=data.validated_data["kind"], member=member, by=request.user, guardian=guardian
        )
        return Response(ConsentWithdrawalSerializer(withdrawals, many=True).data)

    @extend_schema(
        request=MemberLoginInputSerializer,
        responses={201: LoginSerializer, 400: FIELD_ERRORS},
        summary=_("Give the member their own login"),
        description=_(
            "Staff only, for members who have reached ORCHESTRA_OWN_LOGIN_AGE. The login "
            "has no password; its owner sets one through password reset."
        ),
    )
    @action(detail=True, methods=["post"])
    def login(self, request, pk=None):
        member = self.get_object()
        data = MemberLoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.create_member_login(member=member, **data.validated_data, by=request.user)
        return Response({"id": user.pk, "username": user.username}, status=201)


# Status history and memberships ---------------------------------------------------------


class StatusChangeSerializer(serializers.ModelSerializer):
    reason = serializers.ChoiceField(
        choices=StatusChange.Reason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = StatusChange
        fields = ["id", "member", "status", "since", "reason", "note", "recorded_at"]
        read_only_fields = fields


class StatusChangeInputSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    status = serializers.ChoiceField(choices=StatusChange.Status.choices)
    since = serializers.DateField(required=False)
    reason = serializers.ChoiceField(
        choices=StatusChange.Reason.choices,
        allow_blank=True,
        default="",
        help_text=_("Required when the status is left; empty otherwise."),
    )
    note = serializers.CharField(allow_blank=True, default="")


class StatusChangeFilter(MemberIdFilter):
    class Meta:
        model = StatusChange
        fields = ["member"]


@extend_schema_view(
    create=extend_schema(
        request=StatusChangeInputSerializer,
        responses={201: StatusChangeSerializer, 400: FIELD_ERRORS},
    )
)
class StatusChangeViewSet(
    OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Members' status history, newest first. Staff only."""

    policy = MANAGE_MEMBERS
    queryset = StatusChange.objects.order_by("member_id", *StatusChange.LATEST_FIRST)
    serializer_class = StatusChangeSerializer
    filterset_class = StatusChangeFilter

    def create(self, request, *args, **kwargs):
        data = StatusChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.set_status(**data.validated_data, by=request.user)
        return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "member", "group", "joined_on", "left_on"]
        read_only_fields = ["id", "left_on"]
        validators = []


class LeaveInputSerializer(serializers.Serializer):
    left_on = serializers.DateField(required=False)


class MembershipFilter(MemberIdFilter):
    group = IdFilter(label=_("Group (id)"), field_name="group_id")

    class Meta:
        model = Membership
        fields = ["member", "group"]


@extend_schema_view(
    create=extend_schema(
        request=MembershipSerializer, responses={201: MembershipSerializer, 400: FIELD_ERRORS}
    )
)
class MembershipViewSet(
    OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Members' places in groups. Staff only; leaving a group is an action."""

    policy = MANAGE_MEMBERS
    queryset = Membership.objects.order_by("member_id", "-joined_on", "pk")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def create(self, request, *args, **kwargs):
        data = MembershipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.join_group(**data.validated_data, by=request.user)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=LeaveInputSerializer,
        responses={200: MembershipSerializer, 400: FIELD_ERRORS},
        summary=_("The member leaves the group"),
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        data = LeaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.leave_group(
            membership=self.get_object(), **data.validated_data, by=request.user
        )
        return Response(MembershipSerializer(membership).data)


def register(router):
    """Register the member, status change and membership routes."""
    router.register("members", MemberViewSet, basename="member")
    router.register("status-changes", StatusChangeViewSet, basename="status-change")
    router.register("memberships", MembershipViewSet, basename="membership")
