"""Where a redeem's time goes: its SQL queries, one by one, at lists of growing size.

Run from the repository root:

    .venv/bin/python benchmarks/redeem_queries.py                  # lists of 0 and 5000
    .venv/bin/python benchmarks/redeem_queries.py --checkins 0,1000,5000,20000

For each size K it fills the entrance list with K successful entries (bulk), then sends
redeems through Django's test client (the whole stack: middleware, token auth, view,
service) in one process, with the same production settings as benchmarks/redeem.py:
a first redeem of fresh tickets (201) and a repeat of the same tickets (200). It prints
the queries of one request with their database time, and the median time of the
request, of its SQL and of the rest (Python) over --samples requests.

It uses the same database as redeem.py and deletes the benchmark data of earlier runs
(only the benchmark programme's), so do not run the two at once.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402 -- after the path is set
    DEFAULT_DATABASE_URL,
    code_version,
    database_version,
    explain,
    migrate,
    prepare_database,
    server_env,
    setup_django,
)
from benchmarks.redeem import REDEEM_PATH, create_fixtures  # noqa: E402


def add_entries(fixture, ticket_ids, now) -> None:
    """Record successful entries of the tickets at the entrance list, in bulk."""
    from ticketing.models import Checkin

    Checkin.objects.bulk_create(
        [
            Checkin(
                checkin_list_id=fixture.entrance_id,
                ticket_id=ticket_id,
                type=Checkin.Type.ENTRY,
                successful=True,
                nonce=uuid.uuid4().hex,
                scanned_at=now,
                received_at=now,
            )
            for ticket_id in ticket_ids
        ],
        batch_size=2000,
    )


def redeem(client, token, secret, list_id):
    body = {"secret": secret, "list": list_id, "type": "entry", "nonce": uuid.uuid4().hex}
    return client.post(
        REDEEM_PATH,
        data=json.dumps(body),
        content_type="application/json",
        headers={"authorization": f"Token {token}"},
    )


class QueryTimer:
    """An execute wrapper that times each query to the microsecond."""

    def __init__(self):
        self.calls: list[tuple[str, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, (time.perf_counter() - started) * 1000))


class ListStatusTimer:
    """Times ticketing.services.list_status (the list's counts sent with each answer)."""

    def __init__(self):
        import ticketing.services

        self.module = ticketing.services
        self.original = ticketing.services.list_status
        self.spent: list[float] = []

        def timed(checkin_list):
            started = time.perf_counter()
            try:
                return self.original(checkin_list)
            finally:
                self.spent.append((time.perf_counter() - started) * 1000)

        self.module.list_status = timed

    def restore(self):
        self.module.list_status = self.original


@dataclass
class Measurement:
    counts: set[int]  # queries a request, BEGIN and COMMIT included
    captured: list[dict]  # CaptureQueriesContext's queries of the first request
    timed: list[tuple[str, float]]  # the same, timed (without BEGIN and COMMIT)
    wall_ms: float  # medians over the requests
    sql_ms: float
    list_status_ms: float


def measure(client, fixture, secrets, expect_status) -> Measurement:
    """Redeem each secret once; return the first request's queries and the medians."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, sqls, counts = [], [], set()
    first_captured = first_timed = None
    list_status = ListStatusTimer()
    try:
        for secret in secrets:
            timer = QueryTimer()
            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = redeem(client, fixture.token, secret, fixture.entrance_id)
                walls.append((time.perf_counter() - started) * 1000)
            if response.status_code != expect_status:
                raise SystemExit(f"expected {expect_status}, got {response.status_code}")
            sqls.append(sum(ms for _sql, ms in timer.calls))
            counts.add(len(captured.captured_queries))
            if first_captured is None:
                first_captured, first_timed = captured.captured_queries, timer.calls
    finally:
        list_status.restore()
    return Measurement(
        counts=counts,
        captured=first_captured,
        timed=first_timed,
        wall_ms=statistics.median(walls),
        sql_ms=statistics.median(sqls),
        list_status_ms=statistics.median(list_status.spent),
    )


def short(sql: str, width: int = 120) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def show(title: str, m: Measurement, *, plan: bool = False) -> None:
    print(f"\n{title}")
    print(
        f"  queries per request: {', '.join(str(c) for c in sorted(m.counts))} "
        "(CaptureQueriesContext, BEGIN and COMMIT included)"
    )
    print(
        f"  median per request: {m.wall_ms:.2f} ms in all, SQL {m.sql_ms:.2f} ms, "
        f"the rest (Python) {m.wall_ms - m.sql_ms:.2f} ms; "
        f"list_status() {m.list_status_ms:.2f} ms of it"
    )
    print("  the queries of one request (ms, SQL):")
    timed = iter(m.timed)
    slowest = (None, -1.0, "")  # number, ms, SQL with its parameters
    for number, query in enumerate(m.captured, 1):
        if query["sql"] in ("BEGIN", "COMMIT"):
            ms_text = f"{float(query['time']) * 1000:7.0f}"  # only to the millisecond
        else:
            ms = next(timed, ("", float("nan")))[1]
            ms_text = f"{ms:7.2f}"
            if ms > slowest[1]:
                slowest = (number, ms, query["sql"])
        print(f"   {number:>2}. {ms_text}  {short(query['sql'])}")
    if slowest[0] is not None:
        details = explain(slowest[2], text=plan)
        if details:
            print(f"  the slowest, query {slowest[0]}, again with EXPLAIN ANALYZE: {details}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Count and time the SQL queries of one redeem at lists of growing size.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--tickets", type=int, default=5000, help="tickets of the event (as in redeem.py)"
    )
    parser.add_argument(
        "--checkins",
        default="0,1000,5000",
        help="comma-separated sizes: successful entries on the list before measuring",
    )
    parser.add_argument("--samples", type=int, default=20, help="requests a median is taken of")
    parser.add_argument(
        "--plan", action="store_true", help="print the slowest query's plan (EXPLAIN ANALYZE)"
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.checkins.split(",") if size.strip()})
    if sizes[-1] > args.tickets:
        parser.error("a list cannot hold more entries than there are --tickets")
    # The whitenoise warning of a production setup without collectstatic; not ours to fix.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)

    with tempfile.TemporaryDirectory(prefix="kulturvest-bench-") as tmpdir:
        database_url, label = prepare_database(
            args.database_url, recreate=False, tmpdir=Path(tmpdir)
        )
        setup_django(server_env(database_url))
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        migrate()
        print(f"Code: {code_version()}")
        print(f"Database: {label} ({database_version()})")
        # The event's tickets: those entered in bulk, then those redeemed through the view.
        spare = len(sizes) * args.samples + 5
        fixture = create_fixtures(max(args.tickets, sizes[-1] + spare), 0)
        print(f"{len(fixture.secrets)} tickets for the event")
        client = Client(HTTP_HOST="127.0.0.1")
        # Entered in bulk to fill the list, or redeemed through the view.
        bulk_ids, fresh = fixture.ticket_ids[:-spare], fixture.secrets[-spare:]
        for secret in fresh[:5]:  # warm up imports and caches; these count as entries
            redeem(client, fixture.token, secret, fixture.entrance_id)
        fresh, entered, bulk_used = fresh[5:], 5, 0
        now = timezone.now()
        for size in sizes:
            if size > entered:
                more = bulk_ids[bulk_used : bulk_used + size - entered]
                add_entries(fixture, more, now)
                bulk_used += len(more)
                entered += len(more)
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("ANALYZE ticketing_checkin")
            batch, fresh = fresh[: args.samples], fresh[args.samples :]
            show(
                f"== {entered} entries on the list: first redeem (201)",
                measure(client, fixture, batch, 201),
                plan=args.plan,
            )
            entered += len(batch)
            show(
                f"== {entered} entries on the list: repeat redeem (200 already_redeemed)",
                measure(client, fixture, batch, 200),
                plan=args.plan,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
