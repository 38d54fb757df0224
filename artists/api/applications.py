"""API of Kunst rett vest: calls, applications and decisions.

Anyone reads the calls. An artist reads and writes their own applications through the
same services as the pages; staff read all of them and make the decisions. Jurors'
identities never appear here.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from artists.api.base import ArtistsViewSet
from artists.models import (
    Application,
    ApplicationImage,
    ArtistImage,
    Call,
    Criterion,
    Decision,
    ReviewPhase,
)
from artists.policies import (
    APPLY,
    DECIDE_ON_APPLICATIONS,
    MANAGE_CALLS,
    OWN_APPLICATION,
    SEE_APPLICATIONS,
)
from artists.selectors.profiles import artist_of
from artists.services import applications as application_services
from artists.services import decisions as decision_services
from core.api import (
    FIELD_ERRORS,
    ErrorSerializer,
    FullCleanModelSerializer,
    documented_writes,
)
from core.policies import PUBLIC
from events.api import EventsCoreViewSet
from events.filters import IdFilter

# Calls ----------------------------------------------------------------------------------


class ReviewPhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewPhase
        fields = ["kind", "starts_at", "ends_at", "names_visible", "other_scores"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name_nb", "name_en", "weight", "scale", "lowest", "highest"]
        read_only_fields = fields


class CallSerializer(FullCleanModelSerializer):
    """A call for applications to an edition, with its phases and criteria."""

    phases = ReviewPhaseSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta(FullCleanModelSerializer.Meta):
        model = Call
        fields = [
            "id",
            "period",
            "opens_at",
            "closes_at",
            "is_open",
            "introduction_nb",
            "introduction_en",
            "eligible_municipalities",
            "requires_professional",
            "min_images",
            "max_images",
            "invitation_only",
            "feedback_to_applicants",
            "phases",
            "criteria",
        ]

    def get_is_open(self, call) -> bool:
        return call.is_open()


@documented_writes(input_serializer=CallSerializer, output_serializer=CallSerializer)
class CallViewSet(EventsCoreViewSet):
    """Calls for applications. Anyone reads them; project leaders change them."""

    policies = {"read": PUBLIC, "write": MANAGE_CALLS}

    queryset = (
        Call.objects.select_related("period")
        .prefetch_related("phases", "criteria", "eligible_municipalities")
        .order_by("-opens_at", "pk")
    )
    serializer_class = CallSerializer


# Applications ---------------------------------------------------------------------------


class DecisionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["outcome", "released_at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    """An application with its chosen images (ids of the artist's work images, in order)."""

    images = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "artist",
            "state",
            "statement",
            "cv",
            "previous_exhibitions",
            "images",
            "created_at",
            "updated_at",
            "submitted_at",
            "withdrawn_at",
            "decision",
        ]
        read_only_fields = fields

    def get_images(self, application) -> list[int]:
        return [link.image_id for link in application.image_links.all()]

    @extend_schema_field(DecisionSummarySerializer(allow_null=True))
    def get_decision(self, application) -> dict | None:
        decision = getattr(application, "decision", None)
        if decision is None:
            return None
        if not decision.is_released and not DECIDE_ON_APPLICATIONS.admits(
            self.context["request"].user
        ):
            return None
        return DecisionSummarySerializer(decision).data


class ApplicationInputSerializer(serializers.Serializer):
    """What an artist sends: the texts and the ids of their work images, in order."""

    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())
    statement = serializers.CharField(allow_blank=True, max_length=4000, default="")
    cv = serializers.CharField(allow_blank=True, max_length=6000, default="")
    previous_exhibitions = serializers.CharField(allow_blank=True, max_length=6000, default="")
    images = serializers.PrimaryKeyRelatedField(
        queryset=ArtistImage.objects.all(), many=True, default=list
    )


class ApplicationFilter(django_filters.FilterSet):
    call = IdFilter(field_name="call_id")
    state = django_filters.ChoiceFilter(choices=Application.State.choices)

    class Meta:
        model = Application
        fields = ["call", "state"]


@extend_schema(responses={200: ApplicationSerializer, 400: FIELD_ERRORS})
class ApplicationViewSet(
    ArtistsViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Applications: an artist's own, or all for staff. Only artists apply, to their own;
    staff read them. Writes go through the services."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    queryset = Application.objects.none()
    http_method_names = ["get", "post", "put", "head", "options"]
    policies = {"read": SEE_APPLICATIONS, "create": APPLY, "write": OWN_APPLICATION}

    def get_queryset(self):
        applications = Application.objects.select_related("decision").prefetch_related(
            Prefetch("image_links", queryset=ApplicationImage.objects.order_by("position", "pk"))
        )
        return self.reachable(applications).order_by("call", "pk")

    def _save(self, application, values):
        return application_services.update_application(
            application=application,
            statement=values["statement"],
            cv=values["cv"],
            previous_exhibitions=values["previous_exhibitions"],
            images=values["images"],
            by=self.request.user,
        )

    def _output(self, application, code=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data, status=code)

    @extend_schema(
        request=ApplicationInputSerializer,
        responses={201: ApplicationSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Start or continue the application to a call (a draft)"),
    )
    def create(self, request, *args, **kwargs):
        artist = artist_of(request.user)  # APPLY: the login has an artist profile
        data = ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_services.start_application(
            call=data.validated_data["call"], artist=artist, by=request.user
        )
        return self._output(self._save(application, data.validated_data), status.HTTP_201_CREATED)

    @extend_schema(
        request=ApplicationInputSerializer,
        responses={200: ApplicationSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
    )
    def update(self, request, *args, **kwargs):
        application = self.get_object()
        data = ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._output(self._save(application, data.validated_data))

    @extend_schema(request=None, summary=_("Submit the application"))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        return self._output(
            application_services.submit_application(application=application, by=request.user)
        )

    @extend_schema(request=None, summary=_("Withdraw the application"))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        return self._output(
            application_services.withdraw_application(application=application, by=request.user)
        )


# Decisions ------------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    """A decision with its history, for staff."""

    history = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "application", "outcome", "released_at", "updated_at", "history"]
        read_only_fields = fields

    def get_history(self, decision) -> list[dict]:
        return [
            {
                "from": change.from_outcome or None,
                "to": change.to_outcome,
                "note": change.note,
                "at": change.changed_at,
            }
            for change in decision.history.all()
        ]


class DecisionInputSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReleaseInputSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())


class DecisionFilter(django_filters.FilterSet):
    call = IdFilter(field_name="application__call_id")
    outcome = django_filters.ChoiceFilter(choices=Decision.Outcome.choices)
    pending = django_filters.BooleanFilter(field_name="released_at", lookup_expr="isnull")

    class Meta:
        model = Decision
        fields = ["call", "outcome", "pending"]


class DecisionViewSet(EventsCoreViewSet):
    """Decisions, for staff: set one (pending until released), release a call's."""

    policy = DECIDE_ON_APPLICATIONS
    queryset = Decision.objects.prefetch_related("history").order_by("application", "pk")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        request=DecisionInputSerializer,
        responses={201: DecisionSerializer, 400: FIELD_ERRORS},
        summary=_("Record or change a decision (pending until released)"),
    )
    def create(self, request, *args, **kwargs):
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = decision_services.set_decision(by=request.user, **data.validated_data)
        return Response(self.output(decision), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReleaseInputSerializer,
        responses={200: DecisionSerializer(many=True), 400: FIELD_ERRORS},
        summary=_("Release a call's pending decisions and write their letters"),
    )
    @action(detail=False, methods=["post"])
    def release(self, request):
        data = ReleaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        letters = decision_services.release_decisions(
            call=data.validated_data["call"], by=request.user
        )
        released = self.get_queryset().filter(
            application__in=[letter.application_id for letter in letters]
        )
        return Response(self.serializer_class(released, many=True).data)


def register(router):
    """Register this module's routes."""
    router.register("calls", CallViewSet, basename="call")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("decisions", DecisionViewSet, basename="decision")
