"""The REST API of ticketing: offers, registrations, tickets, check-in lists, scans, redeem.

Project leaders manage everything; venue hosts read the check-in lists of the events they
host and redeem tickets there; anyone reads the public offers.
"""

import django_filters
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core import questions
from core.api import (
    FIELD_ERRORS,
    ErrorSerializer,
    FullCleanModelSerializer,
    absolute_url,
    documented_writes,
)
from core.question_api import AnswerSerializer, LogsHealthAnswersMixin
from core.ratelimit import RedeemThrottle
from events.api import EventsCoreViewSet
from events.filters import IdFilter
from events.models import Event
from ticketing import selectors, services
from ticketing.exceptions import AlreadyRegistered, CapacityError
from ticketing.models import (
    CapacityPool,
    Checkin,
    CheckinList,
    Offer,
    PaymentAttempt,
    Registration,
    Ticket,
)
from ticketing.policies import MANAGE_TICKETING, SCAN_AT_LIST, SCANNER_START, SEE_OFFER

# Offers and pools ---------------------------------------------------------------------


class CapacityPoolSerializer(FullCleanModelSerializer):
    """Places that offers share; size null is unlimited. places_left counts held places."""

    places_left = serializers.SerializerMethodField()

    class Meta(FullCleanModelSerializer.Meta):
        model = CapacityPool
        fields = ["id", "event", "name", "size", "places_left"]

    @extend_schema_field({"type": ["integer", "null"], "readOnly": True})
    def get_places_left(self, pool) -> int | None:
        left = self.context.get("places_left")
        if left is None:
            left = selectors.places_left([pool])
        return left.get(pool.pk)


class OfferSerializer(FullCleanModelSerializer):
    """A kind of ticket to an event; price in NOK."""

    class Meta(FullCleanModelSerializer.Meta):
        model = Offer
        fields = [
            "id",
            "event",
            "name_nb",
            "name_en",
            "description_nb",
            "description_en",
            "price",
            "pool",
            "sales_start",
            "sales_end",
            "valid_from",
            "valid_until",
            "requires_approval",
            "max_per_registration",
            "is_public",
            "position",
        ]
        extra_kwargs = {"price": {"coerce_to_string": True}}


class PageFiguresMixin:
    """Counts what the rows of a page show in a few queries for the whole page.

    A view names ``page_figures = (context key, selector)``; the selector takes the
    page's rows and returns a dict by pk, which serializers read from their context.
    """

    page_figures: tuple[str, object] | None = None

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.page_figures and getattr(self, "_page", None) is not None:
            key, selector = self.page_figures
            context[key] = selector(self._page)
        return context

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset)
        return self._page


@documented_writes(
    input_serializer=CapacityPoolSerializer, output_serializer=CapacityPoolSerializer
)
class CapacityPoolViewSet(PageFiguresMixin, EventsCoreViewSet):
    """Capacity pools of events. Project leaders only."""

    policy = MANAGE_TICKETING
    queryset = CapacityPool.objects.order_by("event", "name", "pk")
    page_figures = ("places_left", selectors.places_left)
    serializer_class = CapacityPoolSerializer
    filterset_fields = ["event"]


class OfferFilter(django_filters.FilterSet):
    event = IdFilter(field_name="event_id")

    class Meta:
        model = Offer
        fields = ["event"]


@documented_writes(input_serializer=OfferSerializer, output_serializer=OfferSerializer)
class OfferViewSet(EventsCoreViewSet):
    """Offers (ticket types). Anyone reads the public offers of public events."""

    policies = {"read": SEE_OFFER, "write": MANAGE_TICKETING}
    queryset = Offer.objects.none()
    serializer_class = OfferSerializer
    filterset_class = OfferFilter

    def get_queryset(self):
        return SEE_OFFER.filter(
            self.request.user, Offer.objects.order_by("event", "position", "pk")
        )


# Registrations and tickets ---------------------------------------------------------------


class TicketSerializer(serializers.ModelSerializer):
    """A ticket, with its secret and the addresses of its page and QR code (staff only)."""

    url = serializers.SerializerMethodField()
    qr_png_url = serializers.SerializerMethodField()
    qr_svg_url = serializers.SerializerMethodField()
    registration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    event = serializers.IntegerField(source="offer.event_id", read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "registration",
            "event",
            "offer",
            "attendee_name",
            "attendee_is_child",
            "secret",
            "price",
            "cancelled_at",
            "created_at",
            "url",
            "qr_png_url",
            "qr_svg_url",
        ]
        read_only_fields = fields
        extra_kwargs = {"price": {"coerce_to_string": True}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, ticket) -> str:
        return absolute_url(self.context, ticket.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_qr_png_url(self, ticket) -> str:
        return absolute_url(self.context, reverse("ticketing:ticket_qr_png", args=[ticket.secret]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_qr_svg_url(self, ticket) -> str:
        return absolute_url(self.context, reverse("ticketing:ticket_qr_svg", args=[ticket.secret]))


class RegistrationSerializer(serializers.ModelSerializer):
    """A registration with its tickets; states and payment as in the model."""

    tickets = TicketSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    manage_url = serializers.SerializerMethodField()
    likely_duplicate = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Not cancelled, and another registration for the event, not cancelled, has the "
            "same email or the same name."
        ),
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "code",
            "event",
            "name",
            "email",
            "phone",
            "language",
            "state",
            "payment_state",
            "needs_approval",
            "approved_at",
            "total",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "waitlist_offer_expires_at",
            "comment",
            "manage_url",
            "likely_duplicate",
            "tickets",
            "answers",
        ]
        read_only_fields = fields
        extra_kwargs = {"total": {"coerce_to_string": True}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_manage_url(self, registration) -> str:
        return absolute_url(self.context, registration.get_absolute_url())


class TicketInputSerializer(serializers.Serializer):
    offer = serializers.PrimaryKeyRelatedField(queryset=Offer.objects.all())
    attendee_name = serializers.CharField(max_length=200)
    attendee_is_child = serializers.BooleanField(default=False)


class RegistrationInputSerializer(serializers.Serializer):
    """A registration made by staff: outside the sales window and for offers not public."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all())
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=["nb", "en"], default="nb")
    tickets = TicketInputSerializer(many=True, allow_empty=False)
    join_waitlist = serializers.BooleanField(
        default=False,
        help_text=_(
            "When there are not enough places: true puts the registration on the waitlist "
            "(all tickets or none), false refuses it. The page's waitlist button sends true."
        ),
    )
    confirm_another = serializers.BooleanField(
        default=False,
        help_text=_(
            "The email has a registration for the event that is not cancelled: false answers "
            "409, true registers another one."
        ),
    )


class PaymentInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, help_text=_("Default: the amount owed.")
    )
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    provider = serializers.ChoiceField(
        choices=["manual", "bank", "door"],
        default="manual",
        help_text=_("How it was paid: bank transfer, at the door, or otherwise by hand."),
    )


class RegistrationFilter(django_filters.FilterSet):
    event = IdFilter(field_name="event_id")
    state = django_filters.ChoiceFilter(choices=Registration.State.choices)
    payment_state = django_filters.ChoiceFilter(choices=Registration.Payment.choices)
    likely_duplicate = django_filters.BooleanFilter(field_name="likely_duplicate")

    class Meta:
        model = Registration
        fields = ["event", "state", "payment_state", "likely_duplicate"]


@extend_schema(responses={200: RegistrationSerializer, 400: FIELD_ERRORS})
class RegistrationViewSet(LogsHealthAnswersMixin, EventsCoreViewSet):
    """Registrations, for project leaders: filter by event, state and payment state."""

    policy = MANAGE_TICKETING
    queryset = Registration.objects.prefetch_related(
        Prefetch("tickets", queryset=Ticket.objects.select_related("offer", "registration")),
        questions.answers_prefetch(),
    ).order_by("created_at", "pk")
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.with_likely_duplicates(super().get_queryset())

    @extend_schema(
        request=RegistrationInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_(
                    "Up to 64 characters, new for each registration meant. A request with the "
                    "key of an earlier registration for the event registers nothing and "
                    "answers with that registration (and Idempotent-Replayed: true)."
                ),
            )
        ],
        responses={
            201: RegistrationSerializer,
            400: FIELD_ERRORS,
            409: OpenApiResponse(
                response=ErrorSerializer,
                description=_(
                    "The email has a registration for the event that is not cancelled (the "
                    "message also under email): send confirm_another true to register "
                    "another one."
                ),
            ),
        },
        summary=_("Register for an event"),
    )
    def create(self, request, *args, **kwargs):
        data = RegistrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        form_key = request.headers.get("Idempotency-Key", "").strip()
        if len(form_key) > Registration._meta.get_field("form_key").max_length:
            return Response(
                {"detail": _("The Idempotency-Key is longer than 64 characters.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            registration = services.register(
                event=values["event"],
                tickets=[services.TicketRequest(**ticket) for ticket in values["tickets"]],
                name=values["name"],
                email=values["email"],
                phone=values["phone"],
                language=values["language"],
                join_waitlist=values["join_waitlist"],
                staff=True,
                by=request.user,
                form_key=form_key,
                check_same_email=not values["confirm_another"],
            )
        except AlreadyRegistered as exc:
            return Response(
                {"detail": str(exc), "email": [str(exc)]}, status=status.HTTP_409_CONFLICT
            )
        except CapacityError as exc:
            return Response(
                {"detail": str(exc), "places_left": exc.places_left},
                status=status.HTTP_400_BAD_REQUEST,
            )
        response = Response(self.output(registration), status=status.HTTP_201_CREATED)
        if getattr(registration, "replayed", False):
            response["Idempotent-Replayed"] = "true"
        return response

    def _act(self, service, **kwargs):
        registration = service(registration=self.get_object(), by=self.request.user, **kwargs)
        return Response(self.output(registration))

    @extend_schema(request=None, summary=_("Approve a registration"))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(services.approve_registration)

    @extend_schema(request=None, summary=_("Cancel a registration and its tickets"))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(services.cancel_registration)

    @extend_schema(request=PaymentInputSerializer, summary=_("Mark a registration paid"))
    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(services.record_payment, **data.validated_data)

    @extend_schema(request=PaymentInputSerializer, summary=_("Mark a registration refunded"))
    @action(detail=True, methods=["post"], url_path="mark-refunded")
    def mark_refunded(self, request, pk=None):
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(
            services.record_refund,
            reference=data.validated_data["reference"],
            provider=data.validated_data["provider"],
        )


class TicketFilter(django_filters.FilterSet):
    event = IdFilter(field_name="offer__event_id")
    registration = django_filters.CharFilter(field_name="registration__code")

    class Meta:
        model = Ticket
        fields = ["event", "registration"]


class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    """Tickets with their secrets, for project leaders."""

    policy = MANAGE_TICKETING
    queryset = Ticket.objects.select_related("registration", "offer").order_by("pk")
    serializer_class = TicketSerializer
    filterset_class = TicketFilter


class PaymentAttemptSerializer(serializers.ModelSerializer):
    registration = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PaymentAttempt
        fields = [
            "id",
            "registration",
            "provider",
            "reference",
            "state",
            "amount",
            "error",
            "created_at",
            "updated_at",
        ]


class PaymentAttemptFilter(django_filters.FilterSet):
    event = IdFilter(field_name="registration__event_id")
    registration = django_filters.CharFilter(field_name="registration__code")
    state = django_filters.ChoiceFilter(choices=PaymentAttempt.State.choices)

    class Meta:
        model = PaymentAttempt
        fields = ["event", "registration", "provider", "state"]


class PaymentAttemptViewSet(viewsets.ReadOnlyModelViewSet):
    """Online payments (Vipps) of registrations, for project leaders: filter by event,
    registration code, provider and state. The provider's reference is ``reference``."""

    policy = MANAGE_TICKETING
    queryset = PaymentAttempt.objects.select_related("registration").order_by("-pk")
    serializer_class = PaymentAttemptSerializer
    filterset_class = PaymentAttemptFilter


# Check-in --------------------------------------------------------------------------------


class ListStatusSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    inside = serializers.IntegerField()


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    handle = serializers.CharField(
        help_text=_("Send it to redeem as handle to check this ticket in at this list.")
    )
    attendee_name = serializers.CharField()
    offer = serializers.CharField()
    registration = serializers.CharField()
    state = serializers.ChoiceField(choices=Registration.State.choices)
    cancelled = serializers.BooleanField()
    checked_in = serializers.BooleanField()


class CheckinListSerializer(FullCleanModelSerializer):
    """A check-in list and, when read, its status."""

    status = serializers.SerializerMethodField()
    scanner_url = serializers.SerializerMethodField()

    class Meta(FullCleanModelSerializer.Meta):
        model = CheckinList
        fields = [
            "id",
            "event",
            "name",
            "all_offers",
            "offers",
            "include_sessions",
            "allow_multiple_entries",
            "allow_entry_after_exit",
            "status",
            "scanner_url",
        ]

    @extend_schema_field(ListStatusSerializer)
    def get_status(self, checkin_list) -> dict:
        statuses = self.context.get("list_statuses") or {}
        if checkin_list.pk in statuses:
            return statuses[checkin_list.pk]
        return selectors.list_status(checkin_list)

    @extend_schema_field(OpenApiTypes.URI)
    def get_scanner_url(self, checkin_list) -> str:
        return absolute_url(self.context, checkin_list.get_absolute_url())

    def validate(self, attrs):
        # Offers are many-to-many: full_clean() cannot take them, the service checks them.
        attrs = super().validate(attrs)
        offers = attrs.get("offers")
        event = attrs.get("event") or self.instance.event
        if offers is None and self.instance is not None:
            # A list moved to another event keeps its offers only if they moved too.
            chosen = self.instance.offers.all()
        else:
            chosen = offers or []
        services.validate_checkin_list_offers(event=event, offers=chosen)
        return attrs


@documented_writes(input_serializer=CheckinListSerializer, output_serializer=CheckinListSerializer)
class CheckinListViewSet(PageFiguresMixin, EventsCoreViewSet):
    """Check-in lists: project leaders manage them; hosts read those of their events."""

    policies = {"list": SCANNER_START, "read": SCAN_AT_LIST, "write": MANAGE_TICKETING}
    queryset = CheckinList.objects.none()
    serializer_class = CheckinListSerializer
    filterset_fields = ["event"]
    page_figures = ("list_statuses", selectors.list_statuses)

    def get_queryset(self):
        return (
            selectors.checkin_lists_for(self.request.user)
            .prefetch_related("offers")
            .order_by("event__start", "name", "pk")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description=_("Part of a name, or a reference.")
            )
        ],
        responses={200: SearchResultSerializer(many=True)},
        summary=_("Find tickets on a list by attendee name or reference"),
        description=_(
            "For checking people in by hand when they have no QR code. At most 20 tickets; "
            "children's tickets are found by name only by those who may see their names. "
            "A result holds no ticket's secret: its handle checks it in at this list."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def search(self, request, pk=None, **kwargs):
        checkin_list = self.get_object()
        query = request.query_params.get("q", "").strip()
        tickets = selectors.search_tickets(checkin_list, query=query, user=request.user)
        visible = selectors.may_see_child_names(request.user, checkin_list.event)
        rows = [
            {
                "id": ticket.pk,
                "handle": checkin_list.ticket_handle(ticket.pk),
                "attendee_name": selectors.attendee_label(ticket, child_names_visible=visible),
                "offer": ticket.offer.name,
                "registration": ticket.registration.code,
                "state": ticket.registration.state,
                "cancelled": ticket.is_cancelled,
                "checked_in": ticket.entries,
            }
            for ticket in tickets
        ]
        return Response(SearchResultSerializer(rows, many=True).data)


class CheckinSerializer(serializers.ModelSerializer):
    """One scan: accepted (an entry or an exit) or refused with its reason."""

    reason = serializers.SerializerMethodField()

    @extend_schema_field(
        {"type": ["string", "null"], "enum": [*Checkin.Reason.values, None], "readOnly": True}
    )
    def get_reason(self, checkin) -> str | None:
        return checkin.reason or None

    class Meta:
        model = Checkin
        fields = [
            "id",
            "checkin_list",
            "ticket",
            "attempted_secret",
            "type",
            "successful",
            "reason",
            "nonce",
            "user",
            "scanned_at",
            "received_at",
            "annulled_at",
        ]
        read_only_fields = fields


class CheckinFilter(django_filters.FilterSet):
    checkin_list = IdFilter(field_name="checkin_list_id")
    ticket = IdFilter(field_name="ticket_id")

    class Meta:
        model = Checkin
        fields = ["checkin_list", "ticket", "successful", "reason", "type"]


class CheckinViewSet(viewsets.ReadOnlyModelViewSet):
    """The scan log, refused scans included, for project leaders."""

    policy = MANAGE_TICKETING
    queryset = Checkin.objects.order_by("-received_at", "-pk")
    serializer_class = CheckinSerializer
    filterset_class = CheckinFilter


class RedeemInputSerializer(serializers.Serializer):
    """A scan: the ticket's secret, or the handle of a search result on the list."""

    secret = serializers.CharField(
        max_length=64, allow_blank=True, trim_whitespace=True, required=False
    )
    handle = serializers.CharField(
        max_length=100,
        required=False,
        help_text=_("Instead of the secret: a result's handle from this list's search."),
    )
    list = serializers.IntegerField(min_value=1)
    type = serializers.ChoiceField(choices=Checkin.Type.choices, default=Checkin.Type.ENTRY)
    nonce = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    scanned_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "For a scan made offline: when it was made, no longer ago than a scan may wait "
            "offline (24 hours unless configured otherwise)."
        ),
    )

    def validate(self, attrs):
        if ("secret" in attrs) == ("handle" in attrs):
            raise serializers.ValidationError(
                {"secret": [_("Send either the ticket's code or a search result's handle.")]}
            )
        return attrs


class RedeemCollectSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    registration_id = serializers.IntegerField()


class RedeemTicketSerializer(serializers.Serializer):
    class RedeemEventSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        start = serializers.DateTimeField()

    id = serializers.IntegerField()
    attendee_name = serializers.CharField()
    offer = serializers.CharField()
    registration = serializers.CharField()
    event = RedeemEventSerializer()
    collect = RedeemCollectSerializer(
        required=False,
        help_text=_(
            "Only for a ticket refused as unpaid: the amount to collect at the door, and "
            "the registration to mark paid (POST /api/registrations/{id}/mark-paid/ with "
            'provider "door").'
        ),
    )


class RedeemCheckinSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=Checkin.Type.choices)
    nonce = serializers.CharField(allow_null=True)
    scanned_at = serializers.DateTimeField()


class RedeemAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "error"])
    reason = serializers.ChoiceField(choices=Checkin.Reason.choices, allow_null=True)
    ticket = RedeemTicketSerializer(allow_null=True)
    checkin = RedeemCheckinSerializer(allow_null=True)
    list_status = ListStatusSerializer()


class AnnulInputSerializer(serializers.Serializer):
    list = serializers.IntegerField(min_value=1)
    nonce = serializers.CharField(max_length=64)


def _scannable_list(request, list_id: int) -> CheckinList:
    """Return the list if the user may scan there; 400 for no such list, 403 for another's."""
    checkin_list = CheckinList.objects.select_related("event").filter(pk=list_id).first()
    if checkin_list is None:
        raise serializers.ValidationError({"list": [_("No check-in list has this id.")]})
    if not selectors.can_scan(request.user, checkin_list):
        raise PermissionDenied(_("You may not scan at this check-in list."))
    return checkin_list


class RedeemView(APIView):
    """Check a ticket in or out by its secret, as a scanner does."""

    # Any login may ask; the list named in the body is checked against SCAN_AT_LIST.
    policy = SCANNER_START
    throttle_classes = [RedeemThrottle]

    @extend_schema(
        request=RedeemInputSerializer,
        responses={
            201: OpenApiResponse(RedeemAnswerSerializer, description=_("Checked in or out.")),
            200: OpenApiResponse(RedeemAnswerSerializer, description=_("A known ticket, refused.")),
            404: OpenApiResponse(RedeemAnswerSerializer, description=_("Unknown code.")),
            400: FIELD_ERRORS,
            403: ErrorSerializer,
            429: OpenApiResponse(ErrorSerializer, description=_("Too many scans: retry later.")),
        },
        summary=_("Redeem a ticket"),
        description=_(
            "Send a nonce of your choosing with each scan: a retry with the same nonce records "
            "nothing new and gets the same answer; the same nonce with another ticket is a 400. "
            "scanned_at is for scans recorded offline."
        ),
    )
    def post(self, request):
        data = RedeemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        checkin_list = _scannable_list(request, values["list"])
        result = services.redeem_ticket(
            secret=values.get("secret", ""),
            handle=values.get("handle", ""),
            checkin_list=checkin_list,
            user=request.user,
            kind=values["type"],
            nonce=values["nonce"],
            scanned_at=values["scanned_at"],
        )
        if result.created:
            code = status.HTTP_201_CREATED
        elif result.known:
            code = status.HTTP_200_OK
        else:
            code = status.HTTP_404_NOT_FOUND
        return Response(result.answer, status=code)


class AnnulView(APIView):
    """Undo one of your own check-ins of the last 15 minutes, by its nonce."""

    policy = SCANNER_START

    @extend_schema(
        request=AnnulInputSerializer,
        responses={200: CheckinSerializer, 400: FIELD_ERRORS, 403: ErrorSerializer},
        summary=_("Undo a check-in"),
    )
    def post(self, request):
        data = AnnulInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin_list = _scannable_list(request, data.validated_data["list"])
        checkin = services.annul_checkin(
            checkin_list=checkin_list, nonce=data.validated_data["nonce"], user=request.user
        )
        return Response(CheckinSerializer(checkin).data)


def register(router):
    """Register this app's API routes."""
    router.register("capacity-pools", CapacityPoolViewSet, basename="capacitypool")
    router.register("offers", OfferViewSet, basename="offer")
    router.register("registrations", RegistrationViewSet, basename="registration")
    router.register("tickets", TicketViewSet, basename="ticket")
    router.register("online-payments", PaymentAttemptViewSet, basename="payment-attempt")
    router.register("checkin/lists", CheckinListViewSet, basename="checkinlist")
    router.register("checkin/scans", CheckinViewSet, basename="checkin")
