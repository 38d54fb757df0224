"""Demo exhibitions, open studios and visitor counts of Kunst rett vest, for `load_demo`.

2016 is built on the real figures (SPEC.md): the joint exhibition at Lien with 140 works,
31 of the artists placed at Lien instead of a studio, 109 open studios, the three local
exhibitions, and tallies that add up to 4,250 visits at the joint exhibition (750 of them
pupils) and 14,300 visits across the 109 studios, with NOK 970,000 of art sold. The local
exhibitions' visits, the QR registrations and the split by day are synthetic. Editions
2007–2015 have only their reported totals, which bring 2007–2016 to 153,000 visits; 2017
is reported lower than 2016, as it was. 2026 is the latest edition: its studios are on the
map, with a few days counted.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from artists.demo_art import DIMENSIONS
from artists.demo_art import TECHNIQUES as KIND_TECHNIQUES
from artists.models import (
    Application,
    Artist,
    ArtistImage,
    ArtSale,
    Call,
    Decision,
    DecisionChange,
    Exhibition,
    ExhibitionHours,
    QrVisit,
    ReportedFigures,
    Studio,
    StudioHours,
    VisitTally,
    Work,
)
from artists.selectors.profiles import accepted_artists
from core.demo import at, days, demo_uid, shift, today
from events.demo import CURRENT, current_edition_weekends
from events.models import Event, Municipality, Period, Programme, Venue

JOINT_VISITS_2016 = 4250
JOINT_PUPILS_2016 = 750
STUDIO_VISITS_2016 = 14300
OPEN_STUDIOS_2016 = 109
AT_LIEN_2016 = 31
ART_SALES_2016 = 970_000
ALL_TIME_VISITS_2007_2016 = 153_000
# Synthetic: the local exhibitions' visits in 2016 (no real figure is known).
LOCAL_VISITS_2016 = {"fengslet": 1150, "stoa": 640, "baerum-kulturhus": 1380}
ORGANISERS_2016 = {"fengslet": ["0605", "0612"], "stoa": ["0628"], "baerum-kulturhus": ["0219"]}
ACCEPTED_2026 = 60

# Rough centres of the region's municipalities, by name (old and new numbers share names).
CENTRES = {
    "Bærum": (59.894, 10.546),
    "Asker": (59.834, 10.435),
    "Drammen": (59.744, 10.204),
    "Ringerike": (60.168, 10.257),
    "Hole": (60.068, 10.300),
    "Sigdal": (60.049, 9.633),
    "Krødsherad": (60.150, 9.620),
    "Modum": (59.960, 9.980),
    "Øvre Eiker": (59.780, 9.900),
    "Nedre Eiker": (59.762, 10.030),
    "Lier": (59.787, 10.243),
    "Røyken": (59.748, 10.395),
    "Hurum": (59.590, 10.520),
    "Svelvik": (59.612, 10.408),
    "Sande": (59.588, 10.207),
}
SCHOOLS = [
    "Borgen ungdomsskole",
    "Bleiker ungdomsskole",
    "Hvalstad ungdomsskole",
    "Risenga ungdomsskole",
    "Arnestad skole",
    "Heggedal skole",
]
TECHNIQUES = [
    ("Olje på lerret", "80 × 100 cm"),
    ("Akryl på lerret", "60 × 80 cm"),
    ("Tresnitt", "40 × 50 cm"),
    ("Steintøy, glasert", "30 × 30 × 45 cm"),
    ("Glass, blåst", "25 × 25 × 40 cm"),
    ("Sølv og emalje", "8 × 8 cm"),
    ("Fotografi, pigmentprint", "70 × 100 cm"),
    ("Tekstil, vevd ull", "120 × 160 cm"),
    ("Bronse", "20 × 20 × 60 cm"),
    ("Blyant på papir", "50 × 70 cm"),
]
TITLES = [
    "Lys over fjorden", "Stille vann", "Vinterlinjer", "Skogbunn", "Kyststein", "Uten tittel",
    "Morgen", "Speil", "Rester", "Vekst", "Tåkelandskap", "Overgang", "Bølge", "Nattfarger",
]  # fmt: skip
# How artists name their studios and workshops.
STUDIO_NAMES = [
    "Atelier {name}",
    "Atelier {name}",
    "{name}s verksted",
    "Atelier {last}, {place}",
    "Verkstedet til {name}",
]
SOLD = ["Grafikkblad", "Keramikkskål", "Lite maleri", "Smykke", "Tegning", "Glassfat"]


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def split_exactly(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split a total into integer parts proportional to the weights, adding up exactly."""
    spare = total - minimum * len(weights)
    scale = sum(weights)
    shares = [spare * weight / scale for weight in weights]
    parts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - parts[i], reverse=True)
    for index in by_remainder[: spare - sum(parts)]:
        parts[index] += 1
    return [part + minimum for part in parts]


def chunks(total: int, rng: random.Random, largest: int) -> list[int]:
    """Split a day's visitors into entries the way hosts tap them: mostly small groups."""
    entries = []
    while total > 0:
        entry = min(total, rng.randint(1, largest))
        entries.append(entry)
        total -= entry
    return entries


def load(command) -> None:
    edition_2016 = Period.objects.get(programme__slug="kunst-rett-vest", slug="2016")
    current = Event.objects.get(uid=demo_uid(f"{CURRENT}-fellesutstilling")).period
    host = get_user_model().objects.get(username="vert")
    if not Exhibition.objects.filter(event__period=edition_2016).exists():
        exhibitions_2016(command, edition_2016, host)
    call = current_call(command, current)
    if not call.applications.exists():
        current_edition_with_studios(command, current, call, host)
    else:
        move_current_edition(command, current)
    reported_figures(command, edition_2016)


# --- 2016 ---------------------------------------------------------------------------


def exhibitions_2016(command, edition: Period, host) -> None:
    rng = random.Random(2016_09)  # noqa: S311 -- demo data, not security
    joint = make_exhibition(command, "krv-2016-fellesutstilling", Exhibition.Role.JOINT, host)
    joint.host_municipality = Municipality.objects.get(number="0220")
    joint.save(update_fields=["host_municipality"])
    exhibition_hours(joint, list(days_between(date(2016, 9, 10), date(2016, 9, 25))))
    locals_ = {}
    for key, numbers in ORGANISERS_2016.items():
        local = make_exhibition(command, f"krv-2016-lokal-{key}", Exhibition.Role.LOCAL, host)
        local.organising_municipalities.set(Municipality.objects.filter(number__in=numbers))
        exhibition_hours(
            local,
            [
                day
                for day in days_between(date(2016, 9, 10), date(2016, 9, 25))
                if day.weekday() >= 3  # Thursday to Sunday
            ],
            opens="12:00",
            closes="16:00",
        )
        locals_[key] = local

    artists = list(accepted_artists(edition).order_by("pk"))
    lien = joint.event.venue
    at_lien = set(rng.sample([artist.pk for artist in artists], AT_LIEN_2016))
    works = make_works(edition, artists, rng, shared_venue=lien, at_venue=at_lien)
    command.changes[("exhibited works", "created")] += len(works)
    in_studios = [artist for artist in artists if artist.pk not in at_lien]
    studios = make_studios(command, edition, in_studios, rng, weekends=("2016-09-17", "2016-09-24"))

    tallies = joint_exhibition_tallies(edition, joint, rng)
    for key, local in locals_.items():
        tallies += local_exhibition_tallies(edition, local, LOCAL_VISITS_2016[key], rng)
    tallies += studio_tallies(edition, studios, STUDIO_VISITS_2016, rng)
    VisitTally.objects.bulk_create(tallies, batch_size=1000)
    command.changes[("visitor tallies", "created")] += len(tallies)
    qr_visits = qr_registrations(edition, tallies, rng)
    QrVisit.objects.bulk_create(qr_visits, batch_size=1000)
    command.changes[("QR registrations", "created")] += len(qr_visits)
    sales = art_sales(edition, artists, works, ART_SALES_2016, rng)
    ArtSale.objects.bulk_create(sales)
    command.changes[("art sales", "created")] += len(sales)


def make_exhibition(command, key: str, role: str, host) -> Exhibition:
    event = Event.objects.get(uid=demo_uid(key))
    event.hosts.add(host)
    exhibition = Exhibition(event=event, role=role)
    exhibition.full_clean()
    exhibition.save()
    command.changes[("exhibitions", "created")] += 1
    return exhibition


def exhibition_hours(exhibition, days, opens="12:00", closes="17:00") -> None:
    ExhibitionHours.objects.bulk_create(
        ExhibitionHours(
            exhibition=exhibition,
            date=day,
            opens=time.fromisoformat("11:00" if day.weekday() >= 5 else opens),
            closes=time.fromisoformat(closes),
        )
        for day in days
        if day.weekday() != 0  # closed on Mondays
    )


def make_works(edition, artists, rng, *, shared_venue=None, at_venue=()) -> list[Work]:
    """The work each artist shows: the first of their gallery, with its picture."""
    kind_of = {
        technique: kind for kind, techniques in KIND_TECHNIQUES.items() for technique in techniques
    }
    first_images = {
        image.artist_id: image
        for image in ArtistImage.objects.filter(artist__in=artists, position=0)
    }
    works = []
    for position, artist in enumerate(artists):
        technique, dimensions = rng.choice(TECHNIQUES)
        title = rng.choice(TITLES)
        image = first_images.get(artist.pk)
        if image is not None:
            title, technique = image.title, image.technique
            dimensions = rng.choice(DIMENSIONS[kind_of.get(technique, "painting")])
        for_sale = rng.random() < 0.8
        works.append(
            Work(
                artist=artist,
                edition=edition,
                title=title,
                year=edition.start.year - rng.randint(0, 2),
                technique=technique,
                dimensions=dimensions,
                image=image.image.name if image else "",
                display=image.display.name if image else "",
                thumbnail=image.thumbnail.name if image else "",
                for_sale=for_sale,
                price=rng.randrange(4000, 60000, 500) if for_sale else None,
                project_room=f"Prosjektrom {position % 50 + 1}" if artist.pk in at_venue else "",
                shared_venue=shared_venue if artist.pk in at_venue else None,
            )
        )
    return Work.objects.bulk_create(works)


def make_studios(command, edition, artists, rng, *, weekends) -> list[Studio]:
    """One studio per artist near their home municipality's centre, numbered and published."""
    municipalities = {m.name: m for m in Municipality.objects.filter(name__in=CENTRES)}
    studios = []
    for number, artist in enumerate(
        sorted(artists, key=lambda a: (a.home_municipality.name, a.pk)), start=1
    ):
        name = artist.home_municipality.name
        latitude, longitude = CENTRES.get(name, CENTRES["Asker"])
        municipality = valid_municipality(municipalities, name, edition)
        venue = Venue.objects.create(
            name=rng.choice(STUDIO_NAMES).format(
                name=artist.name, last=artist.name.split()[-1], place=name
            ),
            address=f"{rng.choice(['Skogveien', 'Fjordveien', 'Bakkehaugen', 'Gamleveien'])} "
            f"{rng.randint(1, 80)}",
            place=name,
            municipality=municipality,
            latitude=Decimal(f"{latitude + rng.uniform(-0.06, 0.06):.6f}"),
            longitude=Decimal(f"{longitude + rng.uniform(-0.1, 0.1):.6f}"),
            accessibility=rng.choice(["", "Trinnfri inngang.", "Atelier i andre etasje, trapp."]),
        )
        studio = Studio.objects.create(
            edition=edition, venue=venue, number=number, is_published=True
        )
        studio.artists.add(artist)
        studios.append(studio)
    hours = []
    for studio in studios:
        saturdays = weekends if rng.random() < 0.85 else weekends[:1]
        for saturday in saturdays:
            first = date.fromisoformat(saturday)
            for day in (first, first + timedelta(days=1)):
                hours.append(StudioHours(studio=studio, date=day, opens=time(11), closes=time(17)))
    StudioHours.objects.bulk_create(hours)
    command.changes[("studios", "created")] += len(studios)
    return studios


def valid_municipality(by_name: dict, name: str, edition: Period) -> Municipality:
    """The municipality of that name on the map of the edition's year."""
    matches = Municipality.objects.filter(name=name).order_by("-valid_from")
    for municipality in matches:
        if municipality.valid_from <= edition.start and (
            municipality.valid_to is None or edition.start <= municipality.valid_to
        ):
            return municipality
    return matches.first() or by_name["Asker"]


def tally(edition, place, day, visitors, category=VisitTally.Category.SINGLE, **extra):
    field = "studio" if isinstance(place, Studio) else "exhibition"
    return VisitTally(
        edition=edition,
        **{field: place},
        date=day,
        category=category,
        visitors=visitors,
        recorded_at=at(day, "17:30"),
        **extra,
    )


def joint_exhibition_tallies(edition, joint, rng) -> list[VisitTally]:
    days = [hours.date for hours in joint.hours.order_by("date")]
    opening = days[0]
    rows = [
        tally(edition, joint, opening, n, VisitTally.Category.OPENING_GUEST) for n in (200, 160)
    ]
    # 30 classes of 10th graders from Asker on the weekdays: 750 pupils and their teachers.
    weekdays = [day for day in days if day.weekday() < 5]
    pupils = split_exactly(JOINT_PUPILS_2016, [1] * 30)
    for index, class_pupils in enumerate(pupils):
        rows.append(
            tally(
                edition,
                joint,
                weekdays[index % len(weekdays)],
                class_pupils + 2,
                VisitTally.Category.SCHOOL_CLASS,
                pupils=class_pupils,
                school=SCHOOLS[index % len(SCHOOLS)],
            )
        )
    for index in range(10):
        rows.append(
            tally(edition, joint, days[index + 2], 18 + index, VisitTally.Category.GUIDED_GROUP)
        )
    singles = JOINT_VISITS_2016 - sum(row.visitors for row in rows)
    weights = [3.0 if day.weekday() >= 5 else 1.0 for day in days]
    for day, visitors in zip(days, split_exactly(singles, weights), strict=True):
        rows += [tally(edition, joint, day, n) for n in chunks(visitors, rng, 20)]
    return rows


def local_exhibition_tallies(edition, local, visits, rng) -> list[VisitTally]:
    days = [hours.date for hours in local.hours.order_by("date")]
    rows = [tally(edition, local, days[0], 60, VisitTally.Category.OPENING_GUEST)]
    weights = [2.0 if day.weekday() >= 5 else 1.0 for day in days]
    for day, visitors in zip(days, split_exactly(visits - 60, weights), strict=True):
        rows += [tally(edition, local, day, n) for n in chunks(visitors, rng, 15)]
    return rows


def studio_tallies(edition, studios, total, rng) -> list[VisitTally]:
    weights = [rng.lognormvariate(0, 0.6) for _studio in studios]
    rows = []
    for studio, visits in zip(studios, split_exactly(total, weights, minimum=25), strict=True):
        days = [hours.date for hours in studio.hours.all()]
        per_day = split_exactly(visits, [1.2 if day.weekday() == 5 else 1.0 for day in days])
        for day, visitors in zip(days, per_day, strict=True):
            rows += [tally(edition, studio, day, n) for n in chunks(visitors, rng, 12)]
    return rows


def qr_registrations(edition, tallies, rng) -> list[QrVisit]:
    """A small share of visitors scan the poster: about one in fourteen."""
    visits = []
    for row in tallies:
        for _visitor in range(row.visitors):
            if rng.random() < 0.07:
                place = {"studio": row.studio} if row.studio else {"exhibition": row.exhibition}
                visits.append(
                    QrVisit(edition=edition, **place, date=row.date, registered_at=row.recorded_at)
                )
    return visits


def art_sales(edition, artists, works, total, rng, days=None) -> list[ArtSale]:
    works_by_artist = {work.artist_id: work for work in works}
    amounts = []
    while sum(amounts) < total:
        amounts.append(rng.randrange(1500, 30000, 500))
    amounts[-1] -= sum(amounts) - total
    if amounts[-1] < 500:
        amounts[-2] += amounts.pop()
    sales = []
    for amount in amounts:
        artist = rng.choice(artists)
        work = works_by_artist.get(artist.pk)
        sold_work = work if work and work.for_sale and rng.random() < 0.3 else None
        day = rng.choice(days) if days else date(2016, 9, rng.randint(10, 25))
        sales.append(
            ArtSale(
                edition=edition,
                artist=artist,
                work=sold_work,
                description="" if sold_work else rng.choice(SOLD),
                amount=amount,
                sold_on=day,
                recorded_at=at(day, "18:00"),
            )
        )
    return sales


# --- editions before and after 2016 ---------------------------------------------------


def reported_figures(command, edition_2016: Period) -> None:
    """Reported totals of 2007–2015 (adding up, with 2016, to 153,000) and of 2017."""
    programme = Programme.objects.get(slug="kunst-rett-vest")
    counted_2016 = (
        VisitTally.objects.filter(edition=edition_2016, voided_at__isnull=True).aggregate(
            total=Sum("visitors")
        )["total"]
        or 0
    )
    earlier = split_exactly(
        ALL_TIME_VISITS_2007_2016 - counted_2016,
        [0.7, 0.78, 0.86, 0.92, 0.98, 1.03, 1.08, 1.12, 1.16],
    )
    figures = dict(zip(range(2007, 2016), earlier, strict=True))
    figures[2017] = 15_900  # fewer visitors than the years before
    for year, visits in figures.items():
        period = command.upsert(
            Period,
            {"programme": programme, "slug": str(year)},
            {
                "name": f"Kunst rett vest {year}",
                "start": date(year, 9, 8),
                "end": date(year, 9, 23),
            },
        )
        joint = round(visits * 0.22)
        command.upsert(
            ReportedFigures,
            {"edition": period},
            {
                "joint_exhibition_visits": joint,
                "joint_exhibition_pupils": round(joint * 0.15),
                "local_exhibition_visits": round(visits * 0.08),
                "studio_visits": visits - joint - round(visits * 0.08),
                "open_studios": 80 + (year - 2007) * 3,
                "artists": 100 + (year - 2007) * 4,
                "art_sales": round(visits * 50, -3),
                "source": "Årsrapport (demo)",
            },
        )


MONTHS_NB = [
    "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "desember",
]  # fmt: skip
MONTHS_EN = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def deadline_texts(closes: date, past: bool = False) -> tuple[str, str]:
    nb_day = f"{closes.day}. {MONTHS_NB[closes.month - 1]}"
    en_day = f"{closes.day} {MONTHS_EN[closes.month - 1]}"
    if past:
        return f"Søknadsfristen var {nb_day} kl. 12.", f"The deadline was {en_day} at noon."
    return f"Søknadsfristen er {nb_day} kl. 12.", f"The deadline is {en_day} at noon."


# The current edition's call, counted from the anchor (days): it closed months ago and
# its decisions are released.
CURRENT_CALL = {"opens": -300, "closes": -210, "released": -150}


def current_call(command, edition: Period) -> Call:
    closes = days(CURRENT_CALL["closes"])
    text_nb, text_en = deadline_texts(closes, past=True)
    return command.upsert(
        Call,
        {"period": edition},
        {
            "opens_at": at(days(CURRENT_CALL["opens"]), "09:00"),
            "closes_at": at(closes, "12:00"),
            "introduction_nb": text_nb,
            "introduction_en": text_en,
        },
    )


def current_edition_with_studios(command, edition: Period, call: Call, host) -> None:
    """The edition running now: 60 accepted artists (`kunstner` among them), their works
    and open studios; the exhibition and studios counted on the days already open."""
    rng = random.Random(2026)  # noqa: S311 -- demo data
    current = Municipality.objects.filter(valid_to__isnull=True)
    candidates = list(
        Artist.objects.filter(slug__startswith="demo-artist-", home_municipality__in=current)
    )
    kunstner = Artist.objects.get(user__username="kunstner")
    chosen = [kunstner, *rng.sample(candidates, min(ACCEPTED_2026, len(candidates)) - 1)]
    submitted_at = at(days(CURRENT_CALL["closes"] - 6), "12:00")
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            artist=artist,
            state=Application.State.SUBMITTED,
            statement="Jeg viser nye arbeider.",  # never the name: the review is blind
            created_at=submitted_at,
            submitted_at=submitted_at,
        )
        for artist in chosen
    )
    released_at = at(days(CURRENT_CALL["released"]), "12:00")
    decisions = Decision.objects.bulk_create(
        Decision(
            application=application, outcome=Decision.Outcome.ACCEPTED, released_at=released_at
        )
        for application in applications
    )
    DecisionChange.objects.bulk_create(
        DecisionChange(decision=d, from_outcome="", to_outcome=d.outcome, changed_at=released_at)
        for d in decisions
    )
    command.changes[("applications", "created")] += len(applications)
    joint = make_exhibition(command, f"{CURRENT}-fellesutstilling", Exhibition.Role.JOINT, host)
    joint.host_municipality = Municipality.objects.get(number="3203")
    joint.save(update_fields=["host_municipality"])
    exhibition_hours(joint, days_between(edition.start, edition.end))
    artists = list(accepted_artists(edition).order_by("pk"))
    works = make_works(edition, artists, rng)
    saturdays = tuple(day.isoformat() for day in current_edition_weekends(edition))
    studios = make_studios(command, edition, artists, rng, weekends=saturdays)
    kunstner_studio = next(s for s in studios if kunstner in s.artists.all())
    StudioHours.objects.filter(studio=kunstner_studio).delete()
    StudioHours.objects.bulk_create(
        StudioHours(studio=kunstner_studio, date=saturday + timedelta(days=offset), opens=time(11),
                    closes=time(17))
        for saturday in current_edition_weekends(edition)
        for offset in (0, 1)
    )  # fmt: skip
    # Counted so far: the days already open (the first weekend; the anchor's week is ahead).
    counted_until = min(today(), days(-1))
    tallies = [
        row
        for row in joint_exhibition_tallies_2026(edition, joint, rng)
        if row.date <= counted_until
    ]
    tallies += [
        row for row in studio_tallies(edition, studios, 1800, rng) if row.date <= counted_until
    ]
    VisitTally.objects.bulk_create(tallies, batch_size=1000)
    command.changes[("visitor tallies", "created")] += len(tallies)
    sales = [
        sale
        for sale in art_sales(edition, artists, works, 160_000, rng, days=(days(-2), days(-1)))
        if sale.artist_id != kunstner.pk
    ]
    kunstner_work = next(work for work in works if work.artist_id == kunstner.pk)
    for number, (amount, what) in enumerate(
        [(4500, "Grafikkblad, tresnitt"), (12000, ""), (2800, "Tegning")]
    ):
        day = days(-2 + number % 2)
        sales.append(
            ArtSale(
                edition=edition,
                artist=kunstner,
                work=kunstner_work if not what else None,
                description=what,
                amount=amount,
                sold_on=day,
                recorded_at=at(day, "17:45"),
            )
        )
    ArtSale.objects.bulk_create(sales)
    command.changes[("art sales", "created")] += len(sales)


def move_current_edition(command, edition: Period) -> None:
    """Move what the current edition made once (hours, tallies, sales) with the anchor.

    (It has no QR registrations of its own: those in it were made by trying the demo.)
    """
    moved = command.moved_by
    shift(command, ExhibitionHours.objects.filter(exhibition__event__period=edition), ["date"],
          moved)  # fmt: skip
    shift(command, StudioHours.objects.filter(studio__edition=edition), ["date"], moved)
    # The demo's own counts and sales (recorded by no one); those entered while trying
    # the demo stay on the days they were made.
    tallies = VisitTally.objects.filter(edition=edition, recorded_by__isnull=True)
    shift(command, tallies, ["date", "recorded_at"], moved)
    sales = ArtSale.objects.filter(edition=edition, recorded_by__isnull=True)
    shift(command, sales, ["sold_on", "recorded_at"], moved)


def joint_exhibition_tallies_2026(edition, joint, rng) -> list[VisitTally]:
    rows = []
    for hours in joint.hours.order_by("date"):
        visitors = rng.randint(120, 320) if hours.date.weekday() >= 5 else rng.randint(40, 140)
        rows += [tally(edition, joint, hours.date, n) for n in chunks(visitors, rng, 20)]
    return rows
