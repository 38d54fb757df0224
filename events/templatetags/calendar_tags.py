"""Template tags for calendar subscriptions."""

from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.text import slugify

register = template.Library()

GOOGLE_SUBSCRIBE_URL = "https://calendar.google.com/calendar/r?cid="


@register.inclusion_tag("events/_subscribe.html", takes_context=True)
def subscribe_links(context, feed_url: str) -> dict:
    """Render the ways to subscribe to the calendar feed at feed_url (a path such as
    /calendar/kunst-rett-vest.ics): webcal, Google Calendar, and the address to copy.

    A visitor reading the site in another language than the default subscribes to the feed
    in that language.
    """
    language = translation.get_language()
    if (
        language != settings.LANGUAGE_CODE
        and language in {code for code, _name in settings.LANGUAGES}
        and "lang=" not in feed_url
    ):
        feed_url = f"{feed_url}{'&' if '?' in feed_url else '?'}lang={language}"
    request = context.get("request")
    if request is not None:
        absolute_url = request.build_absolute_uri(feed_url)
    else:
        absolute_url = settings.SITE_URL + feed_url
    webcal_url = "webcal://" + absolute_url.split("://", 1)[1]
    return {
        "feed_url": absolute_url,
        "webcal_url": webcal_url,
        "google_url": GOOGLE_SUBSCRIBE_URL + quote(webcal_url, safe=""),
        "input_id": "subscribe-url-" + slugify(feed_url.replace("/", " ")),
    }
