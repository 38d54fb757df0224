"""Spreadsheet import and export: all or nothing, with a preview, in CSV and XLSX."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from import_export.formats.base_formats import CSV, XLSX

from core.demo import OSLO
from events.models import Event, Municipality, Venue
from events.resources import EventResource, MunicipalityResource, VenueResource
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    PeriodFactory,
    ProgrammeFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

EVENT_HEADER = "uid,period,parent,kind,title_nb,title_en,venue,start,end,visibility"


def csv_dataset(text: str):
    return CSV().create_dataset(text)


@pytest.fixture
def edition():
    programme = ProgrammeFactory(slug="kunst-rett-vest", name="Kunst rett vest")
    return PeriodFactory(
        programme=programme,
        slug="2016",
        name="Kunst rett vest 2016",
        start=date(2016, 9, 10),
        end=date(2016, 9, 25),
    )


@pytest.fixture
def lien():
    return VenueFactory(name="Lien", municipality=Municipality.objects.get(number="0220"))


# --- (a) the resource: one bad row among good ones writes nothing -----------------


def test_event_file_with_one_bad_row_writes_nothing_and_names_the_row(edition, lien):
    dataset = csv_dataset(
        f"{EVENT_HEADER}\n"
        f",kunst-rett-vest/2016,,exhibition,Fellesutstilling,Joint exhibition,{lien.pk},"
        "2016-09-10 12:00,2016-09-25 17:00,public\n"
        f",kunst-rett-vest/2016,,workshop,Tegneverksted,Drawing workshop,{lien.pk},"
        "2016-09-18 15:00,2016-09-18 12:00,public\n"
        f",kunst-rett-vest/2016,,guided_tour,Omvisning,Guided tour,{lien.pk},"
        "2016-09-13 09:00,2016-09-13 14:00,public\n"
    )

    result = EventResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert list(result.invalid_rows[0].field_specific_errors) == ["end"]
    assert Event.objects.count() == 0


def test_event_file_without_errors_is_written_with_oslo_times(edition, lien):
    dataset = csv_dataset(
        f"{EVENT_HEADER}\n"
        f",kunst-rett-vest/2016,,exhibition,Fellesutstilling,Joint exhibition,{lien.pk},"
        "2016-09-10 12:00,2016-09-25T17:00:00+02:00,public\n"
        ",kunst-rett-vest/2016,,open_studio_weekend,Åpne atelierer,Open studios,,"
        "2016-09-17 11:00,2016-09-18 17:00,public\n"
    )

    result = EventResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    exhibition = Event.objects.get(kind=Event.Kind.EXHIBITION)
    assert exhibition.period == edition
    assert exhibition.venue == lien
    assert exhibition.start == datetime(2016, 9, 10, 12, 0, tzinfo=OSLO)
    assert exhibition.end == datetime(2016, 9, 25, 17, 0, tzinfo=OSLO)
    assert exhibition.uid.endswith("@kulturvest")
    weekend = Event.objects.get(kind=Event.Kind.OPEN_STUDIO_WEEKEND)
    assert weekend.venue is None and weekend.title_en == "Open studios"


def test_dry_run_reports_new_rows_and_writes_nothing(edition, lien):
    dataset = csv_dataset(
        f"{EVENT_HEADER}\n"
        f",kunst-rett-vest/2016,,exhibition,Fellesutstilling,,{lien.pk},"
        "2016-09-10 12:00,2016-09-25 17:00,public\n"
    )
    result = EventResource().import_data(dataset, dry_run=True)
    assert [row.import_type for row in result.rows] == ["new"]
    assert Event.objects.count() == 0


def test_unknown_period_parent_and_venue_are_field_errors_of_their_rows(edition, lien):
    dataset = csv_dataset(
        f"{EVENT_HEADER}\n"
        f",kunst-rett-vest/2099,,concert,Konsert,,{lien.pk},"
        "2016-09-10 12:00,2016-09-10 14:00,public\n"
        f",kunst-rett-vest/2016,no-such-uid,session,Økt,,{lien.pk},"
        "2016-09-10 12:00,2016-09-10 14:00,members\n"
        ",kunst-rett-vest/2016,,concert,Konsert,,999999,2016-09-10 12:00,2016-09-10 14:00,public\n"
        f",kunst-rett-vest,,concert,Konsert,,{lien.pk},2016-09-10 12:00,2016-09-10 14:00,public\n"
        f",kunst-rett-vest/2016,,party,Fest,,{lien.pk},2016-09-10 12:00,2016-09-10 14:00,public\n"
        f",kunst-rett-vest/2016,,concert,Konsert,,{lien.pk},10.09.2016,2016-09-10 14:00,public\n"
    )

    result = EventResource().import_data(dataset, dry_run=False)

    errors = {row.number: set(row.field_specific_errors) for row in result.invalid_rows}
    assert errors == {
        1: {"period"},
        2: {"parent"},
        3: {"venue"},
        4: {"period"},
        5: {"kind"},
        6: {"start"},
    }
    assert not result.has_errors()
    assert Event.objects.count() == 0


def test_known_uid_updates_empty_uid_creates_unknown_uid_is_kept(edition, lien):
    existing = EventFactory(period=edition, venue=lien, title_nb="Gammel tittel")
    dataset = csv_dataset(
        f"{EVENT_HEADER}\n"
        f"{existing.uid},kunst-rett-vest/2016,,concert,Ny tittel,,{lien.pk},"
        "2016-09-10 12:00,2016-09-10 14:00,public\n"
        f",kunst-rett-vest/2016,{existing.uid},session,Del én,,{lien.pk},"
        "2016-09-10 12:00,2016-09-10 13:00,public\n"
        f"moved-1@other.example,kunst-rett-vest/2016,,concert,Flyttet,,{lien.pk},"
        "2016-09-11 12:00,2016-09-11 14:00,public\n"
        f",kunst-rett-vest/2016,moved-1@other.example,session,Del to,,,"
        "2016-09-11 12:00,2016-09-11 13:00,public\n"
    )

    result = EventResource().import_data(dataset, dry_run=False)

    assert not result.has_validation_errors() and not result.has_errors()
    assert [row.import_type for row in result.rows] == ["update", "new", "new", "new"]
    existing.refresh_from_db()
    assert existing.title_nb == "Ny tittel"
    assert existing.revision == 1
    assert existing.children.get().title_nb == "Del én"
    moved = Event.objects.get(uid="moved-1@other.example")
    assert moved.children.get().title_nb == "Del to"
    assert Event.objects.count() == 4


def test_status_changes_are_refused_on_import(edition, lien):
    event = EventFactory(period=edition, venue=lien)
    rows = EventResource().export(Event.objects.all()).dict
    rows[0]["status"] = "cancelled"
    dataset = tablib.Dataset()
    dataset.dict = rows
    result = EventResource().import_data(dataset, dry_run=False)
    assert list(result.invalid_rows[0].field_specific_errors) == ["status"]
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_event_export_has_uid_period_parent_and_iso_times(edition, lien):
    parent = EventFactory(
        period=edition,
        venue=lien,
        start=datetime(2016, 9, 10, 12, 0, tzinfo=OSLO),
        end=datetime(2016, 9, 25, 17, 0, tzinfo=OSLO),
    )
    child = EventFactory(
        period=edition,
        venue=None,
        parent=parent,
        kind=Event.Kind.OPENING,
        start=datetime(2016, 9, 10, 11, 0, tzinfo=OSLO),
        end=datetime(2016, 9, 10, 14, 0, tzinfo=OSLO),
    )

    rows = EventResource().export(Event.objects.all()).dict

    # Parents come first even when a session starts earlier.
    assert [row["uid"] for row in rows] == [parent.uid, child.uid]
    assert rows[0]["period"] == "kunst-rett-vest/2016"
    assert rows[0]["venue"] == lien.pk
    assert rows[0]["start"] == "2016-09-10T12:00:00+02:00"
    assert rows[1]["parent"] == parent.uid
    assert rows[1]["venue"] == ""


def test_csv_round_trip_changes_nothing(edition, lien):
    parent = EventFactory(period=edition, venue=lien)
    EventFactory(period=edition, venue=lien, parent=parent, kind=Event.Kind.SESSION)
    before = dict(Event.objects.values_list("uid", "revision"))
    text = CSV().export_data(EventResource().export(Event.objects.all()))

    result = EventResource().import_data(csv_dataset(text), dry_run=False)

    assert {row.import_type for row in result.rows} == {"skip"}
    assert dict(Event.objects.values_list("uid", "revision")) == before


# --- municipalities and venues ----------------------------------------------------


def test_municipality_keyed_by_number_and_valid_from():
    text = (
        "number,name,county,valid_from,valid_to\n"
        "3203,Asker kommune,Akershus,2024-01-01,\n"
        "3203,Asker,Akershus,2030-01-01,\n"
    )
    result = MunicipalityResource().import_data(csv_dataset(text), dry_run=False)
    assert [row.import_type for row in result.rows] == ["update", "new"]
    assert Municipality.objects.get(number="3203", valid_from=date(2024, 1, 1)).name == (
        "Asker kommune"
    )
    assert Municipality.objects.filter(number="3203").count() == 2


def test_municipality_bad_row_writes_nothing():
    before = Municipality.objects.count()
    text = (
        "number,name,county,valid_from,valid_to\n"
        "9901,Nykommune,Buskerud,2030-01-01,\n"
        "99x2,Feilkommune,Buskerud,2030-01-01,\n"
        "9903,Baklengs,Buskerud,2030-01-01,2029-01-01\n"
    )
    result = MunicipalityResource().import_data(csv_dataset(text), dry_run=False)
    errors = {row.number: set(row.field_specific_errors) for row in result.invalid_rows}
    assert errors == {2: {"number"}, 3: {"valid_to"}}
    assert Municipality.objects.count() == before


def test_a_nul_character_in_any_cell_is_that_columns_error_and_writes_nothing(lien):
    """PostgreSQL cannot store NUL: the import refuses it on every database (found by fuzzing)."""
    before = (Municipality.objects.count(), Venue.objects.count())
    municipalities = MunicipalityResource().import_data(
        csv_dataset(
            "number,name,county,valid_from,valid_to\n9901,Ny\x00kommune,,2030-01-01,\n"
            "\x00,Nykommune,,2030-01-01,\n"
        ),
        dry_run=False,
    )
    assert {row.number: set(row.field_specific_errors) for row in municipalities.invalid_rows} == {
        1: {"name"},
        2: {"number"},
    }
    venues = VenueResource().import_data(
        csv_dataset(f"id,name,municipality\n{lien.pk},Lien\x00,0220\n"), dry_run=False
    )
    assert [set(row.field_specific_errors) for row in venues.invalid_rows] == [{"name"}]
    assert not municipalities.has_errors() and not venues.has_errors()
    assert (Municipality.objects.count(), Venue.objects.count()) == before
    lien.refresh_from_db()
    assert lien.name == "Lien"


def test_venue_municipality_by_number_takes_the_one_in_force_today():
    MunicipalityFactory(number="9100", name="Gamlekommune", valid_from=date(1900, 1, 1))
    MunicipalityFactory(
        number="9100", name="Forgjengeren", valid_from=date(1838, 1, 1), valid_to=date(1899, 12, 31)
    )
    text = (
        "id,name,address,postcode,place,municipality,latitude,longitude,capacity\n"
        ',Kulturhuset,Storgata 1,3015,Drammen,9100,"59,744",10.204,300\n'
        ",Skolen,Skoleveien 2,150,Oslo,3301,,,\n"
    )
    result = VenueResource().import_data(csv_dataset(text), dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    house = Venue.objects.get(name="Kulturhuset")
    assert house.municipality.name == "Gamlekommune"
    assert house.latitude == Decimal("59.744")
    assert house.capacity == 300
    school = Venue.objects.get(name="Skolen")
    assert school.postcode == "0150"
    assert school.municipality.number == "3301"


def test_venue_keeps_its_historical_municipality_on_reimport():
    hurum = Municipality.objects.get(number="0628")
    venue = VenueFactory(name="Støa", municipality=hurum)
    dataset = VenueResource().export(Venue.objects.all())
    assert dataset.dict[0]["municipality"] == "0628"
    assert dataset.dict[0]["municipality_name"] == "Hurum"

    result = VenueResource().import_data(dataset, dry_run=False)

    assert [row.import_type for row in result.rows] == ["skip"]
    venue.refresh_from_db()
    assert venue.municipality == hurum


def test_venue_unknown_municipality_is_a_row_error():
    text = "id,name,municipality\n,Et sted,0000\n"
    result = VenueResource().import_data(csv_dataset(text), dry_run=False)
    assert {row.number: set(row.field_specific_errors) for row in result.invalid_rows} == {
        1: {"municipality"}
    }
    assert not Venue.objects.exists()


# --- (b) the admin's import view, with the confirm step -----------------------------


def import_url(model_name: str) -> str:
    return reverse(f"admin:events_{model_name}_import")


def upload(client, model_name, name, content, format_index=0):
    return client.post(
        import_url(model_name),
        {
            "resource": "0",
            "format": str(format_index),
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, model_name, response):
    initial = response.context["confirm_form"].initial
    return client.post(reverse(f"admin:events_{model_name}_process_import"), initial)


def test_admin_import_previews_then_writes_on_confirm(client, project_leader):
    client.force_login(project_leader)
    content = (
        "id,name,address,postcode,place,municipality,latitude,longitude\n"
        ",Dikemark Lien,Dikemarkveien 1,1385,Asker,3203,59.8137,10.3766\n"
        ",Fengslet,Storgata 1,3510,Hønefoss,3305,60.166,10.256\n"
    ).encode()

    preview = upload(client, "venue", "venues.csv", content)

    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    html = preview.content.decode()
    assert "Dikemark Lien" in html and "Fengslet" in html
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["new", "new"]
    assert not Venue.objects.exists()

    done = confirm(client, "venue", preview)

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:events_venue_changelist")
    assert set(Venue.objects.values_list("name", flat=True)) == {"Dikemark Lien", "Fengslet"}
    assert Venue.objects.get(name="Fengslet").municipality.name == "Ringerike"


def test_admin_import_with_bad_row_shows_its_error_and_no_confirm_form(
    client, project_leader, edition, lien
):
    client.force_login(project_leader)
    content = (
        f"{EVENT_HEADER}\n"
        f",kunst-rett-vest/2016,,exhibition,Fellesutstilling,,{lien.pk},"
        "2016-09-10 12:00,2016-09-25 17:00,public\n"
        f",kunst-rett-vest/2016,,workshop,Tegneverksted,,{lien.pk},"
        "2016-09-18 15:00,2016-09-18 12:00,public\n"
    ).encode()

    response = upload(client, "event", "events.csv", content)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2]
    html = response.content.decode()
    with translation.override("nb"):
        message = gettext("The end is before the start.")
    assert message in html
    assert "Tegneverksted" in html
    assert 'name="confirm"' not in html
    assert not Event.objects.exists()


# --- (c) XLSX: export, import the same bytes, then an edited copy -------------------


def export_xlsx(client, model_name, resource_class):
    field_prefix = resource_class.__name__.lower()
    data = {"format": "1", "resource": "0"}
    for name in resource_class().get_export_order():
        data[f"{field_prefix}_{name}"] = "on"
    response = client.post(reverse(f"admin:events_{model_name}_export"), data)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX.CONTENT_TYPE
    return response.content


def test_xlsx_round_trip_through_the_admin(client, project_leader, edition, lien):
    client.force_login(project_leader)
    parent = EventFactory(period=edition, venue=lien, kind=Event.Kind.REHEARSAL_WEEKEND)
    session = EventFactory(period=edition, venue=lien, parent=parent, kind=Event.Kind.SESSION)
    EventFactory(period=edition, venue=None, title_en="")
    before = {e.uid: (e.revision, e.updated_at) for e in Event.objects.all()}

    content = export_xlsx(client, "event", EventResource)

    same = upload(client, "event", "events.xlsx", content, format_index=1)
    assert [row.import_type for row in same.context["result"].valid_rows()] == ["skip"] * 3
    assert confirm(client, "event", same).status_code == 302
    assert {e.uid: (e.revision, e.updated_at) for e in Event.objects.all()} == before

    book = openpyxl.load_workbook(BytesIO(content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("uid")].value == session.uid:
            row[headers.index("title_nb")].value = "Gruppeøvelse strykere"
    edited = BytesIO()
    book.save(edited)

    changed = upload(client, "event", "events.xlsx", edited.getvalue(), format_index=1)
    types = sorted(row.import_type for row in changed.context["result"].valid_rows())
    assert types == ["skip", "skip", "update"]
    confirm(client, "event", changed)
    session.refresh_from_db()
    assert session.title_nb == "Gruppeøvelse strykere"
    assert session.revision == 1
    assert Event.objects.count() == 3


def test_xlsx_round_trip_of_venues_and_municipalities(client, project_leader, lien):
    client.force_login(project_leader)
    content = export_xlsx(client, "venue", VenueResource)
    result = VenueResource().import_data(XLSX().create_dataset(content), dry_run=False)
    assert [row.import_type for row in result.rows] == ["skip"]

    content = export_xlsx(client, "municipality", MunicipalityResource)
    result = MunicipalityResource().import_data(XLSX().create_dataset(content), dry_run=False)
    assert {row.import_type for row in result.rows} == {"skip"}
    assert len(result.rows) == Municipality.objects.count()
