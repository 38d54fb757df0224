"""factory-boy factories for the events core."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.demo import OSLO
from events.models import Event, Municipality, Period, Programme, Venue


def oslo(*args) -> datetime:
    """Return an aware Oslo time: oslo(2016, 9, 17, 11) is 11:00 on 17 September 2016."""
    return datetime(*args, tzinfo=OSLO)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get_or_create(name=role)[0])
        if create:
            self.save()


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Kommune {n}")
    number = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")
    county = "Buskerud"
    valid_from = date(2024, 1, 1)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = factory.Sequence(lambda n: f"Storgata {n}")
    postcode = "3015"
    place = "Drammen"
    municipality = factory.SubFactory(MunicipalityFactory)
    latitude = Decimal("59.744000")
    longitude = Decimal("10.204000")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    kind = Programme.Kind.ART_ROUND


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"{2000 + n}")
    name = factory.LazyAttribute(lambda p: f"{p.programme.name} {p.slug}")
    start = date(2026, 1, 1)
    end = date(2027, 12, 31)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    period = factory.SubFactory(PeriodFactory)
    kind = Event.Kind.CONCERT
    title_nb = factory.Sequence(lambda n: f"Konsert {n}")
    title_en = factory.Sequence(lambda n: f"Concert {n}")
    description_nb = "Beskrivelse"
    venue = factory.SubFactory(VenueFactory)
    start = factory.LazyFunction(
        lambda: (
            datetime.now(OSLO).replace(hour=18, minute=0, second=0, microsecond=0)
            + timedelta(days=7)
        )
    )
    end = factory.LazyAttribute(lambda e: e.start + timedelta(hours=2))
