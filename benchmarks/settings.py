"""Settings for the benchmarks: the project's own, plus the benchmarks' URLs.

Everything else (DEBUG, SECRET_KEY, DATABASE_URL, ...) comes from the environment as in
production; the benchmark scripts set it. BENCH_STATIC_ROOT, if set, is where
collectstatic puts the static files (pages.py renders pages, which need the manifest of
production's storage) instead of the project's staticfiles/.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
