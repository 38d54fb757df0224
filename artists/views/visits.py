"""The QR posters of an edition's places and the page their short URL opens.

/v/<code>/ is printed on a place's poster: it shows the place (artists, works, hours,
nearby studios) and registers one QR visit per device per place per day. /sted/<code>/
shows the same page without counting, for links within the site. Posters print at
/plakat/<code>/ (A4, or A3 with ?size=a3); staff find every place's poster at
/<edition>/plakater/.
"""

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from artists.models import Studio
from artists.models.exhibitions import SHORT_CODE_ALPHABET
from artists.policies import PRINT_FOR_EDITION, PRINT_POSTER, SEE_PLACE
from artists.selectors.places import Place, place_by_code, place_edition, place_name, place_venue
from artists.selectors.profiles import art_round_edition
from artists.selectors.visits import (
    edition_posters,
    nearby_studios,
    poster_of,
    showings_at,
)
from artists.services import visits as services
from core.clients import client_address
from core.policies import requires
from ticketing.qr import qr_svg

# The signed cookie that remembers where this device was counted today: "<day>:<codes>".
COUNTED_COOKIE = "kv_qr_counted"
COUNTED_COOKIE_SALT = "artists.qr-visits.counted"
COUNTED_COOKIE_MAX_CODES = 100
CODE_PATTERN = re.compile(f"[{SHORT_CODE_ALPHABET}]{{1,12}}")

POSTER_SIZES = ("a4", "a3")


def _place(code: str) -> Place:
    place = place_by_code(code.strip().lower())
    if place is None:
        raise Http404
    return place


def _visible_place(request, code: str) -> Place:
    """Return the place of the code if the request may see it (SEE_PLACE hides the rest:
    an unpublished studio may be a home, and the public does not learn it exists)."""
    return SEE_PLACE.check_object(request, _place(code))


# The once-per-device-per-day cookie -------------------------------------------------------


def _counted_today(request, today) -> list[str]:
    """Return the codes this device was counted at today; a forged cookie counts as none."""
    value = request.get_signed_cookie(
        COUNTED_COOKIE, default="", salt=COUNTED_COOKIE_SALT, max_age=timedelta(days=2)
    )
    day, _separator, codes = value.partition(":")
    if day != today.isoformat():
        return []
    return [code for code in codes.split(",") if CODE_PATTERN.fullmatch(code)]


def _remember_counted(request, response, today, codes: list[str]) -> None:
    """Set the cookie to the codes counted today; it expires at the end of the local day."""
    midnight = datetime.combine(
        today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
    seconds = max(1, int((midnight - timezone.now()).total_seconds()))
    response.set_signed_cookie(
        COUNTED_COOKIE,
        f"{today.isoformat()}:{','.join(codes[-COUNTED_COOKIE_MAX_CODES:])}",
        salt=COUNTED_COOKIE_SALT,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _is_a_visit(request) -> bool:
    """Return False for what is not a person opening the page: HEAD requests and prefetches."""
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return request.method == "GET" and "prefetch" not in purpose.lower()


# The place's page ----------------------------------------------------------------------------


def _render_place(request, place: Place, *, today, counted_now: bool = False):
    return render(
        request,
        "artists/visits/place.html",
        {
            "place": place,
            "name": place_name(place),
            "is_studio": isinstance(place, Studio),
            "edition": place_edition(place),
            "venue": place_venue(place),
            "hours": list(place.hours.all()),
            "showings": showings_at(place),
            "nearby": nearby_studios(place, today=today),
            "today": today,
            "counted_now": counted_now,
            "may_print": PRINT_POSTER.allows(request.user, place),
        },
    )


@requires(SEE_PLACE, obj="code")
@never_cache
def visit(request, code):
    """The poster's short URL: show the place and register one visit for this device today."""
    place = _visible_place(request, code)
    today = timezone.localdate()
    counted = _counted_today(request, today)
    registered = None
    if _is_a_visit(request):
        try:
            registered = services.register_qr_visit(
                place=place,
                user=request.user,
                client_address=client_address(request),
                counted_today=counted,
                today=today,
            )
        except services.QrVisitRateLimited as exc:
            response = render(
                request,
                "artists/visits/too_many.html",
                {"place": place, "message": str(exc)},
                status=429,
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
    response = _render_place(request, place, today=today, counted_now=registered is not None)
    if registered is not None:
        _remember_counted(request, response, today, [*counted, place.code])
    return response


@requires(SEE_PLACE, obj="code")
def place_page(request, code):
    """The same page as the short URL, without counting: for links within the site."""
    place = _visible_place(request, code)
    return _render_place(request, place, today=timezone.localdate())


# Posters ---------------------------------------------------------------------------------


def _size(request) -> str:
    size = request.GET.get("size", "").lower()
    return size if size in POSTER_SIZES else "a4"


def _qr_markup(url: str) -> str:
    svg = qr_svg(url).decode()
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    # Many posters share a page when all are printed: no element ids to repeat.
    svg = re.sub(r'\s+id="[^"]*"', "", svg)
    # The SVG holds nothing but the code's path: safe to put inline.
    return mark_safe(svg.replace("<svg ", '<svg class="poster-qr" aria-hidden="true" ', 1))  # noqa: S308


def _printed(request, poster) -> dict:
    short_url = request.build_absolute_uri(reverse("artists:visit", args=[poster.place.code]))
    return {
        "poster": poster,
        "place": poster.place,
        "edition": place_edition(poster.place),
        "venue": place_venue(poster.place),
        "short_url": short_url,
        "printed_url": re.sub(r"^https?://", "", short_url),
        "qr": _qr_markup(short_url),
    }


def _render_posters(request, posters, *, size: str, title: str):
    # Posters are read by the public in the region: always Norwegian, whatever the
    # language of the staff member who prints them.
    with translation.override(settings.LANGUAGE_CODE):
        return render(
            request,
            "artists/visits/posters.html",
            {
                "printed": [_printed(request, poster) for poster in posters],
                "size": size,
                "other_size": "a3" if size == "a4" else "a4",
                "title": title,
            },
        )


@requires(PRINT_POSTER, obj="code")
def poster(request, code):
    """The print-ready poster of one place: staff for every place, hosts for their own.

    Who may not see the place does not learn it exists (404); who may see it but not print
    its poster is refused (403).
    """
    place = PRINT_POSTER.check_object(request, _visible_place(request, code))
    printed = poster_of(place)
    return _render_posters(request, [printed], size=_size(request), title=str(place))


def _edition(edition):
    period = art_round_edition(edition)
    if period is None:
        raise Http404
    return period


@requires(PRINT_FOR_EDITION, obj=None)
def poster_list(request, edition):
    """Every place of an edition, exhibitions then studios by number, with its posters."""
    period = _edition(edition)
    return render(
        request,
        "artists/visits/poster_list.html",
        {"edition": period, "posters": edition_posters(period)},
    )


@requires(PRINT_FOR_EDITION, obj=None)
def poster_print_all(request, edition):
    """Every poster of an edition, one per printed page."""
    period = _edition(edition)
    return _render_posters(request, edition_posters(period), size=_size(request), title=period.name)


urlpatterns = [
    path("v/<str:code>/", visit, name="visit"),
    path("sted/<str:code>/", place_page, name="place"),
    path("plakat/<str:code>/", poster, name="poster"),
    path("<slug:edition>/plakater/", poster_list, name="posters"),
    path("<slug:edition>/plakater/alle/", poster_print_all, name="posters_print_all"),
]
