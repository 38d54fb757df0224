"""Demo data of Ungdomssymfonikerne, called by `manage.py load_demo`.

Synthetic children only, sized on the 2016 figures: 35 members in the youth symphony
and 22 in the junior symphony (8–13), a few applicants and trial members, five who
left with their reasons, and their guardians (siblings share theirs). The demo
guardian login `forelder` is the guardian of two of them. Guardians get no login of
their own in the demo, so the demo keeps one login per role. Consent texts have
versions, and the acceptances point at the version that was accepted.

Members are made once; groups and consent texts are brought up to date on every run.

Every session of the season's rehearsal weekends gets its plan (tutti: the youth symphony;
the junior day: the junior symphony; sectionals: their section of the youth symphony),
led by the demo conductor `dirigent`. The two weekends already held (five and ten weeks
ago; events.demo counts every date from today) get answers, a leave of absence and
attendance, made once; when a later run finds the demo's dates moved, they move too.
"""

import random
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model

from core.demo import OSLO, at, days, demo_uid, shift, today
from events.demo import (
    HELD_WEEKENDS,
    REHEARSAL_WEEKENDS,
    SEASON,
    TOUR_FIRST_DAY,
    WEEKEND_SESSIONS,
    rehearsal_saturday,
)
from events.models import Event, Municipality, Period
from orchestra import services
from orchestra.models import (
    Attendance,
    ConsentAcceptance,
    ConsentText,
    Group,
    Guardian,
    Instrument,
    LeaveOfAbsence,
    Member,
    SessionPlan,
    StatusChange,
)
from orchestra.selectors.attendance import boards_for
from orchestra.selectors.consents import members_with_consent
from orchestra.selectors.sessions import session_plans
from orchestra.services import attendance as attendance_services

YOUTH_MEMBERS = 35
JUNIOR_MEMBERS = 22
GUARDIAN_EMAIL = "demo-foresatt-{number:03d}@example.org"

GROUPS = {
    "ungdomssymfonikerne": {
        "name": "Ungdomssymfonikerne",
        "min_age": 8,
        "max_age": 18,
        "description": "Symfoniorkesteret for unge fra 8 til 18 år.",
    },
    "juniorsymfonikerne": {
        "name": "Juniorsymfonikerne",
        "min_age": 8,
        "max_age": 13,
        "description": "De yngste: én dag av hver helgesamling, og med på alle konsertene.",
    },
}

# kind, version, Norwegian text, English text, published (days from the anchor)
CONSENT_TEXTS = [
    (
        "membership",
        1,
        "Vi samtykker i at Ungdomssymfonikerne lagrer opplysningene om barnet vårt og "
        "om oss som foresatte så lenge barnet er medlem, og sletter dem senest 12 "
        "måneder etter at barnet har sluttet.",
        "We agree that Ungdomssymfonikerne stores the details of our child and of us "
        "as guardians while the child is a member, and erases them at the latest 12 "
        "months after the child has left.",
        -190,
    ),
    (
        "photo",
        1,
        "Ungdomssymfonikerne kan ta bilder og video av barnet på konserter og "
        "samlinger og bruke dem på nettsiden.",
        "Ungdomssymfonikerne may take photos and video of the child at concerts and "
        "rehearsals and use them on its website.",
        -190,
    ),
    (
        "photo",
        2,
        "Ungdomssymfonikerne kan ta bilder og video av barnet på konserter og "
        "samlinger og bruke dem på nettsiden og i sosiale medier. Barnet navngis ikke.",
        "Ungdomssymfonikerne may take photos and video of the child at concerts and "
        "rehearsals and use them on its website and in social media. The child is "
        "never named.",
        -98,
    ),
    (
        "travel",
        1,
        "Barnet kan reise med orkesteret på turné, med turnéledere som har ansvaret underveis.",
        "The child may travel with the orchestra on tour, in the care of its tour leaders.",
        -130,
    ),
]

FIRST_NAMES = [
    "Aksel", "Amalie", "Emil", "Emma", "Filip", "Frida", "Henrik", "Hedda", "Isak", "Ingrid",
    "Jakob", "Julie", "Kasper", "Live", "Magnus", "Maja", "Noah", "Nora", "Oliver", "Sofie",
    "Sander", "Thea", "Tobias", "Vilde", "William", "Ylva", "Jonas", "Selma", "Mathias", "Ella",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Berg", "Dahl", "Eide", "Fossum", "Gundersen", "Haugen", "Holm", "Jensen",
    "Karlsen", "Lie", "Moen", "Nygård", "Pedersen", "Rud", "Solberg", "Strand", "Tangen",
    "Vik", "Wold",
]  # fmt: skip
GUARDIAN_NAMES = [
    "Anne", "Bjørn", "Cecilie", "Espen", "Hanne", "Kari", "Lars", "Marianne", "Ola", "Randi",
    "Stian", "Trine", "Geir", "Silje",
]  # fmt: skip
MUNICIPALITY_NUMBERS = ["3201", "3203", "3301", "3305", "3310", "3312", "3314", "3316"]
ORIGIN_NAMES = {
    Member.Origin.MUSIC_SCHOOL: "{place} kulturskole",
    Member.Origin.SCHOOL_ORCHESTRA: "{place} skoleorkester",
    Member.Origin.SCHOOL_BAND: "{place} skolekorps",
    Member.Origin.UPPER_SECONDARY: "{place} videregående skole, musikklinjen",
    Member.Origin.OTHER: "",
}
# The instruments of a symphony orchestra's youth section, by English name and weight.
YOUTH_INSTRUMENTS = [
    ("Violin", 14), ("Viola", 4), ("Cello", 4), ("Double bass", 2), ("Flute", 2),
    ("Oboe", 1), ("Clarinet", 2), ("Bassoon", 1), ("Horn", 2), ("Trumpet", 1),
    ("Trombone", 1), ("Percussion", 1),
]  # fmt: skip
JUNIOR_INSTRUMENTS = [("Violin", 12), ("Cello", 4), ("Flute", 3), ("Clarinet", 2), ("Trumpet", 1)]
LEFT = [
    StatusChange.Reason.AGE_LIMIT,
    StatusChange.Reason.AGE_LIMIT,
    StatusChange.Reason.TALENT_PROGRAMME,
    StatusChange.Reason.MUSIC_LINE,
    StatusChange.Reason.HIGHER_EDUCATION,
]


def load(command) -> None:
    season = Event.objects.get(uid=demo_uid(f"{SEASON}-helg-1")).period
    groups = {
        slug: command.upsert(Group, {"season": season, "slug": slug}, values)
        for slug, values in GROUPS.items()
    }
    texts = {
        (kind, version): command.upsert(
            ConsentText,
            {"kind": kind, "version": version},
            {
                "text_nb": text_nb,
                "text_en": text_en,
                "published_at": at(days(day), "09:00"),
            },
        )
        for kind, version, text_nb, text_en, day in CONSENT_TEXTS
    }
    if not Member.objects.filter(memberships__group__in=groups.values()).exists():
        # The children and their guardians are made once.
        members = make_members(command, season, groups)
        make_guardians(command, members, texts)
    else:
        move_made_once(command)
    plans = plan_sessions(command, groups)
    record_past_weekends(command, plans)
    load_master_classes(command, groups)
    load_concerts(command, groups)
    load_tour(command)
    load_member_login(command)
    load_group_messages(command, groups)


def move_made_once(command) -> None:
    """Move what was made once (consents, answers, attendance, a leave, the tour's papers)
    with the demo's dates when the anchor has moved."""
    from orchestra.models import TourParticipant

    moved = command.moved_by
    # Only the demo's own children: their guardians have the demo's example addresses.
    demo_members = Member.objects.filter(
        guardianships__guardian__email__endswith="@example.org"
    ).distinct()
    shift(
        command,
        ConsentAcceptance.objects.filter(member__in=demo_members),
        ["accepted_at"],
        moved,
    )
    held = Event.objects.filter(
        parent__uid__in=[demo_uid(f"{SEASON}-helg-{number}") for number in HELD_WEEKENDS]
    )
    shift(command, Attendance.objects.filter(session__in=held), ["replied_at", "recorded_at"],
          moved)  # fmt: skip
    shift(
        command,
        LeaveOfAbsence.objects.filter(member__in=demo_members, note="Familietur."),
        ["starts_on", "ends_on"],
        moved,
    )
    shift(
        command,
        TourParticipant.objects.filter(tour__event__uid=demo_uid(f"{SEASON}-studietur")),
        ["passport_valid_until", "police_certificate_seen_on"],
        moved,
    )


def birth_date_for(rng: random.Random, season: Period, age: int) -> date:
    """Return a birth date that makes a child ``age`` years old at the season's start."""
    return season.start - timedelta(days=365 * age + rng.randint(10, 350))


def weighted(rng: random.Random, choices) -> str:
    names, weights = zip(*choices, strict=True)
    return rng.choices(names, weights=weights)[0]


def make_members(command, season: Period, groups: dict) -> list[Member]:
    rng = random.Random(2016)  # noqa: S311 -- demo data, not security
    instruments = {instrument.name_en: instrument for instrument in Instrument.objects.all()}
    municipalities = list(
        Municipality.objects.filter(number__in=MUNICIPALITY_NUMBERS, valid_to__isnull=True)
    )
    joined = season.start
    youth, junior = groups["ungdomssymfonikerne"], groups["juniorsymfonikerne"]
    plan = (
        # group, age range, status, instrument choices, how many
        [(youth, (13, 18), StatusChange.Status.ACTIVE, YOUTH_INSTRUMENTS, YOUTH_MEMBERS - 3)]
        + [(youth, (13, 16), StatusChange.Status.ON_LEAVE, YOUTH_INSTRUMENTS, 1)]
        + [(youth, (12, 15), StatusChange.Status.TRIAL, YOUTH_INSTRUMENTS, 2)]
        + [(junior, (8, 13), StatusChange.Status.ACTIVE, JUNIOR_INSTRUMENTS, JUNIOR_MEMBERS - 1)]
        + [(junior, (8, 10), StatusChange.Status.TRIAL, JUNIOR_INSTRUMENTS, 1)]
        + [(None, (9, 14), StatusChange.Status.APPLICANT, JUNIOR_INSTRUMENTS, 3)]
        + [(youth, (17, 18), StatusChange.Status.LEFT, YOUTH_INSTRUMENTS, len(LEFT))]
    )
    members = []
    left_reasons = iter(LEFT)
    for group, (youngest, oldest), status, choices, count in plan:
        for _number in range(count):
            number = len(members)
            municipality = rng.choice(municipalities)
            origin = rng.choices(
                list(ORIGIN_NAMES), weights=[10, 3, 4, 2 if youngest > 12 else 0, 1]
            )[0]
            main = instruments[weighted(rng, choices)]
            played = [services.PlayedInstrument(main, True, rng.randint(1, 6))]
            if rng.random() < 0.15 and main.name_en != "Piano":
                played.append(services.PlayedInstrument(instruments["Piano"], False, None))
            age = rng.randint(youngest, oldest)
            member = services.add_member(
                first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(number * 7) % len(LAST_NAMES)],
                birth_date=birth_date_for(rng, season, age),
                municipality=municipality,
                instruments=played,
                groups=[group] if group and status != StatusChange.Status.APPLICANT else [],
                status=StatusChange.Status.ACTIVE if status == "left" else status,
                since=joined,
                gender=rng.choice(["female", "male", "female", "male", ""]),
                origin=origin,
                origin_name=ORIGIN_NAMES[origin].format(place=municipality.name),
                years_played=rng.randint(1, max(1, age - 6)),
                medical_notes="Nøtteallergi." if rng.random() < 0.1 else "",
                by=None,
            )
            if status == StatusChange.Status.LEFT:
                services.set_status(
                    member=member,
                    status=status,
                    since=joined + timedelta(days=rng.randint(30, 90)),
                    reason=next(left_reasons),
                    by=None,
                )
            members.append(member)
    command.changes[("orchestra members", "created")] += len(members)
    return members


def make_guardians(command, members: list[Member], texts: dict) -> None:
    """Give every child one or two guardians; every fifth child is a younger sibling."""
    rng = random.Random(2015)  # noqa: S311 -- demo data, not security
    leader = get_user_model().objects.get(username="leder")
    guardians_made = 0
    previous = []
    for index, member in enumerate(members):
        if index % 5 == 4 and previous:
            # A younger brother or sister: the same parents as the child before.
            for guardian, relation in previous:
                services.link_guardian(member=member, guardian=guardian, relation=relation, by=None)
        else:
            previous = []
            relations = (
                ["mother", "father"]
                if rng.random() < 0.6
                else [rng.choice(["mother", "father", "guardian"])]
            )
            for relation in relations:
                first = GUARDIAN_NAMES[(guardians_made * 3) % len(GUARDIAN_NAMES)]
                guardian = services.add_guardian(
                    member=member,
                    relation=relation,
                    first_name=first,
                    last_name=member.last_name,
                    email=GUARDIAN_EMAIL.format(number=guardians_made),
                    phone=f"+47 9{rng.randint(1000000, 9999999)}",
                    by=None,
                )
                guardians_made += 1
                previous.append((guardian, relation))
        give_demo_consents(member, previous[0][0], texts, rng, recorded_by=leader)
    # The demo guardian login: the parent of the first youth member and the first junior.
    forelder = get_user_model().objects.get(username="forelder")
    demo_guardian = Guardian.objects.get(email=GUARDIAN_EMAIL.format(number=0))
    demo_guardian.user = forelder
    demo_guardian.email = forelder.email
    demo_guardian.save(update_fields=["user", "email"])
    first_junior = members[YOUTH_MEMBERS]
    if not first_junior.guardianships.filter(guardian=demo_guardian).exists():
        services.link_guardian(
            member=first_junior, guardian=demo_guardian, relation="mother", by=None
        )
    command.changes[("orchestra guardians", "created")] += guardians_made


def give_demo_consents(member, guardian, texts: dict, rng, *, recorded_by) -> None:
    """Membership for all; photos for most (older acceptances on version 1); travel for some.

    The consents were given on paper and recorded by the project leader.
    """
    accepted = [texts[("membership", 1)]]
    if rng.random() < 0.85:
        accepted.append(texts[("photo", 1 if rng.random() < 0.5 else 2)])
    if rng.random() < 0.6:
        accepted.append(texts[("travel", 1)])
    for text in accepted:
        acceptance = services.give_consent(
            text=text, member=member, by=recorded_by, guardian=guardian
        )
        ConsentAcceptance.objects.filter(pk=acceptance.pk).update(
            accepted_at=text.published_at + timedelta(days=rng.randint(1, 20))
        )


# Sessions and attendance ----------------------------------------------------------------------

# The session keys of events.demo's WEEKEND_SESSIONS: group slug and sections.
SESSION_PLANS = {
    "tutti-lordag": ("ungdomssymfonikerne", []),
    "juniorer": ("juniorsymfonikerne", []),
    "strykere": ("ungdomssymfonikerne", ["strings"]),
    "treblas": ("ungdomssymfonikerne", ["woodwind"]),
    "messing": ("ungdomssymfonikerne", ["brass"]),
    "slagverk": ("ungdomssymfonikerne", ["percussion"]),
    "tutti-sondag": ("ungdomssymfonikerne", []),
}


def held_saturdays() -> set[str]:
    return {rehearsal_saturday(number).isoformat() for number in HELD_WEEKENDS}


# The youth member on leave over the last weekend held (by place in the demo's list).
LEAVE_MEMBER_INDEX = 6


def plan_sessions(command, groups: dict) -> list[SessionPlan]:
    """Plan every session of the demo weekends, and today's extra sectional, led by
    `dirigent`; brought up to date."""
    dirigent = get_user_model().objects.get(username="dirigent")
    keys = [
        (f"{SEASON}-helg-{number}-{suffix}", suffix)
        for number, _weekend in enumerate(REHEARSAL_WEEKENDS, start=1)
        for suffix, *_rest in WEEKEND_SESSIONS
    ]
    plans = []
    for key, suffix in [*keys, (f"{SEASON}-ovelse-i-dag", "strykere")]:
        event = Event.objects.get(uid=demo_uid(key))
        slug, sections = SESSION_PLANS[suffix]
        plan = command.upsert(SessionPlan, {"event": event}, {"sections": sections})
        if {group.pk for group in plan.groups.all()} != {groups[slug].pk}:
            plan.groups.set([groups[slug]])
        if {tutor.pk for tutor in plan.tutors.all()} != {dirigent.pk}:
            plan.tutors.set([dirigent])
        attendance_services.sync_session_hosts(plan)
        plans.append(plan)
    return plans


def record_past_weekends(command, plans: list[SessionPlan]) -> None:
    """Answers, a leave and attendance for the weekends already held; made once."""
    held = [
        plan
        for plan in session_plans().filter(pk__in=[plan.pk for plan in plans])
        if timezone_day(plan.event.start).isoformat() in held_saturdays()
        or timezone_day(plan.event.start - timedelta(days=1)).isoformat() in held_saturdays()
    ]
    if not held or Attendance.objects.filter(session__in=[p.event for p in held]).exists():
        return
    dirigent = get_user_model().objects.get(username="dirigent")
    youth = (
        Member.objects.filter(memberships__group__slug="ungdomssymfonikerne")
        .filter(pk__in=[row.member.pk for row in boards_for(held[:1])[0].rows])
        .order_by("pk")
    )
    on_leave = youth[LEAVE_MEMBER_INDEX] if youth.count() > LEAVE_MEMBER_INDEX else None
    if on_leave is not None:
        _leave, created = LeaveOfAbsence.objects.get_or_create(
            member=on_leave,
            starts_on=rehearsal_saturday(HELD_WEEKENDS[-1]) - timedelta(days=5),
            defaults={
                "ends_on": rehearsal_saturday(HELD_WEEKENDS[-1]) + timedelta(days=8),
                "reason": "travel",
                "note": "Familietur.",
            },
        )
        command.changes[("leaves of absence", "created")] += int(created)
    rng = random.Random(2026)  # noqa: S311 -- demo data, not security
    rows = []
    for board in boards_for(held):
        start = board.session.start
        for row in board.expected_rows:
            answer = rng.random()
            reply, reason = "", ""
            if answer < 0.7:
                reply = Attendance.Reply.COMING
            elif answer < 0.8:
                reply = Attendance.Reply.NOT_COMING
                reason = rng.choice(["illness", "school", "travel", "other"])
            if row.leave is not None or reply == Attendance.Reply.NOT_COMING:
                status = Attendance.Status.EXCUSED
            else:
                roll = rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if roll < 0.85
                    else Attendance.Status.LATE
                    if roll < 0.92
                    else Attendance.Status.ABSENT
                )
            rows.append(
                Attendance(
                    member=row.member,
                    session=board.session,
                    reply=reply,
                    reason=reason,
                    replied_at=start - timedelta(days=rng.randint(1, 6)) if reply else None,
                    status=status,
                    recorded_by=dirigent,
                    recorded_at=start + timedelta(minutes=rng.randint(0, 20)),
                )
            )
    Attendance.objects.bulk_create(rows)
    command.changes[("attendance", "created")] += len(rows)


def timezone_day(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


# Master classes and concerts -----------------------------------------------------------------

# The demo's two master classes (2 a year, as in 2016): uid suffix, sections, groups,
# places, and how many sign up (those past the places wait). The strings' class is full
# with a waitlist; the other, for both groups, has places left for `forelder`'s children.
MASTER_CLASSES = [
    ("mesterklasse-1", ["strings"], ["ungdomssymfonikerne"], 12, 14),
    ("mesterklasse-2", [], ["ungdomssymfonikerne", "juniorsymfonikerne"], 10, 4),
]
# Concert tickets: uid suffix, (name_nb, name_en, price) per offer, places (None: free
# entry without tickets).
# The first concert's free tickets are ticketing's demo (ticketing.demo).
CONCERT_TICKETS = {
    "konsert-jul": ([], None),
    "konsert-var": ([("Voksen", "Adult", 150), ("Barn og ungdom", "Children and youth", 0)], 120),
    "konsert-sommer": ([], None),
}


def load_master_classes(command, groups: dict) -> None:
    """Set up the season's master classes (plan, tutor, places) and sign members up
    through ticketing, a full class putting the last on its waitlist. Made once."""
    from orchestra.models import MasterClassSignUp
    from orchestra.selectors.masterclasses import eligibility_problem
    from orchestra.selectors.members import members_with_details
    from orchestra.services import masterclasses as master_classes

    leader = get_user_model().objects.get(username="leder")
    dirigent = get_user_model().objects.get(username="dirigent")
    forelder = get_user_model().objects.get(username="forelder")
    for suffix, sections, group_slugs, places, signing_up in MASTER_CLASSES:
        event = Event.objects.filter(uid=demo_uid(f"{SEASON}-{suffix}")).first()
        if event is None or SessionPlan.objects.filter(event=event).exists():
            continue
        chosen = [groups[slug] for slug in group_slugs]
        master_classes.set_up_master_class(
            event=event, capacity=places, groups=chosen, tutors=[dirigent], sections=sections
        )
        command.changes[("master classes", "set up")] += 1
        plan = SessionPlan.objects.prefetch_related("groups").get(event=event)
        candidates = (
            members_with_details(
                Member.objects.filter(memberships__group__in=chosen, anonymised_at__isnull=True)
            )
            .exclude(guardianships__guardian__user=forelder)
            .distinct()
            .order_by("pk")
        )
        eligible = [m for m in candidates if eligibility_problem(m, plan) is None]
        for member in eligible[:signing_up]:
            master_classes.sign_up(event=event, member=member, by=leader)
        command.changes[("master class sign-ups", "created")] += MasterClassSignUp.objects.filter(
            event=event
        ).count()


def load_concerts(command, groups: dict) -> None:
    """Say who plays at each concert (the youth symphony; the juniors always) and give
    the spring concert ticketing's offers: paid for adults, free for the young."""
    from orchestra.services.masterclasses import plan_concert
    from ticketing.models import CapacityPool, Offer

    for suffix, (offers, places) in CONCERT_TICKETS.items():
        event = Event.objects.filter(uid=demo_uid(f"{SEASON}-{suffix}")).first()
        if event is None:
            continue
        if not SessionPlan.objects.filter(event=event).exists():
            plan_concert(event=event, groups=[groups["ungdomssymfonikerne"]])
            command.changes[("concert line-ups", "set")] += 1
        if not offers:
            continue
        pool = command.upsert(CapacityPool, {"event": event, "name": "Salen"}, {"size": places})
        for position, (name_nb, name_en, price) in enumerate(offers):
            command.upsert(
                Offer,
                {"event": event, "name_nb": name_nb},
                {
                    "name_en": name_en,
                    "price": price,
                    "pool": pool,
                    "position": position,
                    "is_public": True,
                    "max_per_registration": 6,
                },
            )


# The study trip ---------------------------------------------------------------------------

# The 2016 Spain tour's figures, on the demo season's study trip (five days from this
# weekend's Sunday; the real one was 3–7 October 2016). Costs: days from its first day.
TOUR_PLAYERS = 50
TOUR_ADULTS = [
    ("conductor", ["Henrik Solheim"]),
    ("teacher", ["Marte Fjeldstad", "Jon Aune", "Kristine Bråthen"]),
    ("tour_leader", ["Tone Aasen", "Geir Bakke", "Linda Carlsen"]),
    (
        "companion",
        [
            "Anita Holm",
            "Rune Strand",
            "Heidi Dahl",
            "Øyvind Berg",
            "Camilla Lie",
            "Terje Moen",
            "Ingvild Eide",
            "Ståle Vik",
            "Marianne Foss",
            "Petter Lunde",
            "Elin Haugen",
            "Tor Solberg",
            "Grete Nygård",
            "Vegard Rud",
            "Åshild Tangen",
        ],
    ),
]
TOUR_BUDGET = 850000
# Actual costs: NOK 955,251, NOK 105,251 over the budget.
TOUR_COSTS = [
    ("Flyreiser Oslo–Valencia t/r", "travel", -110, 412600),
    ("Hotell, fire netter", "lodging", -35, 298400),
    ("Buss i Spania", "travel", -10, 96800),
    ("Mat og drikke", "food", -8, 104200),
    ("Leie av konsertlokaler", "venues", -15, 28000),
    ("Reiseforsikring", "insurance", -45, 15251),
]


def load_tour(command) -> None:
    """Make the demo season's study trip a tour with the 2016 figures: 50 players from the
    demo members (their guardians' travel consents, checklists and trip details), 1
    conductor, 3 teachers, 3 tour leaders, 15 companions, the guest ensemble, the budget
    and costs that overrun it by NOK 105,251. Participants are made once; the tour and its
    costs are brought up to date on every run. The first tour leader logs in as `turleder`.
    """
    from decimal import Decimal

    from orchestra.models import GuestEnsemble, Tour, TourCost, TourParticipant

    event = Event.objects.filter(uid=demo_uid(f"{SEASON}-studietur")).first()
    if event is None:
        return
    tour = command.upsert(
        Tour,
        {"event": event},
        {
            "destination": "Valencia, Spania",
            "time_zone": "Europe/Madrid",
            "budget": Decimal(TOUR_BUDGET),
            "notes": "Modellert på turen til Spania 3.–7. oktober 2016.",
        },
    )
    command.upsert(
        GuestEnsemble,
        {"event": event, "name": "Orquesta Juvenil de Valencia"},
        {"contact_name": "Lucía Martínez", "contact_email": "ojv@example.org", "players": 40},
    )
    for description, category, paid_on, amount in TOUR_COSTS:
        command.upsert(
            TourCost,
            {"tour": tour, "description": description},
            {
                "category": category,
                "paid_on": days(TOUR_FIRST_DAY + paid_on),
                "amount": Decimal(amount),
            },
        )
    if not tour.participants.exists():
        add_tour_participants(command, tour)
    turleder = get_user_model().objects.get(username="turleder")
    first_leader = (
        tour.participants.filter(role=TourParticipant.Role.TOUR_LEADER).order_by("pk").first()
    )
    if first_leader is not None and first_leader.user_id != turleder.pk:
        first_leader.user = turleder
        first_leader.save(update_fields=["user"])
        command.changes[("tour leader logins", "linked")] += 1


def add_tour_participants(command, tour) -> None:
    from decimal import Decimal

    from orchestra.models import TourParticipant
    from orchestra.selectors.members import members_with_status
    from orchestra.services import tours as tour_services

    rng = random.Random(2016)  # noqa: S311 -- demo data, not security
    last_day = tour.last_day
    players = list(
        members_with_status([StatusChange.Status.ACTIVE])
        .filter(anonymised_at__isnull=True)
        .order_by("pk")[:TOUR_PLAYERS]
    )
    consented = members_with_consent(ConsentText.Kind.TRAVEL, [member.pk for member in players])
    for member in players:
        ready = member.pk in consented
        tour_services.add_player(
            tour=tour,
            member=member,
            passport_valid_until=last_day
            + timedelta(days=rng.choice([-2, 200, 400, 900]) if ready else 400),
            ehic=rng.random() < 0.9,
            share_paid=ready and rng.random() < 0.85,
            share_amount=Decimal(4500) if ready else None,
            emergency_contacts="Besteforeldre, +47 400 00 000" if ready else "",
            dietary_needs=rng.choice(["", "", "", "Vegetar", "Laktosefri", "Glutenfri"]),
            medical_notes=rng.choice(["", "", "", "", "Astma: har inhalator med."]),
            by=None,
        )
    for role, names in TOUR_ADULTS:
        for number, name in enumerate(names, start=1):
            tour_services.add_adult(
                tour=tour,
                role=role,
                name=name,
                email=f"demo-tur-{role}-{number}@example.org",
                phone=f"+47 41{number:02d}{len(role):02d}00",
                passport_valid_until=last_day + timedelta(days=700),
                ehic=True,
                share_paid=role == TourParticipant.Role.COMPANION and rng.random() < 0.8,
                police_certificate_seen_on=days(-60) if rng.random() < 0.9 else None,
                by=None,
            )
    command.changes[("tour participants", "created")] += len(players) + sum(
        len(names) for _role, names in TOUR_ADULTS
    )


def load_member_login(command) -> None:
    """Give the oldest active member who may have one the demo member login `medlem`."""
    from orchestra.selectors.members import members_with_status

    medlem = get_user_model().objects.get(username="medlem")
    if Member.objects.filter(user=medlem).exists():
        return
    on = today()
    for member in (
        members_with_status([StatusChange.Status.ACTIVE])
        .filter(user__isnull=True, anonymised_at__isnull=True)
        .order_by("birth_date", "pk")
    ):
        if member.may_have_own_login_on(on) and member.age_on(on) < 18:
            services.link_member_login(member=member, user=medlem, today=on, by=None)
            command.changes[("member logins", "linked")] += 1
            return


# Messages to groups (core.group_messages): one sent to the youth symphony's guardians a
# few days ago, with one delivery that failed, and one scheduled for a Thursday evening
# (this week's, or the next one's once it has passed). The demo's emails are recorded as
# sent (none goes out when the demo loads); found again by their subjects on a later run.
SENT_SUBJECT = "Konsertklær til vårkonserten"
SCHEDULED_SUBJECT = "Påminnelse: helgesamling denne helgen"


def load_group_messages(command, groups: dict) -> None:
    from django.utils import timezone

    from core import group_messages
    from core.models import GroupMessage, OutboundMessage

    leader = get_user_model().objects.get(username="leder")
    youth = groups["ungdomssymfonikerne"]
    params = {"group": str(youth.pk)}
    common = {
        "by": leader,
        "audience": "orchestra.group_guardians",
        "audience_params": params,
        "category": GroupMessage.Category.GROUP_MESSAGE,
    }
    if not GroupMessage.objects.filter(subject_nb=SENT_SUBJECT).exists():
        message = group_messages.save_draft(
            **common,
            subject_nb=SENT_SUBJECT,
            text_nb=(
                "Hei!\n\nTil vårkonserten spiller alle i svart: svarte bukser eller skjørt og "
                "svart genser eller skjorte. Ta med notestativ og blyant.\n\nHilsen Lene"
            ),
            subject_en="What to wear at the spring concert",
            text_en=(
                "Hello!\n\nAt the spring concert everyone plays in black: black trousers or "
                "skirt and a black jumper or shirt. Bring a music stand and a pencil.\n\n"
                "Best wishes, Lene"
            ),
        )
        sent_at = timezone.now() - timedelta(days=3)
        group_messages.send_message(message, by=leader, now=sent_at)
        ids = list(
            message.recipients.exclude(email_message=None)
            .order_by("pk")
            .values_list("email_message_id", flat=True)
        )
        OutboundMessage.objects.filter(pk__in=ids[1:]).update(
            status=OutboundMessage.Status.SENT, attempts=1, sent_at=sent_at
        )
        OutboundMessage.objects.filter(pk__in=ids[:1]).update(
            status=OutboundMessage.Status.FAILED,
            attempts=1,
            last_error="550 5.1.1 <demo-foresatt@example.org>: Recipient address rejected",
        )
        command.changes[("messages to groups", "sent")] += 1
    when = at(days(3), "18:00")  # Thursday of the demo's week, else of the next one
    if when <= timezone.now():
        when = at(days(10), "18:00")
    scheduled = GroupMessage.objects.filter(subject_nb=SCHEDULED_SUBJECT).first()
    if scheduled is None:
        scheduled = group_messages.save_draft(
            **common,
            subject_nb=SCHEDULED_SUBJECT,
            text_nb=(
                "Husk helgesamlingen: oppmøte lørdag kl. 10.00. "
                "Svar i Kulturvest om dere ikke kommer."
            ),
        )
    if scheduled.status == GroupMessage.Status.DRAFT or (
        scheduled.status == GroupMessage.Status.SCHEDULED and scheduled.scheduled_at != when
    ):
        group_messages.schedule_message(scheduled, by=leader, at=when)
        command.changes[("messages to groups", "scheduled")] += 1
