"""API of Kunst rett vest: the jury's reviews and conflicts of interest.

A juror reads and writes only their own reviews, of calls they judge, during the review
phase, never of an application they are in conflict with; staff read every review once
the call's review phase has ended. Conflicts: staff read all and mark them; a juror reads
their own and declares one (recuses). Writes go through artists.services.jury, like the
pages. Applicants reach none of this, so jurors' identities never reach them.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from artists.api.base import ArtistsViewSet
from artists.models import Application, Conflict, Review, Score
from artists.policies import JURY, MANAGE_JURY, SEE_CONFLICTS, SEE_REVIEWS, WRITE_REVIEWS
from artists.selectors import jury as selectors
from artists.services import jury as services
from core.api import FIELD_ERRORS, ErrorSerializer
from events.filters import IdFilter

# Reviews --------------------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    """A score for one criterion, on the criterion's scale."""

    class Meta:
        model = Score
        fields = ["criterion", "value"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    """A review: its scores, the comment and the weighted score from 0 to 100."""

    call = serializers.IntegerField(source="application.call_id", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)
    weighted_score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
        help_text=_("From 0 to 100 when every criterion is scored; else null."),
    )
    counts = serializers.SerializerMethodField(
        help_text=_(
            "Whether the review counts in the ranking: complete, and its juror has no "
            "conflict of interest with the application. A review written before its juror "
            "declared a conflict is kept but does not count."
        )
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "call",
            "application",
            "juror",
            "scores",
            "comment",
            "comment_shareable",
            "weighted_score",
            "is_complete",
            "counts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_counts(self, review) -> bool:
        return review.is_complete and not review.conflicted


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(help_text=_("The id of one of the call's criteria."))
    value = serializers.IntegerField(
        allow_null=True, help_text=_("A value on the criterion's scale; null clears the score.")
    )


class ReviewChangeSerializer(serializers.Serializer):
    """What a juror changes: scores given are set (null clears one), others are kept."""

    scores = ScoreInputSerializer(many=True, required=False, default=list)
    comment = serializers.CharField(allow_blank=True, max_length=4000, required=False, default=None)
    comment_shareable = serializers.BooleanField(required=False, default=None, allow_null=True)

    def validate_scores(self, scores):
        criteria = [score["criterion"] for score in scores]
        if len(set(criteria)) != len(criteria):
            raise serializers.ValidationError(_("Give each criterion once."))
        return scores


class ReviewInputSerializer(ReviewChangeSerializer):
    """A juror's review of an application: created, or their existing one updated."""

    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())


class ReviewFilter(django_filters.FilterSet):
    call = IdFilter(field_name="application__call_id")
    application = IdFilter(field_name="application_id")
    is_complete = django_filters.BooleanFilter()

    class Meta:
        model = Review
        fields = ["call", "application", "is_complete"]


@extend_schema_view(
    list=extend_schema(summary=_("Reviews: a juror's own; all for staff after the review phase")),
    retrieve=extend_schema(summary=_("A review")),
)
class ReviewViewSet(ArtistsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Reviews of applications by the jury."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    queryset = Review.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]
    policies = {"read": SEE_REVIEWS, "write": WRITE_REVIEWS}

    def get_queryset(self):
        return (
            self.reachable(Review.objects.all())
            .select_related("application")
            .annotate(conflicted=selectors.in_conflict())
            .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("criterion_id")))
            .order_by("application_id", "pk")
        )

    def _save(self, application, data):
        return services.save_review(
            application=application,
            juror=self.request.user,
            scores={score["criterion"]: score["value"] for score in data["scores"]},
            comment=data["comment"],
            comment_shareable=data["comment_shareable"],
        )

    def _output(self, review, code):
        review = self.get_queryset().get(pk=review.pk)
        return Response(self.get_serializer(review).data, status=code)

    @extend_schema(
        request=ReviewInputSerializer,
        responses={
            200: ReviewSerializer,
            201: ReviewSerializer,
            400: FIELD_ERRORS,
            403: ErrorSerializer,
        },
        summary=_("Score an application (201), or change your review of it (200)"),
        description=_(
            "A juror has one review per application: posting again changes it. Only during "
            "the review phase, for submitted applications of calls you judge, without a "
            "conflict of interest."
        ),
    )
    def create(self, request, *args, **kwargs):
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = data.validated_data["application"]
        existed = Review.objects.filter(application=application, juror=request.user).exists()
        review = self._save(application, data.validated_data)
        return self._output(review, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        request=ReviewChangeSerializer,
        responses={200: ReviewSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Change your review"),
    )
    def partial_update(self, request, *args, **kwargs):
        review = self.get_object()
        data = ReviewChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._output(self._save(review.application, data.validated_data), 200)


# Conflicts of interest --------------------------------------------------------------------


class ConflictSerializer(serializers.ModelSerializer):
    """A juror's conflict of interest with an application: they never see it."""

    call = serializers.IntegerField(source="application.call_id", read_only=True)

    class Meta:
        model = Conflict
        fields = ["id", "call", "application", "juror", "reason", "source", "created_at"]
        read_only_fields = fields


class ConflictInputSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())
    juror = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Staff: the juror in conflict. Leave out to declare your own conflict."),
    )
    reason = serializers.CharField(max_length=2000)


class ConflictFilter(django_filters.FilterSet):
    call = IdFilter(field_name="application__call_id")
    application = IdFilter(field_name="application_id")
    juror = IdFilter(field_name="juror_id")

    class Meta:
        model = Conflict
        fields = ["call", "application", "juror"]


@extend_schema_view(
    list=extend_schema(summary=_("Conflicts of interest: all for staff, a juror's own")),
    retrieve=extend_schema(summary=_("A conflict of interest")),
)
class ConflictViewSet(ArtistsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Conflicts of interest between jurors and applications."""

    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter
    queryset = Conflict.objects.none()
    http_method_names = ["get", "post", "head", "options"]
    # A juror declares their own conflict; staff also mark another juror's (MANAGE_JURY).
    policies = {"read": SEE_CONFLICTS, "write": JURY}

    def get_queryset(self):
        return (
            self.reachable(Conflict.objects.all())
            .select_related("application")
            .order_by("application_id", "juror_id", "pk")
        )

    @extend_schema(
        request=ConflictInputSerializer,
        responses={201: ConflictSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Declare your conflict of interest (juror), or mark a juror's (staff)"),
    )
    def create(self, request, *args, **kwargs):
        data = ConflictInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        juror = values["juror"]
        if juror is None or juror == request.user:
            conflict = services.recuse(
                application=values["application"], juror=request.user, reason=values["reason"]
            )
        elif MANAGE_JURY.allows(request.user):
            conflict = services.mark_conflict(
                application=values["application"],
                juror=juror,
                reason=values["reason"],
                by=request.user,
            )
        else:
            raise PermissionDenied(_("Only staff mark conflicts of interest for other jurors."))
        conflict = self.get_queryset().get(pk=conflict.pk)
        return Response(self.get_serializer(conflict).data, status=status.HTTP_201_CREATED)


def register(router):
    """Register this module's routes."""
    router.register("reviews", ReviewViewSet, basename="review")
    router.register("conflicts", ConflictViewSet, basename="conflict")
