"""The orchestra API of attendance: session plans, attendance and leaves of absence.

- /session-plans/: staff write; a tutor reads the plans they lead, with each one's board
  (names, instruments and attendance of the members it expects; a first name and an
  initial for tutors) and its check-in list for member cards.
- /attendance/: rows scoped by role (staff all, tutors their sessions', guardians their
  children's, a member their own). Leaders record statuses (record); guardians and
  members 13+ with their own login answer ahead (reply).
- /leaves/: guardians (and staff) set and end leaves of absence.

Domain rules live in orchestra.services.attendance; a broken one is a 400 with its
message. URLs hold ids, never names.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import FIELD_ERRORS, FullCleanModelSerializer, absolute_url
from events.filters import IdFilter
from events.models import Event
from orchestra.api.base import OrchestraViewSet
from orchestra.models import (
    AbsenceReason,
    Attendance,
    Group,
    LeaveOfAbsence,
    Member,
    MemberCard,
    Section,
    SessionPlan,
)
from orchestra.policies import (
    ACT_FOR_A_MEMBER,
    LEAD_SESSION_PLAN,
    MANAGE_MEMBERS,
    MANAGE_ORCHESTRA,
    SEE_ATTENDANCE,
    SEE_FULL_NAMES,
    SEE_LEAVES,
    SEE_MEMBER_RECORD,
)
from orchestra.selectors.attendance import session_board, short_name
from orchestra.selectors.sessions import session_plans
from orchestra.services import attendance as services

# Session plans ----------------------------------------------------------------------------


class SessionPlanSerializer(FullCleanModelSerializer):
    """Which groups and sections attend a session, and who leads it."""

    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), help_text=_("The session (an event), by id.")
    )
    groups = serializers.PrimaryKeyRelatedField(queryset=Group.objects.all(), many=True)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=Section.choices),
        required=False,
        help_text=_("Empty: every section of the groups (a tutti)."),
    )
    title = serializers.CharField(source="event.title", read_only=True)
    start = serializers.DateTimeField(source="event.start", read_only=True)
    end = serializers.DateTimeField(source="event.end", read_only=True)
    weekend = serializers.IntegerField(source="event.parent_id", read_only=True, allow_null=True)

    class Meta(FullCleanModelSerializer.Meta):
        model = SessionPlan
        fields = [
            "id",
            "event",
            "title",
            "start",
            "end",
            "weekend",
            "groups",
            "sections",
            "tutors",
        ]
        extra_kwargs = {"tutors": {"required": False}}

    def create(self, validated_data):
        return self.save_plan(SessionPlan(), validated_data)

    def update(self, instance, validated_data):
        return self.save_plan(instance, validated_data)

    def save_plan(self, plan: SessionPlan, values: dict) -> SessionPlan:
        groups, tutors = values.pop("groups", None), values.pop("tutors", None)
        for name, value in values.items():
            setattr(plan, name, value)
        return services.save_session_plan(plan=plan, groups=groups, tutors=tutors)


class BoardRowSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    name = serializers.CharField(help_text=_("Staff: the full name; tutors: first name, initial."))
    instrument = serializers.CharField(allow_null=True)
    section = serializers.ChoiceField(choices=Section.choices, allow_null=True)
    expected = serializers.BooleanField()
    reply = serializers.ChoiceField(choices=Attendance.Reply.choices, allow_blank=True)
    reason = serializers.ChoiceField(choices=AbsenceReason.choices, allow_blank=True)
    on_leave = serializers.BooleanField()
    recorded = serializers.ChoiceField(choices=Attendance.Status.choices)
    status = serializers.ChoiceField(
        choices=Attendance.Status.choices,
        help_text=_("What counts: the record, else excused for a leave or a 'not coming'."),
    )
    scanned = serializers.BooleanField()


class BoardSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = BoardRowSerializer(many=True)


class CheckinListLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scanner_url = serializers.URLField()


class SessionPlanFilter(django_filters.FilterSet):
    weekend = IdFilter(label=_("Rehearsal weekend (id)"), field_name="event__parent_id")
    event = IdFilter(label=_("Session (id)"), field_name="event_id")

    class Meta:
        model = SessionPlan
        fields = ["weekend", "event"]


@extend_schema_view(
    create=extend_schema(
        request=SessionPlanSerializer, responses={201: SessionPlanSerializer, 400: FIELD_ERRORS}
    ),
    update=extend_schema(
        request=SessionPlanSerializer, responses={200: SessionPlanSerializer, 400: FIELD_ERRORS}
    ),
    partial_update=extend_schema(
        request=SessionPlanSerializer, responses={200: SessionPlanSerializer, 400: FIELD_ERRORS}
    ),
)
class SessionPlanViewSet(OrchestraViewSet, viewsets.ModelViewSet):
    """Session plans: staff see and change all; a tutor reads the plans they lead;
    anyone else gets an empty list."""

    queryset = SessionPlan.objects.none()
    serializer_class = SessionPlanSerializer
    filterset_class = SessionPlanFilter
    policies = {
        "read": LEAD_SESSION_PLAN,
        "checkin_list": LEAD_SESSION_PLAN,
        "write": MANAGE_ORCHESTRA,
    }

    def get_queryset(self):
        return self.reachable(session_plans())

    @extend_schema(
        responses={200: BoardSerializer},
        summary=_("The session's attendance board"),
        description=_(
            "The members the session expects (and any scanned in without being expected), "
            "with their answers, leaves and statuses; who has not answered is "
            "counted in counts.not_answered."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def board(self, request, pk=None, **kwargs):
        plan = self.get_object()
        board = session_board(plan)
        full_names = SEE_FULL_NAMES.admits(request.user)
        rows = [
            {
                "member": row.member.pk,
                "name": (
                    f"{row.member.first_name} {row.member.last_name}"
                    if full_names
                    else short_name(row.member)
                ),
                "instrument": row.instrument.name if row.instrument else None,
                "section": row.section,
                "expected": row.expected,
                "reply": row.reply,
                "reason": row.attendance.reason if row.attendance else "",
                "on_leave": row.leave is not None,
                "recorded": row.recorded,
                "status": row.status,
                "scanned": row.scanned,
            }
            for row in board.rows
        ]
        return Response(
            BoardSerializer({"session": plan.event_id, "counts": board.counts, "rows": rows}).data
        )

    @extend_schema(
        request=None,
        responses={200: CheckinListLinkSerializer},
        summary=_("The session's check-in list for member cards"),
        description=_("Made on first use; the plan's tutors become hosts of the session."),
    )
    @action(detail=True, methods=["post"], url_path="checkin-list")
    def checkin_list(self, request, pk=None):
        checkin_list = services.session_checkin_list(self.get_object())
        return Response(
            {
                "id": checkin_list.pk,
                "scanner_url": absolute_url({"request": request}, checkin_list.get_absolute_url()),
            }
        )


# Attendance -------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    """One member at one session: the answer given ahead and the status recorded."""

    reply = serializers.ChoiceField(
        choices=Attendance.Reply.choices, allow_blank=True, read_only=True
    )
    reason = serializers.ChoiceField(
        choices=AbsenceReason.choices, allow_blank=True, read_only=True
    )
    scanned = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = [
            "id",
            "member",
            "session",
            "reply",
            "reason",
            "note",
            "replied_at",
            "status",
            "recorded_at",
            "scanned",
        ]
        read_only_fields = fields

    def get_scanned(self, attendance) -> bool:
        return attendance.checkin_id is not None


class ReplyInputSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    session = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), required=False, allow_null=True, default=None
    )
    weekend = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.filter(kind=Event.Kind.REHEARSAL_WEEKEND),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Answer for every session of the weekend that expects the member."),
    )
    reply = serializers.ChoiceField(choices=Attendance.Reply.choices)
    reason = serializers.ChoiceField(
        choices=AbsenceReason.choices,
        allow_blank=True,
        default="",
        help_text=_("Required when not coming."),
    )
    note = serializers.CharField(max_length=300, allow_blank=True, default="")

    def validate(self, attrs):
        if (attrs["session"] is None) == (attrs["weekend"] is None):
            raise serializers.ValidationError(_("Give either a session or a weekend."))
        return attrs


class RecordInputSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    session = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all())
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class AttendanceFilter(django_filters.FilterSet):
    member = IdFilter(label=_("Member (id)"), field_name="member_id")
    session = IdFilter(label=_("Session (id)"), field_name="session_id")
    weekend = IdFilter(label=_("Rehearsal weekend (id)"), field_name="session__parent_id")
    status = django_filters.ChoiceFilter(choices=Attendance.Status.choices)

    class Meta:
        model = Attendance
        fields = ["member", "session", "weekend", "status"]


class AttendanceViewSet(OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Attendance rows the user may see. Leaders record through /record/, guardians and
    members answer through /reply/; a member expected with no row has not answered."""

    queryset = Attendance.objects.none()
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    policies = {
        "read": SEE_ATTENDANCE,
        "reply": ACT_FOR_A_MEMBER,
        "record": ACT_FOR_A_MEMBER,
        "write": MANAGE_ORCHESTRA,
    }

    def get_queryset(self):
        rows = self.reachable(Attendance.objects.all())
        return rows.order_by("session__start", "member_id", "pk")

    @extend_schema(
        request=ReplyInputSerializer,
        responses={200: AttendanceSerializer(many=True), 400: FIELD_ERRORS},
        summary=_("Answer coming or not coming, for a session or a whole weekend"),
        description=_(
            "A guardian for their child, a member with their own login for themself, staff "
            "for anyone; only for sessions that expect the member and have not started."
        ),
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def reply(self, request):
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        session, weekend = values.pop("session"), values.pop("weekend")
        if weekend is not None:
            rows = services.reply_for_weekend(weekend=weekend, by=request.user, **values)
        else:
            rows = [services.reply_for_session(session=session, by=request.user, **values)]
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(
        request=RecordInputSerializer,
        responses={200: AttendanceSerializer, 400: FIELD_ERRORS},
        summary=_("Record a member's attendance at a session"),
        description=_(
            "For the session's tutors and staff, from the session's day. 'expected' undoes "
            "a record."
        ),
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def record(self, request):
        data = RecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.record_attendance(**data.validated_data, by=request.user)
        return Response(AttendanceSerializer(row).data)


# Leaves -----------------------------------------------------------------------------------


class LeaveSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaveOfAbsence
        fields = ["id", "member", "starts_on", "ends_on", "reason", "note", "created_at"]
        read_only_fields = fields


class LeaveOfAbsenceInputSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=AbsenceReason.choices)
    note = serializers.CharField(max_length=300, allow_blank=True, default="")


class EndLeaveInputSerializer(serializers.Serializer):
    last_day = serializers.DateField(
        required=False, help_text=_("The leave's last day; by default yesterday.")
    )


class LeaveFilter(django_filters.FilterSet):
    member = IdFilter(label=_("Member (id)"), field_name="member_id")

    class Meta:
        model = LeaveOfAbsence
        fields = ["member"]


@extend_schema_view(
    create=extend_schema(
        request=LeaveOfAbsenceInputSerializer,
        responses={201: LeaveSerializer, 400: FIELD_ERRORS},
    )
)
class LeaveViewSet(
    OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Leaves of absence: the sessions in the range count as excused. Guardians set and
    end their children's, staff anyone's."""

    queryset = LeaveOfAbsence.objects.none()
    serializer_class = LeaveSerializer
    filterset_class = LeaveFilter
    # Guardians and staff set and end leaves (the service checks whose child).
    policies = {
        "read": SEE_LEAVES,
        "create": ACT_FOR_A_MEMBER,
        "end": SEE_LEAVES,
        "write": MANAGE_ORCHESTRA,
    }

    def get_queryset(self):
        leaves = self.reachable(LeaveOfAbsence.objects.all())
        return leaves.order_by("member_id", "starts_on", "pk")

    def create(self, request, *args, **kwargs):
        data = LeaveOfAbsenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        leave = services.set_leave(**data.validated_data, by=request.user)
        return Response(LeaveSerializer(leave).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EndLeaveInputSerializer,
        responses={200: LeaveSerializer, 204: None, 400: FIELD_ERRORS},
        summary=_("End a leave early"),
        description=_("A leave that has not begun by then is removed (answer 204)."),
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        data = EndLeaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        leave = services.end_leave(leave=self.get_object(), by=request.user, **data.validated_data)
        if leave is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(LeaveSerializer(leave).data)


class MemberCardSerializer(serializers.ModelSerializer):
    """A member's QR card for a season: ``code`` is what the QR code holds."""

    code = serializers.CharField(source="ticket.secret", read_only=True)
    valid = serializers.SerializerMethodField()

    class Meta:
        model = MemberCard
        fields = ["id", "member", "season", "code", "valid", "issued_at"]
        read_only_fields = fields

    def get_valid(self, card) -> bool:
        return not card.ticket.is_cancelled


@extend_schema_view(
    list=extend_schema(summary=_("Member cards")),
    retrieve=extend_schema(summary=_("A member card")),
)
class MemberCardViewSet(OrchestraViewSet, viewsets.ReadOnlyModelViewSet):
    """The member cards a user may print: staff all, guardians their children's, a member
    with their own login their own. Cards are issued on the member-card page."""

    policies = {"read": SEE_MEMBER_RECORD, "write": MANAGE_MEMBERS}
    serializer_class = MemberCardSerializer
    queryset = MemberCard.objects.none()
    filterset_fields = ["member", "season"]

    def get_queryset(self):
        cards = self.reachable(MemberCard.objects.all())
        return cards.select_related("ticket").order_by("season", "member", "pk")


def register(router):
    """Register this module's routes."""
    router.register("session-plans", SessionPlanViewSet, basename="session-plan")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("leaves", LeaveViewSet, basename="leave")
    router.register("member-cards", MemberCardViewSet, basename="member-card")
