"""An offer's own questions (core.questions): asked on the register form of those who
choose the offer, saved with the registration, shown on the staff's registrations page
and in the attendee export."""

from django.urls import reverse

from core import questions
from ticketing.models import Offer
from ticketing.policies import MANAGE_REGISTRATIONS


def register() -> None:
    questions.register_owner_kind(
        questions.OwnerKind(
            key="ticketing.offer",
            title=lambda offer: f"{offer.event.title}: {offer.name}",
            back_url=lambda offer: reverse("ticketing:event_registrations", args=[offer.event_id]),
            queryset=lambda: Offer.objects.select_related("event"),
            policy=MANAGE_REGISTRATIONS,
        )
    )
