"""Run tests against the Redis cache that production uses with REDIS_URL.

The tests use their own Redis database (REDIS_TEST_URL, by default number 9 on the local
Redis) and empty it before and after each test. Where no Redis answers, the tests that need
one are skipped with that reason; CI runs a Redis.
"""

import os

import pytest
import redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/9")
REDIS_CACHES = {
    "default": {
        "BACKEND": "core.cache.SharedCache",
        "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": "kulturvest",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
}


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1, socket_timeout=1)


def redis_answers() -> bool:
    try:
        return bool(redis_client().ping())
    except redis.RedisError:
        return False


def use_redis_cache(settings):
    """Switch the default cache to Redis for this test (skip if no Redis answers)."""
    if not redis_answers():
        pytest.skip(f"no Redis answers at {REDIS_TEST_URL} (set REDIS_TEST_URL; CI has one)")
    client = redis_client()
    client.flushdb()
    settings.CACHES = REDIS_CACHES
    return client


def counter_keys(store) -> list[str]:
    """The rate-limit counters' keys, as stored in Redis or in the table."""
    if store is not None:
        return [key.decode() for key in store.keys("*")]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT counter_key FROM events_rate_counter")
        return [key for (key,) in cursor.fetchall()]


@pytest.fixture
def counter_store(request, settings):
    """Where the rate limits count (parametrize indirectly with "table" or "redis"): None
    for the table, else a client of the test Redis."""
    if request.param == "table":
        settings.CACHES = LOCAL_CACHES
        yield None
        return
    client = use_redis_cache(settings)
    yield client
    client.flushdb()
