"""Redeem throughput against a baseline on the same stack: gunicorn, Django, PostgreSQL.

Run from the repository root:

    .venv/bin/python benchmarks/redeem.py                # the full default run
    .venv/bin/python benchmarks/redeem.py --tickets 300  # a quick one

It migrates a database of its own (kulturvest_bench, created if missing), creates one
event with N free tickets in bulk, starts gunicorn on a free loopback port with
production settings (DEBUG off, but no SSL redirect), and sends, from 16 client threads:

  warm-up       a few hundred requests, not counted
  baseline      N requests to /bench/baseline/: token auth, the same JSON, one INSERT
  first pass    each ticket redeemed once at the entrance: expect 201 "ok"
  second pass   each ticket again: expect 200 "already_redeemed"

It prints requests/s, p50/p95/p99 latency and the server's CPU time per request for
each phase, against the baseline; stops gunicorn (also on Ctrl-C, SIGTERM and errors);
and checks the database: exactly N successful entries on the list, none twice. Exit
status 0 only if every request got the expected answer and the check passed.
"""

import argparse
import json
import math
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402 -- after the path is set
    DEFAULT_DATABASE_URL,
    PROGRAMME_SLUG,
    WARMUP_LIMIT,
    Phase,
    PhaseResult,
    Server,
    code_version,
    database_settings,
    database_version,
    explain,
    format_phases,
    log,
    loud,
    migrate,
    prepare_database,
    ratio,
    run_phase,
    server_env,
    setup_django,
    summary,
    wait_until_idle,
)

SCANNER_USERNAME = "benchmark-scanner"
REDEEM_PATH = "/api/v1/checkin/redeem/"
BASELINE_PATH = "/bench/baseline/"


# Database ------------------------------------------------------------------------------


# Fixtures ------------------------------------------------------------------------------


@dataclass
class Fixture:
    token: str
    event_id: int
    entrance_id: int  # the list the measured redeems go to
    baseline_list_id: int  # the baseline's INSERTs go here
    warmup_list_id: int  # the warm-up redeems go here
    secrets: list[str]  # the N measured tickets
    warmup_secrets: list[str]  # more tickets of the same event, for the warm-up only
    ticket_ids: list[int] = field(repr=False, default_factory=list)


def remove_benchmark_data() -> None:
    """Delete what earlier benchmark runs created (only under the benchmark programme)."""
    from events.models import Event
    from ticketing.models import Checkin, CheckinList, Registration, Ticket

    events = Event.objects.filter(period__programme__slug=PROGRAMME_SLUG)
    Checkin.objects.filter(checkin_list__in=CheckinList.objects.filter(event__in=events)).delete()
    Checkin.objects.filter(ticket__offer__event__in=events).delete()
    Ticket.objects.filter(offer__event__in=events).delete()
    Registration.objects.filter(event__in=events).delete()
    events.delete()


def create_fixtures(n_tickets: int, n_warmup_tickets: int) -> Fixture:
    """One event, one free offer, three check-in lists, tickets in bulk, a staff scanner."""
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from events.models import Event, Municipality, Period, Programme, Venue
    from ticketing.models import (
        CheckinList,
        Offer,
        Registration,
        Ticket,
        new_registration_code,
        new_ticket_secret,
    )

    remove_benchmark_data()
    now = timezone.now()
    with transaction.atomic():
        municipality, _created = Municipality.objects.get_or_create(
            number="9999",
            valid_from=date(2000, 1, 1),
            defaults={"name": "Benchmark", "county": "Benchmark"},
        )
        venue, _created = Venue.objects.get_or_create(
            name="Benchmark hall", defaults={"municipality": municipality}
        )
        programme, _created = Programme.objects.get_or_create(
            slug=PROGRAMME_SLUG, defaults={"name": "Benchmark", "kind": Programme.Kind.OTHER}
        )
        period, _created = Period.objects.get_or_create(
            programme=programme,
            slug="benchmark",
            defaults={"name": "Benchmark", "start": date(2000, 1, 1), "end": date(2099, 12, 31)},
        )
        event = Event.objects.create(
            period=period,
            kind=Event.Kind.CONCERT,
            title_nb="Benchmark: redeem",
            title_en="Benchmark: redeem",
            venue=venue,
            start=now + timedelta(hours=1),
            end=now + timedelta(hours=4),
        )
        offer = Offer.objects.create(event=event, name_nb="Fri inngang", name_en="Free entry")
        entrance = CheckinList.objects.create(event=event, name="Entrance")
        baseline_list = CheckinList.objects.create(event=event, name="Baseline inserts")
        warmup_list = CheckinList.objects.create(event=event, name="Warm-up")

        total = n_tickets + n_warmup_tickets
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    code=new_registration_code(),
                    name=f"Guest {i}",
                    email=f"guest{i}@example.org",
                    state=Registration.State.CONFIRMED,
                    payment_state=Registration.Payment.FREE,
                    created_at=now,
                    confirmed_at=now,
                )
                for i in range(total)
            ],
            batch_size=1000,
        )
        tickets = Ticket.objects.bulk_create(
            [
                Ticket(
                    registration=registration,
                    offer=offer,
                    attendee_name=registration.name,
                    secret=new_ticket_secret(),
                    created_at=now,
                )
                for registration in registrations
            ],
            batch_size=1000,
        )

        user, _created = get_user_model().objects.update_or_create(
            username=SCANNER_USERNAME, defaults={"is_staff": True, "is_active": True}
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)

    if connection.vendor == "postgresql":
        # Earlier runs' rows are deleted, not gone: a sequential scan would still read
        # them. Vacuum them away and gather statistics, as autovacuum would on a live site.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    measured = tickets[:n_tickets]
    return Fixture(
        token=token.key,
        event_id=event.pk,
        entrance_id=entrance.pk,
        baseline_list_id=baseline_list.pk,
        warmup_list_id=warmup_list.pk,
        secrets=[ticket.secret for ticket in measured],
        warmup_secrets=[ticket.secret for ticket in tickets[n_tickets:]],
        ticket_ids=[ticket.pk for ticket in measured],
    )


# gunicorn ------------------------------------------------------------------------------


# Load ----------------------------------------------------------------------------------


def redeem_body(secret: str, list_id: int) -> bytes:
    body = {"secret": secret, "list": list_id, "type": "entry", "nonce": uuid.uuid4().hex}
    return json.dumps(body).encode()


# Report --------------------------------------------------------------------------------


def format_table(results: list[PhaseResult]) -> str:
    base = next((r for r in results if r.name == "baseline"), None)
    columns = [
        ("phase", 20, "", "s"),
        ("requests", 8, "", "d"),
        ("req/s", 7, "", ".1f"),
        ("p50 ms", 7, "", ".1f"),
        ("p95 ms", 7, "", ".1f"),
        ("p99 ms", 7, "", ".1f"),
        ("errors", 6, "", "d"),
        ("not", 5, "sent", "d"),
        ("CPU ms", 7, "/req", ".1f"),
        ("req/s", 8, "vs base", ""),
        ("p50", 8, "vs base", ""),
        ("p99", 8, "vs base", ""),
        ("CPU ms", 8, "vs base", ""),
    ]
    head = " ".join(f"{n:<{w}}" if f == "s" else f"{n:>{w}}" for n, w, _s, f in columns)
    sub = " ".join(f"{s:>{w}}" if f != "s" else " " * w for _n, w, s, f in columns)
    lines = [head, sub, "-" * len(head)]
    for r in results:
        values = [
            r.name,
            r.requests,
            r.rate,
            r.percentile(50),
            r.percentile(95),
            r.percentile(99),
            r.errors,
            r.not_sent,
            r.cpu_ms,
        ]
        if base is not None and r is not base:
            values += [
                ratio(r.rate, base.rate),
                ratio(r.percentile(50), base.percentile(50)),
                ratio(r.percentile(99), base.percentile(99)),
                ratio(r.cpu_ms, base.cpu_ms),
            ]
        cells = []
        for value, (_n, width, _s, fmt) in zip(values, columns, strict=False):
            if fmt == "s":
                cells.append(f"{value:<{width}}")
            elif isinstance(value, float) and math.isnan(value):
                cells.append(f"{'-':>{width}}")
            else:
                cells.append(f"{value:>{width}{fmt}}")
        lines.append(" ".join(cells).rstrip())
    return "\n".join(lines)


# Verification --------------------------------------------------------------------------


def verify(
    fixture: Fixture, redeemed: int, resent: int, answered: int, refused: int
) -> tuple[bool, bool, list[str]]:
    """Check the database after the run; return (correct, complete, lines to print).

    `redeemed` is how many tickets the first pass checked in (N in a complete run),
    `resent` how many of those the second pass was to send again, `answered` how many
    it got an answer for before its time was up, and `refused` how many of those were
    "already_redeemed" (all of them in a correct run).
    """
    from django.db import close_old_connections
    from django.db.models import Count

    from ticketing.models import Checkin

    close_old_connections()
    n = len(fixture.secrets)
    entries = Checkin.objects.filter(
        checkin_list_id=fixture.entrance_id, successful=True, type=Checkin.Type.ENTRY
    )
    count = entries.count()
    doubles = entries.values("ticket_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    ours = entries.filter(ticket_id__in=fixture.ticket_ids).values("ticket_id").distinct().count()
    refusals = Checkin.objects.filter(
        checkin_list_id=fixture.entrance_id,
        successful=False,
        reason=Checkin.Reason.ALREADY_REDEEMED,
    ).count()
    complete = redeemed == n and resent == answered == n
    checks = [
        (count == redeemed, f"successful entries on the list: {count} (expected {redeemed})"),
        (doubles == 0, f"tickets with two or more successful entries: {doubles} (expected 0)"),
        (ours == count, f"distinct benchmark tickets among them: {ours} (expected {count})"),
        (
            refusals == refused == answered,
            f"'already_redeemed' refusals recorded: {refusals}, answered: {refused}"
            f" (expected {answered})",
        ),
    ]
    lines = [f"  [{'ok' if ok else 'FAIL'}] {text}" for ok, text in checks]
    lines.insert(
        0,
        f"  [{'ok' if complete else 'INCOMPLETE'}] tickets checked in: {redeemed} of {n},"
        f" sent again: {answered} of {resent}",
    )
    return all(ok for ok, _text in checks), complete, lines


def list_status_probe(fixture: Fixture) -> str:
    """After the run: the queries of the list's status (sent with every redeem answer)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ticketing.models import CheckinList
    from ticketing.selectors import list_status

    try:
        checkin_list = CheckinList.objects.get(pk=fixture.entrance_id)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            list_status(checkin_list)
            ms = (time.perf_counter() - started) * 1000
        queries = captured.captured_queries
        slowest = max(queries, key=lambda q: float(q["time"]))
        details = explain(slowest["sql"], text=False)
    except Exception as exc:  # noqa: BLE001 -- a diagnostic; the project's API may change
        return f"  list_status(): not measured ({type(exc).__name__}: {exc})"
    return (
        f"  list_status() of the entrance list after the run: {ms:.1f} ms, {len(queries)}"
        f" queries; the slowest, with EXPLAIN ANALYZE: {details or '-'}"
    )


# Main ----------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Measure redeem throughput against a baseline view on gunicorn + PostgreSQL "
            "(see benchmarks/README.md)."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="database to use")
    parser.add_argument(
        "--recreate", action="store_true", help="drop and re-create the database first"
    )
    parser.add_argument(
        "--tickets", type=int, default=5000, help="tickets, and requests in each phase"
    )
    parser.add_argument("--warmup", type=int, default=300, help="warm-up requests, not counted")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--worker-class",
        default="sync",
        help="gunicorn worker class (sync, as in production, closes each connection)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=240,
        help=(
            "seconds the three measured phases may take together, each its share of what "
            "is left; requests not sent by then are reported"
        ),
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=10,
        help="before each phase, wait at most this long for other processes to quieten",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this file")
    args = parser.parse_args(argv)
    for name in ("tickets", "clients", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.warmup < 0 or args.wait_idle < 0 or args.time_limit <= 0:
        parser.error("--warmup and --wait-idle must not be negative, --time-limit positive")
    return args


def build_phases(fixture: Fixture, warmup: int) -> list[Phase]:
    """Warm-up, baseline and the first pass; the second pass follows from the first."""
    # Warm-up: baseline requests and redeems in turn (of tickets of their own, at a list
    # of their own), so that every worker has run both code paths before the counting.
    spare = list(fixture.warmup_secrets)
    warm = []
    for i in range(warmup):
        if i % 2 and spare:
            body = redeem_body(spare.pop(), fixture.warmup_list_id)
            warm.append((f"w{i}", REDEEM_PATH, body))
        else:
            warm.append(
                (f"w{i}", BASELINE_PATH, redeem_body(f"WARMUP{i}", fixture.baseline_list_id))
            )
    return [
        Phase("warm-up", warm, expect_status=None, counted=False),
        Phase(
            "baseline",
            [
                (secret, BASELINE_PATH, redeem_body(secret, fixture.baseline_list_id))
                for secret in fixture.secrets
            ],
            expect_status=201,
        ),
        Phase(
            "redeem, first pass",
            [
                (secret, REDEEM_PATH, redeem_body(secret, fixture.entrance_id))
                for secret in fixture.secrets
            ],
            expect_status=201,
            expect_reason="",
        ),
    ]


def second_pass(fixture: Fixture, first: PhaseResult) -> Phase:
    """Each ticket the first pass checked in, again (all of them in a complete run)."""
    return Phase(
        "redeem, second pass",
        [
            (secret, REDEEM_PATH, redeem_body(secret, fixture.entrance_id))
            for secret in fixture.secrets
            if secret in first.ok_keys
        ],
        expect_status=200,
        expect_reason="already_redeemed",
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    tmpdir = Path(tempfile.mkdtemp(prefix="kulturvest-bench-"))
    server: Server | None = None
    stop = threading.Event()
    results: list[PhaseResult] = []
    waits: dict[str, float | None] = {}

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        database_url, database_label = prepare_database(
            args.database_url, recreate=args.recreate, tmpdir=tmpdir
        )
        env = server_env(database_url)
        setup_django(env)

        began = time.monotonic()
        log("Migrating ...")
        migrate()
        db_version = database_version()
        log(f"Creating {args.tickets} + {args.warmup // 2} tickets ...")
        fixture = create_fixtures(args.tickets, args.warmup // 2)
        log(f"  ready after {time.monotonic() - began:.1f} s")

        code = code_version()  # what gunicorn is about to load
        server = Server(
            workers=args.workers, worker_class=args.worker_class, env=env, logdir=tmpdir
        )
        log(f"Starting gunicorn ({args.workers} {args.worker_class} workers) ...")
        server.start()
        log(f"  answering on 127.0.0.1:{server.port}")

        phases = build_phases(fixture, args.warmup)
        # The measured phases share the time limit: each may take its share of what is
        # left, so a slow phase is cut rather than the ones after it.
        budget, measured_left = args.time_limit, 3
        while phases:
            phase = phases.pop(0)
            if not phase.requests:
                continue
            if phase.counted:
                waits[phase.name] = wait_until_idle(args.wait_idle) if args.wait_idle else None
                limit = budget / max(measured_left, 1)
            else:
                limit = min(WARMUP_LIMIT, budget)
            log(f"{phase.name}: {len(phase.requests)} requests (at most {limit:.0f} s) ...")
            phase_began = time.monotonic()
            result = run_phase(
                phase,
                server=server,
                token=fixture.token,
                clients=args.clients,
                deadline=phase_began + limit,
                stop=stop,
            )
            log(
                f"  {result.requests} in {result.seconds:.1f} s, {result.rate:.1f} req/s, "
                f"{result.errors} unexpected"
            )
            if phase.counted:
                budget -= time.monotonic() - phase_began
                measured_left -= 1
                results.append(result)
            if phase.name == "redeem, first pass":
                phases.append(second_pass(fixture, result))
    except KeyboardInterrupt:
        stop.set()
        log("\nInterrupted; stopping gunicorn.")
        return 130
    finally:
        stop.set()
        if server is not None:
            exited = server.proc is not None and server.proc.poll() is not None
            server.stop()
            if exited:
                log(f"gunicorn had exited early; its log:\n{server.tail()}")
            log("gunicorn stopped.")
        shutil.rmtree(tmpdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)

    by_name = {r.name: r for r in results}
    first, again = by_name.get("redeem, first pass"), by_name.get("redeem, second pass")
    correct, complete, checks = verify(
        fixture,
        redeemed=len(first.ok_keys) if first else 0,
        resent=again.planned if again else 0,
        answered=again.requests if again else 0,
        refused=len(again.ok_keys) if again else 0,
    )
    probe = list_status_probe(fixture)
    verification = (correct, complete, checks)
    if code_version() != code:
        code += f" (now {code_version()}: the code changed during the run)"
    return report(args, results, verification, database_label, db_version, waits, probe, code)


def report(args, results, verification, database_label, db_version, waits, probe, code) -> int:
    import django
    import gunicorn

    correct, complete, checks = verification
    base = next((r for r in results if r.name == "baseline"), None)
    machine = (
        f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    settings = database_settings()
    log()
    log(f"Code:      {code}")
    log(f"Machine:   {machine}")
    log(f"Database:  {database_label} ({db_version}), CONN_MAX_AGE 60; {settings}".rstrip("; "))
    log(
        f"Server:    gunicorn {gunicorn.__version__}, {args.workers} {args.worker_class} workers, "
        f"Django {django.get_version()}, DEBUG off"
    )
    log(f"Load:      {args.clients} client threads on the same machine, {args.tickets} tickets")
    quiet = ", ".join(f"{name} {busy:.0%}" for name, busy in waits.items() if busy is not None)
    if quiet:
        log(f"Before:    CPU busy before each phase (other processes): {quiet}")
    others = max(((r.cpu or {}).get("others_cores", 0.0) for r in results), default=0.0)
    if others >= 0.2 or any((busy or 0) >= 0.25 for busy in waits.values()):
        loud(
            "WARNING: other processes used the CPU during this run (see 'others' below):\n"
            "requests/s and latencies are lower and noisier than on a quiet machine. The\n"
            "server's CPU ms per request is the figure least affected."
        )
    log()
    log(format_table(results))
    log()
    log("CPU ms/req: CPU time of gunicorn's workers and their PostgreSQL backends per request.")
    log("Per phase: latency drift (in completion order) and the cores busy on average:")
    log(format_phases(results))
    log(probe)
    for r in results:
        if r.samples:
            log(f"Unexpected answers in {r.name} (statuses {dict(r.statuses)}):")
            for sample in r.samples[:5]:
                log(f"  {sample}")
    log()
    log("Database check after the run:")
    for line in checks:
        log(line)

    errors = sum(r.errors for r in results)
    if args.json:
        figures = {
            "code": code,
            "machine": {
                "cores": os.cpu_count(),
                "system": platform.system(),
                "machine": platform.machine(),
                "python": platform.python_version(),
                "load_average_after": load,
            },
            "database": {"label": database_label, "version": db_version, "settings": settings},
            "server": {
                "gunicorn": gunicorn.__version__,
                "django": django.get_version(),
                "workers": args.workers,
                "worker_class": args.worker_class,
            },
            "clients": args.clients,
            "tickets": args.tickets,
            "time_limit": args.time_limit,
            "cpu_busy_before_phase": waits,
            "phases": {r.name: summary(r, base) for r in results},
            "list_status_probe": probe.strip(),
            "verification": {
                "correct": correct,
                "complete": complete,
                "checks": [line.strip() for line in checks],
            },
        }
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        log(f"\nFigures written to {args.json}")
    if not correct or errors:
        check = "passed" if correct else "FAILED"
        log(f"\nFAILED: {errors} unexpected answers; the database check {check}")
        return 1
    if not complete:
        log(
            "\nINCOMPLETE: the time limit cut the run short (see 'not sent'); the figures\n"
            "cover the requests sent. Raise --time-limit or lower --tickets for a full run."
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
