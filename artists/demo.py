"""Demo data of Kunst rett vest, called by `manage.py load_demo`.

Synthetic artists only: 315 who took part over the years, 180 applications to the 2016
edition reviewed blind by three jurors, its decisions released (140 accepted), and an
open call for the coming edition where the demo artist can apply. Work images are
generated paintings, prints and photographs (artists.demo_art), two dozen that many rows
share, so the demo loads quickly.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from artists import demo_exhibitions
from artists.demo_art import TECHNIQUES, demo_pictures
from artists.demo_exhibitions import deadline_texts
from artists.models import (
    Application,
    ApplicationImage,
    Artist,
    ArtistImage,
    Call,
    Criterion,
    Decision,
    DecisionChange,
    Discipline,
    LetterTemplate,
    Review,
    ReviewPhase,
    Score,
    weighted_score,
)
from core.demo import at, days, demo_uid, shift
from events.demo import CURRENT, IN_REVIEW, OPEN_CALL, demo_periods
from events.models import Event, Municipality, Period

ARTISTS = 315
APPLICATIONS_2016 = 180
ACCEPTED_2016 = 140
WAITLISTED_2016 = 10

FIRST = [
    "Astrid", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Guro", "Halvor", "Ingeborg",
    "Jostein", "Kristin", "Leif", "Marit", "Nils", "Oda", "Per", "Ragnhild", "Sigurd",
    "Tone", "Ulf", "Vigdis", "Øystein", "Åse", "Gunnar", "Hilde", "Jorunn", "Kjetil",
    "Anniken", "Eirik", "Hege", "Torbjørn", "Liv", "Mads", "Siri", "Trond", "Unni",
    "Audun", "Berit", "Espen", "Gry", "Håkon", "Ingrid", "Kåre", "Mette", "Randi",
]  # fmt: skip
LAST = [
    "Aasen", "Bakken", "Christensen", "Dale", "Engen", "Fjeld", "Grønli", "Hagen", "Isaksen",
    "Jacobsen", "Kvam", "Lindqvist", "Myhre", "Nesheim", "Opsahl", "Rønning", "Sæther",
    "Tveit", "Ulvestad", "Vold", "Brekke", "Eggen", "Foss", "Haugland", "Kleven", "Lunde",
    "Midtbø", "Nordvik", "Rustad", "Skogen", "Sletten", "Stene", "Torp", "Vestby", "Øien",
    "Bergh", "Hovland", "Lie", "Moe", "Sand",
]  # fmt: skip
# Titles of works, as artists name them.
TITLES = [
    "Fjordlys", "Etter stormen", "Stille vann", "Vinterlinjer", "Skogbunn", "Kyststein",
    "Uten tittel", "Morgen ved Drammenselva", "Speil", "Rester av sommer", "Vekst",
    "Tåkelandskap", "Overgang", "Bølge", "Nattfarger", "Holmsbu i mars", "Lavvann",
    "Det som blir igjen", "Tyrifjorden, grått", "Furu", "Lyngheia", "Skjærgård",
    "Kald kveld", "Brudd", "Åpning", "Vårløsning", "Fjellvegg", "Blått rom", "Strandsone",
    "Markagrense", "Regn over Lier", "Innover", "Lysning", "Sildring", "Skifer", "Horisont",
    "Mellom to hus", "Kveldssol, Hurum", "Frost", "Ettermiddag", "Trekkfugl", "Snøsmelting",
    "Stein og vann", "Sommernatt", "Elvedrag", "Gjenlyd", "Lag på lag", "Tidevann",
    "Hvite netter", "Hjemover", "Skyggespill", "Utsikt fra Kolsås", "Lysskifte", "Stillstand",
]  # fmt: skip
BIOS = {
    "painting": (
        "{name} maler store, lagvise bilder av landskap og lys, i atelier i {place}.",
        "{name} paints large, layered pictures of landscape and light in a studio in {place}.",
    ),
    "print": (
        "{name} lager tresnitt og silketrykk i eget grafikkverksted i {place}.",
        "{name} makes woodcuts and screen prints in their own print workshop in {place}.",
    ),
    "photograph": (
        "{name} fotograferer kysten og fjordene, og trykker bildene selv i {place}.",
        "{name} photographs the coast and the fjords, and prints the pictures in {place}.",
    ),
}
MUNICIPALITY_NUMBERS_2016 = [
    "0219", "0220", "0602", "0605", "0612", "0621", "0622", "0623", "0624", "0625",
    "0626", "0627", "0628", "0711", "0713",
]  # fmt: skip
MUNICIPALITY_NUMBERS_NOW = [
    "3201", "3203", "3301", "3305", "3310", "3312", "3314", "3316", "3318", "3332",
]  # fmt: skip


def artist_names(count: int) -> list[str]:
    """Return ``count`` different first and last names, the same on every run."""
    pairs = [f"{first} {last}" for first in FIRST for last in LAST]
    random.Random(315).shuffle(pairs)  # noqa: S311 -- demo data, not security
    return pairs[:count]


def gallery(artist, pictures, rng, *, count=3, year=None, kind=None) -> list[ArtistImage]:
    """Return an artist's gallery of generated works, all of one kind (their practice)."""
    kind = kind or rng.choice(list(pictures))
    chosen = rng.sample(pictures[kind], count)
    titles = rng.sample(TITLES, count)
    return [
        ArtistImage(
            artist=artist,
            image=picture.image,
            display=picture.image,
            thumbnail=picture.thumbnail,
            width=picture.width,
            height=picture.height,
            title=title,
            year=year or rng.randint(2010, 2016),
            technique=rng.choice(TECHNIQUES[kind]),
            position=position,
        )
        for position, (picture, title) in enumerate(zip(chosen, titles, strict=True))
    ]


def load(command) -> None:
    if Artist.objects.filter(slug="demo-artist-000").exists():
        # Artists, applications and reviews are only made once; calls are kept up to date
        # and what was made once moves with the demo's dates.
        _call_2016, _call_in_review, open_call = calls(command)
        move_applications(command)
        draft_applications(command, open_call)
    else:
        pictures = demo_pictures()
        artists = make_artists(command, pictures)
        call_2016, call_in_review, open_call = calls(command)
        applications_2016(command, call_2016, artists)
        demo_artist(command, pictures)
        applications_in_review(command, call_in_review, artists)
        draft_applications(command, open_call)
    demo_exhibitions.load(command)


DRAFTS_IN_OPEN_CALL = 3


def draft_applications(command, call) -> None:
    """A few artists (never the login `kunstner`, who applies in the demo's journeys) have
    started an application to the open call and not sent it: the draft reminder goes to
    them DRAFT_APPLICATION_REMINDER_DAYS before it closes (/stab/paminnelser/)."""
    if Application.objects.filter(call=call, state=Application.State.DRAFT).exists():
        return
    artists = (
        Artist.objects.exclude(user__username="kunstner")
        .exclude(applications__call=call)
        .filter(email__gt="")
        .order_by("pk")[:DRAFTS_IN_OPEN_CALL]
    )
    made = Application.objects.bulk_create(
        Application(call=call, artist=artist, statement="Utkast: nye arbeider i tre.")
        for artist in artists
    )
    command.changes[("applications", "created")] += len(made)


def move_applications(command) -> None:
    """Move the applications and decisions of the editions counted from today."""
    calls = Call.objects.filter(period__in=demo_editions())
    shift(command, Application.objects.filter(call__in=calls), ["created_at", "submitted_at"],
          command.moved_by)  # fmt: skip
    decisions = Decision.objects.filter(application__call__in=calls)
    shift(command, decisions, ["released_at"], command.moved_by)
    shift(
        command,
        DecisionChange.objects.filter(decision__in=decisions),
        ["changed_at"],
        command.moved_by,
    )


def demo_editions() -> list[Period]:
    """The editions counted from today: current, in review and with an open call."""
    return [
        Event.objects.get(uid=demo_uid(f"{key}-fellesutstilling")).period
        for key in (CURRENT, IN_REVIEW)
    ] + [open_call_edition()]


def open_call_edition() -> Period:
    slug = demo_periods()[OPEN_CALL][1]
    return Period.objects.get(programme__slug="kunst-rett-vest", slug=slug)


# The discipline of each kind of generated picture, and what such artists often also do.
DISCIPLINES = {
    "painting": ("painting", ["drawing", "installation", "textile"]),
    "print": ("printmaking", ["drawing", "painting", "wood"]),
    "photograph": ("photography", ["video", "installation"]),
}


def make_artists(command, pictures) -> list[Artist]:
    rng = random.Random(2016)  # noqa: S311 -- demo data, not security
    disciplines = {discipline.slug: discipline for discipline in Discipline.objects.all()}
    municipalities = list(Municipality.objects.filter(number__in=MUNICIPALITY_NUMBERS_NOW))
    kinds = [rng.choice(list(pictures)) for _number in range(ARTISTS)]
    names = artist_names(ARTISTS)
    artists = []
    for number, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        home = rng.choice(municipalities)
        bio_nb, bio_en = BIOS[kind]
        artists.append(
            Artist(
                name=name,
                slug=f"demo-artist-{number:03d}",
                home_municipality=home,
                studio_municipality=rng.choice(municipalities),
                bio_nb=bio_nb.format(name=name, place=home.name),
                bio_en=bio_en.format(name=name, place=home.name),
                email=f"demo-artist-{number:03d}@example.org",
            )
        )
    artists = Artist.objects.bulk_create(artists)
    links = []
    images = []
    for artist, kind in zip(artists, kinds, strict=True):
        main, others = DISCIPLINES[kind]
        chosen = [main, *rng.sample(others, k=rng.randint(0, 1))]
        links += [
            Artist.disciplines.through(artist_id=artist.pk, discipline_id=disciplines[slug].pk)
            for slug in chosen
            if slug in disciplines
        ]
        images += gallery(artist, pictures, rng, kind=kind)
    Artist.disciplines.through.objects.bulk_create(links)
    ArtistImage.objects.bulk_create(images)
    command.changes[("artists", "created")] += len(artists)
    command.changes[("work images", "created")] += len(images)
    return artists


# The calls counted from the anchor (days): opens, closes, and for the call in review its
# review phase (jurors score) and selection phase (staff decide).
CALL_IN_REVIEW = {"opens": -70, "closes": -7, "review": (-6, 20), "selection": (20, 34)}
OPEN_CALL_DAYS = {"opens": -21, "closes": 42}


def calls(command) -> tuple[Call, Call, Call]:
    """The 2016 call (decisions released), the next edition's (in review) and the open one.

    The current edition's call, its decisions released, is artists.demo_exhibitions'.
    """
    edition_2016 = Period.objects.get(programme__slug="kunst-rett-vest", slug="2016")
    in_review = Event.objects.get(uid=demo_uid(f"{IN_REVIEW}-fellesutstilling")).period
    open_edition = open_call_edition()
    call_2016 = command.upsert(
        Call,
        {"period": edition_2016},
        {
            "opens_at": at("2016-01-15", "09:00"),
            "closes_at": at("2016-03-01", "12:00"),
            "introduction_nb": (
                "Søk om å vise ett verk i fellesutstillingen og åpne atelieret ditt."
            ),
            "introduction_en": (
                "Apply to show one work in the joint exhibition and open your studio."
            ),
            "feedback_to_applicants": True,
        },
    )
    closes = days(CALL_IN_REVIEW["closes"])
    text_nb, text_en = deadline_texts(closes, past=True)
    call_in_review = command.upsert(
        Call,
        {"period": in_review},
        {
            "opens_at": at(days(CALL_IN_REVIEW["opens"]), "09:00"),
            "closes_at": at(closes, "12:00"),
            "introduction_nb": text_nb,
            "introduction_en": text_en,
            "feedback_to_applicants": True,
        },
    )
    closes = days(OPEN_CALL_DAYS["closes"])
    text_nb, text_en = deadline_texts(closes)
    open_call = command.upsert(
        Call,
        {"period": open_edition},
        {
            "opens_at": at(days(OPEN_CALL_DAYS["opens"]), "09:00"),
            "closes_at": at(closes, "12:00"),
            "introduction_nb": text_nb,
            "introduction_en": text_en,
            "feedback_to_applicants": True,
        },
    )
    for call, numbers in (
        (call_2016, MUNICIPALITY_NUMBERS_2016),
        (call_in_review, MUNICIPALITY_NUMBERS_NOW),
        (open_call, MUNICIPALITY_NUMBERS_NOW),
    ):
        eligible = set(Municipality.objects.filter(number__in=numbers).values_list("pk", flat=True))
        if set(call.eligible_municipalities.values_list("pk", flat=True)) != eligible:
            call.eligible_municipalities.set(eligible)
            command.changes[("call municipalities", "set")] += 1
        criteria(command, call)
        letter_templates(command, call)
    jurors = demo_jurors(command)
    for call in (call_2016, call_in_review, open_call):
        if set(call.jurors.all()) != set(jurors):
            call.jurors.set(jurors)
            command.changes[("call jurors", "set")] += 1
    command.upsert(
        ReviewPhase,
        {"call": call_2016, "kind": ReviewPhase.Kind.REVIEW},
        {"starts_at": at("2016-03-02", "09:00"), "ends_at": at("2016-04-01", "12:00")},
    )
    command.upsert(
        ReviewPhase,
        {"call": call_2016, "kind": ReviewPhase.Kind.SELECTION},
        {"starts_at": at("2016-04-01", "12:00"), "ends_at": at("2016-04-15", "12:00")},
    )
    for kind in (ReviewPhase.Kind.REVIEW, ReviewPhase.Kind.SELECTION):
        first, last = CALL_IN_REVIEW[kind]
        command.upsert(
            ReviewPhase,
            {"call": call_in_review, "kind": kind},
            {"starts_at": at(days(first), "09:00"), "ends_at": at(days(last), "12:00")},
        )
    return call_2016, call_in_review, open_call


def criteria(command, call) -> None:
    for position, (name_nb, name_en, weight, scale) in enumerate(
        [
            ("Kunstnerisk kvalitet", "Artistic quality", Decimal("3"), Criterion.Scale.NUMBER),
            (
                "Egenart og utvikling",
                "Originality and development",
                Decimal("2"),
                Criterion.Scale.NUMBER,
            ),
            (
                "Passer i fellesutstillingen",
                "Fits the joint exhibition",
                Decimal("1"),
                Criterion.Scale.YES_MAYBE_NO,
            ),
        ]
    ):
        command.upsert(
            Criterion,
            {"call": call, "name_nb": name_nb},
            {"name_en": name_en, "weight": weight, "scale": scale, "position": position},
        )


LETTERS = {
    ("accepted", "nb"): (
        "Du er tatt opp i {edition}",
        "Hei {name},\n\nJuryen har valgt deg ut til {edition}. Velkommen!\n\nProfilen din: "
        "{profile_url}\n\nHilsen Kunst rett vest",
    ),
    ("waitlisted", "nb"): (
        "Venteliste for {edition}",
        "Hei {name},\n\nDu står på venteliste til {edition}. Vi gir beskjed om en plass "
        "blir ledig.\n\nDin vektede poengsum: {score}. Median for alle søknader: {median}."
        "\n\n{comments}\n\nHilsen Kunst rett vest",
    ),
    ("rejected", "nb"): (
        "Svar på søknaden til {edition}",
        "Hei {name},\n\nJuryen har dessverre ikke valgt deg ut til {edition} denne gangen."
        "\n\nDin vektede poengsum: {score}. Median for alle søknader: {median}.\n\n{comments}"
        "\n\nHilsen Kunst rett vest",
    ),
    ("accepted", "en"): (
        "You are selected for {edition}",
        "Dear {name},\n\nThe jury has selected you for {edition}. Welcome!\n\nYour profile: "
        "{profile_url}\n\nKunst rett vest",
    ),
}


def letter_templates(command, call) -> None:
    for (outcome, language), (subject, body) in LETTERS.items():
        command.upsert(
            LetterTemplate,
            {"call": call, "outcome": outcome, "language": language},
            {"subject": subject, "body": body},
        )


def demo_jurors(command) -> list:
    """The three demo jurors of every call (logins made by the core demo loader)."""
    users = get_user_model().objects.filter(username__in=["jury", "jury2", "jury3"])
    return list(users.order_by("username"))


def applications_2016(command, call, artists) -> None:
    """180 submitted applications, reviewed by all three jurors, with released decisions."""
    from artists.selectors.jury import application_scores

    rng = random.Random(180)  # noqa: S311 -- demo data
    chosen = rng.sample(artists, APPLICATIONS_2016)
    submitted_at = at("2016-02-20", "12:00")
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                artist=artist,
                state=Application.State.SUBMITTED,
                # In the applicant's own words: a statement that named them would end
                # the blind review.
                statement=f"Jeg viser nye arbeider i {rng.choice(MATERIALS)}.",
                cv="Utdannet ved Kunstakademiet. Medlem av Norske Billedkunstnere.",
                previous_exhibitions="Høstutstillingen; regionale separatutstillinger.",
                created_at=submitted_at - timedelta(days=10),
                submitted_at=submitted_at,
            )
            for artist in chosen
        ]
    )
    attach_gallery_images(applications, chosen)
    command.changes[("applications", "created")] += len(applications)

    reviews = make_reviews(call, applications, list(call.jurors.all()), rng)
    command.changes[("reviews", "created")] += reviews

    scores = application_scores(call)
    ranked = sorted(applications, key=lambda a: -(scores.get(a.pk, {}).get("weighted") or 0))
    released_at = at("2016-04-15", "12:00")
    decisions = []
    for rank, application in enumerate(ranked):
        if rank < ACCEPTED_2016:
            outcome = Decision.Outcome.ACCEPTED
        elif rank < ACCEPTED_2016 + WAITLISTED_2016:
            outcome = Decision.Outcome.WAITLISTED
        else:
            outcome = Decision.Outcome.REJECTED
        decisions.append(
            Decision(application=application, outcome=outcome, released_at=released_at)
        )
    decisions = Decision.objects.bulk_create(decisions)
    DecisionChange.objects.bulk_create(
        [
            DecisionChange(
                decision=d, from_outcome="", to_outcome=d.outcome, changed_at=released_at
            )
            for d in decisions
        ]
    )
    command.changes[("decisions", "created")] += len(decisions)


def make_reviews(call, applications, jurors, rng) -> int:
    """Score every application by every juror: a quality per artist, each juror's own view."""
    criteria = list(call.criteria.all())
    reviews = []
    scores = []
    for application in applications:
        quality = rng.random()
        for juror in jurors:
            values = {}
            for criterion in criteria:
                view = min(max(quality + rng.gauss(0, 0.18), 0), 1)
                span = criterion.highest - criterion.lowest
                values[criterion] = criterion.lowest + round(view * span)
            reviews.append(
                Review(
                    application=application,
                    juror=juror,
                    comment=rng.choice(COMMENTS),
                    comment_shareable=rng.random() < 0.5,
                    weighted_score=weighted_score(values),
                    is_complete=True,
                )
            )
            scores.append(values)
    reviews = Review.objects.bulk_create(reviews)
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=criterion, value=value)
            for review, values in zip(reviews, scores, strict=True)
            for criterion, value in values.items()
        ]
    )
    return len(reviews)


APPLICATIONS_IN_REVIEW = 45
# How many applications each juror has finished; the rest are left to score.
FINISHED_BY = {"jury": 18, "jury2": 30, "jury3": 6}


def applications_in_review(command, call, artists) -> None:
    """Submitted applications to next year's edition, each juror part of the way through."""
    from artists.selectors.jury import applications_for_juror

    rng = random.Random(2027)  # noqa: S311 -- demo data
    submitted = at(days(CALL_IN_REVIEW["closes"] - 3), "12:00")
    chosen = rng.sample(artists, APPLICATIONS_IN_REVIEW)
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            artist=artist,
            state=Application.State.SUBMITTED,
            statement=f"Jeg søker med nye arbeider i {rng.choice(MATERIALS)}.",
            cv="Utdannet ved Kunsthøgskolen i Oslo. Medlem av Norske Billedkunstnere.",
            previous_exhibitions="Sørlandsutstillingen; separatutstillinger i regionen.",
            created_at=submitted - timedelta(days=rng.randint(2, 20)),
            submitted_at=submitted,
        )
        for artist in chosen
    )
    attach_gallery_images(applications, chosen)
    command.changes[("applications", "created")] += len(applications)
    made = 0
    for juror in call.jurors.all():
        finished = applications_for_juror(call, juror)[: FINISHED_BY.get(juror.username, 0)]
        made += make_reviews(call, finished, [juror], rng)
    command.changes[("reviews", "created")] += made


MATERIALS = ["olje", "leire", "glass", "tre", "tekstil"]
COMMENTS = [
    "Et konsekvent og modent uttrykk.",
    "Sterk materialbehandling; bildene yter ikke verkene full rettferdighet.",
    "Interessant prosjekt, men utvalget spriker.",
    "Tydelig utvikling fra forrige søknad.",
    "",
]


def demo_artist(command, pictures) -> None:
    """Link the demo login `kunstner` to an artist with a gallery, ready to apply."""
    user = get_user_model().objects.get(username="kunstner")
    artist = Artist.objects.create(
        user=user,
        name="Sigrid Nordhagen",
        slug=slugify("demo-kunstner"),
        home_municipality=Municipality.objects.get(number="3203"),
        bio_nb="Maler og grafiker med atelier i Asker.",
        bio_en="Painter and printmaker with a studio in Asker.",
        email="kunstner@example.org",
    )
    artist.disciplines.set(Discipline.objects.filter(slug__in=["painting", "printmaking"]))
    rng = random.Random(2026)  # noqa: S311 -- demo data
    works = gallery(artist, pictures, rng, count=5, year=2026, kind="print")
    for work, title in zip(works, ["Lys over fjorden", "Etter stormen", "Vårløsning",
                                   "Kveld ved Holmsbu", "Furu"], strict=True):  # fmt: skip
        work.title = title
    ArtistImage.objects.bulk_create(works)
    command.changes[("artists", "created")] += 1


def attach_gallery_images(applications, artists) -> None:
    """Show each application's artist's gallery images with it, in the gallery's order."""
    by_artist: dict[int, list[ArtistImage]] = {}
    for image in ArtistImage.objects.filter(artist__in=artists).order_by("position"):
        by_artist.setdefault(image.artist_id, []).append(image)
    ApplicationImage.objects.bulk_create(
        ApplicationImage(application=application, image=image, position=position)
        for application in applications
        for position, image in enumerate(by_artist[application.artist_id])
    )
