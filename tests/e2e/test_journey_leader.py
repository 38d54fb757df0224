# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: a project leader imports venues from a spreadsheet with one bad row, sees the
row's error (nothing is imported), fixes the row, and imports the whole sheet; with the
pointer, and with the keyboard alone (tests/e2e/keyboard.py)."""

import io

import openpyxl
import pytest

from events.models import Venue
from tests.artists.conftest import asker_after_flush  # noqa: F401 -- a fixture
from tests.e2e.conftest import CHROMIUM, DESKTOP
from tests.e2e.keyboard import Hands, mode  # noqa: F401 -- a fixture

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

HEADER = ["id", "name", "address", "postcode", "place", "municipality", "latitude", "longitude"]
VENUES = [
    ["", "Lien", "Dikemarkveien 100", "1385", "Asker", "3203", "59,8065", "10,4140"],
    ["", "Fengslet", "Storgata 2", "3510", "Hønefoss", "3203", "60.1680", "10.2560"],
    ["", "Støa", "Støaveien 1", "3482", "Tofte", "3203", "59.5480", "10.5610"],
]
BAD_ROW = 2  # Fengslet, with a municipality number that does not exist


def spreadsheet(rows) -> dict:
    """Return an XLSX file, as a file input takes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    return {
        "name": "steder.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": content.getvalue(),
    }


def upload(page, hands, rows) -> None:
    hands.upload(page.get_by_label("File to import"), spreadsheet(rows))
    hands.select(page.get_by_label("Format"), label="xlsx")
    hands.click(page.get_by_role("button", name="Submit"))


def test_a_project_leader_fixes_a_bad_row_and_imports(
    project_leader, asker_after_flush, open_page, last_step, mode
):
    page = open_page(project_leader, "/admin/", **DESKTOP)
    hands = Hands(page, mode)
    hands.click(page.get_by_role("link", name="Venues"))
    hands.click(page.get_by_role("link", name="Import"))

    broken = [list(row) for row in VENUES]
    broken[BAD_ROW - 1][5] = "9999"
    upload(page, hands, broken)
    expect(page.get_by_role("heading", name="Some rows failed to validate")).to_be_visible()
    invalid = page.locator("table.import-preview tbody tr")
    expect(invalid).to_have_count(1)
    expect(invalid.locator("td").first).to_have_text(str(BAD_ROW))
    expect(invalid.locator(".validation-error-list")).to_contain_text("municipality")
    expect(invalid.locator(".validation-error-list")).to_contain_text(
        "No municipality has the number “9999”."
    )
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert not Venue.objects.exists()

    # The row fixed, the same sheet again: a preview of three new venues, then the import.
    upload(page, hands, VENUES)
    preview = page.locator("table.import-preview tr.new")
    expect(preview).to_have_count(3)
    assert not Venue.objects.exists()
    hands.click(page.get_by_role("button", name="Confirm import"))
    expect(page.locator(".messagelist")).to_contain_text("3 new")
    for name in ("Lien", "Fengslet", "Støa"):
        expect(page.locator("#result_list")).to_contain_text(name)
    last_step(page, "leader-imported-venues" + hands.suffix)

    venues = {venue.name: venue for venue in Venue.objects.select_related("municipality")}
    assert sorted(venues) == ["Fengslet", "Lien", "Støa"]
    assert {venue.municipality.number for venue in venues.values()} == {"3203"}
    assert str(venues["Lien"].latitude) == "59.806500"
