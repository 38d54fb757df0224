"""Rate limits shared by every app server, answered with 429 and Retry-After.

A limit counts requests per key (a client address, or a user) in fixed windows of time, in
one of two shared places:

- the cache, when it is one every app server shares (REDIS_URL set: Django's RedisCache, or
  a memcached): ``cache.add`` creates a window's counter with the window's expiry and
  ``cache.incr`` counts atomically, so Redis forgets old windows by itself and a request
  costs no database query. If Redis does not answer, the request counts in the table below
  instead, so a limit still holds and the page still answers;
- otherwise (the embedded default, local-memory cache per process) the table
  events_rate_counter (migration events 0004). Every gunicorn worker and every app server
  counts in that one table, so a limit holds however many processes serve the site, with
  no server of its own to run. One statement (an INSERT ... ON CONFLICT DO UPDATE ...
  RETURNING, the same in SQLite 3.35+ and PostgreSQL) counts and reads at once: requests at
  the same moment are each counted, and a request costs one query. Each new counter deletes
  the ones whose time is over.

Keys are keyed hashes in both places: a client's address is never stored.

django-ratelimit was weighed and not used: it counts only in the cache (the embedded
default would then count per process), its keys are plain (unkeyed) hashes of the address,
and it has neither Retry-After nor a DRF throttle, which this module would still have to
write around it; its counting itself is the two cache calls below.

Limits are settings, so tests and operators can change them without code:
QR_VISITS_PER_MINUTE, REDEEMS_PER_MINUTE and PUBLIC_FORM_POSTS_PER_HOUR.
"""

import functools
import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext
from redis.exceptions import RedisError
from rest_framework.exceptions import APIException, Throttled
from rest_framework.throttling import BaseThrottle

from core.clients import client_address

logger = logging.getLogger(__name__)

KEY_SALT = "core.ratelimit"
COUNT = (
    "INSERT INTO events_rate_counter (counter_key, hits, expires_at) VALUES (%s, 1, %s)"
    " ON CONFLICT (counter_key) DO UPDATE SET hits = events_rate_counter.hits + 1"
    " RETURNING hits"
)
CLEAN_UP = "DELETE FROM events_rate_counter WHERE expires_at < %s"


@dataclass(frozen=True)
class Limit:
    """At most ``setting`` (the name of a setting) requests per ``window`` seconds."""

    scope: str
    setting: str
    window: int = 60

    @property
    def allowed(self) -> int:
        return getattr(settings, self.setting)


# The limits, one scope each: a busy day of one form does not block another. The orchestra's
# registration form and its API share one.
QR_VISITS = Limit("qr-visits", "QR_VISITS_PER_MINUTE", window=60)
REDEEMS = Limit("redeem", "REDEEMS_PER_MINUTE", window=60)
ARTIST_SIGNUP = Limit("artist-signup", "PUBLIC_FORM_POSTS_PER_HOUR", window=3600)
ARTIST_APPLICATION = Limit("artist-application", "PUBLIC_FORM_POSTS_PER_HOUR", window=3600)
ORCHESTRA_REGISTRATION = Limit("orchestra-registration", "PUBLIC_FORM_POSTS_PER_HOUR", 3600)
EVENT_REGISTRATION = Limit("event-registration", "PUBLIC_FORM_POSTS_PER_HOUR", window=3600)
# Each post may send an email to an address of the poster's choosing.
PASSWORD_RESET = Limit("password-reset", "PUBLIC_FORM_POSTS_PER_HOUR", window=3600)


def take(limit: Limit, key: str) -> int | None:
    """Count one request for the key; return None if it is allowed, else the seconds to wait.

    A refused request counts too, so a client that keeps trying stays refused until the
    window ends.
    """
    now = timezone.now().timestamp()
    window_number = int(now // limit.window)
    # A keyed hash: the few billion IPv4 addresses could be tried against a plain one.
    digest = salted_hmac(KEY_SALT, f"{limit.scope}:{key or 'unknown'}").hexdigest()[:32]
    counter_key = f"{limit.scope}:{digest}:{window_number}"
    # Kept a minute past its window, for clocks that differ a little between servers.
    expires_at = (window_number + 1) * limit.window + 60
    used = None
    if counts_in_cache():
        used = _count_in_cache(counter_key, timeout=math.ceil(expires_at - now))
    if used is None:
        used = _count_in_table(counter_key, expires_at, now)
    if used <= limit.allowed:
        return None
    return max(1, math.ceil((window_number + 1) * limit.window - now))


SHARED_CACHES = (RedisCache, BaseMemcachedCache)


def counts_in_cache() -> bool:
    """Whether the default cache is one every app server shares (with an atomic incr)."""
    return isinstance(caches["default"], SHARED_CACHES)


def _count_in_cache(counter_key: str, *, timeout: int) -> int | None:
    """Count in the shared cache; None if it does not answer (then the table counts)."""
    key = f"ratelimit:{counter_key}"
    cache = caches["default"]
    try:
        # The window's first request creates its counter, with the window's expiry; the
        # others count atomically. A counter that expires between the two is made again.
        for _attempt in range(3):
            if cache.add(key, 1, timeout):
                return 1
            try:
                return cache.incr(key)
            except ValueError:
                continue
    except (RedisError, OSError):  # a Redis that is down or too slow
        logger.warning("Rate limit: the shared cache did not answer; counting in the table.")
        return None
    return None


def _count_in_table(counter_key: str, expires_at: int, now: float) -> int:
    with connection.cursor() as cursor:
        cursor.execute(COUNT, [counter_key, expires_at])
        (used,) = cursor.fetchone()
        if used == 1:
            cursor.execute(CLEAN_UP, [int(now)])
    return used


def by_address(request) -> str:
    return client_address(request)


def by_user_or_address(request) -> str:
    """The logged-in user (many people may share one address), else the client address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{client_address(request)}"


def wait_message(retry_after: int) -> str:
    minutes = math.ceil(retry_after / 60)
    return ngettext(
        "Too many attempts. Try again in %(minutes)d minute.",
        "Too many attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def too_many_requests(request, *, retry_after: int, message: str | None = None):
    """Return the 429 page with Retry-After."""
    if message is None:
        message = wait_message(retry_after)
    response = render(request, "too_many_requests.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(limit: Limit, *, key=by_address, methods=("POST",)):
    """Decorate a view: requests with one of ``methods`` beyond the limit get a 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                retry_after = take(limit, key(request))
                if retry_after is not None:
                    return too_many_requests(request, retry_after=retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class TooManyRequests(Throttled):
    """DRF's 429, with Retry-After and the same words as the pages' (DRF's own are only
    half translated)."""

    def __init__(self, retry_after: int):
        APIException.__init__(self, wait_message(retry_after))
        self.wait = retry_after


class RateThrottle(BaseThrottle):
    """The same limits for DRF views: a 429 with Retry-After, {"detail": ...} as its body.

    Subclasses set ``limit``, ``methods`` and ``key`` (a function of the request).
    """

    limit: Limit
    methods = ("POST",)
    key = staticmethod(by_user_or_address)

    def allow_request(self, request, view):
        if request.method not in self.methods:
            return True
        retry_after = take(self.limit, self.key(request))
        if retry_after is not None:
            raise TooManyRequests(retry_after)
        return True


class RedeemThrottle(RateThrottle):
    """Scans per scanner login: a looping or stuck client must not hold the database."""

    limit = REDEEMS


class OrchestraRegistrationThrottle(RateThrottle):
    """Registrations of children through the API, per client address, as the form's."""

    limit = ORCHESTRA_REGISTRATION
    key = staticmethod(by_address)
