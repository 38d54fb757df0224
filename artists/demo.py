"""Demo data of Kunst rett vest, called by `manage.py load_demo`.

Synthetic artists only: 315 who took part over the years, 180 applications to the 2016
edition reviewed blind by three jurors, its decisions released (140 accepted), and an
open call for the coming edition where the demo artist can apply. Work images are a few
small generated pictures that many rows share, so the demo loads quickly.
"""

import io
import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image, ImageDraw

from artists import demo_exhibitions
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
from core.demo import at
from events.models import Municipality, Period

ARTISTS = 315
APPLICATIONS_2016 = 180
ACCEPTED_2016 = 140
WAITLISTED_2016 = 10

FIRST = [
    "Astrid", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Guro", "Halvor", "Ingeborg",
    "Jostein", "Kristin", "Leif", "Marit", "Nils", "Oda", "Per", "Ragnhild", "Sigurd",
    "Tone", "Ulf", "Vigdis", "Øystein", "Åse", "Gunnar", "Hilde", "Jorunn", "Kjetil",
]  # fmt: skip
LAST = [
    "Aasen", "Bakken", "Christensen", "Dale", "Engen", "Fjeld", "Grønli", "Hagen", "Isaksen",
    "Jacobsen", "Kvam", "Lindqvist", "Myhre", "Nesheim", "Opsahl", "Rønning", "Sæther",
    "Tveit", "Ulvestad", "Vold",
]  # fmt: skip
MUNICIPALITY_NUMBERS_2016 = [
    "0219", "0220", "0602", "0605", "0612", "0621", "0622", "0623", "0624", "0625",
    "0626", "0627", "0628", "0711", "0713",
]  # fmt: skip
MUNICIPALITY_NUMBERS_NOW = [
    "3201", "3203", "3301", "3305", "3310", "3312", "3314", "3316", "3318", "3332",
]  # fmt: skip
COLOURS = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50",
           "#f39c12", "#7f8c8d", "#e84393", "#0b5d7a", "#6d214f"]  # fmt: skip


def artist_name(number: int) -> str:
    return f"{FIRST[number % len(FIRST)]} {LAST[(number * 7) % len(LAST)]} {number:03d}"


def demo_pictures() -> list[str]:
    """Return the storage names of a dozen small generated pictures, made once."""
    names = []
    for number, colour in enumerate(COLOURS):
        name = f"artists/demo/work-{number:02d}.jpg"
        if not default_storage.exists(name):
            image = Image.new("RGB", (480, 360), colour)
            draw = ImageDraw.Draw(image)
            draw.ellipse((120 + number * 8, 60, 360, 300), outline="white", width=12)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=80)
            default_storage.save(name, ContentFile(buffer.getvalue()))
        names.append(name)
    return names


def load(command) -> None:
    if Artist.objects.filter(slug="demo-artist-000").exists():
        # Artists, applications and reviews are only made once; calls are kept up to date.
        calls(command)
    else:
        pictures = demo_pictures()
        artists = make_artists(command, pictures)
        call_2016, call_2027 = calls(command)
        applications_2016(command, call_2016, artists)
        demo_artist(command, pictures)
    demo_exhibitions.load(command)


def make_artists(command, pictures) -> list[Artist]:
    rng = random.Random(2016)  # noqa: S311 -- demo data, not security
    disciplines = list(Discipline.objects.all())
    municipalities = list(Municipality.objects.filter(number__in=MUNICIPALITY_NUMBERS_NOW))
    artists = Artist.objects.bulk_create(
        [
            Artist(
                name=artist_name(number),
                slug=f"demo-artist-{number:03d}",
                home_municipality=rng.choice(municipalities),
                studio_municipality=rng.choice(municipalities),
                bio_nb=f"{artist_name(number)} arbeider i atelier i regionen.",
                bio_en=f"{artist_name(number)} works in a studio in the region.",
                email=f"demo-artist-{number:03d}@example.org",
            )
            for number in range(ARTISTS)
        ]
    )
    links = []
    images = []
    for artist in artists:
        for discipline in rng.sample(disciplines, k=rng.randint(1, 2)):
            links.append(
                Artist.disciplines.through(artist_id=artist.pk, discipline_id=discipline.pk)
            )
        for position in range(3):
            picture = rng.choice(pictures)
            images.append(
                ArtistImage(
                    artist=artist,
                    image=picture,
                    display=picture,
                    thumbnail=picture,
                    width=480,
                    height=360,
                    title=f"Verk {position + 1}",
                    year=rng.randint(2010, 2016),
                    technique=rng.choice(["Olje på lerret", "Steintøy", "Tresnitt", "Akvarell"]),
                    position=position,
                )
            )
    Artist.disciplines.through.objects.bulk_create(links)
    ArtistImage.objects.bulk_create(images)
    command.changes[("artists", "created")] += len(artists)
    command.changes[("work images", "created")] += len(images)
    return artists


def calls(command) -> tuple[Call, Call]:
    edition_2016 = Period.objects.get(programme__slug="kunst-rett-vest", slug="2016")
    edition_2027 = Period.objects.get(programme__slug="kunst-rett-vest", slug="2027")
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
    call_2027 = command.upsert(
        Call,
        {"period": edition_2027},
        {
            "opens_at": at("2026-11-01", "09:00"),
            "closes_at": at("2027-02-01", "12:00"),
            "introduction_nb": "Søknadsfristen er 1. februar kl. 12.",
            "introduction_en": "The deadline is 1 February at noon.",
            "feedback_to_applicants": True,
        },
    )
    for call, numbers in (
        (call_2016, MUNICIPALITY_NUMBERS_2016),
        (call_2027, MUNICIPALITY_NUMBERS_NOW),
    ):
        eligible = set(Municipality.objects.filter(number__in=numbers).values_list("pk", flat=True))
        if set(call.eligible_municipalities.values_list("pk", flat=True)) != eligible:
            call.eligible_municipalities.set(eligible)
            command.changes[("call municipalities", "set")] += 1
        criteria(command, call)
        letter_templates(command, call)
    jurors = demo_jurors(command)
    for call in (call_2016, call_2027):
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
    command.upsert(
        ReviewPhase,
        {"call": call_2027, "kind": ReviewPhase.Kind.REVIEW},
        {"starts_at": at("2027-02-02", "09:00"), "ends_at": at("2027-03-01", "12:00")},
    )
    return call_2016, call_2027


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
    links = []
    by_artist: dict[int, list[ArtistImage]] = {}
    for image in ArtistImage.objects.filter(artist__in=chosen).order_by("position"):
        by_artist.setdefault(image.artist_id, []).append(image)
    for application in applications:
        for position, image in enumerate(by_artist[application.artist_id]):
            links.append(ApplicationImage(application=application, image=image, position=position))
    ApplicationImage.objects.bulk_create(links)
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
        name="Demo Kunstner",
        slug=slugify("demo-kunstner"),
        home_municipality=Municipality.objects.get(number="3203"),
        bio_nb="Maler og grafiker med atelier i Asker.",
        bio_en="Painter and printmaker with a studio in Asker.",
        email="kunstner@example.org",
    )
    artist.disciplines.set(Discipline.objects.filter(slug__in=["painting", "printmaking"]))
    ArtistImage.objects.bulk_create(
        [
            ArtistImage(
                artist=artist,
                image=picture,
                display=picture,
                thumbnail=picture,
                width=480,
                height=360,
                title=f"Lys over fjorden {number + 1}",
                year=2026,
                technique="Olje på lerret",
                position=number,
            )
            for number, picture in enumerate(pictures[:5])
        ]
    )
    command.changes[("artists", "created")] += 1
