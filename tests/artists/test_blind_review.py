"""Blind review, checked from outside: nothing a juror is shown can be found in a public
answer.

Two returning artists apply to the 2027 call with images from their public galleries,
uploaded as a phone writes them (EXIF with the artist's name and a GPS position, the name
in the file name). A juror reads the list, both review pages, every image those pages
show, and the jury API. Every string of the juror's answers that belongs to one
application (it is not on the other application's page) and every address they hold are
then looked up in every public answer: the artists' pages, the edition's directory, the
public API's artists, images and works, and the media files those answers link to. One
hit is a way back from the review to the applicant.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageCms

from artists.models import Application, Call, ReviewPhase
from artists.services import applications as application_services
from artists.services import profiles as profile_services
from artists.services.jury import save_review
from tests.artists.factories import (
    CriterionFactory,
    ReviewPhaseFactory,
    art_round_call,
    decide,
    image_upload,
    new_artist,
)
from tests.artists.lookups import blind_review_problems, public_answers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MARI = {
    "name": "Mari Malersen",
    "username": "mari-malersen",
    "file": "mari-malersen-fjordlys.jpg",
    "works": [
        ("Fjordlys over Malersvik", 2013, "Eggtempera på bjørkefinér", "33 × 41 cm"),
        ("Nattbord i koboltblått", 2014, "Eggtempera og bladgull", "27 × 35 cm"),
    ],
    "statement": "Jeg maler lyset slik det faller over vannet om kvelden.",
}
OLA = {
    "name": "Ola Nordbø",
    "username": "ola-nordbo",
    "file": "ola-nordbo-steinroys.png",
    "works": [
        ("Steinrøys ved Hovland", 2019, "Rakubrent leire", "20 × 20 × 30 cm"),
        ("Krukke for regnvann", 2021, "Saltglasert steintøy", "45 × 30 cm"),
    ],
    "statement": "Leira husker hånden; jeg lar sporene stå.",
}


# A colour profile, which the gallery keeps (it is colour, not metadata) and the jury's
# copies do not (a profile can carry a name in its description).
SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def phone_exif(artist_name: str) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = artist_name  # Artist
    exif[0x8298] = f"© {artist_name}"  # Copyright
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (59.0, 50.0, 1.5), 3: "E", 4: (10.0, 26.0, 4.2)}
    return exif.tobytes()


def apply_with_gallery(call_2026: Call, call_2027: Call, person: dict, colour: str, staff):
    """A returning artist: accepted in 2026, a public gallery, and an application to 2027."""
    artist = new_artist(person["name"], username=person["username"], bio_nb=person["name"])
    decide(call_2026, {artist: "accepted"}, by=staff)
    images = []
    for title, year, technique, dimensions in person["works"]:
        fmt = "PNG" if person["file"].endswith(".png") else "JPEG"
        options = {"icc_profile": SRGB_PROFILE}
        if fmt == "JPEG":
            options["exif"] = phone_exif(person["name"])
        images.append(
            profile_services.add_work_image(
                artist=artist,
                by=artist.user,
                upload=image_upload(
                    name=person["file"], size=(120, 90), fmt=fmt, color=colour, **options
                ),
                title=title,
                year=year,
                technique=technique,
                dimensions=dimensions,
            )
        )
    application = application_services.start_application(call=call_2027, artist=artist, by=None)
    application_services.update_application(
        application=application,
        statement=person["statement"],
        cv="Kunstakademiet.",
        previous_exhibitions="Høstutstillingen.",
        images=images,
        by=None,
    )
    return application_services.submit_application(application=application, by=None)


@pytest.fixture
def world(project_leader):
    call_2026 = art_round_call("2026")
    call_2027 = art_round_call("2027")
    mari = apply_with_gallery(call_2026, call_2027, MARI, "darkred", project_leader)
    ola = apply_with_gallery(call_2026, call_2027, OLA, "navy", project_leader)
    # The deadline has passed; the jury reviews now.
    now = timezone.now()
    Call.objects.filter(pk=call_2027.pk).update(
        opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10)
    )
    ReviewPhaseFactory(
        call=call_2027,
        kind=ReviewPhase.Kind.REVIEW,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=5),
    )
    criterion = CriterionFactory(call=call_2027, name_nb="Kvalitet", name_en="Quality")
    juror = UserFactory(username="blindjuror", roles=["juror"])
    call_2027.jurors.add(juror)
    save_review(application=mari, juror=juror, scores={criterion: 4}, comment="Sterk serie.")
    return {"mari": mari, "ola": ola, "juror": juror, "call": call_2027, "edition": "2026"}


def applicants(world):
    return [world["mari"].artist, world["ola"].artist]


# The test ----------------------------------------------------------------------------------


def test_nothing_a_juror_is_shown_leads_back_to_the_applicant(client, world):
    needles = [
        text
        for person in (MARI, OLA)
        for text in (person["name"], person["file"].rsplit(".", 1)[0], person["username"])
    ]
    problems, images = blind_review_problems(
        client, world["juror"], world["mari"], world["ola"], edition="2026", needles=needles
    )
    assert not problems, "\n".join(problems)
    # Two images per application, each as a thumbnail on the list and full on its page.
    assert images >= 4, "the jury's pages show the applications' images"


def test_the_applicants_images_are_public(client, world):
    """The check above means something: the applicants' galleries are public, with
    their titles, years and techniques, in every public answer looked up."""
    text, media = public_answers(client, applicants(world), "2026")
    for person in (MARI, OLA):
        assert person["name"] in text
        for title, year, technique, _dimensions in person["works"]:
            assert title in text and str(year) in text and technique in text
    assert len(media) >= 4


def test_staff_still_see_who_applied(client, world, project_leader):
    client.force_login(project_leader)
    ranking = client.get(reverse("artists:jury_ranking", args=[world["call"].pk]))
    assert MARI["name"] in ranking.content.decode()
    assert OLA["name"] in ranking.content.decode()
    assert Application.objects.filter(artist__name=MARI["name"]).exists()
