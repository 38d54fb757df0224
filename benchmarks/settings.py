"""Settings for the benchmarks: the project's own, plus a baseline view's URL.

Everything else (DEBUG, SECRET_KEY, DATABASE_URL, ...) comes from the environment as in
production; the benchmark scripts set it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
