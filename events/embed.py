"""The embeddable lists of next events, for municipalities' and venues' own websites.

A page under /embed/ may be shown in an iframe by the origins of EMBED_ALLOWED_ORIGINS:
its Content-Security-Policy's frame-ancestors names them (django-csp's per-view
replacement, made per request so that the setting is read when the page is served), and
it sends no X-Frame-Options (that header cannot name origins). With no origins set, an
embed page is framed by no one, like every other page.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def frame_ancestors() -> list[str]:
    """Return the CSP frame-ancestors of the embed pages, from EMBED_ALLOWED_ORIGINS."""
    return list(settings.EMBED_ALLOWED_ORIGINS) or ["'none'"]


def embeddable(view):
    """Let the allowed origins (EMBED_ALLOWED_ORIGINS) frame the view's pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        allowed = frame_ancestors()
        framed = csp_replace({"frame-ancestors": allowed})(view)
        if allowed != ["'none'"]:
            framed = xframe_options_exempt(framed)
        return framed(request, *args, **kwargs)

    return wrapped
