"""Rate limits counted in Redis (REDIS_URL set): what only the Redis counters do. The tests
every counter passes are in test_rate_limits.py, run there with Redis and with the table."""

import json
import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from core import ratelimit
from tests.hardening.production import BASE_DIR, production_env
from tests.shared_cache import REDIS_CACHES, REDIS_TEST_URL, counter_keys, use_redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def store(settings):
    # Counters that tests with committed writes left (flush empties model tables only);
    # deleted inside this test's transaction.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events_rate_counter")
    client = use_redis_cache(settings)
    yield client
    client.flushdb()


def table_counters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_rate_counter")
        return cursor.fetchone()[0]


def test_a_counter_in_redis_expires_with_its_window(store):
    ratelimit.take(ratelimit.Limit("test", "QR_VISITS_PER_MINUTE", window=60), "203.0.113.5")
    (key,) = store.keys("*ratelimit:test:*")
    # The rest of the window and a minute for clocks that differ between servers.
    assert 60 < store.ttl(key) <= 120
    # Counted in Redis only: the table is not touched, not even by a query.
    assert table_counters() == 0


def test_counting_in_redis_costs_no_database_query(django_assert_num_queries):
    limit = ratelimit.Limit("test", "QR_VISITS_PER_MINUTE")
    with django_assert_num_queries(0):
        ratelimit.take(limit, "203.0.113.9")


def test_a_redis_that_does_not_answer_counts_in_the_table(settings, caplog):
    settings.QR_VISITS_PER_MINUTE = 1
    limit = ratelimit.Limit("test", "QR_VISITS_PER_MINUTE")
    down = {"default": {**REDIS_CACHES["default"], "LOCATION": "redis://127.0.0.1:1/9"}}
    with override_settings(CACHES=down):  # nothing listens on port 1
        assert ratelimit.counts_in_cache()
        assert ratelimit.take(limit, "203.0.113.6") is None
        assert ratelimit.take(limit, "203.0.113.6") > 0
    assert table_counters() == 1
    assert counter_keys(None)
    assert "did not answer" in caplog.text


COUNT_MANY = """
import json
from core import ratelimit
limit = ratelimit.Limit("busy", "PUBLIC_FORM_POSTS_PER_HOUR", window=86400)
print(json.dumps(sum(ratelimit.take(limit, "203.0.113.8") is None for _ in range(200))))
"""


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_two_processes_at_once_count_every_request(tmp_path, store):
    """Two processes counting at the same moment lose no request: the limit lets exactly
    its number through, however the requests interleave."""
    env = production_env(
        tmp_path, DEBUG="true", PUBLIC_FORM_POSTS_PER_HOUR="250", REDIS_URL=REDIS_TEST_URL
    )
    workers = [
        subprocess.Popen(  # noqa: S603 -- our own interpreter and code
            [sys.executable, "-c", "import django; django.setup()\n" + COUNT_MANY],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _worker in range(2)
    ]
    allowed = 0
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        allowed += json.loads(out.strip().splitlines()[-1])
    assert allowed == 250
    (key,) = store.keys("*ratelimit:busy:*")
    assert int(store.get(key)) == 400


def test_pages_answer_while_redis_does_not(client, caplog):
    """A stopped Redis costs cache misses: the feed (whose body is cached) is built from the
    database, and the rate-limited form still limits."""
    from tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(slug="uten-redis")
    down = {"default": {**REDIS_CACHES["default"], "LOCATION": "redis://127.0.0.1:1/9"}}
    with override_settings(CACHES=down, PUBLIC_FORM_POSTS_PER_HOUR=1):
        feed = client.get(reverse("events:programme_feed", args=[programme.slug]))
        assert feed.status_code == 200
        assert b"BEGIN:VCALENDAR" in feed.content
        signup = reverse("artists:signup")
        assert client.post(signup, {}).status_code != 429
        assert client.post(signup, {}).status_code == 429
    assert "Redis did not answer" in caplog.text


def test_the_cache_works_in_redis(store):
    from django.core.cache import cache

    cache.set("greeting", {"nb": "hei"}, 30)
    assert cache.get("greeting") == {"nb": "hei"}
    assert cache.get_many(["greeting", "none"]) == {"greeting": {"nb": "hei"}}
    assert store.keys("kulturvest:*greeting")
    cache.delete("greeting")
    assert cache.get("greeting") is None
