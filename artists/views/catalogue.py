"""Public pages of an edition's exhibitions and open studios beyond the list, the map and
the favourites (views.studios): the exhibitions and their works, the printable catalogue
and (for staff) wall labels, and the calendar of the studios' hours.
"""

from functools import lru_cache

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from artists.policies import (
    PRINT_FOR_EDITION,
    SEE_EXHIBITION,
    SEE_PUBLIC_PAGES,
    SEE_PUBLISHED_STUDIO,
)
from artists.selectors.catalogue import (
    catalogue_works,
    exhibition_works,
    public_exhibitions,
    studio_calendar_entries,
)
from artists.selectors.profiles import art_round_edition
from artists.selectors.studios import exhibitions, published_studios
from core.policies import requires
from events.feeds import FeedEntries, entries_response, feed_language
from ticketing.qr import qr_svg


def _edition(slug):
    edition = art_round_edition(slug)
    if edition is None:
        raise Http404
    return edition


@lru_cache(maxsize=512)
def _qr(url: str) -> SafeString:
    """Return the QR code of a URL as inline SVG (without its XML declaration)."""
    svg = qr_svg(url).decode()
    # Many codes share a page: drop the declaration and the path's fixed id.
    svg = svg[svg.index("<svg") :].replace(' id="qr-path"', "")
    return mark_safe(svg.replace("<svg ", '<svg class="qr" aria-hidden="true" ', 1))  # noqa: S308


def _with_qr_codes(request, works) -> list:
    """Return the works as a list, each with ``artist_url`` (absolute) and ``qr``."""
    works = list(works)
    for work in works:
        work.artist_url = request.build_absolute_uri(work.artist.get_absolute_url())
        work.qr = _qr(work.artist_url)
    return works


# Exhibitions -----------------------------------------------------------------------------


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def exhibition_list(request, edition):
    period = _edition(edition)
    return render(
        request,
        "artists/catalogue/exhibitions.html",
        {"edition": period, "exhibitions": public_exhibitions(period)},
    )


@requires(SEE_EXHIBITION)
@require_safe
def exhibition_detail(request, edition, pk):
    period = _edition(edition)
    exhibition = SEE_EXHIBITION.get_object(
        request, exhibitions().filter(event__period=period), pk=pk
    )
    return render(
        request,
        "artists/catalogue/exhibition.html",
        {"edition": period, "exhibition": exhibition, "works": exhibition_works(exhibition)},
    )


# Print -----------------------------------------------------------------------------------


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def catalogue(request, edition):
    """The catalogue of the edition's works by artist, to print, with QR codes."""
    period = _edition(edition)
    return render(
        request,
        "artists/catalogue/catalogue.html",
        {
            "edition": period,
            "works": _with_qr_codes(request, catalogue_works(period)),
            "exhibitions": public_exhibitions(period),
        },
    )


# Two columns of four labels of 90 × 65 mm fill an A4 page inside its 12 mm margins.
LABELS_PER_PAGE = 8


@requires(PRINT_FOR_EDITION, obj=None)
@require_safe
def wall_labels(request, edition):
    """One label per work, several to an A4 page: staff print them for the exhibition."""
    period = _edition(edition)
    works = _with_qr_codes(request, catalogue_works(period))
    return render(
        request,
        "artists/catalogue/labels.html",
        {
            "edition": period,
            "works": works,
            "sheets": [
                works[start : start + LABELS_PER_PAGE]
                for start in range(0, len(works), LABELS_PER_PAGE)
            ],
            "per_page": LABELS_PER_PAGE,
        },
    )


# Calendar feeds --------------------------------------------------------------------------


def _studio_feed(request, period, studios, *, name, description):
    # The entries are few and read in one go: they are their own state. Opening hours have
    # no timestamp: a Last-Modified from the venues would stay put when hours change, and
    # answer If-Modified-Since wrongly (the feed is not `dated`). The ETag decides.
    feed = FeedEntries.of(studio_calendar_entries(period, studios))
    return entries_response(request, feed, name=name, description=description)


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def studio_feed(request, edition):
    """Subscribe to the opening hours of all the edition's published studios."""
    period = _edition(edition)
    with translation.override(feed_language(request)):
        return _studio_feed(
            request,
            period,
            published_studios(period),
            name=_("Open studios, %(edition)s") % {"edition": period.name},
            description=_("Opening hours of the open studios of %(edition)s.")
            % {"edition": period.name},
        )


@requires(SEE_PUBLISHED_STUDIO)
@require_safe
def studio_calendar(request, edition, pk):
    """Subscribe to the opening hours of one published studio."""
    period = _edition(edition)
    studio = SEE_PUBLISHED_STUDIO.get_object(request, published_studios(period), pk=pk)
    with translation.override(feed_language(request)):
        return _studio_feed(
            request,
            period,
            [studio],
            name=_("Open studio %(number)s: %(name)s")
            % {"number": studio.number, "name": studio.venue.name},
            description=_("Opening hours of %(name)s, %(address)s.")
            % {"name": studio.venue.name, "address": studio.venue.full_address},
        )


urlpatterns = [
    path("<slug:edition>/utstillinger/", exhibition_list, name="exhibitions"),
    path("<slug:edition>/exhibitions/", exhibition_list, name="exhibitions_en"),
    path("<slug:edition>/utstillinger/<int:pk>/", exhibition_detail, name="exhibition"),
    path("<slug:edition>/katalog/", catalogue, name="catalogue"),
    path("<slug:edition>/catalogue/", catalogue, name="catalogue_en"),
    path("<slug:edition>/veggetiketter/", wall_labels, name="wall_labels"),
    path("<slug:edition>/atelierer/kalender.ics", studio_feed, name="studio_feed"),
    path("<slug:edition>/atelierer/<int:pk>/kalender.ics", studio_calendar, name="studio_calendar"),
]
