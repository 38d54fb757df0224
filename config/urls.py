import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from core.media import serve_media
from core.policies import PUBLIC, requires

admin.site.site_header = "Kulturvest"
admin.site.site_title = "Kulturvest"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("i18n/setlang/", requires(PUBLIC, obj=None)(set_language), name="set_language"),
    path("api/v1/", include("config.api_urls")),
    path("", include("ticketing.urls")),
    path("", include("artists.urls")),
    path("", include("orchestra.urls")),
    path("", include("events.urls")),
]

if settings.DEBUG:
    # In production the web server serves uploads (README.md, "Running in production").
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    # First: the apps' catch-all patterns (an edition's pages) would take it otherwise.
    urlpatterns.insert(
        0, re_path(rf"^{media_prefix}(?P<path>.*)$", requires(PUBLIC, obj=None)(serve_media))
    )
