"""Workflows of tours: setting one up, adding participants, checklists, the guardian's
travel consent and trip details, and costs."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import created, diff, field_values, log_action
from events.models import Event
from orchestra.exceptions import OrchestraError
from orchestra.models import ConsentAcceptance, ConsentText, Guardian, Guardianship, Member
from orchestra.models.tours import Tour, TourCost, TourParticipant
from orchestra.selectors.members import current_consent_text, is_orchestra_staff
from orchestra.services.members import give_consent

CHECKLIST_FIELDS = (
    "passport_valid_until",
    "ehic",
    "share_paid",
    "share_amount",
    "police_certificate_seen_on",
)
TRIP_DETAIL_FIELDS = ("emergency_contacts", "dietary_needs", "medical_notes")


@transaction.atomic
def create_tour(
    *,
    event: Event,
    destination: str,
    time_zone: str = "Europe/Oslo",
    budget: Decimal = Decimal("0"),
    notes: str = "",
) -> Tour:
    """Make a tour of an event of kind tour; its child events are the itinerary."""
    tour = Tour(
        event=event, destination=destination, time_zone=time_zone, budget=budget, notes=notes
    )
    tour.full_clean()
    tour.save()
    return tour


@transaction.atomic
def add_player(*, tour: Tour, member: Member, by, **details) -> TourParticipant:
    """Sign a member up as a player. Preconditions: the member is not anonymised and not
    already on the tour. Their guardians then give the travel consent."""
    if member.anonymised_at:
        raise OrchestraError(_("This member's data has been anonymised."))
    if tour.participants.filter(member=member).exists():
        raise OrchestraError(_("This member is already on the tour."))
    participant = TourParticipant(
        tour=tour, role=TourParticipant.Role.PLAYER, member=member, **details
    )
    participant.full_clean()
    participant.save()
    log_action(participant, "orchestra.tourparticipant.added", by, changes=created(participant))
    return participant


@transaction.atomic
def add_adult(*, tour: Tour, role: str, name: str, by, user=None, **details) -> TourParticipant:
    """Sign up an adult (or a guest ensemble member) by name; ``user`` is their login, which
    a tour leader needs to read the emergency sheet."""
    if role == TourParticipant.Role.PLAYER:
        raise OrchestraError(_("Players are added as members of the orchestra."))
    participant = TourParticipant(tour=tour, role=role, name=name, user=user, **details)
    participant.full_clean()
    participant.save()
    log_action(participant, "orchestra.tourparticipant.added", by, changes=created(participant))
    return participant


@transaction.atomic
def update_checklist(*, participant: TourParticipant, by, **changes) -> TourParticipant:
    """Change checklist fields of a participant (staff)."""
    unknown = set(changes) - set(CHECKLIST_FIELDS)
    if unknown:
        raise OrchestraError(_("These are not checklist fields: %s") % ", ".join(sorted(unknown)))
    before = field_values(participant, changes)
    for name, value in changes.items():
        setattr(participant, name, value)
    participant.full_clean()
    participant.save(update_fields=list(changes))
    log_action(
        participant,
        "orchestra.tourparticipant.checklist_updated",
        by,
        changes=diff(participant, before),
    )
    return participant


def _guardian_of_player(participant: TourParticipant, by) -> Guardian | None:
    """Return the login's guardian record if they are a guardian of the player; staff may
    act without one."""
    if participant.member_id is None:
        raise OrchestraError(_("Only players' guardians fill this in."))
    link = (
        Guardianship.objects.filter(member_id=participant.member_id, guardian__user=by)
        .select_related("guardian")
        .first()
    )
    if link is None and not is_orchestra_staff(by):
        raise OrchestraError(_("Only the player's own guardians can do this."))
    return link.guardian if link else None


@transaction.atomic
def update_trip_details(*, participant: TourParticipant, by, **details) -> TourParticipant:
    """Save a player's emergency contacts, dietary needs and medical notes for the trip.
    Preconditions: ``by`` is a guardian of the player, or staff."""
    _guardian_of_player(participant, by)
    unknown = set(details) - set(TRIP_DETAIL_FIELDS)
    if unknown:
        raise OrchestraError(_("These are not trip details: %s") % ", ".join(sorted(unknown)))
    before = field_values(participant, details)
    for name, value in details.items():
        setattr(participant, name, value.strip())
    participant.full_clean()
    participant.save(update_fields=list(details))
    log_action(
        participant,
        "orchestra.tourparticipant.trip_details_updated",
        by,
        changes=diff(participant, before, sensitive=TRIP_DETAIL_FIELDS),
    )
    return participant


def give_travel_consent(
    *, participant: TourParticipant, by, guardian: Guardian | None = None, today: date | None = None
) -> ConsentAcceptance:
    """Record a guardian's consent to the current travel consent text for a player.
    Preconditions: a travel text is published; ``by`` is a guardian of the player (or staff
    naming the guardian who signed on paper)."""
    own = _guardian_of_player(participant, by)
    guardian = guardian or own
    if guardian is None:
        raise OrchestraError(_("Name the guardian who gave the consent."))
    text = current_consent_text(ConsentText.Kind.TRAVEL)
    if text is None:
        raise OrchestraError(_("There is no published travel consent text yet."))
    return give_consent(text=text, member=participant.member, by=by, guardian=guardian, today=today)


@transaction.atomic
def add_cost(
    *,
    tour: Tour,
    description: str,
    amount: Decimal,
    paid_on: date | None = None,
    category: str = TourCost.Category.OTHER,
) -> TourCost:
    """Record an actual cost of a tour."""
    cost = TourCost(
        tour=tour, description=description, amount=amount, paid_on=paid_on, category=category
    )
    cost.full_clean()
    cost.save()
    return cost
