"""The REST API of the youth orchestra under /api/v1/.

Members are children. Every endpoint that shows a member reads them through
``orchestra.selectors.members_visible_to(user)``: staff see all, a guardian their own
children, a member with their own login themself, anyone else nobody (an empty list,
and 404 for one member). Medical notes are in the answer for staff only. URLs hold ids,
never names.
"""

from datetime import datetime

import django_filters
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from core.api import (
    FIELD_ERRORS,
    ErrorSerializer,
    FullCleanModelSerializer,
    documented_writes,
)
from core.roles import Role
from events.api import MunicipalitySummarySerializer
from events.filters import IdFilter
from events.models import Event, Municipality, Period, Programme
from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    ConsentAcceptance,
    ConsentText,
    ConsentWithdrawal,
    Group,
    Guardian,
    Guardianship,
    GuestEnsemble,
    Instrument,
    Member,
    MemberInstrument,
    Membership,
    Section,
    SensitiveDataAccess,
    StatusChange,
)
from orchestra.selectors import (
    consent_texts_visible_to,
    consents_visible_to,
    guardian_of,
    guardians_visible_to,
    guardians_with_children,
    is_orchestra_staff,
    member_records_visible_to,
    members_with_details,
)
from orchestra.selectors.access_log import access_log_visible_to
from orchestra.selectors.consents import WITHDRAWABLE
from orchestra.services.access_log import record_sensitive_access

# Instruments and groups -----------------------------------------------------------------


class InstrumentSerializer(FullCleanModelSerializer):
    class Meta(FullCleanModelSerializer.Meta):
        model = Instrument
        fields = ["id", "name_nb", "name_en", "section", "position"]


class GroupSerializer(FullCleanModelSerializer):
    """A group of one season, with the ages it is for."""

    season = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA),
        help_text=_("The season (an edition or season of an orchestra programme), by id."),
    )

    class Meta(FullCleanModelSerializer.Meta):
        model = Group
        fields = ["id", "season", "name", "slug", "min_age", "max_age", "description"]


class OrchestraViewSet(viewsets.GenericViewSet):
    """The orchestra's views: declared roles, login and self-service (core.permissions)."""

    read_role = None
    write_role = Role.PROJECT_LEADER
    login_required = True
    self_service_actions: tuple[str, ...] = ()


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


@documented_writes(input_serializer=InstrumentSerializer, output_serializer=InstrumentSerializer)
class InstrumentViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """Instruments and their sections, in score order. Logged-in users read; staff change."""

    queryset = Instrument.objects.order_by("position", "name_nb", "pk")
    serializer_class = InstrumentSerializer
    filterset_fields = ["section"]


class GroupFilter(django_filters.FilterSet):
    season = IdFilter(label=_("Season (id)"), field_name="season_id")

    class Meta:
        model = Group
        fields = ["season"]


@documented_writes(input_serializer=GroupSerializer, output_serializer=GroupSerializer)
class GroupViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """The orchestra's groups per season; their names are public. Staff change them."""

    login_required = False
    queryset = Group.objects.order_by("-season__start", "-max_age", "name", "pk")
    serializer_class = GroupSerializer
    filterset_class = GroupFilter


class GuestEnsembleSerializer(FullCleanModelSerializer):
    """Another orchestra invited to a weekend, a session or a concert, with its contact."""

    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.filter(period__programme__kind=Programme.Kind.ORCHESTRA),
        help_text=_("The weekend, session or concert (an event of an orchestra season), by id."),
    )

    class Meta(FullCleanModelSerializer.Meta):
        model = GuestEnsemble
        fields = [
            "id",
            "event",
            "name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "players",
        ]


@documented_writes(
    input_serializer=GuestEnsembleSerializer, output_serializer=GuestEnsembleSerializer
)
class GuestEnsembleViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """Guest ensembles of the orchestra's events. Their contacts are for staff only."""

    read_role = Role.PROJECT_LEADER
    queryset = GuestEnsemble.objects.select_related("event").order_by("event__start", "name", "pk")
    serializer_class = GuestEnsembleSerializer
    filterset_fields = ["event"]


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


STAFF_ONLY = _("Staff only: absent for anyone else.")


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


class MemberLoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(allow_blank=True, required=False)


class LoginSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


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
class MemberViewSet(LogsSensitiveAccess, OrchestraViewSet, viewsets.ModelViewSet):
    """Members of the orchestra: staff see and change all; a guardian reads their own
    children; a member with their own login reads themself; anyone else sees none.

    The status changes through /status-changes/, groups through /memberships/.
    """

    queryset = Member.objects.none()
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    self_service_actions = ("consent", "withdraw_consent")

    def get_queryset(self):
        # The member record (birth date, municipality, guardians) is not for tutors: they
        # read names, instruments and attendance through the session boards.
        visible = member_records_visible_to(self.request.user)
        return members_with_details(visible).order_by("last_name", "first_name", "pk")

    def get_serializer_class(self):
        if self.action == "create":
            return MemberInputSerializer
        if self.action in ("update", "partial_update"):
            return MemberFieldsSerializer
        return MemberSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["show_medical_notes"] = is_orchestra_staff(self.request.user)
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
            recorded_by=request.user,
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
        user = services.create_member_login(member=member, **data.validated_data)
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


class MemberIdFilter(django_filters.FilterSet):
    member = IdFilter(label=_("Member (id)"), field_name="member_id")


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

    read_role = Role.PROJECT_LEADER
    queryset = StatusChange.objects.order_by("member_id", *StatusChange.LATEST_FIRST)
    serializer_class = StatusChangeSerializer
    filterset_class = StatusChangeFilter

    def create(self, request, *args, **kwargs):
        data = StatusChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.set_status(**data.validated_data, recorded_by=request.user)
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

    read_role = Role.PROJECT_LEADER
    queryset = Membership.objects.order_by("member_id", "-joined_on", "pk")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def create(self, request, *args, **kwargs):
        data = MembershipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.join_group(**data.validated_data)
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
        membership = services.leave_group(membership=self.get_object(), **data.validated_data)
        return Response(MembershipSerializer(membership).data)


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
class GuardianViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """Guardians: staff see and change all; a guardian sees and changes their own details."""

    queryset = Guardian.objects.none()
    serializer_class = GuardianSerializer
    self_service_actions = ("update", "partial_update", "me")

    def get_queryset(self):
        visible = guardians_visible_to(self.request.user)
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
        guardian = services.add_guardian(**values)
        if create_login and guardian.user_id is None:
            services.create_guardian_login(guardian=guardian)
        return Response(self.output(guardian), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        guardian = self.get_object()
        data = GuardianFieldsSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_guardian(guardian=guardian, **data.validated_data)
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
        services.link_guardian(guardian=guardian, **data.validated_data)
        return Response(self.output(guardian))

    @extend_schema(
        request=None,
        responses={201: LoginSerializer, 400: ErrorSerializer},
        summary=_("Give the guardian a login"),
        description=_("The username is the email; its owner sets a password by password reset."),
    )
    @action(detail=True, methods=["post"])
    def login(self, request, pk=None):
        user = services.create_guardian_login(guardian=self.get_object())
        return Response({"id": user.pk, "username": user.username}, status=201)


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

    login_required = False
    queryset = ConsentText.objects.none()
    serializer_class = ConsentTextSerializer
    filterset_class = ConsentTextFilter

    def get_queryset(self):
        return consent_texts_visible_to(self.request.user).order_by("kind", "-version")

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

    queryset = ConsentAcceptance.objects.none()
    serializer_class = ConsentSerializer
    filterset_class = ConsentFilter

    def get_queryset(self):
        return consents_visible_to(self.request.user).order_by("-accepted_at", "-pk")

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

    queryset = ConsentWithdrawal.objects.none()
    serializer_class = ConsentWithdrawalSerializer
    filterset_class = ConsentWithdrawalFilter

    def get_queryset(self):
        return (
            ConsentWithdrawal.objects.filter(
                acceptance__in=consents_visible_to(self.request.user).values("pk")
            )
            .select_related("acceptance__text")
            .order_by("-withdrawn_at", "-pk")
        )


class SensitiveDataAccessSerializer(serializers.ModelSerializer):
    """One view or export of a child's medical notes or emergency contacts."""

    data = serializers.ListField(
        child=serializers.ChoiceField(choices=SensitiveDataAccess.Data.choices), read_only=True
    )

    class Meta:
        model = SensitiveDataAccess
        fields = ["id", "member", "viewer", "role", "data", "channel", "path", "accessed_at"]
        read_only_fields = fields


class SensitiveDataAccessFilter(MemberIdFilter):
    viewer = IdFilter(label=_("Viewer (login id)"), field_name="viewer_id")

    class Meta:
        model = SensitiveDataAccess
        fields = ["member", "viewer", "role", "channel"]


class SensitiveDataAccessViewSet(OrchestraViewSet, viewsets.ReadOnlyModelViewSet):
    """The access log of children's medical notes and emergency contacts: staff only."""

    read_role = Role.PROJECT_LEADER
    queryset = SensitiveDataAccess.objects.none()
    serializer_class = SensitiveDataAccessSerializer
    filterset_class = SensitiveDataAccessFilter

    def get_queryset(self):
        return access_log_visible_to(self.request.user).order_by("-accessed_at", "-pk")


def register(router):
    """Register this app's API routes."""
    router.register("instruments", InstrumentViewSet, basename="instrument")
    router.register("groups", GroupViewSet, basename="orchestra-group")
    router.register("members", MemberViewSet, basename="member")
    router.register("status-changes", StatusChangeViewSet, basename="status-change")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("guardians", GuardianViewSet, basename="guardian")
    router.register("consent-texts", ConsentTextViewSet, basename="consent-text")
    router.register("consents", ConsentViewSet, basename="consent")
    router.register("consent-withdrawals", ConsentWithdrawalViewSet, basename="consent-withdrawal")
    router.register(
        "sensitive-data-accesses", SensitiveDataAccessViewSet, basename="sensitive-data-access"
    )
    router.register("guest-ensembles", GuestEnsembleViewSet, basename="guest-ensemble")

    from orchestra import (
        api_attendance,
        api_calendars,
        api_erasure,
        api_masterclasses,
        api_registration,
        api_tours,
    )

    for module in (
        api_registration,
        api_attendance,
        api_calendars,
        api_masterclasses,
        api_tours,
        api_erasure,
    ):
        module.register(router)
