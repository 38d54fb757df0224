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
import contextlib
import http.client
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kulturvest_bench"
# Everything the benchmarks create hangs off this programme, so that a later run (or
# another benchmark script) can delete it without touching anything else.
PROGRAMME_SLUG = "benchmark"
SCANNER_USERNAME = "benchmark-scanner"
REDEEM_PATH = "/api/v1/checkin/redeem/"
BASELINE_PATH = "/bench/baseline/"
HEALTH_PATH = "/bench/health/"
WARMUP_LIMIT = 30  # seconds


def log(message: str = "") -> None:
    print(message, flush=True)


def loud(message: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n{message}\n{bar}\n", file=sys.stderr, flush=True)


def cpu_busy(seconds: float = 1.0) -> float | None:
    """Return the share of all cores busy over the next `seconds` (Linux), else None."""

    def sample():
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return sum(values), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    total = total1 - total0
    return (total - (idle1 - idle0)) / total if total else None


def wait_until_idle(limit: float, threshold: float = 0.25) -> float | None:
    """Wait (at most `limit` seconds) until other processes leave the CPU mostly idle.

    Returns the last busy share measured. The benchmark shares the machine's cores with
    whatever else runs; a busy machine makes every figure lower and noisier.
    """
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    if busy is None or busy < threshold:
        return busy
    log(f"  the CPU is {busy:.0%} busy (other processes); waiting up to {limit:.0f} s ...")
    while busy is not None and busy >= threshold and time.monotonic() < deadline:
        busy = cpu_busy(2.0)
    return busy


class CpuMeter:
    """CPU used during a phase: by the machine, the clients, and the server side.

    The server side is gunicorn's process group and the PostgreSQL backends connected to
    the benchmark database; the clients are this process. What else the machine's cores
    did is other processes', against which the figures should be read. The server's CPU
    time per request hardly depends on other load, so it compares phases even on a busy
    machine. Linux only (/proc); elsewhere it reports nothing.
    """

    def __init__(self, server_pgid: int | None):
        self.server_pgid = server_pgid
        self.tick = os.sysconf("SC_CLK_TCK")
        self.started = time.monotonic()
        self.machine0 = self.machine()
        self.own0 = self.own()
        self.base = self.server_ticks()  # pid: ticks at the start (new pids start at 0)
        self.last = dict(self.base)

    @staticmethod
    def machine() -> tuple[int, int] | None:
        """Return the machine's (all, busy) ticks since boot, summed over the cores."""
        try:
            with open("/proc/stat") as stat:
                values = [int(v) for v in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return sum(values), sum(values) - idle

    @staticmethod
    def own() -> float:
        times = os.times()
        return times.user + times.system

    def server_ticks(self) -> dict[int, int]:
        backends = set(database_backend_pids())
        ticks = {}
        try:
            entries = os.listdir("/proc")
        except OSError:
            return ticks
        for entry in entries:
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid, pgrp = int(entry), int(fields[2])
            if pid in backends or (self.server_pgid is not None and pgrp == self.server_pgid):
                ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        return ticks

    def sample(self) -> None:
        """Note the server processes' CPU now; a backend that ends keeps what it used."""
        self.last.update(self.server_ticks())

    def finish(self, requests: int) -> dict | None:
        self.sample()
        seconds = time.monotonic() - self.started
        machine = self.machine()
        if self.machine0 is None or machine is None or seconds <= 0:
            return None
        total, busy = machine[0] - self.machine0[0], machine[1] - self.machine0[1]
        busy_cores = busy / total * (os.cpu_count() or 1) if total else 0.0
        clients = self.own() - self.own0
        server = sum(ticks - self.base.get(pid, 0) for pid, ticks in self.last.items())
        server /= self.tick
        ours = (clients + server) / seconds
        return {
            "busy_cores": round(busy_cores, 2),
            "server_cores": round(server / seconds, 2),
            "clients_cores": round(clients / seconds, 2),
            "others_cores": round(max(busy_cores - ours, 0.0), 2),
            "server_cpu_ms_per_request": round(server * 1000 / requests, 2) if requests else None,
        }


def database_backend_pids() -> list[int]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


# Database ------------------------------------------------------------------------------


def prepare_database(url: str, *, recreate: bool, tmpdir: Path) -> tuple[str, str]:
    """Make sure the database exists; return the URL to use and a description of it.

    Falls back to a throw-away SQLite file, loudly, if PostgreSQL does not answer.
    """
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        loud(f"NOTE: not PostgreSQL ({config['ENGINE']}); the figures are not production's.")
        return url, config["ENGINE"].rsplit(".", 1)[-1]
    name = config["NAME"]
    where = f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}/{name}"
    try:
        with psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and recreate:
                if "bench" not in name:
                    raise SystemExit(f"--recreate drops only databases named *bench*, not {name!r}")
                log(f"Dropping database {name} (--recreate)")
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                exists = None
            if not exists:
                log(f"Creating database {name}")
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        fallback = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
        loud(
            f"WARNING: PostgreSQL at {where} does not answer:\n  {str(exc).strip()}\n"
            "FALLING BACK TO SQLITE. Its figures say nothing about production, where the\n"
            "project runs on PostgreSQL: writes are serialised by SQLite's file lock."
        )
        return fallback, "SQLite (fallback)"
    return url, f"PostgreSQL at {where}"


def server_env(database_url: str) -> dict[str, str]:
    """The environment of production, except SSL redirect, for gunicorn and this script."""
    alphabet = string.ascii_letters + string.digits + "!#%&()*+-=@^_"
    return {
        "DEBUG": "false",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _i in range(50)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, so that it can always be stopped as a whole."""

    def __init__(
        self,
        *,
        workers: int,
        worker_class: str,
        env: dict[str, str],
        logdir: Path,
        app: str = "config.wsgi:application",
    ):
        self.app = app
        self.workers = workers
        self.worker_class = worker_class
        self.env = {**os.environ, **env}
        self.log_path = logdir / "gunicorn.log"
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> None:
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "info",
        ]
        with open(self.log_path, "wb") as logfile:
            self.proc = subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed arguments
                command,
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=logfile,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            if self.answers():
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not answer within {timeout:.0f} s:\n{self.tail()}"
                )
            time.sleep(0.2)
        # The first worker answers; give the others until they have booted too.
        while self.log_text().count("Booting worker") < self.workers:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)

    def answers(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", HEALTH_PATH)
            response = conn.getresponse()
            response.read()
            return response.status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM (graceful, at most 5 s), then SIGKILL the whole group; bounded time."""
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                log("gunicorn did not stop within 10 s; killing it")
        # The master's process group: its workers, should any have outlived it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log(f"WARNING: gunicorn (pid {proc.pid}) is still running")
        self.proc = None


# Load ----------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    requests: list[tuple[str, str, bytes]]  # (key, path, JSON body)
    expect_status: int | None  # None: any 2xx will do (warm-up)
    expect_reason: str | None = None  # the "reason" the answer must give ("" for none)
    counted: bool = True


@dataclass
class PhaseResult:
    name: str
    planned: int
    seconds: float
    latencies_ms: list[float]  # in order of completion
    errors: int  # unexpected answers and failed requests
    not_sent: int  # requests left when the phase's time was up
    statuses: Counter
    samples: list[str]  # a few unexpected answers
    counted: bool
    ok_keys: set[str]  # the keys of the requests answered as expected
    cpu: dict | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        value = (self.cpu or {}).get("server_cpu_ms_per_request")
        return float("nan") if value is None else value

    def percentile(self, p: float, values: list[float] | None = None) -> float:
        """Nearest-rank percentile of the latencies (or of the values given)."""
        values = sorted(self.latencies_ms if values is None else values)
        if not values:
            return float("nan")
        return values[min(max(math.ceil(p / 100 * len(values)), 1), len(values)) - 1]

    def tenth(self, which: str) -> list[float]:
        size = max(1, len(self.latencies_ms) // 10)
        return self.latencies_ms[:size] if which == "first" else self.latencies_ms[-size:]


def redeem_body(secret: str, list_id: int) -> bytes:
    body = {"secret": secret, "list": list_id, "type": "entry", "nonce": uuid.uuid4().hex}
    return json.dumps(body).encode()


def run_phase(
    phase: Phase,
    *,
    server: "Server",
    token: str,
    clients: int,
    deadline: float,
    stop: threading.Event,
) -> PhaseResult:
    """Send the phase's requests from `clients` threads, each with its own connection.

    Each thread takes the next request from a shared queue until it is empty, the
    deadline (time.monotonic) has passed, or `stop` is set.
    """
    work = deque(phase.requests)
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    lock = threading.Lock()
    latencies: list[tuple[float, float]] = []
    statuses: Counter = Counter()
    samples: list[str] = []
    ok_keys: set[str] = set()
    errors = 0
    clients = max(1, min(clients, len(phase.requests)))
    start_gate = threading.Barrier(clients + 1)

    def expected(status: int, data: bytes) -> bool:
        if phase.expect_status is None:
            return 200 <= status < 300
        if status != phase.expect_status:
            return False
        if phase.expect_reason is None:
            return True
        try:
            answer = json.loads(data)
        except ValueError:
            return False
        return (answer.get("reason") or "") == phase.expect_reason

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine: list[tuple[float, float]] = []
        my_statuses: Counter = Counter()
        my_samples: list[str] = []
        my_ok: set[str] = set()
        my_errors = 0
        try:
            start_gate.wait()
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    key, path, body = work.popleft()
                except IndexError:
                    break
                started = time.perf_counter()
                try:
                    conn.request("POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    my_errors += 1
                    my_statuses[type(exc).__name__] += 1
                    if len(my_samples) < 3:
                        my_samples.append(f"{type(exc).__name__}: {exc}")
                    continue
                finished = time.perf_counter()
                mine.append((finished, (finished - started) * 1000))
                my_statuses[response.status] += 1
                if expected(response.status, data):
                    my_ok.add(key)
                else:
                    my_errors += 1
                    if len(my_samples) < 3:
                        my_samples.append(f"{response.status}: {data[:300]!r}")
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)
                statuses.update(my_statuses)
                samples.extend(my_samples)
                ok_keys.update(my_ok)
                errors += my_errors

    threads = [
        threading.Thread(target=client, name=f"client-{i}", daemon=True) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    meter = CpuMeter(server.proc.pid if server.proc else None)
    started = time.perf_counter()
    start_gate.wait()
    next_sample = time.monotonic() + 1
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.25)
            if time.monotonic() >= next_sample:
                meter.sample()
                next_sample = time.monotonic() + 1
    ended = max((finished for finished, _ms in latencies), default=time.perf_counter())
    latencies.sort()  # by completion time
    not_sent = len(work)
    if not_sent:
        log(f"  {not_sent} requests not sent: the phase's time was up (or it was stopped)")
    return PhaseResult(
        name=phase.name,
        planned=len(phase.requests),
        seconds=ended - started,
        latencies_ms=[ms for _finished, ms in latencies],
        errors=errors,
        statuses=statuses,
        samples=samples,
        not_sent=not_sent,
        counted=phase.counted,
        ok_keys=ok_keys,
        cpu=meter.finish(len(latencies)),
    )


# Report --------------------------------------------------------------------------------


def ratio(value: float, base: float) -> str:
    if not base or math.isnan(value) or math.isnan(base):
        return "-"
    return f"{value / base:.2f}×"


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


def format_phases(results: list[PhaseResult]) -> str:
    """Per phase: the p50 of its first and last tenth (does a request cost more later
    on?), and the cores busy: the server side's, the clients' and other processes'."""
    lines = []
    for r in results:
        line = f"  {r.name:<20}"
        if len(r.latencies_ms) >= 20:
            first, last = r.percentile(50, r.tenth("first")), r.percentile(50, r.tenth("last"))
            drift = ratio(last, first)
            line += f" p50 first tenth {first:6.1f} ms, last tenth {last:6.1f} ms ({drift});"
        if r.cpu:
            line += (
                f" cores busy {r.cpu['busy_cores']:.2f}: server {r.cpu['server_cores']:.2f},"
                f" clients {r.cpu['clients_cores']:.2f}, others {r.cpu['others_cores']:.2f}"
            )
        lines.append(line.rstrip(";"))
    return "\n".join(lines)


def summary(r: PhaseResult, base: PhaseResult | None) -> dict:
    figures = {
        "planned": r.planned,
        "requests": r.requests,
        "seconds": round(r.seconds, 3),
        "requests_per_second": round(r.rate, 1),
        "p50_ms": round(r.percentile(50), 2),
        "p95_ms": round(r.percentile(95), 2),
        "p99_ms": round(r.percentile(99), 2),
        "max_ms": round(max(r.latencies_ms, default=float("nan")), 2),
        "errors": r.errors,
        "not_sent": r.not_sent,
        "statuses": {str(k): v for k, v in sorted(r.statuses.items(), key=str)},
        "unexpected_samples": r.samples,
        "cpu": r.cpu,
    }
    if len(r.latencies_ms) >= 20:
        figures["p50_first_tenth_ms"] = round(r.percentile(50, r.tenth("first")), 2)
        figures["p50_last_tenth_ms"] = round(r.percentile(50, r.tenth("last")), 2)
    if base is not None and r is not base and base.rate:
        figures["vs_baseline"] = {
            "requests_per_second": round(r.rate / base.rate, 3),
            "p50": round(r.percentile(50) / base.percentile(50), 3),
            "p99": round(r.percentile(99) / base.percentile(99), 3),
            "server_cpu_ms_per_request": (
                round(r.cpu_ms / base.cpu_ms, 3)
                if base.cpu_ms and not math.isnan(r.cpu_ms) and not math.isnan(base.cpu_ms)
                else None
            ),
        }
    return figures


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


def explain(sql: str, *, text: bool) -> str:
    """EXPLAIN ANALYZE a SELECT (in a transaction rolled back): its time, and any JIT."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        plan_text = ""
        if text:
            cursor.execute(f"EXPLAIN (ANALYZE) {sql}")
            plan_text = "\n".join("      " + row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    top = plan[0]
    line = f"execution {top['Execution Time']:.2f} ms, planned cost {top['Plan']['Total Cost']:.0f}"
    jit = top.get("JIT")
    if jit:
        line += (
            f"; JIT compiled {jit['Functions']} functions in {jit['Timing']['Total']:.1f} ms"
            " (the planned cost is above jit_above_cost)"
        )
    else:
        line += "; no JIT"
    return line + ("\n" + plan_text if plan_text else "")


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
        default=150,
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


def code_version() -> str:
    """The commit measured, and whether the application code differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 -- git from PATH
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "config", "events", "ticketing"],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"commit {commit}" + (" with uncommitted changes to the app" if changed else "")


def database_settings() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('jit_above_cost')")
        jit, above = cursor.fetchone()
    return f"jit {jit} (above cost {above})"


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
