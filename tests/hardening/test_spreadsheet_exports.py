# ruff: noqa: F811 (the fixtures imported from other test packages are used by name)
"""Every CSV and XLSX export writes text a spreadsheet would run as a formula as text.

EXPORTS lists every export of the site, pages and admin alike; a URL that exports and is
not in it fails test_every_export_is_listed, so a new export cannot skip these checks. Each
export is filled with records named like formulas, downloaded as CSV and as XLSX through
its URL, and read back: every such name comes out with a leading apostrophe, no XLSX cell
is a formula, and a number stays a number.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.forms import BooleanField
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from artists.models import Artist, Conflict
from artists.services.jury import mark_conflict, save_review
from events.models import Event, Municipality, Period, Venue
from orchestra.models import Guardian
from tests.artists.conftest import (  # noqa: F401
    _media_root,
    accepted,
    artist_profile,
    closed_studio,
    counted_2016,
    criteria,
    earlier_editions,
    edition,
    edition_2016,
    edition_call,
    exhibition_open,
    joint_exhibition,
    jurors,
    jury_call,
    jury_media,
    local_exhibition,
    open_studio,
    other_artist,
    other_studio,
    refused_artist,
    review_phase,
    studio,
    weekends,
)
from tests.artists.factories import (
    ApplicantFactory,
    ApplicationFactory,
    ArtistFactory,
    full_scores,
    reported_edition,
)
from tests.factories import EventFactory, MunicipalityFactory, VenueFactory
from tests.orchestra.conftest import (  # noqa: F401
    child,
    junior_group,
    municipality,
    new_member,
    season,
    youth_group,
)
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.models import Ticket
from ticketing.services import TicketRequest, register

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

# Every export, by URL name: the fixture that fills it (below), or why it has no cells.
EXPORTS = {
    "ticketing:export_attendees_csv": "attendees",
    "ticketing:export_attendees_xlsx": "attendees",
    "artists:jury_ranking_export": "ranking",
    "artists:jury_conflicts_export": "conflicts",
    "artists:statistics_export_csv": "year_on_year",
    "artists:statistics_export_xlsx": "year_on_year",
    "artists:edition_statistics_export_csv": "edition_tables",
    "artists:edition_statistics_export_xlsx": "edition_tables",
    "admin:events_municipality_export": "admin_municipalities",
    "admin:events_venue_export": "admin_venues",
    "admin:events_event_export": "admin_events",
    "admin:artists_artist_export": "admin_artists",
    "admin:orchestra_member_export": "admin_members",
    "admin:orchestra_guardian_export": "admin_guardians",
    # JSON: no program reads its strings as formulas (test_the_child_export_is_json).
    "orchestra:child_export": None,
}


def url_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", str(pattern.pattern), pattern.callback


def looks_like_an_export(name: str, route: str, view) -> bool:
    return (
        "export" in name
        or "export" in getattr(view, "__name__", "")
        or any(route.endswith(suffix) for suffix in (".csv", ".xlsx", ".<str:fmt>", ".json"))
    )


def test_every_export_is_listed():
    found = {
        name for name, route, view in url_patterns() if looks_like_an_export(name, route, view)
    }
    assert found == set(EXPORTS)


def test_the_child_export_is_json(client, project_leader, child):
    client.force_login(project_leader)
    response = client.get(reverse("orchestra:child_export", args=[child.pk]))
    assert response["Content-Type"].startswith("application/json")


class Export:
    """An export filled with records named like formulas; download(fmt) answers its files."""

    def __init__(self, client, user, urls, planted, number=None):
        client.force_login(user)
        self.client, self.urls, self.planted, self.number = client, urls, planted, number

    def download(self, fmt: str) -> list:
        responses = []
        for url in self.urls(fmt):
            if url.startswith("/admin/"):
                responses.append(admin_export(self.client, url, fmt))
            else:
                responses.append(self.client.get(url))
        for response in responses:
            assert response.status_code == 200, response.content[:500]
        return responses


def admin_export(client, url: str, fmt: str):
    """Post the admin's export form as shown, every column chosen, in the given format."""
    form = client.get(url).context["form"]
    data = {"resource": form.fields["resource"].choices[0][0]}
    (data["format"],) = [
        value for value, label in form.fields["format"].choices if str(label) == fmt
    ]
    for name, field in form.fields.items():
        if isinstance(field, BooleanField):
            data[name] = "on"
    return client.post(url, data)


def cells(response, fmt: str) -> list[tuple[object, str]]:
    """Every cell of the file as (value, type): "f" is a formula in XLSX, "s" text."""
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        return [(value, "s") for row in csv.reader(io.StringIO(text, newline="")) for value in row]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [
        (cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def downloads():
    """Each export with each format it writes."""
    for name, case in sorted(EXPORTS.items()):
        if case is None:
            continue
        for fmt in ("csv", "xlsx"):
            if not name.endswith(("_csv", "_xlsx")) or name.endswith(f"_{fmt}"):
                yield name, fmt


@pytest.mark.parametrize(("name", "fmt"), list(downloads()))
def test_no_export_writes_a_formula(request, name, fmt):
    export = request.getfixturevalue(EXPORTS[name])
    found = [cell for response in export.download(fmt) for cell in cells(response, fmt)]

    assert not [value for value, data_type in found if data_type == "f"]
    texts = [value for value, _data_type in found if isinstance(value, str)]
    # In a CSV file a number is text too: "-50" is the number -50, not a formula.
    assert not [
        text for text in texts if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text)
    ]
    for value in export.planted:
        # XML reads a carriage return as a line feed, as spreadsheet programs do.
        written = value.replace("\r", "\n") if fmt == "xlsx" else value
        assert "'" + written in texts, texts
    if export.number is not None:
        numbers = [
            value
            for value, _data_type in found
            if isinstance(value, int | float) and not isinstance(value, bool)
        ]
        if fmt == "xlsx":
            assert export.number in numbers
        else:
            assert str(export.number) in texts


# The exports, each filled with records named like formulas ----------------------------------


@pytest.fixture
def attendees(client, project_leader):
    event = EventFactory(title_nb="Vårkonsert", title_en="Spring concert")
    pool = CapacityPoolFactory(event=event, name="Salen", size=10)
    offer = OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool)
    register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name=name) for name in HOSTILE],
        name=HOSTILE[0],
        email="kari@example.org",
        phone="+47 900 00 001",
        by=None,
    )
    return Export(
        client,
        project_leader,
        lambda fmt: [reverse(f"ticketing:export_attendees_{fmt}", args=[event.pk])],
        # The names as registered (without the spaces around them).
        [*Ticket.objects.values_list("attendee_name", flat=True), "+47 900 00 001"],
    )


@pytest.fixture
def ranking(client, project_leader, jury_call, jurors, criteria, jury_media):
    applications = [
        ApplicationFactory(
            call=jury_call, artist=ApplicantFactory(name=name, slug=f"kunstner-{number}", images=0)
        )
        for number, name in enumerate(HOSTILE)
    ]
    save_review(
        application=applications[0], juror=jurors[0], scores=full_scores(criteria, 5, 2, 10)
    )
    return Export(
        client,
        project_leader,
        lambda fmt: [reverse("artists:jury_ranking_export", args=[jury_call.pk, fmt])],
        HOSTILE,
        number=applications[0].pk,
    )


@pytest.fixture
def conflicts(client, project_leader, jury_call, jurors, jury_media):
    for number, name in enumerate(HOSTILE):
        application = ApplicationFactory(
            call=jury_call,
            artist=ApplicantFactory(name=f"Kunstner {number}", slug=f"kunstner-{number}", images=0),
        )
        mark_conflict(application=application, juror=jurors[number % 3], reason=name, by=None)
    Artist.objects.filter(pk=application.artist_id).update(name=HOSTILE[0])
    return Export(
        client,
        project_leader,
        lambda fmt: [reverse("artists:jury_conflicts_export", args=[jury_call.pk, fmt])],
        [*Conflict.objects.values_list("reason", flat=True), HOSTILE[0]],
        number=application.pk,
    )


@pytest.fixture
def year_on_year(client, project_leader, counted_2016, earlier_editions):
    programme = Period.objects.get(slug="2016").programme
    reported_edition(programme, 2012, joint_exhibition_visits=100)
    reported_edition(programme, 2013, joint_exhibition_visits=200)
    for period, name in zip(Period.objects.order_by("start"), HOSTILE, strict=True):
        Period.objects.filter(pk=period.pk).update(name=name)
    return Export(
        client,
        project_leader,
        lambda fmt: [reverse(f"artists:statistics_export_{fmt}")],
        HOSTILE,
        number=-50,  # the fall from 2016 to 2017
    )


@pytest.fixture
def edition_tables(client, project_leader, counted_2016, edition_2016):
    named = [
        *Venue.objects.order_by("pk"),
        *Municipality.objects.order_by("pk"),
    ]
    for number, record in enumerate(named):
        type(record).objects.filter(pk=record.pk).update(name=HOSTILE[number % len(HOSTILE)])
    for number, event in enumerate(Event.objects.order_by("pk")):
        name = HOSTILE[(number + 3) % len(HOSTILE)]
        Event.objects.filter(pk=event.pk).update(title_nb=name, title_en=name)
    keys = ["summary", "places", "qr", "exhibitions", "days", "weekends"]
    keys += ["municipalities", "categories", "studios"]

    def urls(fmt):
        return [
            reverse(f"artists:edition_statistics_export_{fmt}", args=[edition_2016.slug, key])
            for key in keys
        ]

    return Export(client, project_leader, urls, HOSTILE, number=130)


def admin_url(name):
    return lambda fmt: [reverse(f"admin:{name}_export")]


@pytest.fixture
def admin_municipalities(client, admin_user):
    for number, name in enumerate(HOSTILE):
        MunicipalityFactory(name=name, number=f"{3000 + number}")
    return Export(client, admin_user, admin_url("events_municipality"), HOSTILE)


@pytest.fixture
def admin_venues(client, admin_user):
    venues = [VenueFactory(name=name) for name in HOSTILE]
    Venue.objects.filter(pk=venues[0].pk).update(address=HOSTILE[1], description=HOSTILE[2])
    return Export(client, admin_user, admin_url("events_venue"), HOSTILE)


@pytest.fixture
def admin_events(client, admin_user):
    for name in HOSTILE:
        EventFactory(title_nb=name, title_en=name)
    return Export(client, admin_user, admin_url("events_event"), HOSTILE)


@pytest.fixture
def admin_artists(client, admin_user):
    for number, name in enumerate(HOSTILE):
        ArtistFactory(name=name, slug=f"kunstner-{number}", email=f"k{number}@example.org")
    return Export(client, admin_user, admin_url("artists_artist"), HOSTILE)


@pytest.fixture
def admin_members(client, admin_user, municipality, youth_group):
    for name in HOSTILE:
        new_member((name, "Nordmann"), age=12, municipality=municipality, groups=[youth_group])
    return Export(client, admin_user, admin_url("orchestra_member"), HOSTILE)


@pytest.fixture
def admin_guardians(client, admin_user, child):
    for number, name in enumerate(HOSTILE):
        Guardian.objects.create(
            first_name=name, last_name="Foresatt", email=f"g{number}@example.org"
        )
    return Export(client, admin_user, admin_url("orchestra_guardian"), [*HOSTILE, "+47 900 00 001"])


def test_a_file_exported_and_imported_again_keeps_its_text(client, admin_user):
    """The mark an export puts before "+47 ..." is not imported as part of the value."""
    venue = VenueFactory(name="Kulturhuset", address="+1 Storgata")
    export = Export(client, admin_user, admin_url("events_venue"), ["+1 Storgata"])
    (response,) = export.download("csv")
    Venue.objects.filter(pk=venue.pk).update(address="Et annet sted")
    url = reverse("admin:events_venue_import")
    form = client.get(url).context["form"]
    (csv_format,) = [value for value, label in form.fields["format"].choices if label == "csv"]
    upload = io.BytesIO(response.content)
    upload.name = "venues.csv"
    preview = client.post(url, {"format": csv_format, "resource": "0", "import_file": upload})
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    done = client.post(reverse("admin:events_venue_process_import"), confirm.initial)
    assert done.status_code == 302
    venue.refresh_from_db()
    assert venue.address == "+1 Storgata"
