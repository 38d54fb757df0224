"""factory-boy factories for ticketing: capacity pools, offers and check-in lists.

Registrations and tickets are made through the real service (``ticketing.services.register``),
as the ``make_registration`` fixture does.
"""

import factory

from tests.factories import EventFactory
from ticketing.models import CapacityPool, CheckinList, Offer, Registration


class CapacityPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityPool

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Sal {n}")
    size = 10


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    event = factory.SubFactory(EventFactory)
    name_nb = factory.Sequence(lambda n: f"Billett {n}")


class CheckinListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckinList
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Dør {n}")

    @factory.post_generation
    def offers(self, create, extracted, **kwargs):
        """Admit only these offers: CheckinListFactory(event=..., offers=[offer])."""
        if create and extracted:
            self.offers.set(extracted)


def register_one(offer, *, attendee_name: str = "Ola") -> Registration:
    """Register one ticket for `offer` through the real service, as a visitor does (for
    tests in which a registration is a write elsewhere, not what they test)."""
    from ticketing.services import TicketRequest, register

    return register(
        event=offer.event,
        tickets=[TicketRequest(offer=offer, attendee_name=attendee_name)],
        name=f"{attendee_name} Nordmann",
        email=f"{attendee_name.lower()}@example.org",
        by=None,
    )
