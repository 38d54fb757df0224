"""Calendar feeds: public subscriptions per programme and venue, and one event's download.

calendar_response() answers for a public feed of events; entries_response() for any feed
of plain calendar entries (events.calendar.CalendarEntry), such as the orchestra's.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.policies import requires
from core.stamps import Unchanged
from events.calendar import CalendarEntry, build_calendar_of_entries, event_entry
from events.models import Event, Programme, Venue
from events.policies import SEE_EVENT, SEE_PUBLIC_PAGES
from events.selectors import (
    CANCELLED_KEEP,
    calendar_events,
    events_visible_to,
    programme_feed_events,
    public_events,
)
from events.stamps import programme_feed_stamps, venue_feed_stamps

# Raise when build_calendar's output (or what the cache keeps) changes, so that feeds cached
# by the old code are rebuilt.
FEED_FORMAT = 3
CACHE_TIMEOUT = 24 * 60 * 60


def feed_language(request: HttpRequest) -> str:
    """Return the language a feed asks for with ?lang=, else the site's default (Norwegian).

    Calendar apps send no cookies, so the feed's language lives in its address.
    """
    requested = request.GET.get("lang", "")
    if requested in {code for code, _name in settings.LANGUAGES}:
        return requested
    return settings.LANGUAGE_CODE


@dataclass(frozen=True)
class FeedEntries:
    """A feed's entries as entries_response() needs them: `digest` stands for the entries
    (it is the feed's state, so that the ETag changes with what a subscriber sees), and
    entries() loads them only when the document has to be built."""

    digest: str
    last_modified: datetime | None
    empty: bool
    load: Callable[[], list[CalendarEntry]]

    @classmethod
    def of(cls, entries: list[CalendarEntry]) -> "FeedEntries":
        """Wrap entries at hand (a feed read anyway, such as one event's, or a few read in
        one go)."""
        return cls(
            digest=_digest(entries),
            last_modified=max(
                (entry.last_modified for entry in entries if entry.last_modified is not None),
                default=None,
            ),
            empty=not entries,
            load=lambda: entries,
        )

    def entries(self) -> list[CalendarEntry]:
        return self.load()


def _digest(entries: list[CalendarEntry]) -> str:
    return hashlib.sha256(repr(entries).encode()).hexdigest()[:32]


def cached_entries(
    key: tuple,
    *,
    stamps: Iterable[str],
    build: Callable[[datetime], list[CalendarEntry]],
    now: datetime | None = None,
) -> FeedEntries:
    """Return a feed's entries, built by `build(now)` or from the cache, and their digest.

    Without this, a conditional request would build the entries (some ten queries for the
    orchestra's private feeds) to learn that nothing changed. `stamps` must name every
    change stamp (core.stamps) whose writes change what `build` returns; the entries are
    cached under `key`, the active language and the stamps' values, read in one query
    (core.stamps.Unchanged).
    Beside them a small record keeps their digest, so that a conditional request loads
    neither the entries nor the document: its cost does not grow with the feed. They also
    depend on the time: they are kept from `now` until the next local midnight at most,
    and not past the moment a cancelled entry leaves feeds (CANCELLED_KEEP after its end).
    """
    now = now or timezone.now()
    base_key = Unchanged(stamps).cache_key(("events:entries", FEED_FORMAT, *key))
    found = cache.get(base_key)
    if found is not None:
        digest, last_modified, empty, valid_from, valid_until = found
        if valid_from <= now < valid_until:
            entries_key = f"{base_key}:{digest}"

            def load() -> list[CalendarEntry]:
                entries = cache.get(entries_key)
                if entries is None:  # evicted: built again, the same in the same window
                    entries = build(now)
                    cache.set(entries_key, entries, CACHE_TIMEOUT)
                return entries

            return FeedEntries(digest, last_modified, empty, load)
    entries = build(now)
    feed = FeedEntries.of(entries)
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    leaving = [entry.end + CANCELLED_KEEP for entry in entries if entry.cancelled]
    valid_until = min([midnight, *(moment for moment in leaving if moment > now)])
    # Not before `now` either: a cancelled event that had left by then would be back.
    cache.set(f"{base_key}:{feed.digest}", entries, CACHE_TIMEOUT)
    cache.set(
        base_key, (feed.digest, feed.last_modified, feed.empty, now, valid_until), CACHE_TIMEOUT
    )
    return feed


def entries_response(
    request: HttpRequest,
    feed: FeedEntries,
    *,
    name: str,
    description: str = "",
    filename: str | None = None,
    private: bool = False,
    dated: bool = False,
) -> HttpResponse:
    """Answer with a feed's entries as an iCalendar feed in the active language, or 304.

    The ETag is a digest of the entries' digest and of what else the document shows, so a
    conditional request is answered without loading the entries or building anything, and
    any change a subscriber would see changes it; a built document is cached under it.
    `dated` feeds carry only events, so that their newest change is their Last-Modified
    (an event leaving changes the ETag, not this date; calendar apps send If-None-Match,
    which then decides, RFC 9110, 13.2.2). With a filename the calendar is a one-off
    download (Content-Disposition: attachment) rather than a subscription. Feeds only some
    users may read are `private`: shared caches must not keep them.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    base_url = request.build_absolute_uri("/").rstrip("/")
    today = timezone.localdate()
    last_modified = feed.last_modified if dated else None
    last_modified_at = int(last_modified.timestamp()) if last_modified else None
    # Everything the bytes depend on. The path (and the user, for private feeds) keeps two
    # feeds with equal entries from sharing a cache entry.
    parts = (
        FEED_FORMAT,
        request.path,
        request.user.pk if private and hasattr(request, "user") else None,
        feed.digest,
        language,
        base_url,
        name,
        description,
        filename,
        today.year if feed.empty else None,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    etag = f'"{digest}"'

    response = HttpResponse(content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if last_modified_at is not None:
        response["Last-Modified"] = http_date(last_modified_at)
    # Clients may keep the feed but must ask again (cheaply, with If-None-Match) before use.
    if private:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    if filename:
        response["Content-Disposition"] = content_disposition_header(True, filename)

    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified_at, response=response
    )
    if conditional is not response:
        return conditional

    cache_key = f"events:calendar:{digest}"
    content = cache.get(cache_key)
    if content is None:
        content = build_calendar_of_entries(
            feed.entries(),
            name=name,
            description=description,
            base_url=base_url,
            subscription=filename is None,
            language=language,
            today=today,
        )
        cache.set(cache_key, content, CACHE_TIMEOUT)
    response.content = content
    return response


def calendar_response(
    request: HttpRequest,
    *,
    events: QuerySet[Event],
    stamps: list[str],
    name: str,
    describe: Callable[[], str],
) -> HttpResponse:
    """Answer with the events a public feed carries (calendar_events()), or 304, in the
    language the feed asks for (feed_language()); describe() is called in it.

    The entries are cached (cached_entries()) under the change stamps `stamps`, which name
    the feed (each public feed of events has a stamp of its own): a conditional request
    reads the stamps and nothing of the events. `events` needs venue and parent in
    select_related (the selectors in events.selectors do that).
    """
    with translation.override(feed_language(request)):
        feed = cached_entries(
            ("events:feed", *stamps),
            stamps=stamps,
            build=lambda moment: [
                event_entry(event) for event in calendar_events(events, now=moment)
            ],
        )
        return entries_response(request, feed, name=name, description=describe(), dated=True)


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def programme_feed(request, slug):
    """Subscribe to a programme's public events and rehearsal weekends, all editions or
    seasons."""
    programme = get_object_or_404(Programme, slug=slug)
    return calendar_response(
        request,
        events=programme_feed_events(programme),
        stamps=programme_feed_stamps(programme),
        name=programme.name,
        describe=lambda: (
            programme.description
            or _("Public events of %(programme)s.") % {"programme": programme.name}
        ),
    )


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def venue_feed(request, pk):
    """Subscribe to the public events at a venue."""
    venue = get_object_or_404(Venue, pk=pk)
    return calendar_response(
        request,
        events=public_events().filter(venue=venue),
        stamps=venue_feed_stamps(venue),
        name=venue.name,
        describe=lambda: _("Public events at %(venue)s.") % {"venue": venue.full_address},
    )


@requires(SEE_EVENT)
@require_safe
def event_ics(request, pk):
    """Download one event the user may see, to add it to a calendar."""
    visible = events_visible_to(request.user)
    event = SEE_EVENT.get_object(request, visible, pk=pk)
    with translation.override(feed_language(request)):
        # The event is read already, with its venue and parent: its entry costs nothing.
        return entries_response(
            request,
            FeedEntries.of([event_entry(event)]),
            name=event.title,
            filename=f"{slugify(event.title)[:60] or 'event'}.ics",
            private=event.visibility != Event.Visibility.PUBLIC,
            dated=True,
        )
