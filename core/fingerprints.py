"""A cheap "has anything changed?" for pages and feeds built from many tables.

tables_fingerprint() reads, in one query, a digest that changes with every committed write
to the tables given; cached_while_unchanged() keeps what was built from those tables until
it does. Used by the orchestra's feeds (events.feeds.cached_entries), the artists'
directory and the event list.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection
from django.utils import translation

CACHE_TIMEOUT = 24 * 60 * 60


def tables_fingerprint(tables: Iterable[str]) -> str | None:
    """Return a digest that changes whenever a row of the tables is written, in one query.

    PostgreSQL only (None elsewhere). Every INSERT and UPDATE writes a new row version with
    a new physical place (ctid) and the writing transaction's id (xmin); a DELETE lowers the
    count. The digest covers the count and a sum of hashes of (ctid, xmin) of every row
    version a query sees now, so any committed write changes it (bulk writes, raw SQL and
    the admin included), whatever column it touches. Maintenance that moves rows (VACUUM
    FULL, CLUSTER) changes it too, which costs a rebuild and nothing else.
    """
    tables = sorted(set(tables))
    if connection.vendor != "postgresql" or not tables:
        return None
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        # The table names are our models', quoted.
        f"SELECT %s, count(*), coalesce(sum(hashtextextended(ctid::text || xmin::text, 0)), 0)"  # noqa: S608
        f" FROM {quote(table)}"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        rows = sorted(cursor.fetchall())
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:32]


def cached_while_unchanged(key: tuple, *, tables: Iterable[str], build: Callable[[], object]):
    """Return build(), from the cache while no table it reads from has been written.

    `tables` must name every table `build` reads something shown from; the result is
    cached under `key`, the active language and tables_fingerprint(tables) (for a day at
    most). Without PostgreSQL, always built. For results that depend on the time as well,
    see events.feeds.cached_entries.
    """
    fingerprint = tables_fingerprint(tables)
    if fingerprint is None:
        return build()
    parts = (key, translation.get_language(), fingerprint)
    cache_key = "events:unchanged:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    found = cache.get(cache_key)
    if found is None:
        found = (build(),)
        cache.set(cache_key, found, CACHE_TIMEOUT)
    return found[0]
