"""Importing earlier participants from CSV and XLSX, and exporting artists."""

from io import BytesIO

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import CSV, XLSX

from artists.models import Artist
from artists.resources import ArtistResource
from events.models import Municipality
from tests.artists.factories import new_artist

pytestmark = pytest.mark.django_db

FORMATS = {"csv": CSV, "xlsx": XLSX}


def read_dataset(content: bytes, file_format: str):
    """Return the rows of an uploaded CSV (UTF-8) or XLSX file."""
    fmt = FORMATS[file_format]()
    if fmt.is_binary():
        return fmt.create_dataset(content)
    return fmt.create_dataset(content.decode("utf-8-sig"))


def import_artists(content: bytes, *, file_format: str, dry_run: bool = True):
    """Import artists from a file as the admin does; with ``dry_run`` nothing is written."""
    return ArtistResource().import_data(read_dataset(content, file_format), dry_run=dry_run)


def row_errors(result) -> list[tuple[int | None, str, str]]:
    """Return (row number, column, message) for every error of an import, in row order."""
    problems = []
    for error in result.base_errors:
        problems.append((None, "", str(error.error)))
    for row in result.invalid_rows:
        for field, messages in row.field_specific_errors.items():
            problems.extend((row.number, field, str(message)) for message in messages)
        problems.extend((row.number, "", str(message)) for message in row.non_field_specific_errors)
    for number, errors in result.row_errors():
        problems.extend((number, "", str(error.error)) for error in errors)
    return sorted(problems, key=lambda problem: (problem[0] or 0, problem[1]))


def export_artists(queryset=None, *, file_format: str = "csv") -> bytes | str:
    """Return every artist (or the given ones) as a CSV or XLSX file."""
    dataset = ArtistResource().export(queryset if queryset is not None else Artist.objects.all())
    return FORMATS[file_format]().export_data(dataset)


HEADER = "name,email,phone,home_municipality,studio_municipality,disciplines,website,instagram"
GOOD = (
    f"{HEADER}\n"
    "Anne Akvarell,anne@example.org,+47 900 00 001,3203,,painting,www.anne.example,@anne.akv\n"
    'Bjørn Brenning,bjorn@example.org,91234567,3201,220,"ceramics, glass",,\n'
    "Cecilie Glass,,,,,,,https://www.instagram.com/cecilie.glass/\n"
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_a_preview_writes_nothing_and_reports_what_would_happen(db):
    result = import_artists(csv(GOOD), file_format="csv", dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert not Artist.objects.exists()


def test_earlier_participants_are_imported_tidily(db):
    result = import_artists(csv(GOOD), file_format="csv", dry_run=False)
    assert row_errors(result) == []
    anne, bjorn, cecilie = Artist.objects.order_by("name")
    assert anne.slug == "anne-akvarell"
    assert anne.home_municipality == Municipality.objects.get(number="3203")
    assert anne.website == "https://www.anne.example"
    assert anne.instagram == "anne.akv"
    assert anne.user is None
    assert anne.is_professional is True and anne.language == "nb"
    assert bjorn.phone == "91234567"
    # "220" lost its leading zero in a spreadsheet: 0220 is Asker before 2020.
    assert bjorn.studio_municipality.number == "0220"
    assert {d.slug for d in bjorn.disciplines.all()} == {"ceramics", "glass"}
    assert cecilie.instagram == "cecilie.glass"
    assert cecilie.email == ""


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named(db):
    text = (
        f"{HEADER}\n"
        "Anne Akvarell,anne@example.org,,3203,,painting,,\n"
        "Feil Kommune,feil@example.org,,9999,,painting,,\n"
        ",uten-navn@example.org,,3203,,,,\n"
        'Feil Fag,fag@example.org,,3203,,"painting, origami",,\n'
        "Feil Epost,ikke-en-adresse,,3203,,,,\n"
        "Anne igjen,ANNE@example.org,,3203,,,,\n"
        "Feil Insta,insta@example.org,,3203,,,,ikke gyldig!\n"
    )
    for dry_run in (True, False):
        result = import_artists(csv(text), file_format="csv", dry_run=dry_run)
        problems = {(number, field) for number, field, _message in row_errors(result)}
        assert problems == {
            (2, "home_municipality"),
            (3, "name"),
            (4, "disciplines"),
            (5, "email"),
            (6, "email"),
            (7, "instagram"),
        }
        assert not Artist.objects.exists()
    messages = {(number, field): message for number, field, message in row_errors(result)}
    assert "9999" in messages[(2, "home_municipality")]
    assert "origami" in messages[(4, "disciplines")]
    assert "row 1" in messages[(6, "email")]


def test_a_file_without_a_name_column_is_refused(db):
    result = import_artists(csv("email\nanne@example.org\n"), file_format="csv", dry_run=False)
    assert row_errors(result)
    assert row_errors(result)[0][0] is None
    assert not Artist.objects.exists()


def test_importing_again_updates_by_email_instead_of_duplicating(db):
    import_artists(csv(GOOD), file_format="csv", dry_run=False)
    changed = f"{HEADER}\nAnne Akvarell-Berg,ANNE@example.org,+47 900 00 009,3301,,glass,,\n"
    result = import_artists(csv(changed), file_format="csv", dry_run=False)
    assert row_errors(result) == []
    assert result.totals["update"] == 1
    assert Artist.objects.count() == 3
    anne = Artist.objects.get(email__iexact="anne@example.org")
    assert anne.name == "Anne Akvarell-Berg"
    assert anne.slug == "anne-akvarell"  # the public address stays
    assert anne.home_municipality.number == "3301"
    assert [d.slug for d in anne.disciplines.all()] == ["glass"]


def test_an_unknown_id_is_a_row_error(db):
    result = import_artists(csv("id,name\n424242,Ingen\n"), file_format="csv", dry_run=False)
    assert [number for number, _field, _message in row_errors(result)] == [1]
    assert not Artist.objects.exists()


def test_export_and_import_round_trip_in_xlsx(db, project_leader):
    mari = new_artist(
        "Mari Maler",
        home="3203",
        studio="3301",
        disciplines=("painting", "drawing"),
        phone="+47 912 34 567",
        website="https://mari.example",
        instagram="mari.maler",
    )
    import_artists(csv(GOOD), file_format="csv", dry_run=False)
    content = export_artists(file_format="xlsx")
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    rows = list(sheet.values)
    header = list(rows[0])
    assert header[:4] == ["id", "name", "email", "phone"]
    exported = {row[header.index("name")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert exported["Mari Maler"]["home_municipality"] == "3203"
    assert exported["Mari Maler"]["studio_municipality_name"] == "Drammen"
    assert exported["Mari Maler"]["disciplines"] in ("painting,drawing", "drawing,painting")
    assert exported["Mari Maler"]["has_login"] == "1"
    assert exported["Anne Akvarell"]["has_login"] == "0"
    # Importing the exported file changes nothing and adds no one.
    result = import_artists(content, file_format="xlsx", dry_run=False)
    assert row_errors(result) == []
    assert result.totals["new"] == 0
    assert Artist.objects.count() == 4
    mari.refresh_from_db()
    assert mari.phone == "+47 912 34 567"


def test_xlsx_numbers_are_read_as_text(db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "phone", "home_municipality", "is_professional"])
    sheet.append(["Tall Telefon", 91234567, 220, 0])
    buffer = BytesIO()
    book.save(buffer)
    result = import_artists(buffer.getvalue(), file_format="xlsx", dry_run=False)
    assert row_errors(result) == []
    artist = Artist.objects.get()
    assert artist.phone == "91234567"
    assert artist.home_municipality.number == "0220"
    assert artist.is_professional is False


def test_export_takes_constant_queries(db, django_assert_max_num_queries):
    for number in range(12):
        new_artist(f"Eksport {number}", disciplines=("painting", "glass"))
    with django_assert_max_num_queries(4):
        ArtistResource().export(Artist.objects.all())


def test_an_imported_participant_who_signs_up_gets_their_profile(
    client, django_capture_on_commit_callbacks
):
    import_artists(csv(GOOD), file_format="csv", dry_run=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("artists:signup"),
            {
                "name": "Anne A.",
                "email": "anne@example.org",
                "password1": "akvarell i regn 5",
                "password2": "akvarell i regn 5",
            },
        )
    link = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    client.get(link)
    anne = Artist.objects.get(email="anne@example.org")
    assert anne.user is not None
    assert anne.name == "Anne Akvarell"
    assert Artist.objects.count() == 3
