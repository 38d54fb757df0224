"""The shared cache (REDIS_URL): a Redis that stops answering costs cache misses, not pages.

Django's RedisCache raises when Redis does not answer, so every page that caches would fail
with it. Here reading answers "not cached" and writing is skipped (each logged as a
warning), so pages are built from the database until Redis is back. ``add`` and ``incr``
still raise: the rate limits (core/ratelimit.py) then count in their table instead.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisError, OSError)


def _unavailable(operation: str) -> None:
    logger.warning("Cache: Redis did not answer (%s); building from the database.", operation)


class SharedCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE:
            _unavailable("get")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE:
            _unavailable("get_many")
            return {}

    def set(self, key, value, timeout=None, version=None):  # noqa: A003 -- Django's name
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE:
            _unavailable("set")

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE:
            _unavailable("set_many")
            return list(data)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE:
            _unavailable("delete")
            return False
