"""An import looks its reference data (municipality, instrument, group, disciplines) up
once per file, not once per row, and forgets it when the import ends; each further row
costs a fixed number of queries."""

from datetime import timedelta

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from artists.models import Artist, Discipline
from artists.resources import ArtistResource
from events.resources import looked_up
from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.models import Instrument, Member, Membership, StatusChange
from orchestra.resources import MemberResource
from tests.artists.factories import ArtistFactory
from tests.orchestra.factories import instrument, new_member

# What a row adds, at most. A member: the row's savepoint, the member, their instrument,
# group (is the member in it already?) and status, and full_clean()'s check of each
# foreign key, and the audit entries of the group joined and the status set. An artist:
# the savepoint, a free address name, full_clean() (its municipality and that the address
# name is free), the artist and the disciplines. And for the change stamps (core.stamps),
# once a row: who sees the row's changes (a member's guardians, an artist's editions),
# and for a member the stamp row of their calendar.
MEMBER_QUERIES_A_ROW = 15
ARTIST_QUERIES_A_ROW = 9


def lookups(queries, table: str) -> int:
    """The SELECTs that read `table` by something else than its id."""
    return sum(
        1
        for query in queries
        if query["sql"].startswith("SELECT")
        and f'FROM "{table}"' in query["sql"]
        and f'"{table}"."id" =' not in query["sql"]
    )


def queries_a_row(import_file) -> float:
    """Return what each row past the first five costs: import_file(rows, name) 5, then 20."""
    with CaptureQueriesContext(connection) as five:
        import_file(5, "five")
    with CaptureQueriesContext(connection) as twenty:
        import_file(20, "twenty")
    return (len(twenty) - len(five)) / 15


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


def test_an_artist_import_reads_the_disciplines_once(municipality):
    slugs = list(Discipline.objects.order_by("slug").values_list("slug", flat=True)[:3])
    dataset = tablib.Dataset(headers=["name", "email", "home_municipality", "disciplines"])
    for i in range(5):
        dataset.append(
            [f"Lookup Artist {i}", f"lookup{i}@example.org", municipality.number, slugs[i % 3]]
        )
    dataset.append(["Lookup Artist 5", "lookup5@example.org", municipality.number, ",".join(slugs)])
    with CaptureQueriesContext(connection) as queries:
        result = ArtistResource().import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    assert lookups(queries.captured_queries, "events_municipality") == 1
    assert lookups(queries.captured_queries, "artists_discipline") == 1
    artist = Artist.objects.get(email="lookup5@example.org")
    assert sorted(artist.disciplines.values_list("slug", flat=True)) == sorted(slugs)


def test_a_member_import_costs_a_fixed_number_of_queries_a_row(municipality, youth_group):
    def import_file(rows, name):
        dataset = members_file(rows, municipality, youth_group)
        result = MemberResource().import_data(dataset)
        assert not result.has_errors() and not result.has_validation_errors()

    assert queries_a_row(import_file) <= MEMBER_QUERIES_A_ROW
    member = Member.objects.filter(last_name="Testesen").last()
    assert member.member_instruments.get().is_main
    assert member.memberships.get().group == youth_group
    assert member.status_changes.get().status == StatusChange.Status.ACTIVE


def test_an_artist_import_costs_a_fixed_number_of_queries_a_row(municipality):
    slugs = list(Discipline.objects.order_by("slug").values_list("slug", flat=True)[:2])
    # Found by its address (whatever its case), and updated by each file.
    known = ArtistFactory(name="Known", slug="known", email="KNOWN@example.org")

    def import_file(rows, name):
        dataset = tablib.Dataset(headers=["name", "email", "home_municipality", "disciplines"])
        for i in range(rows):
            dataset.append(
                [f"{name} {i}", f"{name}{i}@example.org", municipality.number, slugs[i % 2]]
            )
        dataset.append([f"Known {name}", "known@example.org", municipality.number, slugs[0]])
        result = ArtistResource().import_data(dataset, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert result.totals["new"] == rows and result.totals["update"] == 1

    assert queries_a_row(import_file) <= ARTIST_QUERIES_A_ROW
    assert Artist.objects.count() == 26
    known.refresh_from_db()
    assert known.name == "Known twenty" and known.slug == "known"
    assert list(known.disciplines.values_list("slug", flat=True)) == [slugs[0]]


def test_a_member_the_file_names_by_id_is_updated_from_what_they_have(
    municipality, youth_group, junior_group
):
    member = new_member(
        ("Ulla", "Oppdatert"), age=11, municipality=municipality, groups=[youth_group]
    )
    dataset = tablib.Dataset(
        headers=["id", "first_name", "last_name", "birth_date", "municipality", "main_instrument"]
        + ["groups", "status"]
    )
    dataset.append(
        [
            member.pk,
            "Ulla",
            "Oppdatert",
            member.birth_date.isoformat(),
            municipality.number,
            "Cello",
            f"{junior_group.season.slug}/{junior_group.slug}",
            "on_leave",
        ]
    )
    result = MemberResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1
    played = {
        p.instrument.name_en: (p.is_main, p.years_played) for p in member.member_instruments.all()
    }
    assert played == {"Cello": (True, None), "Violin": (False, 3)}
    assert set(member.memberships.filter(left_on=None).values_list("group__slug", flat=True)) == {
        "usym",
        "junior",
    }
    history = list(member.status_changes.order_by(*StatusChange.LATEST_FIRST))
    assert [change.status for change in history] == ["on_leave", "active"]
    assert history[0].since == timezone.localdate()
    assert history[1].since == timezone.localdate() - timedelta(days=30)
    assert instrument("Violin").member_instruments.filter(member=member).exists()


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


def test_the_member_services_check_their_models_constraints_themselves(child, youth_group):
    """join_group() and set_status() check these rules in Python and leave Django's query
    per constraint out (full_clean(validate_constraints=False)): a new constraint of these
    models must be checked there too, before it is added here."""
    assert {constraint.name for constraint in Membership._meta.constraints} == {
        "orchestra_membership_dates",
        "orchestra_membership_one_open",
    }
    assert {constraint.name for constraint in StatusChange._meta.constraints} == {
        "orchestra_status_reason_only_when_left",
        "orchestra_status_left_needs_reason",
    }
    with translation.override("en"):
        with pytest.raises(OrchestraError, match="in this group already"):
            services.join_group(member=child, group=youth_group, by=None)
        with pytest.raises(OrchestraError, match="reason for leaving"):
            services.set_status(member=child, status=StatusChange.Status.LEFT, by=None)
        with pytest.raises(OrchestraError, match="only when a member leaves"):
            services.set_status(
                member=child, status=StatusChange.Status.ON_LEAVE, reason="other", by=None
            )
    assert child.memberships.filter(group=youth_group).count() == 1
    assert child.status_changes.count() == 1
