"""Demo tickets, called by `manage.py load_demo`: a concert, an opening and a workshop.

Synthetic people only. Registrations are made through the real service and found again
by their demo email address, so a second run creates nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from core.demo import at, demo_uid, today
from events.models import Event
from ticketing.models import CapacityPool, CheckinList, Offer, Registration
from ticketing.services import (
    TicketRequest,
    approve_registration,
    cancel_registration,
    register,
)

FIRST_NAMES = [
    "Ingrid", "Ola", "Kari", "Lars", "Sofie", "Emil", "Nora", "Henrik", "Maja", "Jonas",
    "Ida", "Magnus", "Thea", "Sander", "Ella", "Tobias", "Sara", "Mathias", "Hanna", "Even",
]  # fmt: skip
LAST_NAMES = [
    "Berg", "Dahl", "Lie", "Haugen", "Strand", "Moen", "Bakke", "Lunde", "Solberg", "Vik",
    "Eide", "Aas", "Holm", "Nygaard", "Foss",
]  # fmt: skip


def demo_person(number: int) -> str:
    return f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {LAST_NAMES[number * 7 % len(LAST_NAMES)]}"


def load(command) -> None:
    host = get_user_model().objects.get(username="vert")
    concert = Event.objects.get(uid=demo_uid("uso-2026-2027-konsert-jul"))
    opening = Event.objects.get(uid=demo_uid("krv-2027-apning"))
    workshop = Event.objects.get(uid=demo_uid("krv-2027-grafikkverksted"))

    # The Christmas concert: free tickets in a hall of 250, 60 tickets taken.
    hall = command.upsert(CapacityPool, {"event": concert, "name": "Konsertsalen"}, {"size": 250})
    free = command.upsert(
        Offer,
        {"event": concert, "name_nb": "Gratis billett"},
        {"name_en": "Free ticket", "pool": hall, "max_per_registration": 6},
    )
    command.upsert(CheckinList, {"event": concert, "name": "Inngang konsertsal"}, {})
    registrations(command, concert, free, families=25, first_number=0)

    # The opening of the joint exhibition: free, limited to the first 150.
    rooms = command.upsert(CapacityPool, {"event": opening, "name": "Åpningen"}, {"size": 150})
    guest = command.upsert(
        Offer,
        {"event": opening, "name_nb": "Åpningen"},
        {"name_en": "The opening", "pool": rooms, "max_per_registration": 4},
    )
    command.upsert(CheckinList, {"event": opening, "name": "Museumsinngangen"}, {})
    registrations(command, opening, guest, families=12, first_number=100)

    # A workshop with 12 seats, places given by approval; a few wait. (The orchestra's
    # master classes take sign-ups of members: see orchestra.demo.)
    seats = command.upsert(CapacityPool, {"event": workshop, "name": "Plasser"}, {"size": 12})
    seat = command.upsert(
        Offer,
        {"event": workshop, "name_nb": "Deltaker"},
        {
            "name_en": "Participant",
            "pool": seats,
            "requires_approval": True,
            "max_per_registration": 1,
        },
    )
    command.upsert(CheckinList, {"event": workshop, "name": "Verkstedet"}, {})
    created = registrations(command, workshop, seat, families=14, first_number=200, size=1)
    for registration in created[:8]:
        approve_registration(registration=registration, notify=False, by=None)
        command.changes[("registrations", "approved")] += 1

    tour = reminder_event(command, season_event=concert)
    for event in (concert, opening, workshop, tour):
        if not event.hosts.filter(pk=host.pk).exists():
            event.hosts.add(host)
            command.changes[("event hosts", "added")] += 1


def reminder_event(command, *, season_event: Event) -> Event:
    """An open dress rehearsal of the orchestra three days from today (in the season of
    ``season_event``, at its venue), full, with tickets and an open waitlist offer:
    so that the staff's page of reminders (/stab/paminnelser/) shows the ticket reminder
    (the day before) and the waitlist offer reminder in the coming days."""
    day = today() + timedelta(days=3)
    tour = command.upsert(
        Event,
        {"uid": demo_uid("uso-apen-generalprove")},
        {
            "period": season_event.period,
            "venue": season_event.venue,
            "kind": Event.Kind.OTHER,
            "title_nb": "Åpen generalprøve",
            "title_en": "Open dress rehearsal",
            "start": at(day, "18:00"),
            "end": at(day, "19:30"),
        },
    )
    places = command.upsert(CapacityPool, {"event": tour, "name": "Salen"}, {"size": 8})
    entry = command.upsert(
        Offer,
        {"event": tour, "name_nb": "Generalprøve"},
        {"name_en": "Dress rehearsal", "pool": places, "max_per_registration": 2},
    )
    registrations(command, tour, entry, families=4, first_number=300, size=2)
    registrations(command, tour, entry, families=1, first_number=304, size=2)  # waits
    first = Registration.objects.get(event=tour, email="demo-300@example.org")
    if not first.is_cancelled:
        # Its places go to the one waiting, as an offer that lasts WAITLIST_OFFER_HOURS.
        cancel_registration(registration=first, by=None)
        command.changes[("registrations", "cancelled")] += 1
    return tour


def registrations(command, event, offer, *, families: int, first_number: int, size=None):
    """Register `families` households of 1 to 4 people (or `size`), once each.

    Return the registrations made in this run.
    """
    created = []
    for family in range(families):
        number = first_number + family
        email = f"demo-{number}@example.org"
        if Registration.objects.filter(event=event, email=email).exists():
            continue
        buyer = demo_person(number)
        count = size or 1 + (family * 5) % 4
        surname = buyer.split()[-1]
        attendees = [buyer] + [
            f"{FIRST_NAMES[(number + n * 3) % len(FIRST_NAMES)]} {surname}" for n in range(1, count)
        ]
        registration = register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name=name) for name in attendees],
            name=buyer,
            email=email,
            phone=f"9{number:07d}",
            join_waitlist=True,
            staff=True,
            notify=False,
            by=None,
        )
        command.changes[("registrations", "created")] += 1
        created.append(registration)
    return created
