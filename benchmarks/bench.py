"""Every benchmark in one run, and one table of their figures against their baselines.

    make bench                          # the full sizes (imports: 10,000 rows): ~8 to 10 minutes
    make bench BENCH_ARGS=--quick       # small sizes: ~2 minutes, to try things out
    .venv/bin/python benchmarks/bench.py --help

Runs, one after the other, each in its own process (see README.md for each):

  redeem.py    check-in redeem under 16 clients on gunicorn, against a bare insert view
  pages.py     the calendar feeds (full and 304) and the public pages, against bare views
               answering the same bytes
  imports.py   the XLSX imports of members and artists, against bulk_create

then prints one table: for each measure its absolute figures, and its ratio to the
baseline measured in the same run. Says loudly when PostgreSQL is not available (the
figures are then SQLite's). Exit status: 0 if every benchmark ran and got the answers it
expected, else 1 (a redeem run cut short by its time limit counts as done: see "not").
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402 -- after the path is set
    DEFAULT_DATABASE_URL,
    REPO,
    code_version,
    log,
    loud,
)

HERE = Path(__file__).resolve().parent
FULL = {
    "redeem": [],  # 5,000 tickets, 16 clients, 240 s for its three phases
    "pages": [],  # 1,000 events, 315 artists, 1,000 requests a phase (20 s at most)
    "imports": [],  # 10,000 rows of each (about 80 s for members, 60 s for artists)
}
QUICK = {
    "redeem": ["--tickets", "300", "--warmup", "60", "--time-limit", "60", "--wait-idle", "2"],
    "pages": ["--requests", "100", "--warmup", "5", "--phase-limit", "10", "--wait-idle", "0"],
    "imports": ["--rows", "500"],
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Run every benchmark and print one table (see benchmarks/README.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="database to use")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(FULL),
        help="run only this benchmark (may be given more than once)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write every figure to this file")
    return parser.parse_args(argv)


def run(name: str, arguments: list[str], out: Path) -> tuple[int, dict | None, float]:
    command = [sys.executable, str(HERE / f"{name}.py"), *arguments, "--json", str(out)]
    log(f"\n=== {name}: {' '.join(command[1:])}")
    started = time.monotonic()
    code = subprocess.call(command, cwd=REPO)  # noqa: S603 -- our own scripts
    seconds = time.monotonic() - started
    figures = json.loads(out.read_text()) if out.exists() else None
    log(f"=== {name}: exit status {code}, {seconds / 60:.1f} minutes")
    return code, figures, seconds


def fmt(value, spec: str, width: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"{'-':>{width}}"
    return f"{value:>{width}{spec}}"


def times(value, base) -> str:
    if not value or not base or any(isinstance(v, float) and math.isnan(v) for v in (value, base)):
        return "-"
    return f"{value / base:.2f}×"


def table(results: dict[str, dict]) -> str:
    """One line a measure: absolute figures, then the ratio to its baseline."""
    head = (
        f"{'measure':<32} {'n':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'CPU ms':>7} {'SQL':>6} {'err':>4} {'not':>5} | {'req/s':>7} {'p50':>7} {'p95':>7}"
        f" {'p99':>7} {'CPU':>7}"
    )
    sub = f"{'':<32} {'':>6} {'(rows/s)':>8} {'(s)':>8} {'':>8} {'':>8} {'/req':>7} {'/req':>6}"
    sub += f" {'':>4} {'sent':>5} | {'ratio to the baseline (× of base)':<38}"
    lines = [head, sub, "-" * len(head)]

    def line(name, n, rate, p50, p95, p99, cpu, sql, err, not_sent, base=None):
        text = (
            f"{name:<32} {fmt(n, 'd', 6)} {fmt(rate, '.1f', 8)} {fmt(p50, '.1f', 8)}"
            f" {fmt(p95, '.1f', 8)} {fmt(p99, '.1f', 8)} {fmt(cpu, '.1f', 7)} {fmt(sql, '', 6)}"
            f" {fmt(err, 'd', 4)} {fmt(not_sent, 'd', 5)} |"
        )
        if base is not None:
            text += (
                f" {times(rate, base[0]):>7} {times(p50, base[1]):>7} {times(p95, base[2]):>7}"
                f" {times(p99, base[3]):>7} {times(cpu, base[4]):>7}"
            )
        lines.append(text.rstrip(" |") if base is None else text)

    redeem = results.get("redeem")
    if redeem:
        phases = redeem["phases"]

        def figures_of(p):
            cpu = (p.get("cpu") or {}).get("server_cpu_ms_per_request")
            return (p["requests_per_second"], p["p50_ms"], p["p95_ms"], p["p99_ms"], cpu)

        base = figures_of(phases["baseline"]) if "baseline" in phases else None
        for name, p in phases.items():
            line(
                "redeem: " + ("bare insert view" if name == "baseline" else name),
                p["requests"],
                *figures_of(p),
                None,
                p["errors"],
                p["not_sent"],
                base=None if name == "baseline" else base,
            )
    pages = results.get("pages")
    if pages:
        rows = {row["name"]: row for row in pages["pages"]}
        for row in pages["pages"]:
            base = rows.get(row["baseline"]) if row["baseline"] else None
            figures = (
                row["requests_per_second"],
                row["p50_ms"],
                row["p95_ms"],
                row["p99_ms"],
                row["server_cpu_ms_per_request"],
            )
            name = row["name"]
            line(
                name,
                row["requests"],
                *figures,
                row["queries"],
                row["errors"],
                row["not_sent"],
                base=None
                if base is None
                else (
                    base["requests_per_second"],
                    base["p50_ms"],
                    base["p95_ms"],
                    base["p99_ms"],
                    base["server_cpu_ms_per_request"],
                ),
            )
    imports = results.get("imports")
    if imports:
        rows = {row["name"]: row for row in imports["imports"]}
        for row in imports["imports"]:
            base = rows.get(row["baseline"]) if row["baseline"] else None
            sql = f"{row['queries_per_row']:.1f}"
            text = (
                f"{row['name']:<32} {fmt(row['rows'], 'd', 6)}"
                f" {fmt(row['rows_per_second'], '.1f', 8)} {fmt(row['seconds'], '.1f', 8)}"
                f" {'':>8} {'':>8} {'':>7} {sql:>6} {'':>4} {'':>5} |"
            )
            if base:
                text += (
                    f" {times(row['rows_per_second'], base['rows_per_second']):>7}"
                    f"  time {times(row['seconds'], base['seconds'])}"
                )
            lines.append(text.rstrip(" |"))
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    chosen = args.only or list(FULL)
    sizes = QUICK if args.quick else FULL
    began = time.monotonic()
    results: dict[str, dict] = {}
    statuses: dict[str, int] = {}
    minutes: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="kulturvest-bench-") as tmpdir:
        for name in chosen:
            arguments = [*sizes[name], "--database-url", args.database_url]
            code, figures, seconds = run(name, arguments, Path(tmpdir) / f"{name}.json")
            statuses[name] = code
            minutes[name] = seconds / 60
            if figures is not None:
                results[name] = figures
    total = (time.monotonic() - began) / 60

    database = next(
        (
            r.get("database", {}).get("label") if name == "redeem" else r.get("database")
            for name, r in results.items()
        ),
        "unknown",
    )
    log("\n" + "=" * 100)
    log(f"make bench{' --quick' if args.quick else ''}: {code_version()}")
    log(
        f"Machine: {os.cpu_count()} cores; load average now "
        f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}; database: {database}"
    )
    log(
        "Minutes: "
        + ", ".join(f"{name} {m:.1f}" for name, m in minutes.items())
        + f"; in all {total:.1f}"
    )
    if database and "PostgreSQL" not in str(database):
        loud("ONLY SQLITE WAS AVAILABLE: these figures say little about production (PostgreSQL).")
    log()
    log(table(results))
    log()
    log(
        "CPU ms/req: gunicorn's workers and their PostgreSQL backends, per request (the figure\n"
        "least affected by other load). SQL: queries of one request (pages), per row (imports).\n"
        "Ratios: the measure over its baseline, measured in the same run just before it.\n"
        "(bare): the baseline of the line below it, a bare view answering the same bytes."
    )
    failed = {name: code for name, code in statuses.items() if code not in (0, 2)}
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "exit": statuses}, indent=2, ensure_ascii=False)
        )
    if failed:
        log(f"\nFAILED: {failed} (exit statuses; see their output above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
