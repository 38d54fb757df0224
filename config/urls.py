import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from events import ratelimit
from events.forms import PasswordResetForm
from events.health import healthz
from events.media import serve_media

admin.site.site_header = "Kulturvest"
admin.site.site_title = "Kulturvest"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Before auth's own URLs: logins made without a password (guardians) may reset it.
    # Rate-limited: each post may send an email to an address of the poster's choosing.
    path(
        "accounts/password_reset/",
        ratelimit.rate_limited(ratelimit.PASSWORD_RESET)(
            auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
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
    urlpatterns.insert(0, re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media))
