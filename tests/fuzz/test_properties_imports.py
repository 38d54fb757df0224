"""Spreadsheet imports of any rows: all written, or row errors reported and nothing written.

Rows mix valid values (keys of the demo data) with arbitrary cells as CSV or XLSX give
them: text of any kind, whole and decimal numbers, dates, date-times, booleans, empty.
An import must never raise and never fail with a traceback instead of a row error.
"""

from datetime import UTC, datetime

import pytest
import tablib
from django.apps import apps
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from artists.resources import ArtistResource
from events.models import Event
from events.resources import EventResource, MunicipalityResource, VenueResource
from orchestra.models import Member
from orchestra.resources import GuardianResource, MemberResource

from .strategies import PROPERTY_SETTINGS

pytestmark = pytest.mark.usefixtures("demo_data")

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
cells = st.one_of(
    st.none(),
    st.just(""),
    text,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.booleans(),
)


def column(*valid) -> st.SearchStrategy:
    """A column's cells: one of the valid values given, or any cell at all."""
    return st.one_of(st.sampled_from(valid), cells) if valid else cells


# A spreadsheet's date-time cell is naive: local time.
ISO_MOMENTS = ("2026-09-12 12:00", "2026-09-12T18:00:00+02:00", datetime(2026, 9, 13, 10))  # noqa: DTZ001
COLUMNS = {
    EventResource: {
        "uid": column("", "demo-new@kulturvest"),
        "period": column("kunst-rett-vest/2026", "ungdomssymfonikerne/2026-2027"),
        "parent": column(""),
        "kind": column(*Event.Kind.values),
        "title_nb": column("Konsert", "Åpning, med tale; og musikk"),
        "title_en": column("", "Concert"),
        "venue": column(""),
        "start": column(*ISO_MOMENTS),
        "end": column(*ISO_MOMENTS),
        "visibility": column(*Event.Visibility.values),
    },
    MunicipalityResource: {
        "number": column("3203", "0220", 3201),
        "name": column("Asker", "Ny kommune"),
        "county": column("Akershus"),
        "valid_from": column("2024-01-01", "1964-01-01"),
        "valid_to": column("", "2019-12-31"),
    },
    VenueResource: {
        "id": column(""),
        "name": column("Kulturhuset"),
        "address": column("Storgata 1"),
        "postcode": column("3015", 3015, 301),
        "place": column("Drammen"),
        "municipality": column("3301", 3301),
        "latitude": column("59.74", "59,74", 59.74),
        "longitude": column("10.2", 10.2),
        "capacity": column("", 120),
        "accessibility": column(""),
        "description": column(""),
    },
    ArtistResource: {
        "id": column(""),
        "name": column("Kari Kunstner"),
        "email": column("", "kari@example.org", "kari@example.org "),
        "phone": column("", 4790000000.0),
        "home_municipality": column("3203", ""),
        "studio_municipality": column(""),
        "disciplines": column("", "painting", "painting, ceramics"),
        "website": column("", "www.example.no"),
        "instagram": column("", "@kari"),
        "is_professional": column(1, 0, ""),
        "language": column("nb", "en"),
        "bio_nb": column(""),
        "bio_en": column(""),
    },
    MemberResource: {
        "id": column(""),
        "first_name": column("Ola"),
        "last_name": column("Nordmann"),
        "birth_date": column("2014-05-01"),
        "gender": column("", "female", "other"),
        "municipality": column("3203"),
        "origin": column(*Member.Origin.values),
        "origin_name": column(""),
        "years_played": column(0, 3, "2"),
        "photo_consent": column(0, 1),
        "main_instrument": column("", "Fiolin", "Violin"),
        "groups": column("", "2026-2027/ungdomssymfonikerne"),
        "status": column("", "applicant", "active", "left"),
        "leaving_reason": column("", "other"),
    },
    GuardianResource: {
        "email": column("forelder.ny@example.org"),
        "first_name": column("Kari"),
        "last_name": column("Nordmann"),
        "phone": column("", "90000000"),
        "children": column("", "1:mother", "1:mother; 2:father"),
    },
}


@st.composite
def files(draw, resource_class):
    columns = COLUMNS[resource_class]
    rows = draw(
        st.lists(
            st.fixed_dictionaries(columns).map(lambda row: [row[name] for name in columns]),
            min_size=1,
            max_size=4,
        )
    )
    return tablib.Dataset(*rows, headers=list(columns))


def stored() -> dict[str, int]:
    """Return how many rows each model of the apps that imports write to holds."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("events", "artists", "orchestra")
        for model in apps.get_app_config(app).get_models()
    }


def import_and_check(resource_class, dataset):
    before = stored()
    result = resource_class().import_data(dataset, dry_run=False)
    # A row error is the resource's own report (a ValueError or ValidationError with a
    # message for staff), never an exception of Python or a library (a traceback).
    errors = [error for _number, row_errors in result.row_errors() for error in row_errors]
    errors += result.base_errors
    for error in errors:
        assert isinstance(error.error, ValueError | ValidationError), error.traceback
    if result.has_errors() or result.has_validation_errors():
        assert all(row.error_dict for row in result.invalid_rows)
        assert stored() == before
    else:
        assert result.totals["new"] + result.totals["update"] + result.totals["skip"] == len(
            dataset
        )


@pytest.mark.django_db
@settings(PROPERTY_SETTINGS)
@given(st.data())
@pytest.mark.parametrize("resource_class", list(COLUMNS), ids=lambda cls: cls.__name__)
def test_any_rows_import_completely_or_not_at_all(resource_class, data):
    import_and_check(resource_class, data.draw(files(resource_class)))
