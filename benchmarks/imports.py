"""Spreadsheet imports of members and artists against a raw bulk_create of the same rows.

Run from the repository root:

    .venv/bin/python benchmarks/imports.py               # 10,000 rows of each
    .venv/bin/python benchmarks/imports.py --rows 1000   # a quick run

In one process, with the production settings of the other benchmarks (DEBUG off, the
benchmark database): writes N members (and, separately, N artists) to an XLSX file, then
imports it as staff do in the admin's "import" (django-import-export's XLSX format and
the project's resource, orchestra.resources.MemberResource and
artists.resources.ArtistResource, with dry_run off: every row checked, all in one
transaction), and times it. The baseline reads the same file and writes the same rows
with bulk_create: for members, the member, their main instrument, their group
membership and their status; for artists, the artist and their disciplines. Prints the
seconds, rows/s, queries (in all and per row), and the import's ratio to the baseline.
The rows are deleted afterwards. The log level is WARNING (production's INFO would print
a line or two a member).
"""

import argparse
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402 -- after the path is set
    DEFAULT_DATABASE_URL,
    code_version,
    database_version,
    log,
    migrate,
    prepare_database,
    server_env,
    setup_django,
)

# What the imports create is recognisable by these, and deleted before and after a run.
MEMBER_LAST_NAME = "Benchmark-import"
ARTIST_EMAIL_DOMAIN = "import.benchmark.invalid"
ORCHESTRA_SLUG = "benchmark-orchestra"
SEASON_SLUG = "benchmark-season"
GROUP_SLUG = "benchmark-group"
MUNICIPALITY_NUMBER = "9999"


class QueryCounter:
    """Count the SQL statements a block sends (an execute wrapper, whatever DEBUG says)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(function) -> dict:
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "queries": counter.count, "result": result}


def reference_data():
    """The municipality, instrument, season and group the rows refer to."""
    from events.models import Municipality, Period, Programme
    from orchestra.models import Group, Instrument

    municipality, _created = Municipality.objects.get_or_create(
        number=MUNICIPALITY_NUMBER,
        valid_from=date(2000, 1, 1),
        defaults={"name": "Benchmark", "county": "Benchmark"},
    )
    programme, _created = Programme.objects.get_or_create(
        slug=ORCHESTRA_SLUG,
        defaults={"name": "Benchmark orchestra", "kind": Programme.Kind.ORCHESTRA},
    )
    season, _created = Period.objects.get_or_create(
        programme=programme,
        slug=SEASON_SLUG,
        defaults={"name": "Benchmark season", "start": date(2000, 1, 1), "end": date(2099, 6, 30)},
    )
    group, _created = Group.objects.get_or_create(
        season=season,
        slug=GROUP_SLUG,
        defaults={"name": "Benchmark group", "min_age": 6, "max_age": 25},
    )
    instrument = Instrument.objects.order_by("pk").first()
    return municipality, instrument, season, group


def remove_rows() -> None:
    from artists.models import Artist
    from orchestra.models import Member

    Member.objects.filter(last_name=MEMBER_LAST_NAME).delete()
    Artist.objects.filter(email__endswith="@" + ARTIST_EMAIL_DOMAIN).delete()


def member_rows(n: int, municipality, instrument, season, group):
    import tablib

    dataset = tablib.Dataset(
        headers=[
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "municipality",
            "origin",
            "years_played",
            "photo_consent",
            "main_instrument",
            "groups",
            "status",
        ]
    )
    from django.utils import timezone

    born = timezone.localdate().replace(month=1, day=1) - timedelta(days=12 * 365)
    for i in range(n):
        dataset.append(
            [
                f"Bench{i:05d}",
                MEMBER_LAST_NAME,
                (born + timedelta(days=i % 1500)).isoformat(),
                "",
                municipality.number,
                "music_school",
                2,
                0,
                instrument.name_nb,
                f"{season.slug}/{group.slug}",
                "active",
            ]
        )
    return dataset


def artist_rows(n: int, municipality):
    import tablib

    from artists.models import Discipline

    slugs = list(Discipline.objects.order_by("position", "slug").values_list("slug", flat=True))
    dataset = tablib.Dataset(
        headers=[
            "name",
            "email",
            "phone",
            "home_municipality",
            "studio_municipality",
            "disciplines",
            "website",
            "is_professional",
            "language",
            "bio_nb",
        ]
    )
    for i in range(n):
        dataset.append(
            [
                f"Benchmark Artist {i:05d}",
                f"artist{i:05d}@{ARTIST_EMAIL_DOMAIN}",
                f"+47 900 {i:05d}",
                municipality.number,
                municipality.number,
                ", ".join(slugs[i % len(slugs) : i % len(slugs) + 2]) if slugs else "",
                "",
                1,
                "nb",
                "Lager ting.",
            ]
        )
    return dataset


def read_xlsx(content: bytes):
    from import_export.formats.base_formats import XLSX

    return XLSX().create_dataset(content)


def import_file(resource_class, content: bytes) -> int:
    dataset = read_xlsx(content)
    result = resource_class().import_data(dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        errors = [
            f"row {row.number}: {row.error_dict if hasattr(row, 'error_dict') else row}"
            for row in result.invalid_rows[:3]
        ] + [f"{error.error}" for _line, errors in result.row_errors()[:3] for error in errors]
        raise RuntimeError("the import failed: " + "; ".join(errors))
    return result.totals.get("new", 0) + result.totals.get("update", 0)


def bulk_members(content: bytes, municipality, instrument, group) -> int:
    """The same members, instruments, memberships and statuses, with bulk_create."""
    from django.db import transaction
    from django.utils import timezone

    from orchestra.models import Member, MemberInstrument, Membership, StatusChange

    dataset = read_xlsx(content)
    today = timezone.localdate()
    with transaction.atomic():
        members = Member.objects.bulk_create(
            [
                Member(
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    birth_date=date.fromisoformat(str(row["birth_date"])[:10]),
                    gender=row["gender"] or "",
                    municipality=municipality,
                    origin=row["origin"],
                    years_played=int(row["years_played"]),
                    photo_consent=bool(row["photo_consent"]),
                )
                for row in dataset.dict
            ],
            batch_size=1000,
        )
        MemberInstrument.objects.bulk_create(
            [MemberInstrument(member=m, instrument=instrument, is_main=True) for m in members],
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            [Membership(member=m, group=group, joined_on=today) for m in members],
            batch_size=1000,
        )
        StatusChange.objects.bulk_create(
            [
                StatusChange(member=m, status=StatusChange.Status.ACTIVE, since=today)
                for m in members
            ],
            batch_size=1000,
        )
    return len(members)


def bulk_artists(content: bytes, municipality) -> int:
    """The same artists and their disciplines, with bulk_create."""
    from django.db import transaction
    from django.utils.text import slugify

    from artists.models import Artist, Discipline

    dataset = read_xlsx(content)
    disciplines = {d.slug: d.pk for d in Discipline.objects.all()}
    with transaction.atomic():
        rows = list(dataset.dict)
        artists = Artist.objects.bulk_create(
            [
                Artist(
                    name=row["name"],
                    slug=slugify(row["name"]),
                    email=row["email"],
                    phone=str(row["phone"]),
                    home_municipality=municipality,
                    studio_municipality=municipality,
                    is_professional=True,
                    language=row["language"],
                    bio_nb=row["bio_nb"],
                )
                for row in rows
            ],
            batch_size=1000,
        )
        Artist.disciplines.through.objects.bulk_create(
            [
                Artist.disciplines.through(artist_id=artist.pk, discipline_id=disciplines[slug])
                for artist, row in zip(artists, rows, strict=True)
                for slug in (s.strip() for s in (row["disciplines"] or "").split(","))
                if slug
            ],
            batch_size=1000,
        )
    return len(artists)


def run(rows: int, kinds: list[str]) -> list[dict]:
    """Measure each kind's import and baseline; return the figures as rows."""
    from artists.resources import ArtistResource
    from orchestra.resources import MemberResource

    municipality, instrument, season, group = reference_data()
    figures = []
    for kind in kinds:
        if kind == "members":
            dataset = member_rows(rows, municipality, instrument, season, group)
            resource = MemberResource
            baseline = lambda content: bulk_members(content, municipality, instrument, group)  # noqa: E731
        else:
            dataset = artist_rows(rows, municipality)
            resource = ArtistResource
            baseline = lambda content: bulk_artists(content, municipality)  # noqa: E731
        content = dataset.export("xlsx")
        log(f"{kind}: {rows} rows, an XLSX file of {len(content) / 1024:.0f} KiB")
        remove_rows()
        log("  bulk_create of the same rows ...")
        base = measure(lambda content=content, baseline=baseline: baseline(content))
        log(f"    {base['seconds']:.2f} s, {base['queries']} queries")
        remove_rows()
        log(f"  import through {resource.__name__} ...")
        done = measure(lambda content=content, resource=resource: import_file(resource, content))
        log(f"    {done['seconds']:.2f} s, {done['queries']} queries")
        remove_rows()
        for name, figure, of in (
            (f"import {kind} (bulk_create)", base, None),
            (f"import {kind} (XLSX)", done, f"import {kind} (bulk_create)"),
        ):
            figures.append(
                {
                    "name": name,
                    "rows": figure["result"],
                    "seconds": round(figure["seconds"], 3),
                    "rows_per_second": round(figure["result"] / figure["seconds"], 1),
                    "queries": figure["queries"],
                    "queries_per_row": round(figure["queries"] / max(figure["result"], 1), 2),
                    "baseline": of,
                }
            )
    return figures


def format_rows(figures: list[dict]) -> str:
    by_name = {f["name"]: f for f in figures}
    head = (
        f"{'import':<28} {'rows':>6} {'seconds':>8} {'rows/s':>8} {'queries':>8} {'q/row':>6}"
        f" {'time vs base':>13}"
    )
    lines = [head, "-" * len(head)]
    for f in figures:
        base = by_name.get(f["baseline"]) if f["baseline"] else None
        versus = f"{f['seconds'] / base['seconds']:.1f}×" if base else ""
        lines.append(
            f"{f['name']:<28} {f['rows']:>6} {f['seconds']:>8.2f} {f['rows_per_second']:>8.1f}"
            f" {f['queries']:>8} {f['queries_per_row']:>6.2f} {versus:>13}"
        )
    return "\n".join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time the XLSX imports of members and artists against bulk_create.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="database to use")
    parser.add_argument("--rows", type=int, default=10_000, help="rows in each file")
    parser.add_argument(
        "--only", choices=["members", "artists"], help="import only this kind of file"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kulturvest-bench-") as tmpdir:
        database_url, label = prepare_database(
            args.database_url, recreate=False, tmpdir=Path(tmpdir)
        )
        # Production logs a line a member at INFO (to the console): not 20,000 lines here.
        setup_django({**server_env(database_url), "LOG_LEVEL": "WARNING"})
        log("Migrating ...")
        migrate()
        version = database_version()
        try:
            figures = run(args.rows, [args.only] if args.only else ["members", "artists"])
        finally:
            remove_rows()
    log()
    log(f"Code:      {code_version()}")
    log(f"Database:  {label} ({version})")
    log(format_rows(figures))
    if args.json:
        out = {"database": label, "database_version": version, "imports": figures}
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
