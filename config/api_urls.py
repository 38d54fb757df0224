"""The REST API under /api/v1/: each app contributes its routes here."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from artists import api as artists_api
from events import api as events_api
from orchestra import api as orchestra_api
from ticketing import api as ticketing_api

router = DefaultRouter()
events_api.register(router)
ticketing_api.register(router)
artists_api.register(router)
orchestra_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("checkin/redeem/", ticketing_api.RedeemView.as_view(), name="checkin-redeem"),
    path("checkin/annul/", ticketing_api.AnnulView.as_view(), name="checkin-annul"),
    path("", include(router.urls)),
    # Any other address under /api/v1/ ending in a slash (e.g. an id that is not one) gets
    # the API's JSON 404, not the site's HTML page; those without the slash still get
    # APPEND_SLASH's redirect.
    re_path(r"^.*/$", events_api.not_found, name="api-not-found"),
]
