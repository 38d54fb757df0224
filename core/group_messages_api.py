"""Messages to groups in the API (core.group_messages): write a draft, preview it, send it
now or schedule it, read who got it. Staff only, as the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import audiences, group_messages
from core.models import GroupMessage, GroupMessageRecipient
from core.policies import GROUP_MESSAGES


class GroupMessageSerializer(serializers.ModelSerializer):
    recipient_count = serializers.IntegerField(read_only=True)
    failed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GroupMessage
        fields = [
            "id",
            "sender",
            "reply_to",
            "audience",
            "audience_params",
            "audience_label",
            "category",
            "subject_nb",
            "text_nb",
            "subject_en",
            "text_en",
            "sms_text",
            "status",
            "scheduled_at",
            "sent_at",
            "created_at",
            "recipient_count",
            "failed_count",
        ]
        read_only_fields = fields


class GroupMessageWriteSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(choices=())
    audience_params = serializers.DictField(child=serializers.CharField(), required=False)
    category = serializers.ChoiceField(
        choices=GroupMessage.Category.choices, default=GroupMessage.Category.GROUP_MESSAGE
    )
    subject_nb = serializers.CharField(max_length=200)
    text_nb = serializers.CharField(max_length=10000)
    subject_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    text_en = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    sms_text = serializers.CharField(max_length=320, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [(a.key, a.label) for a in audiences.audiences()]


class ScheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField()


class LanguagePreviewSerializer(serializers.Serializer):
    language = serializers.CharField()
    recipients = serializers.IntegerField()
    subject = serializers.CharField()
    text = serializers.CharField()


class PreviewSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    muted = serializers.IntegerField()
    previews = LanguagePreviewSerializer(many=True)


class RecipientSerializer(serializers.ModelSerializer):
    # Empty: sent; else why not ("muted", "no_address").
    skipped = serializers.CharField()
    email_status = serializers.CharField(source="email_message.status", default="")
    email_error = serializers.CharField(source="email_message.last_error", default="")
    sms_status = serializers.CharField(source="sms_message.status", default="")
    sms_error = serializers.CharField(source="sms_message.last_error", default="")

    class Meta:
        model = GroupMessageRecipient
        fields = [
            "id",
            "label",
            "role",
            "email",
            "mobile",
            "language",
            "skipped",
            "email_status",
            "email_error",
            "sms_status",
            "sms_error",
        ]
        read_only_fields = fields


class SendResultSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    message = GroupMessageSerializer()


class GroupMessageViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Messages to groups, newest first, with their counts of recipients and failed
    deliveries. Staff only. Create makes a draft; ``preview``, ``send``, ``schedule`` and
    ``recipients`` act on one."""

    policy = GROUP_MESSAGES
    serializer_class = GroupMessageSerializer

    def get_queryset(self):
        return group_messages.group_messages()

    def get_serializer_class(self):
        if self.action == "create":
            return GroupMessageWriteSerializer
        return super().get_serializer_class()

    def _answer(self, message, status=200):
        message = self.get_queryset().get(pk=message.pk)
        return Response(GroupMessageSerializer(message).data, status=status)

    @extend_schema(request=GroupMessageWriteSerializer, responses={201: GroupMessageSerializer})
    def create(self, request, *args, **kwargs):
        serializer = GroupMessageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # A Django ValidationError (an audience's choices) is a 400 with field errors
        # (core.api.exception_handler).
        message = group_messages.save_draft(
            by=request.user,
            audience=data.pop("audience"),
            audience_params=data.pop("audience_params", {}),
            **data,
        )
        return self._answer(message, status=201)

    @extend_schema(request=None, responses=PreviewSerializer, summary=_("Preview a message"))
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None, **kwargs):
        result = group_messages.preview(self.get_object())
        return Response(PreviewSerializer(result).data)

    @extend_schema(request=None, responses=SendResultSerializer, summary=_("Send a message now"))
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None, **kwargs):
        message = self.get_object()
        queued = group_messages.send_message(message, by=request.user)
        message = self.get_queryset().get(pk=message.pk)
        return Response({"queued": queued, "message": GroupMessageSerializer(message).data})

    @extend_schema(
        request=ScheduleSerializer,
        responses=GroupMessageSerializer,
        summary=_("Schedule a message"),
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None, **kwargs):
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = group_messages.schedule_message(
            self.get_object(), by=request.user, at=serializer.validated_data["scheduled_at"]
        )
        return self._answer(message)

    @extend_schema(
        request=None,
        responses=RecipientSerializer(many=True),
        summary=_("Who got a message"),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def recipients(self, request, pk=None, **kwargs):
        rows = group_messages.report_rows(self.get_object())
        return Response(RecipientSerializer(rows, many=True).data)


class AudienceParamSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class AudienceSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    params = AudienceParamSerializer(many=True)


class AudienceViewSet(viewsets.ViewSet):
    """The audiences a message to a group can have, with the parameters each needs
    (their choices are on the compose page). Staff only."""

    policy = GROUP_MESSAGES

    @extend_schema(responses=AudienceSerializer(many=True))
    def list(self, request, format=None):  # noqa: A002 -- the router's suffix
        return Response(AudienceSerializer(audiences.audiences(), many=True).data)


def register(router):
    router.register("group-messages", GroupMessageViewSet, basename="group-message")
    router.register("message-audiences", AudienceViewSet, basename="message-audience")
