"""An import looks its reference data (municipality, instrument, group, disciplines) up
once per file, not once per row, and forgets it when the import ends."""

import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from artists.models import Artist, Discipline
from artists.resources import ArtistResource
from events.resources import looked_up
from orchestra.models import Instrument, Member
from orchestra.resources import MemberResource


def lookups(queries, table: str) -> int:
    """The SELECTs that read `table` by something else than its id."""
    return sum(
        1
        for query in queries
        if query["sql"].startswith("SELECT")
        and f'FROM "{table}"' in query["sql"]
        and f'"{table}"."id" =' not in query["sql"]
    )


def members_file(rows: int, municipality, group) -> tablib.Dataset:
    instrument = Instrument.objects.order_by("pk").first()
    dataset = tablib.Dataset(
        headers=["first_name", "last_name", "birth_date", "municipality", "main_instrument"]
        + ["groups", "status"]
    )
    for i in range(rows):
        dataset.append(
            [
                f"Lookup{i}",
                "Testesen",
                "2014-05-01",
                municipality.number,
                instrument.name_en.upper(),
                f"{group.season.slug}/{group.slug}",
                "active",
            ]
        )
    return dataset


def test_a_member_import_reads_each_municipality_instrument_and_group_once(
    municipality, youth_group
):
    dataset = members_file(6, municipality, youth_group)
    with CaptureQueriesContext(connection) as queries:
        result = MemberResource().import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Member.objects.filter(last_name="Testesen").count() == 6
    assert lookups(queries.captured_queries, "events_municipality") == 1
    assert lookups(queries.captured_queries, "orchestra_instrument") == 1
    assert lookups(queries.captured_queries, "orchestra_group") == 1


def test_an_artist_import_reads_the_disciplines_of_a_list_once(municipality):
    slugs = list(Discipline.objects.order_by("slug").values_list("slug", flat=True)[:2])
    dataset = tablib.Dataset(headers=["name", "email", "home_municipality", "disciplines"])
    for i in range(5):
        dataset.append(
            [f"Lookup Artist {i}", f"lookup{i}@example.org", municipality.number, ",".join(slugs)]
        )
    with CaptureQueriesContext(connection) as queries:
        result = ArtistResource().import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    assert lookups(queries.captured_queries, "events_municipality") == 1
    found = [q for q in queries.captured_queries if 'FROM "artists_discipline" WHERE' in q["sql"]]
    assert len(found) == 1
    artist = Artist.objects.get(email="lookup4@example.org")
    assert sorted(artist.disciplines.values_list("slug", flat=True)) == sorted(slugs)


def test_a_bad_row_is_still_reported_and_nothing_is_remembered_after_the_import(
    municipality, youth_group
):
    dataset = members_file(3, municipality, youth_group)
    dataset.append(["Bad", "Testesen", "2014-05-01", "0000", "", "", "active"])
    result = MemberResource().import_data(dataset)
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [4]
    assert not Member.objects.filter(last_name="Testesen").exists()
    # Outside an import, a lookup is made each time.
    calls = []
    looked_up("x", 1, lambda: calls.append(1))
    looked_up("x", 1, lambda: calls.append(1))
    assert len(calls) == 2
