"""Orchestra API of master classes and concerts.

/api/v1/master-classes/:

- GET: the master classes a user sees (staff all; a tutor those they lead; a guardian or
  a member 13+ those of their groups), with places left, the waitlist's length and, for
  each of the caller's own children (or themself), whether they may sign up, why not,
  and where they stand. Staff create classes (POST) through the service.
- POST {id}/sign-up/, {id}/cancel/, {id}/accept/: sign a child up (or onto the waitlist
  when full), cancel, take a place the waitlist offers. A guardian for their child, a
  member 13+ with their own login for themself, staff for anyone.
- GET {id}/participants/: staff and the class's tutors (first name and initial).
- /api/v1/concerts/: the orchestra's concerts (anyone the public ones, staff all) with the
  groups that play, guest ensembles and tickets; POST {id}/groups/ (staff) sets the groups.
- /api/v1/master-class-sign-ups/: which member each sign-up is for, read only.

Domain rules live in orchestra.services.masterclasses; a broken one is a 400 with its
message. URLs hold ids, never names.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api import FIELD_ERRORS, ErrorSerializer
from events.models import Event, Period, Programme, Venue
from events.policies import SEE_EVENT
from orchestra.api.base import OrchestraViewSet
from orchestra.models import Group, MasterClassSignUp, Member, Section
from orchestra.policies import (
    LIST_PARTICIPANTS,
    MANAGE_MASTER_CLASSES,
    PLAN_CONCERTS,
    SEE_FULL_NAMES,
    SEE_MASTER_CLASS,
    SIGN_UP,
    SIGNS_UP_FOR,
)
from orchestra.selectors.attendance import short_name
from orchestra.selectors.masterclasses import (
    eligibility_problem,
    master_class_events,
    orchestra_concerts,
    participants,
    planned_concerts,
    sign_ups_of,
    signing_up_for,
    waitlist_positions,
    with_places,
)
from orchestra.selectors.members import members_with_details
from orchestra.services import masterclasses as services

SIGN_UP_STATES = [
    ("none", _("Not signed up")),
    ("confirmed", _("Signed up")),
    ("pending", _("Awaiting confirmation")),
    ("waitlisted", _("On the waitlist")),
    ("offered", _("Offered a place")),
]


def state_of(registration) -> str:
    if registration is None:
        return "none"
    if registration.state == "waitlisted":
        return "offered" if registration.has_open_waitlist_offer else "waitlisted"
    return registration.state


class GroupNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ChildStandingSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    eligible = serializers.BooleanField()
    reason = serializers.CharField(
        allow_null=True, help_text=_("Why the member may not sign up, when not eligible.")
    )
    standing = serializers.ChoiceField(choices=SIGN_UP_STATES)
    waitlist_position = serializers.IntegerField(allow_null=True)
    offer_expires_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Until when an offered place is held.")
    )


class MasterClassSerializer(serializers.Serializer):
    """A master class with its places left and, for the caller's children, their standing."""

    id = serializers.IntegerField(source="event.pk")
    title = serializers.CharField(source="event.title")
    start = serializers.DateTimeField(source="event.start")
    end = serializers.DateTimeField(source="event.end")
    status = serializers.CharField(source="event.status")
    venue = serializers.CharField(source="event.venue.name", allow_null=True, default=None)
    season = serializers.IntegerField(source="event.period_id")
    groups = serializers.SerializerMethodField()
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=Section.choices),
        source="plan.sections",
        default=list,
        help_text=_("Empty: every section."),
    )
    capacity = serializers.IntegerField(allow_null=True)
    places_left = serializers.IntegerField(allow_null=True, help_text=_("None: unlimited."))
    waiting = serializers.IntegerField(help_text=_("How many wait for a place."))
    children = serializers.SerializerMethodField()

    def get_groups(self, master_class) -> GroupNameSerializer(many=True):
        groups = master_class.plan.groups.all() if master_class.plan else []
        return [{"id": group.pk, "name": group.name} for group in groups]

    def get_children(self, master_class) -> ChildStandingSerializer(many=True):
        children = self.context.get("children", [])
        sign_ups = self.context.get("sign_ups", {})
        positions = self.context.get("positions", {})
        rows = []
        for child in children:
            registration = next(
                (r for r in sign_ups.get(child.pk, []) if r.event_id == master_class.event.pk),
                None,
            )
            problem = (
                eligibility_problem(child, master_class.plan)
                if master_class.plan
                else str(_("This master class takes no sign-ups."))
            )
            rows.append(
                {
                    "member": child.pk,
                    "eligible": problem is None,
                    "reason": problem,
                    "standing": state_of(registration),
                    "waitlist_position": positions.get(registration.pk) if registration else None,
                    "offer_expires_at": registration.waitlist_offer_expires_at
                    if registration
                    else None,
                }
            )
        return rows


class MasterClassInputSerializer(serializers.Serializer):
    season = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA)
    )
    title_nb = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, allow_blank=True, default="")
    description_nb = serializers.CharField(allow_blank=True, default="")
    description_en = serializers.CharField(allow_blank=True, default="")
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.all(), allow_null=True, default=None
    )
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1)
    groups = serializers.PrimaryKeyRelatedField(queryset=Group.objects.all(), many=True)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=Section.choices), required=False, default=list
    )
    tutors = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        many=True,
        required=False,
        default=list,
    )
    sales_start = serializers.DateTimeField(allow_null=True, default=None)
    sales_end = serializers.DateTimeField(allow_null=True, default=None)


class SignUpMemberSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), help_text=_("The child (or yourself), by id.")
    )


class SignUpInputSerializer(SignUpMemberSerializer):
    join_waitlist = serializers.BooleanField(
        default=True, help_text=_("When the class is full, wait for a place (default).")
    )


class StandingSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    standing = serializers.ChoiceField(choices=SIGN_UP_STATES)
    waitlist_position = serializers.IntegerField(allow_null=True)


class ParticipantSerializer(serializers.Serializer):
    member = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(help_text=_("Staff: the full name; tutors: first name, initial."))
    instrument = serializers.CharField(allow_null=True)
    standing = serializers.ChoiceField(choices=SIGN_UP_STATES)
    waitlist_position = serializers.IntegerField(allow_null=True)


@extend_schema_view(
    create=extend_schema(
        request=MasterClassInputSerializer,
        responses={201: MasterClassSerializer, 400: FIELD_ERRORS},
    )
)
class MasterClassViewSet(
    OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Master classes with places left and the caller's children's standing."""

    queryset = Event.objects.none()
    serializer_class = MasterClassSerializer
    filterset_fields: list[str] = []
    # Signing up reaches any class: one a child may not join answers why (400), not 404.
    policies = {
        "read": SEE_MASTER_CLASS,
        "participants": LIST_PARTICIPANTS,
        "sign_up": SIGN_UP,
        "cancel": SIGN_UP,
        "accept": SIGN_UP,
        "write": MANAGE_MASTER_CLASSES,
    }

    def get_queryset(self):
        return self.reachable(master_class_events()).order_by("start", "pk")

    def serializer_context_for(self, events) -> dict:
        children = list(members_with_details(signing_up_for(self.request.user)).order_by("pk"))
        ids = [event.pk for event in events]
        return {
            "request": self.request,
            "children": children,
            "sign_ups": sign_ups_of([child.pk for child in children], events=ids),
            "positions": waitlist_positions(ids),
        }

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        events = list(page)
        data = MasterClassSerializer(
            with_places(events), many=True, context=self.serializer_context_for(events)
        ).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        event = self.get_object()
        [master_class] = with_places([event])
        return Response(
            MasterClassSerializer(master_class, context=self.serializer_context_for([event])).data
        )

    def create(self, request, *args, **kwargs):
        data = MasterClassInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.create_master_class(**data.validated_data, by=request.user)
        [master_class] = with_places([event])
        return Response(
            MasterClassSerializer(master_class, context=self.serializer_context_for([event])).data,
            status=status.HTTP_201_CREATED,
        )

    def _member(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        member = values.pop("member")
        if not SIGNS_UP_FOR.allows(self.request.user, member):
            raise NotFound()
        return member, values

    def _standing(self, event, member) -> Response:
        registration = next(
            (r for r in sign_ups_of([member.pk], events=[event.pk]).get(member.pk, [])), None
        )
        positions = waitlist_positions([event.pk])
        return Response(
            {
                "member": member.pk,
                "standing": state_of(registration),
                "waitlist_position": positions.get(registration.pk) if registration else None,
            }
        )

    @extend_schema(
        request=SignUpInputSerializer,
        responses={200: StandingSerializer, 400: FIELD_ERRORS},
        summary=_("Sign a child up, or onto the waitlist when the class is full"),
    )
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request, pk=None):
        event = self.get_object()
        member, values = self._member(SignUpInputSerializer)
        services.sign_up(event=event, member=member, by=request.user, **values)
        return self._standing(event, member)

    @extend_schema(
        request=SignUpMemberSerializer,
        responses={200: StandingSerializer, 400: FIELD_ERRORS},
        summary=_("Cancel a sign-up or leave the waitlist"),
        description=_("The freed place is offered to the first on the waitlist."),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        event = self.get_object()
        member, _values = self._member(SignUpMemberSerializer)
        services.cancel_sign_up(event=event, member=member, by=request.user)
        return self._standing(event, member)

    @extend_schema(
        request=SignUpMemberSerializer,
        responses={200: StandingSerializer, 400: FIELD_ERRORS},
        summary=_("Take the place the waitlist offers, before the offer expires"),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        event = self.get_object()
        member, _values = self._member(SignUpMemberSerializer)
        services.accept_offered_place(event=event, member=member, by=request.user)
        return self._standing(event, member)

    @extend_schema(
        responses={200: ParticipantSerializer(many=True)},
        summary=_("The class's participants and waitlist: staff and its tutors"),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def participants(self, request, pk=None, **kwargs):
        event = self.get_object()
        full_names = SEE_FULL_NAMES.admits(request.user)
        rows = [
            {
                "member": row.member.pk if row.member else None,
                "name": (
                    f"{row.member.first_name} {row.member.last_name}"
                    if full_names
                    else short_name(row.member)
                )
                if row.member
                else "",
                "instrument": row.instrument,
                "standing": row.state,
                "waitlist_position": row.waitlist_position,
            }
            for row in participants(event)
        ]
        return Response(ParticipantSerializer(rows, many=True).data)


class MasterClassSignUpSerializer(serializers.ModelSerializer):
    """Which member a master class registration is for, and where it stands."""

    state = serializers.SerializerMethodField()

    class Meta:
        model = MasterClassSignUp
        fields = ["id", "event", "member", "registration", "state", "updated_at"]

    def get_state(self, sign_up) -> str:
        return state_of(sign_up.registration)


class MasterClassSignUpViewSet(OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Sign-ups for master classes, read only: staff see all, a guardian their children's,
    a member 13+ their own. Signing up and cancelling are actions on /master-classes/."""

    policies = {"read": SIGNS_UP_FOR, "write": MANAGE_MASTER_CLASSES}
    queryset = MasterClassSignUp.objects.none()
    serializer_class = MasterClassSignUpSerializer
    filterset_fields = ["event", "member"]

    def get_queryset(self):
        sign_ups = self.reachable(MasterClassSignUp.objects.all())
        return sign_ups.select_related("registration").order_by("event__start", "pk")


# Concerts -----------------------------------------------------------------------------------


class ConcertEnsembleSerializer(serializers.Serializer):
    name = serializers.CharField()
    players = serializers.IntegerField()


class ConcertOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    places_left = serializers.IntegerField(allow_null=True, help_text=_("Null: no limit."))


class ConcertSerializer(serializers.Serializer):
    """A concert of the orchestra with the groups that play, its guest ensembles (names and
    players, no contacts) and its tickets. Never a member."""

    id = serializers.IntegerField(source="event.pk")
    title = serializers.CharField(source="event.title")
    start = serializers.DateTimeField(source="event.start")
    end = serializers.DateTimeField(source="event.end")
    venue = serializers.CharField(source="event.venue.name", default=None, allow_null=True)
    status = serializers.CharField(source="event.status")
    groups = GroupNameSerializer(many=True)
    guest_ensembles = ConcertEnsembleSerializer(many=True)
    offers = serializers.SerializerMethodField()

    def get_offers(self, concert) -> ConcertOfferSerializer(many=True):
        return ConcertOfferSerializer(
            [
                {"id": o.pk, "name": o.name, "price": o.price, "places_left": left}
                for o, left in concert.offers
            ],
            many=True,
        ).data


class ConcertGroupsInputSerializer(serializers.Serializer):
    groups = serializers.PrimaryKeyRelatedField(
        queryset=Group.objects.all(),
        many=True,
        help_text=_("The groups that play, by id; the junior groups are always added."),
    )


@extend_schema_view(
    list=extend_schema(summary=_("The orchestra's concerts with their line-ups")),
    retrieve=extend_schema(summary=_("One concert with its line-up")),
)
class ConcertViewSet(OrchestraViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Concerts of orchestra seasons: anyone reads the public ones, staff all; staff set the
    groups that play."""

    queryset = Event.objects.none()
    serializer_class = ConcertSerializer
    filterset_fields: list[str] = []
    # A concert is an event: anyone sees what its visibility allows (public ones).
    policies = {"read": SEE_EVENT, "write": PLAN_CONCERTS}

    def get_queryset(self):
        return self.reachable(orchestra_concerts()).order_by("start", "pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            ConcertSerializer(planned_concerts(page), many=True).data
        )

    def retrieve(self, request, *args, **kwargs):
        [concert] = planned_concerts([self.get_object()])
        return Response(ConcertSerializer(concert).data)

    @extend_schema(
        request=ConcertGroupsInputSerializer,
        responses={200: ConcertSerializer, 400: ErrorSerializer},
        summary=_("Set the groups that play at a concert"),
    )
    @action(detail=True, methods=["post"])
    def groups(self, request, pk=None):
        event = self.get_object()
        data = ConcertGroupsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_concert(event=event, groups=data.validated_data["groups"], by=request.user)
        [concert] = planned_concerts([event])
        return Response(ConcertSerializer(concert).data)


def register(router):
    router.register("master-classes", MasterClassViewSet, basename="master-class")
    router.register("concerts", ConcertViewSet, basename="concert")
    router.register(
        "master-class-sign-ups", MasterClassSignUpViewSet, basename="master-class-sign-up"
    )
