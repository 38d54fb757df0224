"""Orchestra API: the public registration of a child (or a request for a trial weekend).

Anyone may register, without a login; the answer names no child and no member id, only
what was created (status, season) and the group suggested by age. Rate limiting is
issue 7.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import FIELD_ERRORS, ErrorSerializer
from core.ratelimit import OrchestraRegistrationThrottle
from events.models import Municipality, Period
from orchestra.models import ConsentText, Group, Guardianship, Instrument, Member, StatusChange
from orchestra.policies import REGISTER_CHILD
from orchestra.selectors.registration import (
    REQUIRED_CONSENTS,
    registration_consent_texts,
    registration_seasons,
)
from orchestra.services.members import PlayedInstrument
from orchestra.services.registration import GuardianDetails, register_child


class MemberRegistrationInstrumentSerializer(serializers.Serializer):
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.all())
    is_main = serializers.BooleanField(default=False)
    years_played = serializers.IntegerField(
        min_value=0, max_value=20, allow_null=True, required=False
    )


class MemberRegistrationGuardianSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=30)
    relation = serializers.ChoiceField(choices=Guardianship.Relation.choices)


class MemberRegistrationInputSerializer(serializers.Serializer):
    """A child registered by a guardian; see /member-registrations/options/ for the choices."""

    season = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.all(), help_text=_("A season open for registration, by id.")
    )
    trial = serializers.BooleanField(
        default=False, help_text=_("Ask for a trial weekend instead of membership.")
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), help_text=_("A municipality valid today, by id.")
    )
    instruments = MemberRegistrationInstrumentSerializer(
        many=True, help_text=_("The first is the main one unless one is marked.")
    )
    origin = serializers.ChoiceField(
        choices=Member.Origin.choices, default=Member.Origin.MUSIC_SCHOOL
    )
    origin_name = serializers.CharField(max_length=200, allow_blank=True, default="")
    guardians = MemberRegistrationGuardianSerializer(
        many=True, help_text=_("One or two guardians.")
    )
    consents = serializers.PrimaryKeyRelatedField(
        queryset=ConsentText.objects.filter(published_at__isnull=False),
        many=True,
        help_text=_(
            "The consent texts the first guardian accepts, by id: the newest published "
            "versions; the membership consent is required."
        ),
    )


class MemberRegistrationGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name", "min_age", "max_age"]
        read_only_fields = fields


class MemberRegistrationResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[StatusChange.Status.APPLICANT, StatusChange.Status.TRIAL]
    )
    season = serializers.IntegerField()
    suggested_group = MemberRegistrationGroupSerializer(allow_null=True)
    guardians_emailed = serializers.ListField(child=serializers.EmailField())


class MemberRegistrationOptionGroupSerializer(MemberRegistrationGroupSerializer):
    pass


class MemberRegistrationOptionSeasonSerializer(serializers.ModelSerializer):
    groups = MemberRegistrationOptionGroupSerializer(
        source="orchestra_groups", many=True, read_only=True
    )
    youngest = serializers.SerializerMethodField()
    oldest = serializers.SerializerMethodField()

    class Meta:
        model = Period
        fields = ["id", "name", "start", "end", "youngest", "oldest", "groups"]
        read_only_fields = fields

    def get_youngest(self, season) -> int | None:
        return min((group.min_age for group in season.orchestra_groups.all()), default=None)

    def get_oldest(self, season) -> int | None:
        return max((group.max_age for group in season.orchestra_groups.all()), default=None)


class MemberRegistrationOptionConsentSerializer(serializers.ModelSerializer):
    required = serializers.SerializerMethodField()

    class Meta:
        model = ConsentText
        fields = ["id", "kind", "version", "text_nb", "text_en", "required"]
        read_only_fields = fields

    def get_required(self, text) -> bool:
        return text.kind in REQUIRED_CONSENTS


class MemberRegistrationOptionsSerializer(serializers.Serializer):
    seasons = MemberRegistrationOptionSeasonSerializer(many=True)
    consent_texts = MemberRegistrationOptionConsentSerializer(many=True)


class MemberRegistrationViewSet(viewsets.GenericViewSet):
    """Register a child for the orchestra, or ask for a trial weekend. Public."""

    policy = REGISTER_CHILD
    throttle_classes = [OrchestraRegistrationThrottle]
    serializer_class = MemberRegistrationInputSerializer
    queryset = Member.objects.none()

    @extend_schema(
        request=MemberRegistrationInputSerializer,
        responses={
            201: MemberRegistrationResultSerializer,
            400: FIELD_ERRORS,
            429: ErrorSerializer,
        },
        summary=_("Register a child (or ask for a trial weekend)"),
        description=_(
            "The child's age at the season's start must lie within the ages of the "
            "season's groups. Creates an applicant (or a trial request) with the guardians "
            "(one already known by email is linked) and the consents, and emails the "
            "guardians. Nothing is saved when an error is returned."
        ),
    )
    def create(self, request):
        data = MemberRegistrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = register_child(
            season=values["season"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            birth_date=values["birth_date"],
            municipality=values["municipality"],
            instruments=[
                PlayedInstrument(item["instrument"], item["is_main"], item.get("years_played"))
                for item in values["instruments"]
            ],
            guardians=[GuardianDetails(**item) for item in values["guardians"]],
            consents=values["consents"],
            origin=values["origin"],
            origin_name=values["origin_name"],
            trial=values["trial"],
            by=request.user,
            language=translation.get_language() or "nb",
        )
        body = {
            "status": StatusChange.Status.TRIAL if values["trial"] else "applicant",
            "season": values["season"].pk,
            "suggested_group": (
                MemberRegistrationGroupSerializer(result.suggested_group).data
                if result.suggested_group
                else None
            ),
            "guardians_emailed": [guardian.email for guardian in result.guardians],
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: MemberRegistrationOptionsSerializer},
        summary=_("The seasons open for registration and the consents to accept"),
    )
    @action(detail=False, methods=["get"])
    def options(self, request, **kwargs):
        seasons = registration_seasons().prefetch_related("orchestra_groups")
        return Response(
            MemberRegistrationOptionsSerializer(
                {"seasons": seasons, "consent_texts": registration_consent_texts()}
            ).data
        )


def register(router):
    """Register this module's routes."""
    router.register(
        "member-registrations", MemberRegistrationViewSet, basename="member-registration"
    )
