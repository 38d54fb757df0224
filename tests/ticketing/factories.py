"""factory-boy factories for ticketing: capacity pools, offers and check-in lists.

Registrations and tickets are made through the real service (``ticketing.services.register``),
as the ``make_registration`` fixture does.
"""

import factory

from tests.factories import EventFactory
from ticketing.models import CapacityPool, CheckinList, Offer


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
