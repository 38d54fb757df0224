"""Demo data of the events core, called first by `manage.py load_demo`: both programmes,
their editions and seasons, venues and events.

Every event has a fixed calendar UID (core.demo.demo_uid), by which the other apps'
demo modules find the events they build on; rows are saved through `command.upsert`, so
a second run changes nothing: no new rows, no new revisions for calendar subscribers.
Dates are counted from the demo's anchor (core.demo.anchor, this week's Monday), except
the 2016 edition's, which are the real ones; a run in a later week moves the events and
renames the periods to fit, and sets `command.moved_by` for the apps that follow.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import CommandError

from core.demo import OSLO, anchor, at, days, demo_uid, today
from events.models import Event, Municipality, Period, Programme, Venue

PROGRAMMES = {
    "kunst-rett-vest": {
        "name": "Kunst rett vest",
        "kind": Programme.Kind.ART_ROUND,
        "description_nb": (
            "Kunstrunde for profesjonelle billedkunstnere og kunsthåndverkere som bor "
            "eller arbeider i regionen: en jurert fellesutstilling og åpne atelierer og "
            "verksteder i helgene."
        ),
        "description_en": (
            "Art round for professional visual artists and craft artists living or "
            "working in the region: a juried joint exhibition and open studios and "
            "workshops at the weekends."
        ),
    },
    "ungdomssymfonikerne": {
        "name": "Ungdomssymfonikerne",
        "kind": Programme.Kind.ORCHESTRA,
        "description_nb": (
            "Gratis symfoniorkester for unge fra 8 til 18 år fra kulturskoler, "
            "skolekorps og skoleorkestre i regionen, med Juniorsymfonikerne for de yngste."
        ),
        "description_en": (
            "Free symphony orchestra for young people aged 8 to 18 from the culture "
            "schools, school bands and school orchestras of the region, with the junior "
            "symphony for the youngest."
        ),
    },
}

# The demo's periods. 2016 keeps its real dates (SPEC.md); the others are counted from
# the demo's anchor (core.demo: this week's Monday) so that every journey is open on any
# day: the current edition runs this week and the next (its decisions released, its
# studios open this weekend), the next edition's call is in review, the one after that
# has an open call, and the orchestra's season surrounds today. Period keys and event
# UIDs keep the years they were first given: they are names, not dates.
CURRENT, IN_REVIEW, OPEN_CALL = "krv-2026", "krv-2027", "krv-apen"
SEASON = "uso-2026-2027"
# The current edition's joint exhibition: from last Saturday to the Sunday after next.
CURRENT_FIRST_DAY, CURRENT_LAST_DAY = -2, 13
# The following editions: the same weeks one and two years (52 and 104 weeks) ahead.
YEAR = 364
# The season: twelve weeks back, 23 weeks ahead.
SEASON_FIRST_DAY, SEASON_LAST_DAY = -84, 160


def demo_periods(base: date | None = None) -> dict[str, tuple]:
    """Return key: (programme slug, period slug, name, start, end) for a demo anchored
    on ``base`` (default: today's anchor)."""
    base = base or anchor()

    def days(n: int) -> date:
        return base + timedelta(days=n)

    current = days(CURRENT_FIRST_DAY).year
    editions = {
        key: (current + number, days(CURRENT_FIRST_DAY + number * YEAR))
        for number, key in enumerate((CURRENT, IN_REVIEW, OPEN_CALL))
    }
    periods = {
        "krv-2016": (
            "kunst-rett-vest",
            "2016",
            "Kunst rett vest 2016",
            date(2016, 9, 10),
            date(2016, 9, 25),
        )
    }
    for key, (year, first) in editions.items():
        last = first + timedelta(days=CURRENT_LAST_DAY - CURRENT_FIRST_DAY)
        periods[key] = ("kunst-rett-vest", str(year), f"Kunst rett vest {year}", first, last)
    # The season is named for the school year of the anchor (August to June).
    first_year = base.year if base.month >= 8 else base.year - 1
    periods[SEASON] = (
        "ungdomssymfonikerne",
        f"{first_year}-{first_year + 1}",
        f"Ungdomssymfonikerne {first_year}–{first_year + 1}",
        days(SEASON_FIRST_DAY),
        days(SEASON_LAST_DAY),
    )
    return periods


# One venue a line: key | name | municipality number | address | postcode | place |
# latitude | longitude | capacity | description. The 2016 edition's venues hold
# the municipality of the 2017 map (valid to 2019-12-31); the venues in use today
# hold today's. Bærum kulturhus is used only in 2016, so no venue needs two rows.
VENUES = """
lien | Lien på Dikemark | 0220 | Dikemarkveien 150 | 1385 | Asker | 59.813700 | 10.376600 | \
    | Et bygg på det tidligere Dikemark sykehus: om lag 2 000 m² med 50 prosjektrom.
fengslet | Fengslet | 0605 | Storgata 2 | 3510 | Hønefoss | 60.166000 | 10.256000 | 150 \
    | Kunstsenter i det gamle fengselet i Hønefoss.
stoa | Støa | 0628 | Støaveien 10 | 3482 | Tofte | 59.545000 | 10.563000 | 80 \
    | Galleri og verksted ved fjorden i Hurum.
baerum-kulturhus | Bærum kulturhus | 0219 | Sandvikstorget 1 | 1338 | Sandvika \
    | 59.891100 | 10.523700 | 600 | Kulturhus i Sandvika med scene og utstillingsrom.
fabrikken | Fabrikken | 3203 | Hagaløkkveien 26 | 1383 | Asker | 59.836500 | 10.426000 \
    | | Kunstnerhus med verksteder og galleri i en gammel fabrikk i Asker sentrum.
drammens-museum | Drammens Museum | 3301 | Konnerudgata 7 | 3045 | Drammen | 59.737000 \
    | 10.227000 | 400 | Museum for kunst og kulturhistorie på Marienlyst, med park.
lier-kulturskole | Lier kulturskole | 3312 | Kirkebakken 10 | 3400 | Lier | 59.785300 \
    | 10.239400 | 120 | Øvingssaler og konsertsal i Lierbyen.
asker-kulturskole | Asker kulturskole | 3203 | Torvveien 2 | 1383 | Asker | 59.833300 \
    | 10.436700 | 150 | Kulturskolens lokaler på Føyka, med sal for orkester.
drammen-kulturskole | Drammen kulturskole | 3301 | Grønland 60 | 3015 | Drammen \
    | 59.744000 | 10.205000 | 250 | Kulturskole med konsertsal og grupperom.
honefoss-kulturskole | Hønefoss kulturskole | 3305 | Øvre Torv 3 | 3510 | Hønefoss \
    | 60.168000 | 10.258000 | 100 | Øvingslokaler midt i Hønefoss.
vestfossen-skole | Vestfossen skole | 3314 | Skolegata 5 | 3320 | Vestfossen | 59.735000 \
    | 9.873000 | 200 | Skole med gymsal og aula som brukes til helgesamlinger.
"""


# The orchestra's rehearsal weekends, one about every month: the week of its Saturday
# (counted from this week, 0) and its venue. Two are held, one is this weekend.
REHEARSAL_WEEKENDS = [
    (-10, "lier-kulturskole"),
    (-5, "asker-kulturskole"),
    (0, "drammen-kulturskole"),
    (5, "honefoss-kulturskole"),
    (10, "vestfossen-skole"),
    (15, "lier-kulturskole"),
    (20, "asker-kulturskole"),
]
# The numbers (from 1) of the weekends already held, with answers and attendance.
HELD_WEEKENDS = (1, 2)
# The master classes: key number, Saturday counted in days from the anchor.
MASTER_CLASS_DAYS = {"1": 12, "2": 26}
# Concerts: key, Sunday counted in days from the anchor, clock, venue. Their titles follow
# the time of year (concert_title).
CONCERTS = [
    ("jul", 20, "18:00", "drammen-kulturskole"),
    ("var", 83, "16:00", "lier-kulturskole"),
    ("sommer", 153, "14:00", "drammens-museum"),
]
# The study trip leaves on this weekend's Sunday, after the tutti, for five days: on any
# day of the demo it is ahead and its leaders' window (a week before) is open.
TOUR_FIRST_DAY = 6


def rehearsal_saturday(number: int, base: date | None = None) -> date:
    """Return the Saturday of the demo's rehearsal weekend with this number (from 1)."""
    week, _venue = REHEARSAL_WEEKENDS[number - 1]
    return (base or anchor()) + timedelta(days=7 * week + 5)


def concert_title(day: date) -> tuple[str, str]:
    """Name a concert for its time of year, in Norwegian and English."""
    if day.month == 12:
        return "Julekonsert", "Christmas concert"
    if day.month in (3, 4, 5):
        return "Vårkonsert", "Spring concert"
    if day.month in (6, 7, 8):
        return "Sommerkonsert", "Summer concert"
    if day.month in (9, 10, 11):
        return "Høstkonsert", "Autumn concert"
    return "Vinterkonsert", "Winter concert"


# key suffix, day offset from Saturday, start, end, title nb, title en
WEEKEND_SESSIONS = [
    ("tutti-lordag", 0, "10:00", "13:00", "Tutti", "Tutti rehearsal"),
    (
        "juniorer",
        0,
        "10:00",
        "15:00",
        "Juniorsymfonikerne (juniorene deltar bare lørdag)",
        "Junior symphony (the juniors attend Saturday only)",
    ),
    ("strykere", 0, "14:00", "16:00", "Gruppeøvelse strykere", "Sectional: strings"),
    ("treblas", 0, "14:00", "16:00", "Gruppeøvelse treblås", "Sectional: woodwind"),
    ("messing", 0, "14:00", "16:00", "Gruppeøvelse messing", "Sectional: brass"),
    ("slagverk", 0, "14:00", "16:00", "Gruppeøvelse slagverk", "Sectional: percussion"),
    ("tutti-sondag", 1, "10:00", "14:00", "Tutti søndag", "Sunday tutti"),
]


def load(command) -> None:
    """Load the programmes, their periods, the venues and the events."""
    command.moved_by = moved_by()
    programmes = {slug: load_programme(command, slug) for slug in PROGRAMMES}
    periods = load_periods(command, programmes)
    venues = load_venues(command)
    load_art_round_2016(command, periods["krv-2016"], venues)
    load_current_edition(command, periods[CURRENT], venues)
    load_edition_in_review(command, periods[IN_REVIEW], venues)
    load_orchestra_season(command, periods[SEASON], venues)


def previous_anchor() -> date | None:
    """Return the anchor of the last run, read off the current edition's exhibition."""
    start = (
        Event.objects.filter(uid=demo_uid(f"{CURRENT}-fellesutstilling"))
        .values_list("start", flat=True)
        .first()
    )
    if start is None:
        return None
    return start.astimezone(OSLO).date() - timedelta(days=CURRENT_FIRST_DAY)


def moved_by() -> timedelta:
    """Return how far (whole weeks) the anchor moved since the last run; zero on the first."""
    previous = previous_anchor()
    return anchor() - previous if previous else timedelta(0)


def load_programme(command, slug: str) -> Programme:
    return command.upsert(Programme, {"slug": slug}, PROGRAMMES[slug])


def load_periods(command, programmes) -> dict[str, Period]:
    """Bring the periods to today's demo, renaming those found under last run's slugs.

    Found by programme and the slug the last run gave them (an edition moved into a new
    year takes the next one's slug), the furthest first when the dates move ahead, so
    that no two periods hold one slug at any moment.
    """
    wanted = demo_periods()
    before = demo_periods(anchor() - command.moved_by) if command.moved_by else wanted
    order = list(wanted)
    if command.moved_by > timedelta(0):
        order.reverse()
    periods = {}
    for key in order:
        programme_slug, slug, name, start, end = wanted[key]
        programme = programmes[programme_slug]
        found = Period.objects.filter(programme=programme, slug=before[key][1]).first()
        lookup = {"pk": found.pk} if found else {"programme": programme, "slug": slug}
        values = {"name": name, "start": start, "end": end}
        if found:
            values |= {"programme": programme, "slug": slug}
        periods[key] = command.upsert(Period, lookup, values)
    return periods


def load_venues(command) -> dict[str, Venue]:
    venues = {}
    for line in VENUES.strip().splitlines():
        key, name, number, address, postcode, place, lat, lon, capacity, description = (
            cell.strip() for cell in line.split("|")
        )
        try:
            municipality = Municipality.objects.get(number=number)
        except Municipality.DoesNotExist:
            raise CommandError(
                f"Municipality {number} is missing: run `python manage.py migrate` first."
            ) from None
        venues[key] = command.upsert(
            Venue,
            {"name": name, "municipality": municipality},
            {
                "address": address,
                "postcode": postcode,
                "place": place,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "capacity": int(capacity) if capacity else None,
                "description": description,
            },
        )
    return venues


def event(
    command,
    key: str,
    *,
    period: Period,
    kind: str,
    title: tuple[str, str],
    start: datetime,
    end: datetime,
    venue: Venue | None = None,
    parent: Event | None = None,
    visibility: str = Event.Visibility.PUBLIC,
    description: tuple[str, str] = ("", ""),
) -> Event:
    return command.upsert(
        Event,
        {"uid": demo_uid(key)},
        {
            "period": period,
            "parent": parent,
            "kind": kind,
            "title_nb": title[0],
            "title_en": title[1],
            "description_nb": description[0],
            "description_en": description[1],
            "venue": venue,
            "start": start,
            "end": end,
            "visibility": visibility,
        },
    )


# The programmes ------------------------------------------------------------------------


def load_art_round_2016(command, period: Period, venues: dict) -> None:
    exhibition = event(
        command,
        "krv-2016-fellesutstilling",
        period=period,
        kind=Event.Kind.EXHIBITION,
        title=("Fellesutstilling på Lien", "Joint exhibition at Lien"),
        start=at("2016-09-10", "12:00"),
        end=at("2016-09-25", "17:00"),
        venue=venues["lien"],
        description=(
            "Hver kunstner viser ett verk i fellesutstillingen på Lien, et bygg på "
            "det tidligere Dikemark sykehus med 50 prosjektrom.",
            "Each artist shows one work in the joint exhibition at Lien, a building "
            "of the former Dikemark hospital with 50 project rooms.",
        ),
    )
    event(
        command,
        "krv-2016-apning",
        period=period,
        kind=Event.Kind.OPENING,
        title=("Åpning av fellesutstillingen", "Opening of the joint exhibition"),
        start=at("2016-09-10", "12:00"),
        end=at("2016-09-10", "14:00"),
        venue=venues["lien"],
        parent=exhibition,
    )
    open_studio_weekends(command, period, "krv-2016", ["2016-09-17", "2016-09-24"])
    local_exhibitions = [
        ("fengslet", "på Fengslet", "at Fengslet", "Ringerike og Hole", "Ringerike and Hole"),
        ("stoa", "på Støa", "at Støa", "Hurum", "Hurum"),
        ("baerum-kulturhus", "i Bærum kulturhus", "at Bærum kulturhus", "Bærum", "Bærum"),
    ]
    for venue_key, where_nb, where_en, by_nb, by_en in local_exhibitions:
        event(
            command,
            f"krv-2016-lokal-{venue_key}",
            period=period,
            kind=Event.Kind.EXHIBITION,
            title=(f"Lokal fellesutstilling {where_nb}", f"Local joint exhibition {where_en}"),
            start=at("2016-09-10", "12:00"),
            end=at("2016-09-25", "16:00"),
            venue=venues[venue_key],
            description=(f"Arrangert av {by_nb}.", f"Organised by {by_en}."),
        )
    event(
        command,
        "krv-2016-tegneverksted",
        period=period,
        kind=Event.Kind.WORKSHOP,
        title=("Tegneverksted på Lien", "Drawing workshop at Lien"),
        start=at("2016-09-18", "12:00"),
        end=at("2016-09-18", "15:00"),
        venue=venues["lien"],
        description=("Åpent verksted for alle aldre.", "Open workshop for all ages."),
    )
    event(
        command,
        "krv-2016-omvisning-skoleklasser",
        period=period,
        kind=Event.Kind.GUIDED_TOUR,
        title=("Omvisning for skoleklasser", "Guided tour for school classes"),
        start=at("2016-09-13", "09:00"),
        end=at("2016-09-13", "14:00"),
        venue=venues["lien"],
        description=(
            "Omvisning i fellesutstillingen for elever på 10. trinn.",
            "A guided tour of the joint exhibition for pupils in 10th grade.",
        ),
    )


def load_current_edition(command, period: Period, venues: dict) -> None:
    """The edition running now: its exhibition open this week, its studios this weekend."""
    first, last = period.start, period.end
    exhibition = event(
        command,
        f"{CURRENT}-fellesutstilling",
        period=period,
        kind=Event.Kind.EXHIBITION,
        title=("Fellesutstilling på Fabrikken", "Joint exhibition at Fabrikken"),
        start=at(first, "12:00"),
        end=at(last, "17:00"),
        venue=venues["fabrikken"],
        description=(
            "Årets jurerte fellesutstilling i kunstnerhuset Fabrikken i Asker.",
            "This year's juried joint exhibition in the artists' house Fabrikken in Asker.",
        ),
    )
    event(
        command,
        f"{CURRENT}-apning",
        period=period,
        kind=Event.Kind.OPENING,
        title=("Åpning av fellesutstillingen", "Opening of the joint exhibition"),
        start=at(first, "12:00"),
        end=at(first, "14:00"),
        venue=venues["fabrikken"],
        parent=exhibition,
    )
    open_studio_weekends(command, period, CURRENT, current_edition_weekends(period))


def current_edition_weekends(period: Period) -> list[date]:
    """The open-studio Saturdays of an edition: its first day and the Saturday after."""
    return [period.start, period.start + timedelta(days=7)]


def load_edition_in_review(command, period: Period, venues: dict) -> None:
    """Next year's edition, its call closed and in review (artists.demo)."""
    first, last = period.start, period.end
    exhibition = event(
        command,
        f"{IN_REVIEW}-fellesutstilling",
        period=period,
        kind=Event.Kind.EXHIBITION,
        title=("Fellesutstilling på Drammens Museum", "Joint exhibition at Drammens Museum"),
        start=at(first, "12:00"),
        end=at(last, "16:00"),
        venue=venues["drammens-museum"],
        description=(
            "Årets jurerte fellesutstilling, med Drammen som vertskommune.",
            "This year's juried joint exhibition, hosted by Drammen.",
        ),
    )
    event(
        command,
        f"{IN_REVIEW}-apning",
        period=period,
        kind=Event.Kind.OPENING,
        title=("Åpning av fellesutstillingen", "Opening of the joint exhibition"),
        start=at(first, "12:00"),
        end=at(first, "14:00"),
        venue=venues["drammens-museum"],
        parent=exhibition,
    )
    open_studio_weekends(
        command,
        period,
        IN_REVIEW,
        [first + timedelta(days=7), first + timedelta(days=14)],
    )
    workshop_day = first + timedelta(days=1)
    event(
        command,
        f"{IN_REVIEW}-grafikkverksted",
        period=period,
        kind=Event.Kind.WORKSHOP,
        title=("Grafikkverksted med utstillerne", "Printmaking workshop with the artists"),
        start=at(workshop_day, "11:00"),
        end=at(workshop_day, "15:00"),
        venue=venues["drammens-museum"],
        description=(
            "Verksted for voksne. Begrenset antall plasser, tildelt av arrangøren.",
            "A workshop for adults. Limited places, given by the organiser.",
        ),
    )


def open_studio_weekends(command, period: Period, prefix: str, saturdays: list) -> None:
    ordinals = [("første", "first"), ("andre", "second"), ("tredje", "third")]
    for number, saturday in enumerate(saturdays, start=1):
        nb, en = ordinals[number - 1]
        if isinstance(saturday, str):
            saturday = date.fromisoformat(saturday)
        sunday = saturday + timedelta(days=1)
        event(
            command,
            f"{prefix}-apne-atelierer-{number}",
            period=period,
            kind=Event.Kind.OPEN_STUDIO_WEEKEND,
            title=(f"Åpne atelierer, {nb} helg", f"Open studios, {en} weekend"),
            start=at(saturday, "11:00"),
            end=at(sunday, "17:00"),
            description=(
                "Kunstnerne åpner atelierer og verksteder rundt om i regionen.",
                "The artists open their studios and workshops around the region.",
            ),
        )


def load_orchestra_season(command, period: Period, venues: dict) -> None:
    members = Event.Visibility.MEMBERS
    for number, (_week, venue_key) in enumerate(REHEARSAL_WEEKENDS, start=1):
        venue = venues[venue_key]
        saturday = rehearsal_saturday(number)
        sunday = saturday + timedelta(days=1)
        weekend = event(
            command,
            f"{SEASON}-helg-{number}",
            period=period,
            kind=Event.Kind.REHEARSAL_WEEKEND,
            title=(f"Helgesamling {number} – {venue.place}", f"Rehearsal weekend {number}"),
            start=at(saturday, "10:00"),
            end=at(sunday, "14:00"),
            venue=venue,
            visibility=members,
            description=(
                "Samling med dirigenten; gruppeøvelser med instruktører.",
                "Weekend with the conductor; sectionals with tutors.",
            ),
        )
        for suffix, offset, start, end, title_nb, title_en in WEEKEND_SESSIONS:
            day = saturday + timedelta(days=offset)
            event(
                command,
                f"{SEASON}-helg-{number}-{suffix}",
                period=period,
                kind=Event.Kind.SESSION,
                title=(title_nb, title_en),
                start=at(day, start),
                end=at(day, end),
                venue=venue,
                parent=weekend,
                visibility=members,
            )

    # A session today, whatever the day: the conductor can take attendance in the demo.
    event(
        command,
        f"{SEASON}-ovelse-i-dag",
        period=period,
        kind=Event.Kind.SESSION,
        title=("Ekstra gruppeøvelse for strykere", "Extra sectional: strings"),
        start=at(today(), "17:30"),
        end=at(today(), "19:30"),
        venue=venues["asker-kulturskole"],
        visibility=members,
        description=(
            "Ekstraøvelse før neste samling, ledet av dirigenten.",
            "An extra rehearsal before the next weekend, led by the conductor.",
        ),
    )

    master_classes = [
        ("1", "drammen-kulturskole", "strykere", "strings"),
        ("2", "asker-kulturskole", "unge musikere", "young musicians"),
    ]
    for number, venue_key, who_nb, who_en in master_classes:
        day = days(MASTER_CLASS_DAYS[number])
        event(
            command,
            f"{SEASON}-mesterklasse-{number}",
            period=period,
            kind=Event.Kind.MASTER_CLASS,
            title=(f"Mesterklasse for {who_nb}", f"Master class for {who_en}"),
            start=at(day, "11:00"),
            end=at(day, "15:00"),
            venue=venues[venue_key],
            description=(
                "Ledet av unge profesjonelle musikere. Begrenset antall plasser.",
                "Given by young professional musicians. Limited places.",
            ),
        )

    for key, day, clock, venue_key in CONCERTS:
        start = at(days(day), clock)
        event(
            command,
            f"{SEASON}-konsert-{key}",
            period=period,
            kind=Event.Kind.CONCERT,
            title=concert_title(start.date()),
            start=start,
            end=start + timedelta(minutes=90),
            venue=venues[venue_key],
            description=(
                "Ungdomssymfonikerne og Juniorsymfonikerne spiller. Gratis inngang.",
                "The youth symphony and the junior symphony play. Free entry.",
            ),
        )

    first = days(TOUR_FIRST_DAY)
    tour = event(
        command,
        f"{SEASON}-studietur",
        period=period,
        kind=Event.Kind.TOUR,
        title=("Studietur til Spania", "Study trip to Spain"),
        start=at(first, "16:00"),
        end=at(first + timedelta(days=4), "22:00"),
        visibility=members,
        description=(
            "Studietur til Valencia med gjesteorkester, seminarer og to konserter.",
            "Study trip to Valencia with a guest orchestra, seminars and two concerts.",
        ),
    )
    itinerary = [
        ("utreise", 0, "16:00", "23:00", "Reise til Valencia", "Travel to Valencia"),
        (
            "ovelse",
            1,
            "10:00",
            "13:00",
            "Felles øvelse med gjesteorkesteret",
            "Joint rehearsal with the guest orchestra",
        ),
        (
            "konsert-1",
            1,
            "19:00",
            "20:30",
            "Konsert i Valencia",
            "Concert in Valencia",
        ),
        (
            "seminar",
            2,
            "10:00",
            "16:00",
            "Seminar ved konservatoriet",
            "Seminar at the conservatory",
        ),
        (
            "konsert-2",
            3,
            "19:00",
            "20:30",
            "Konsert i Sagunto",
            "Concert in Sagunto",
        ),
        ("hjemreise", 4, "09:00", "22:00", "Hjemreise", "Journey home"),
    ]
    for key, offset, start, end, title_nb, title_en in itinerary:
        day = first + timedelta(days=offset)
        event(
            command,
            f"{SEASON}-studietur-{key}",
            period=period,
            kind=Event.Kind.SESSION,
            title=(title_nb, title_en),
            start=at(day, start),
            end=at(day, end),
            parent=tour,
            visibility=members,
        )
