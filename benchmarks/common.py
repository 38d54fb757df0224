"""What the benchmark scripts share: the database, production settings, gunicorn in a
process group of its own, the load from client threads, CPU meters and the figures.

Used by redeem.py, redeem_queries.py, pages.py and imports.py; see README.md.
"""

import contextlib
import http.client
import json
import math
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kulturvest_bench"


# Everything the benchmarks create hangs off this programme, so that a later run (or
# another benchmark script) can delete it without touching anything else.
PROGRAMME_SLUG = "benchmark"


HEALTH_PATH = "/bench/health/"
# The application's code: code_version() says whether it differs from the commit.
APP_PATHS = ("config", "events", "ticketing", "artists", "orchestra", "templates")


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
        # One token stands for 16 scanners: the redeem limit (a scanner's, per minute) is
        # still counted on every redeem, but set out of reach.
        "REDEEMS_PER_MINUTE": "1000000",
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
        worker_timeout: int = 60,
    ):
        self.app = app
        self.worker_timeout = worker_timeout
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
            str(self.worker_timeout),
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


@dataclass
class Phase:
    name: str
    requests: list[tuple[str, str, bytes | None]]  # (key, path, JSON body); no body: GET
    expect_status: int | None  # None: any 2xx will do (warm-up)
    expect_reason: str | None = None  # the "reason" the answer must give ("" for none)
    counted: bool = True
    headers: dict[str, str] = field(default_factory=dict)  # sent with each request


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


def run_phase(
    phase: Phase,
    *,
    server: "Server",
    token: str | None,
    clients: int,
    deadline: float,
    stop: threading.Event,
) -> PhaseResult:
    """Send the phase's requests from `clients` threads, each with its own connection.

    Each thread takes the next request from a shared queue until it is empty, the
    deadline (time.monotonic) has passed, or `stop` is set. A request with a body is a
    POST of JSON, one without a GET; with a token, each carries it.
    """
    work = deque(phase.requests)
    get_headers = {**({"Authorization": f"Token {token}"} if token else {}), **phase.headers}
    post_headers = {**get_headers, "Content-Type": "application/json"}
    post_headers.setdefault("Accept", "application/json")
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
                    if body is None:
                        conn.request("GET", path, headers=get_headers)
                    else:
                        conn.request("POST", path, body=body, headers=post_headers)
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


def ratio(value: float, base: float) -> str:
    if not base or math.isnan(value) or math.isnan(base):
        return "-"
    return f"{value / base:.2f}×"


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
        changed = subprocess.run(  # noqa: S603 -- fixed arguments
            ["git", "status", "--porcelain", "--", *APP_PATHS],  # noqa: S607
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
