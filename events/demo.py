"""Demo data of the events core, called first by `manage.py load_demo`: both programmes,
their editions and seasons, venues and events.

Every event has a fixed calendar UID (core.demo.demo_uid), by which the other apps'
demo modules find the events they build on; rows are saved through `command.upsert`, so
a second run changes nothing: no new rows, no new revisions for calendar subscribers.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import CommandError

from core.demo import at, demo_uid
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

# key: programme slug, period slug, name, start, end
PERIODS = {
    "krv-2016": ("kunst-rett-vest", "2016", "Kunst rett vest 2016", "2016-09-10", "2016-09-25"),
    "krv-2026": ("kunst-rett-vest", "2026", "Kunst rett vest 2026", "2026-09-12", "2026-09-27"),
    "krv-2027": ("kunst-rett-vest", "2027", "Kunst rett vest 2027", "2027-09-04", "2027-09-19"),
    "uso-2026-2027": (
        "ungdomssymfonikerne",
        "2026-2027",
        "Ungdomssymfonikerne 2026–2027",
        "2026-08-15",
        "2027-06-30",
    ),
}

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


# The orchestra's rehearsal weekends: Saturday, venue.
REHEARSAL_WEEKENDS = [
    ("2026-09-12", "lier-kulturskole"),
    ("2026-11-14", "asker-kulturskole"),
    ("2027-01-16", "drammen-kulturskole"),
    ("2027-02-13", "honefoss-kulturskole"),
    ("2027-03-13", "vestfossen-skole"),
    ("2027-04-10", "lier-kulturskole"),
    ("2027-05-08", "asker-kulturskole"),
]

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
    programmes = {slug: load_programme(command, slug) for slug in PROGRAMMES}
    periods = {key: load_period(command, programmes, *spec) for key, spec in PERIODS.items()}
    venues = load_venues(command)
    load_art_round_2016(command, periods["krv-2016"], venues)
    load_art_round_2026(command, periods["krv-2026"], venues)
    load_art_round_2027(command, periods["krv-2027"], venues)
    load_orchestra_season(command, periods["uso-2026-2027"], venues)


def load_programme(command, slug: str) -> Programme:
    return command.upsert(Programme, {"slug": slug}, PROGRAMMES[slug])


def load_period(command, programmes, programme_slug, slug, name, start, end) -> Period:
    return command.upsert(
        Period,
        {"programme": programmes[programme_slug], "slug": slug},
        {"name": name, "start": date.fromisoformat(start), "end": date.fromisoformat(end)},
    )


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


def load_art_round_2026(command, period: Period, venues: dict) -> None:
    exhibition = event(
        command,
        "krv-2026-fellesutstilling",
        period=period,
        kind=Event.Kind.EXHIBITION,
        title=("Fellesutstilling på Fabrikken", "Joint exhibition at Fabrikken"),
        start=at("2026-09-12", "12:00"),
        end=at("2026-09-27", "17:00"),
        venue=venues["fabrikken"],
        description=(
            "Årets jurerte fellesutstilling i kunstnerhuset Fabrikken i Asker.",
            "This year's juried joint exhibition in the artists' house Fabrikken in Asker.",
        ),
    )
    event(
        command,
        "krv-2026-apning",
        period=period,
        kind=Event.Kind.OPENING,
        title=("Åpning av fellesutstillingen", "Opening of the joint exhibition"),
        start=at("2026-09-12", "12:00"),
        end=at("2026-09-12", "14:00"),
        venue=venues["fabrikken"],
        parent=exhibition,
    )
    open_studio_weekends(command, period, "krv-2026", ["2026-09-19", "2026-09-26"])


def load_art_round_2027(command, period: Period, venues: dict) -> None:
    exhibition = event(
        command,
        "krv-2027-fellesutstilling",
        period=period,
        kind=Event.Kind.EXHIBITION,
        title=("Fellesutstilling på Drammens Museum", "Joint exhibition at Drammens Museum"),
        start=at("2027-09-04", "12:00"),
        end=at("2027-09-19", "16:00"),
        venue=venues["drammens-museum"],
        description=(
            "Årets jurerte fellesutstilling, med Drammen som vertskommune.",
            "This year's juried joint exhibition, hosted by Drammen.",
        ),
    )
    event(
        command,
        "krv-2027-apning",
        period=period,
        kind=Event.Kind.OPENING,
        title=("Åpning av fellesutstillingen", "Opening of the joint exhibition"),
        start=at("2027-09-04", "12:00"),
        end=at("2027-09-04", "14:00"),
        venue=venues["drammens-museum"],
        parent=exhibition,
    )
    open_studio_weekends(command, period, "krv-2027", ["2027-09-11", "2027-09-18"])
    event(
        command,
        "krv-2027-grafikkverksted",
        period=period,
        kind=Event.Kind.WORKSHOP,
        title=("Grafikkverksted med utstillerne", "Printmaking workshop with the artists"),
        start=at("2027-09-05", "11:00"),
        end=at("2027-09-05", "15:00"),
        venue=venues["drammens-museum"],
        description=(
            "Verksted for voksne. Begrenset antall plasser, tildelt av arrangøren.",
            "A workshop for adults. Limited places, given by the organiser.",
        ),
    )


def open_studio_weekends(command, period: Period, prefix: str, saturdays: list[str]) -> None:
    ordinals = [("første", "first"), ("andre", "second"), ("tredje", "third")]
    for number, saturday in enumerate(saturdays, start=1):
        nb, en = ordinals[number - 1]
        sunday = (date.fromisoformat(saturday) + timedelta(days=1)).isoformat()
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
    for number, (saturday, venue_key) in enumerate(REHEARSAL_WEEKENDS, start=1):
        venue = venues[venue_key]
        sunday = (date.fromisoformat(saturday) + timedelta(days=1)).isoformat()
        weekend = event(
            command,
            f"uso-2026-2027-helg-{number}",
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
            day = (date.fromisoformat(saturday) + timedelta(days=offset)).isoformat()
            event(
                command,
                f"uso-2026-2027-helg-{number}-{suffix}",
                period=period,
                kind=Event.Kind.SESSION,
                title=(title_nb, title_en),
                start=at(day, start),
                end=at(day, end),
                venue=venue,
                parent=weekend,
                visibility=members,
            )

    master_classes = [
        ("1", "2026-10-24", "drammen-kulturskole", "strykere", "strings"),
        ("2", "2027-03-20", "asker-kulturskole", "blåsere", "wind players"),
    ]
    for number, day, venue_key, who_nb, who_en in master_classes:
        event(
            command,
            f"uso-2026-2027-mesterklasse-{number}",
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

    concerts = [
        ("jul", "2026-12-13", "18:00", "drammen-kulturskole", "Julekonsert", "Christmas"),
        ("var", "2027-04-11", "16:00", "lier-kulturskole", "Vårkonsert", "Spring"),
        ("sommer", "2027-06-06", "14:00", "drammens-museum", "Sommerkonsert", "Summer"),
    ]
    for key, day, clock, venue_key, title_nb, title_en in concerts:
        start = at(day, clock)
        event(
            command,
            f"uso-2026-2027-konsert-{key}",
            period=period,
            kind=Event.Kind.CONCERT,
            title=(title_nb, f"{title_en} concert"),
            start=start,
            end=start + timedelta(minutes=90),
            venue=venues[venue_key],
            description=(
                "Ungdomssymfonikerne og Juniorsymfonikerne spiller. Gratis inngang.",
                "The youth symphony and the junior symphony play. Free entry.",
            ),
        )

    tour = event(
        command,
        "uso-2026-2027-studietur",
        period=period,
        kind=Event.Kind.TOUR,
        title=("Studietur til Spania", "Study trip to Spain"),
        start=at("2026-10-03", "06:00"),
        end=at("2026-10-07", "22:00"),
        visibility=members,
        description=(
            "Studietur til Valencia med gjesteorkester, seminarer og to konserter.",
            "Study trip to Valencia with a guest orchestra, seminars and two concerts.",
        ),
    )
    itinerary = [
        ("utreise", "2026-10-03", "06:00", "14:00", "Reise til Valencia", "Travel to Valencia"),
        (
            "ovelse",
            "2026-10-04",
            "10:00",
            "13:00",
            "Felles øvelse med gjesteorkesteret",
            "Joint rehearsal with the guest orchestra",
        ),
        (
            "konsert-1",
            "2026-10-04",
            "19:00",
            "20:30",
            "Konsert i Valencia",
            "Concert in Valencia",
        ),
        (
            "seminar",
            "2026-10-05",
            "10:00",
            "16:00",
            "Seminar ved konservatoriet",
            "Seminar at the conservatory",
        ),
        (
            "konsert-2",
            "2026-10-06",
            "19:00",
            "20:30",
            "Konsert i Sagunto",
            "Concert in Sagunto",
        ),
        ("hjemreise", "2026-10-07", "09:00", "22:00", "Hjemreise", "Journey home"),
    ]
    for key, day, start, end, title_nb, title_en in itinerary:
        event(
            command,
            f"uso-2026-2027-studietur-{key}",
            period=period,
            kind=Event.Kind.SESSION,
            title=(title_nb, title_en),
            start=at(day, start),
            end=at(day, end),
            parent=tour,
            visibility=members,
        )
