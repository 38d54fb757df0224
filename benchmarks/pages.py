"""Calendar feeds and public pages on gunicorn against bare views serving the same bytes.

Run from the repository root:

    .venv/bin/python benchmarks/pages.py                  # 1,000 requests a phase
    .venv/bin/python benchmarks/pages.py --requests 100   # a quick run

It creates, in the benchmark database: a programme of 1,000 public events (`--events`),
an art-round edition with 315 accepted artists (`--artists`), and an orchestra season
whose guardian has two children at 100 sessions (`--sessions`). It then starts gunicorn
(4 sync workers, production settings) as redeem.py does and sends, from 16 client
threads, N GET requests (`--requests`) a phase:

  feed                   the programme's public feed of 1,000 events, in full
  feed, 304              the same with If-None-Match: its ETag
  private feed           the guardian's private feed (two children), in full
  private feed, 304      the same with its ETag
  artist directory       the edition's public directory, 315 artists on one page
  event list             the public event list (its first page, of 1,000 events)

then, at ten times the data (`--scales 1,10`), the four kept under change stamps again
(the two 304s, the directory and the event list, named "(10× data)"); each after its
baseline: `/bench/bytes/<name>`, a bare Django view that answers the
same bytes (taken from the real answer just before), with an ETag, and 304 to it. So
"vs base" is what computing the answer costs above serving it from memory through the
same middleware. It also counts, in this process with Django's test client, the SQL
queries of one request of each (what gunicorn's workers run too).
"""

import argparse
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402 -- after the path is set
    DEFAULT_DATABASE_URL,
    WARMUP_LIMIT,
    Phase,
    PhaseResult,
    Server,
    code_version,
    database_version,
    log,
    migrate,
    prepare_database,
    ratio,
    run_phase,
    server_env,
    setup_django,
    wait_until_idle,
)

FEED_PROGRAMME = "benchmark-feed"
ART_PROGRAMME = "benchmark-art"
EDITION = "benchmark-edition"
ORCHESTRA_PROGRAMME = "benchmark-pages-orchestra"
GUARDIAN_EMAIL = "guardian@pages.benchmark.invalid"
BYTES_PATH = "/bench/bytes/"
# Change-stamp rows of other keys, as a busy site's day leaves them before the nightly prune.
STAMP_HISTORY_PREFIX = "benchmark:"
# Measured again at each larger scale: the answers kept under change stamps.
STAMPED = ("feed, 304", "private feed, 304", "artist directory", "event list")


@dataclass
class Target:
    name: str  # the phase's name
    path: str  # what is measured
    bytes_name: str  # the baseline's file
    conditional: bool = False  # with If-None-Match: the answer's ETag
    etag: str = ""
    base_etag: str = ""


# Fixtures ------------------------------------------------------------------------------


def remove_fixtures() -> None:
    from django.db import transaction

    with transaction.atomic():  # the deletes bump each change stamp once (core.stamps)
        _remove_fixtures()


def _remove_fixtures() -> None:
    from artists.models import Application, Artist, Call
    from core.models import ChangeStamp
    from events.models import Event, Period, Programme
    from orchestra.models import Group, Guardian, Member

    ChangeStamp.objects.filter(key__startswith=STAMP_HISTORY_PREFIX).delete()
    Event.objects.filter(period__programme__slug=FEED_PROGRAMME).delete()
    Event.objects.filter(period__programme__slug=ORCHESTRA_PROGRAMME).delete()
    Member.objects.filter(
        memberships__group__season__programme__slug=ORCHESTRA_PROGRAMME
    ).distinct().delete()
    Guardian.objects.filter(email=GUARDIAN_EMAIL).delete()
    artists = Artist.objects.filter(applications__call__period__programme__slug=ART_PROGRAMME)
    artist_ids = list(artists.values_list("pk", flat=True))
    Application.objects.filter(call__period__programme__slug=ART_PROGRAMME).delete()
    Artist.objects.filter(pk__in=artist_ids).delete()
    Call.objects.filter(period__programme__slug=ART_PROGRAMME).delete()
    Group.objects.filter(season__programme__slug=ORCHESTRA_PROGRAMME).delete()
    Period.objects.filter(
        programme__slug__in=[FEED_PROGRAMME, ART_PROGRAMME, ORCHESTRA_PROGRAMME]
    ).delete()
    Programme.objects.filter(slug__in=[FEED_PROGRAMME, ART_PROGRAMME, ORCHESTRA_PROGRAMME]).delete()


def create_fixtures(n_events: int, n_artists: int, n_sessions: int, n_stamps: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from artists.stamps import directory_stamps
    from core.models import ChangeStamp
    from core.stamps import bump
    from events.models import Event, Municipality, Period, Programme, Venue
    from events.stamps import event_list_stamps, programme_feed_stamps
    from orchestra.stamps import group_feed_stamps

    remove_fixtures()
    with transaction.atomic():
        municipality, _created = Municipality.objects.get_or_create(
            number="9999",
            valid_from=date(2000, 1, 1),
            defaults={"name": "Benchmark", "county": "Benchmark"},
        )
        venues = [
            Venue.objects.get_or_create(
                name=f"Benchmark venue {i}",
                defaults={"municipality": municipality, "address": f"Gata {i}"},
            )[0]
            for i in range(10)
        ]
        programme = Programme.objects.create(
            slug=FEED_PROGRAMME, name="Benchmark feed", kind=Programme.Kind.OTHER
        )
        period = programme.periods.create(
            slug="benchmark", name="Benchmark", start=date(2000, 1, 1), end=date(2099, 12, 31)
        )
        start = timezone.now().replace(hour=18, minute=0, second=0, microsecond=0)
        Event.objects.bulk_create(
            [
                Event(
                    period=period,
                    kind=Event.Kind.EXHIBITION if i % 3 else Event.Kind.CONCERT,
                    title_nb=f"Arrangement {i}",
                    title_en=f"Event {i}",
                    description_nb="Velkommen! " * 20,
                    description_en="Welcome! " * 20,
                    venue=venues[i % len(venues)],
                    start=start + timedelta(days=1 + i // 2, hours=i % 2),
                    end=start + timedelta(days=1 + i // 2, hours=2 + i % 2),
                    visibility=Event.Visibility.PUBLIC,
                )
                for i in range(n_events)
            ],
            batch_size=500,
        )
        create_artists(n_artists, municipality)
        token = create_orchestra(n_sessions, municipality, venues[0])
        ChangeStamp.objects.bulk_create(
            (ChangeStamp(key=f"{STAMP_HISTORY_PREFIX}{i % 5000}") for i in range(n_stamps)),
            batch_size=5000,
        )
        # bulk_create sends no signal: bump what the rows above show (as services do).
        bump(
            *programme_feed_stamps(programme),
            *directory_stamps(Period.objects.get(slug=EDITION)),
            *event_list_stamps(),
            *group_feed_stamps(),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return {"private_token": token}


def create_artists(n: int, municipality) -> None:
    from django.utils import timezone

    from artists.models import Application, Artist, ArtistImage, Call, Decision, Discipline
    from events.models import Programme

    programme = Programme.objects.create(
        slug=ART_PROGRAMME, name="Benchmark art round", kind=Programme.Kind.ART_ROUND
    )
    edition = programme.periods.create(
        slug=EDITION, name="Benchmark edition", start=date(2000, 1, 1), end=date(2099, 12, 31)
    )
    now = timezone.now()
    call = Call.objects.create(
        period=edition, opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=60)
    )
    artists = Artist.objects.bulk_create(
        [
            Artist(
                name=f"Benchmark Artist {i:03d}",
                slug=f"benchmark-artist-{i:03d}",
                home_municipality=municipality,
                studio_municipality=municipality,
                bio_nb="Lager ting.",
                bio_en="Makes things.",
                email=f"artist{i:03d}@pages.benchmark.invalid",
            )
            for i in range(n)
        ]
    )
    disciplines = list(Discipline.objects.order_by("pk"))
    Artist.disciplines.through.objects.bulk_create(
        [
            Artist.disciplines.through(
                artist_id=artist.pk, discipline_id=disciplines[i % len(disciplines)].pk
            )
            for i, artist in enumerate(artists)
        ]
        if disciplines
        else []
    )
    ArtistImage.objects.bulk_create(
        [
            ArtistImage(
                artist=artist,
                image="artists/benchmark/work.jpg",
                display="artists/benchmark/work.jpg",
                thumbnail="artists/benchmark/work-thumb.jpg",
                width=480,
                height=360,
                title="Verk",
                position=0,
            )
            for artist in artists
        ]
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                artist=artist,
                state=Application.State.SUBMITTED,
                statement="Nye arbeider.",
                submitted_at=now - timedelta(days=70),
            )
            for artist in artists
        ]
    )
    Decision.objects.bulk_create(
        [
            Decision(
                application=application,
                outcome=Decision.Outcome.ACCEPTED,
                released_at=now - timedelta(days=30),
            )
            for application in applications
        ]
    )


def create_orchestra(n_sessions: int, municipality, venue) -> str:
    """A season with two groups, a guardian with a child in each, and planned sessions."""
    from django.utils import timezone

    from events.models import Event, Programme
    from orchestra import services
    from orchestra.models import Group, Instrument, SessionPlan, StatusChange
    from orchestra.services.calendars import create_calendar_token

    programme = Programme.objects.create(
        slug=ORCHESTRA_PROGRAMME, name="Benchmark orchestra", kind=Programme.Kind.ORCHESTRA
    )
    today = timezone.localdate()
    season = programme.periods.create(
        slug="benchmark-season",
        name="Benchmark season",
        start=today - timedelta(days=30),
        end=today + timedelta(days=365),
    )
    youth = Group.objects.create(season=season, name="Youth", slug="youth", min_age=6, max_age=25)
    junior = Group.objects.create(
        season=season, name="Junior", slug="junior", min_age=6, max_age=25
    )
    instrument = Instrument.objects.order_by("pk").first()
    guardian = None
    for name, groups in (("Kari", [youth]), ("Ola", [junior, youth])):
        member = services.add_member(
            first_name=name,
            last_name="Benchmark",
            birth_date=today.replace(year=today.year - 12, day=1),
            municipality=municipality,
            instruments=[services.PlayedInstrument(instrument, True, 2)],
            groups=groups,
            status=StatusChange.Status.ACTIVE,
            since=today - timedelta(days=30),
            by=None,
        )
        if guardian is None:
            guardian = services.add_guardian(
                member=member,
                relation="mother",
                first_name="Guardian",
                last_name="Benchmark",
                email=GUARDIAN_EMAIL,
                by=None,
            )
        else:
            services.link_guardian(member=member, guardian=guardian, relation="mother", by=None)
    start = timezone.now().replace(hour=17, minute=0, second=0, microsecond=0)
    sessions = Event.objects.bulk_create(
        [
            Event(
                period=season,
                kind=Event.Kind.SESSION,
                title_nb=f"Øving {i}",
                title_en=f"Session {i}",
                venue=venue,
                start=start + timedelta(days=1 + i),
                end=start + timedelta(days=1 + i, hours=3),
                visibility=Event.Visibility.MEMBERS,
            )
            for i in range(n_sessions)
        ]
    )
    plans = SessionPlan.objects.bulk_create([SessionPlan(event=event) for event in sessions])
    SessionPlan.groups.through.objects.bulk_create(
        [
            SessionPlan.groups.through(sessionplan_id=plan.pk, group_id=group.pk)
            for i, plan in enumerate(plans)
            for group in ([youth, junior] if i % 2 else [youth])
        ]
    )
    return create_calendar_token(owner=guardian)


def collect_static() -> None:
    """Pages need production's manifest of static files: collect them (in a tmp folder)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


# Queries -------------------------------------------------------------------------------


def count_queries(path: str, etag: str = "") -> tuple[int, int]:
    """Return (status, SQL queries) of one GET in this process, through the whole stack."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)  # the first may fill caches, as the warm-up does for gunicorn
    headers = {"If-None-Match": etag} if etag else {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response.status_code, len(queries.captured_queries)


def fetch(server: Server, path: str, etag: str = "", timeout: float = 60) -> tuple[int, bytes, str]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"If-None-Match": etag} if etag else {})
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("ETag") or ""
    finally:
        conn.close()


# Main ----------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Feeds and public pages on gunicorn against bare views (see README.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="database to use")
    parser.add_argument("--events", type=int, default=1000, help="public events in the feed")
    parser.add_argument("--artists", type=int, default=315, help="artists in the directory")
    parser.add_argument("--sessions", type=int, default=100, help="sessions in the private feed")
    parser.add_argument("--stamps", type=int, default=20000, help="change-stamp rows of other keys")
    parser.add_argument(
        "--scales",
        default="1,10",
        help="data sizes (times --events, --artists, --stamps) at which the answers kept "
        "under change stamps are measured; the first measures every page",
    )
    parser.add_argument("--requests", type=int, default=1000, help="requests in each phase")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per page")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--phase-limit", type=float, default=20, help="seconds a phase may take at most"
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=5,
        help="before each phase, wait at most this long for other processes to quieten",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this file")
    args = parser.parse_args(argv)
    for name in ("events", "artists", "sessions", "requests", "clients", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    try:
        args.scales = [int(scale) for scale in args.scales.split(",")]
    except ValueError:
        parser.error("--scales: whole numbers separated by commas, such as 1,10")
    if not args.scales or min(args.scales) < 1:
        parser.error("--scales must be at least 1")
    return args


def targets(fixtures: dict, scale: int = 1, *, first: bool = True) -> list[Target]:
    """The pages measured at a scale: all of them at the first, those kept under change
    stamps (STAMPED) at the others, named with their scale ("feed, 304 (10× data)")."""
    private = f"/calendar/private/{fixtures['private_token']}.ics"
    pages = [
        Target("feed", f"/calendar/{FEED_PROGRAMME}.ics", "feed.ics"),
        Target("feed, 304", f"/calendar/{FEED_PROGRAMME}.ics", "feed.ics", conditional=True),
        Target("private feed", private, "private.ics"),
        Target("private feed, 304", private, "private.ics", conditional=True),
        Target("artist directory", f"/{EDITION}/kunstnere/", "directory.html"),
        Target("event list", "/events/", "events.html"),
    ]
    if not first:
        pages = [target for target in pages if target.name in STAMPED]
    if scale != 1 or not first:
        for target in pages:
            target.name = f"{target.name} ({scale}× data)"
            target.bytes_name = f"x{scale}-{target.bytes_name}"
    return pages


def measure(args, server, pages, bytes_dir, queries, results, stop) -> None:
    """Save the real answers' bytes for the bare views, count the queries of each page,
    warm the workers up, then run a phase of each page after one of its baseline."""
    for target in pages:
        status, content, etag = fetch(server, target.path)
        if status != 200:
            raise RuntimeError(f"{target.path} answered {status}")
        (bytes_dir / target.bytes_name).write_bytes(content)
        target.etag = etag
        target.base_etag = fetch(server, BYTES_PATH + target.bytes_name)[2]
        if target.conditional and not etag:
            raise RuntimeError(f"{target.path} sends no ETag")
    for target in pages:
        queries[target.name] = count_queries(target.path, target.etag if target.conditional else "")
        queries[target.name + " (bare)"] = count_queries(
            BYTES_PATH + target.bytes_name, target.base_etag if target.conditional else ""
        )

    # Each worker keeps its own cache (no Redis here): fill every worker's before the
    # warm-up. A sync worker serves one request at a time, so as many requests at once as
    # there are workers reach each of them.
    for target in pages:
        for _round in range(2):
            threads = [
                threading.Thread(target=fetch, args=(server, target.path), kwargs={"timeout": 600})
                for _worker in range(args.workers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    warm = []
    for i in range(args.warmup):
        for target in pages:
            warm.append((f"w{i}{target.name}", target.path, None))
            warm.append((f"wb{i}{target.name}", BYTES_PATH + target.bytes_name, None))
    run_phase(
        Phase("warm-up", warm, expect_status=None, counted=False),
        server=server,
        token=None,
        clients=args.clients,
        deadline=time.monotonic() + WARMUP_LIMIT,
        stop=stop,
    )
    for target in pages:
        expect = 304 if target.conditional else 200
        pair = []
        for name, path, etag in (
            (f"{target.name} (bare)", BYTES_PATH + target.bytes_name, target.base_etag),
            (target.name, target.path, target.etag),
        ):
            if args.wait_idle:
                wait_until_idle(args.wait_idle)
            phase = Phase(
                name,
                [(f"{name}{i}", path, None) for i in range(args.requests)],
                expect_status=expect,
                headers={"If-None-Match": etag} if target.conditional else {},
            )
            log(f"{name}: {args.requests} requests (at most {args.phase_limit:.0f} s) ...")
            result = run_phase(
                phase,
                server=server,
                token=None,
                clients=args.clients,
                deadline=time.monotonic() + args.phase_limit,
                stop=stop,
            )
            log(
                f"  {result.requests} in {result.seconds:.1f} s, {result.rate:.1f} req/s, "
                f"{result.errors} unexpected"
            )
            pair.append(result)
        results.append((target, pair[0], pair[1]))


def main(argv=None) -> int:
    args = parse_args(argv)
    tmpdir = Path(tempfile.mkdtemp(prefix="kulturvest-bench-"))
    bytes_dir = tmpdir / "bytes"
    bytes_dir.mkdir()
    server: Server | None = None
    stop = threading.Event()
    results: list[tuple[Target, PhaseResult, PhaseResult]] = []
    queries: dict[str, tuple[int, int]] = {}

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        database_url, label = prepare_database(args.database_url, recreate=False, tmpdir=tmpdir)
        env = {
            **server_env(database_url),
            "BENCH_BYTES_DIR": str(bytes_dir),
            "BENCH_STATIC_ROOT": str(tmpdir / "static"),
        }
        setup_django(env)
        log("Migrating, collecting the static files ...")
        migrate()
        collect_static()
        version = database_version()
        code = code_version()
        for index, scale in enumerate(args.scales):
            n_events, n_artists, n_stamps = (
                args.events * scale,
                args.artists * scale,
                args.stamps * scale,
            )
            log(
                f"Creating {n_events} events, {n_artists} artists, {args.sessions} sessions, "
                f"{n_stamps} change-stamp rows of other keys ..."
            )
            fixtures = create_fixtures(n_events, n_artists, args.sessions, n_stamps)
            pages = targets(fixtures, scale, first=index == 0)
            if server is None:
                # A worker builds a feed of 10,000 events once (tens of seconds when the
                # machine is busy): gunicorn must not take it for a hung worker.
                server = Server(
                    workers=args.workers,
                    worker_class="sync",
                    env=env,
                    logdir=tmpdir,
                    worker_timeout=600,
                )
                log(f"Starting gunicorn ({args.workers} sync workers) ...")
                server.start()
            measure(args, server, pages, bytes_dir, queries, results, stop)
    except KeyboardInterrupt:
        stop.set()
        log("\nInterrupted; stopping gunicorn.")
        return 130
    finally:
        stop.set()
        if server is not None:
            server.stop()
            log("gunicorn stopped.")
        shutil.rmtree(tmpdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)

    rows = figures(results, queries)
    log()
    log(f"Code:      {code}")
    log(f"Database:  {label} ({version})")
    log(f"Load:      {args.clients} client threads, {args.requests} requests a phase")
    log(format_rows(rows))
    errors = sum(r.errors for _t, base, r in results for r in (base, r))
    if args.json:
        out = {"database": label, "database_version": version, "code": code, "pages": rows}
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 1 if errors else 0


def figures(results, queries) -> list[dict]:
    rows = []
    for target, base, result in results:
        for r, of in ((base, None), (result, base.name)):
            status, count = queries.get(r.name, (None, None))
            rows.append(
                {
                    "name": r.name,
                    "path": target.path if of else BYTES_PATH + target.bytes_name,
                    "requests": r.requests,
                    "not_sent": r.not_sent,
                    "errors": r.errors,
                    "requests_per_second": round(r.rate, 1),
                    "p50_ms": round(r.percentile(50), 2),
                    "p95_ms": round(r.percentile(95), 2),
                    "p99_ms": round(r.percentile(99), 2),
                    "server_cpu_ms_per_request": r.cpu_ms if r.cpu else None,
                    "others_cores": (r.cpu or {}).get("others_cores"),
                    "queries": count,
                    "status": status,
                    "baseline": of,
                }
            )
    return rows


def format_rows(rows: list[dict]) -> str:
    by_name = {row["name"]: row for row in rows}
    head = (
        f"{'phase':<26} {'req':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'CPU ms':>7} {'SQL':>4} {'err':>4}  {'req/s':>6} {'p95':>6}  vs base"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        base = by_name.get(row["baseline"]) if row["baseline"] else None
        cpu = row["server_cpu_ms_per_request"]
        line = (
            f"{row['name']:<26} {row['requests']:>5} {row['requests_per_second']:>7.1f}"
            f" {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['p99_ms']:>7.1f}"
            f" {cpu if cpu is not None else float('nan'):>7.1f} {row['queries']!s:>4}"
            f" {row['errors']:>4}"
        )
        if base:
            line += (
                f"  {ratio(row['requests_per_second'], base['requests_per_second']):>6}"
                f" {ratio(row['p95_ms'], base['p95_ms']):>6}"
            )
        lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
