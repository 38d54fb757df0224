from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from events.forms import PasswordResetForm

admin.site.site_header = "Kulturvest"
admin.site.site_title = "Kulturvest"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before auth's own URLs: logins made without a password (guardians) may reset it.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
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
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
