"""Test data for the orchestra: factories for groups, session plans and what hangs on
them, and synthetic children made through the real services.

Members, guardians and registrations go through the services (``new_member``,
``registered_child``); every child's name here is invented. Ages are counted from 1 January
of a year, so that they hold on any day the suite runs. The fixtures built from these live
in conftest.py.
"""

from datetime import date, timedelta

import factory
from django.utils import timezone

from events.models import Event, Programme
from orchestra import services
from orchestra.models import (
    Attendance,
    ConsentText,
    Group,
    GuestEnsemble,
    Instrument,
    LeaveOfAbsence,
    SessionPlan,
    StatusChange,
)
from orchestra.selectors import current_consent_text
from orchestra.services.registration import GuardianDetails, register_child
from tests.factories import EventFactory, PeriodFactory, ProgrammeFactory

CHILD_NAME = ("Sunniva", "Strykersen")
OTHER_CHILD_NAME = ("Tobias", "Trompetsen")
TEEN_NAME = ("Maja", "Messingsen")


def born_years_ago(years: int) -> date:
    """Return a birth date that makes a child exactly ``years`` old all this year."""
    return date(timezone.localdate().year - years, 1, 1)


def instrument(name_en: str) -> Instrument:
    return Instrument.objects.get(name_en=name_en)


def new_member(names, *, age, municipality, groups=(), by=None, **details):
    first_name, last_name = names
    return services.add_member(
        first_name=first_name,
        last_name=last_name,
        birth_date=born_years_ago(age),
        municipality=municipality,
        instruments=[services.PlayedInstrument(instrument("Violin"), True, 3)],
        groups=list(groups),
        status=StatusChange.Status.ACTIVE,
        since=timezone.localdate() - timedelta(days=30),
        by=by,
        **details,
    )


def add_guardian_with_login(member, user, *, relation="mother", **names_and_email):
    """Name a guardian of the member (the real service) and give them the login ``user``."""
    record = services.add_guardian(member=member, relation=relation, by=None, **names_and_email)
    record.user = user
    record.save(update_fields=["user"])
    return record


# Registration -----------------------------------------------------------------------------

NEW_CHILD = ("Fiolina", "Bueføring")

# The roles the registration and guardian pages' tests ask for, by fixture name.
STAFF = ("admin_user", "project_leader")
ROLES = (
    "anonymous",
    "nobody",
    "artist",
    "juror",
    "venue_host",
    "tutor",
    "guardian",
    "other_guardian",
    "member_user",
    *STAFF,
)


def birth_date_at_start(season, age: int) -> date:
    """Return a birth date that makes a child ``age`` on the season's first day."""
    start = season.start
    if (start.month, start.day) == (2, 29):
        return date(start.year - age, 2, 28)
    return date(start.year - age, start.month, start.day)


def form_data(season, municipality, *, age=11, trial=False, **overrides) -> dict:
    """Return a complete, valid POST of the registration form."""
    violin = Instrument.objects.get(name_en="Violin")
    viola = Instrument.objects.get(name_en="Viola")
    data = {
        "season": season.pk,
        "trial": "1" if trial else "0",
        "first_name": NEW_CHILD[0],
        "last_name": NEW_CHILD[1],
        "birth_date": birth_date_at_start(season, age).isoformat(),
        "municipality": municipality.pk,
        "main_instrument": violin.pk,
        "years_played": 3,
        "other_instruments": [viola.pk],
        "origin": "music_school",
        "origin_name": "Asker kulturskole",
        "guardian1-first_name": "Frida",
        "guardian1-last_name": "Bueføring",
        "guardian1-email": "Frida@Example.org",
        "guardian1-phone": "+47 900 11 111",
        "guardian1-relation": "mother",
        "guardian2-first_name": "",
        "guardian2-last_name": "",
        "guardian2-email": "",
        "guardian2-phone": "",
        "guardian2-relation": "father",
        "consent_membership": "on",
        "consent_photo": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def registered_child(
    season,
    municipality,
    *,
    names=NEW_CHILD,
    age=11,
    trial=False,
    email="frida@example.org",
):
    """Register a child through the real service, as the public form does."""
    return register_child(
        season=season,
        first_name=names[0],
        last_name=names[1],
        birth_date=birth_date_at_start(season, age),
        municipality=municipality,
        instruments=[services.PlayedInstrument(Instrument.objects.get(name_en="Cello"), True, 2)],
        guardians=[GuardianDetails("Frida", names[1], email, "mother", "+47 900 11 111")],
        consents=[current_consent_text(ConsentText.Kind.MEMBERSHIP)],
        trial=trial,
        by=None,
    ).member


# Factories --------------------------------------------------------------------------------


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    season = factory.SubFactory(
        PeriodFactory,
        programme=factory.SubFactory(ProgrammeFactory, kind=Programme.Kind.ORCHESTRA),
    )
    name = factory.Sequence(lambda n: f"Gruppe {n}")
    slug = factory.Sequence(lambda n: f"gruppe-{n}")
    min_age = 8
    max_age = 18


class SessionPlanFactory(factory.django.DjangoModelFactory):
    """A session plan; pass ``groups=[...]`` and ``tutors=[...]`` to set them at once."""

    class Meta:
        model = SessionPlan
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory, kind=Event.Kind.SESSION)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)

    @factory.post_generation
    def tutors(self, create, extracted, **kwargs):
        if create and extracted:
            self.tutors.set(extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A member's answer or record for one session; member and session are always given."""

    class Meta:
        model = Attendance


class LeaveOfAbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaveOfAbsence

    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda leave: leave.starts_on + timedelta(days=7))
    reason = "illness"


class GuestEnsembleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuestEnsemble

    event = factory.SubFactory(EventFactory, kind=Event.Kind.CONCERT)
    name = factory.Sequence(lambda n: f"Gjesteorkester {n}")
