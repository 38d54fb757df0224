"""The REST API under /api/v1/: each app contributes its routes here."""

from django.urls import URLPattern, include, path, re_path
from django.urls.resolvers import RegexPattern
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.exceptions import NotFound

from artists import api as artists_api
from core import audit_api, group_messages_api, outbound_api, webhooks_api
from core.permissions import PolicyPermission
from core.policies import PUBLIC
from events import api as events_api
from orchestra import api as orchestra_api
from ticketing import api as ticketing_api


class PublicAPIRootView(routers.APIRootView):
    """The list of the API's routes, for anyone."""

    policy = PUBLIC


class NumericIdPattern(RegexPattern):
    """A route's pattern that matches only when its ids are numbers (digits)."""

    def match(self, path):
        match = super().match(path)
        if match is None:
            return None
        _rest, _args, kwargs = match
        ids = [value for name, value in kwargs.items() if name != "format"]
        if all(value.isascii() and value.isdigit() for value in ids):
            return match
        return None


class Router(routers.DefaultRouter):
    """Routes whose ids are numbers: a detail route or action with any other id is not found
    (the catch-all below answers) before a view looks it up, as a lookup of "abc" in an
    integer column raises ValueError.

    The check is in the pattern's match(), not in the regex: the regex stays DRF's own, from
    which drf-spectacular documents each id by its model field (an integer).
    """

    APIRootView = PublicAPIRootView

    def get_urls(self):
        return [
            URLPattern(
                NumericIdPattern(str(url.pattern), name=url.pattern.name, is_endpoint=True),
                url.callback,
                url.default_args,
                url.name,
            )
            if url.pattern.regex.groupindex.keys() - {"format"}
            else url
            for url in super().get_urls()
        ]


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
def not_found(request, path):
    """Answer a path under /api/v1/ that no route takes, in the API's own error shape."""
    raise NotFound


not_found.cls.policy = PUBLIC


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, for anyone."""

    policy = PUBLIC
    permission_classes = [PolicyPermission]


class DocsView(SpectacularSwaggerSplitView):
    """The API's documentation page, for anyone."""

    policy = PUBLIC
    permission_classes = [PolicyPermission]


router = Router()
events_api.register(router)
ticketing_api.register(router)
artists_api.register(router)
orchestra_api.register(router)
audit_api.register(router)
outbound_api.register(router)
group_messages_api.register(router)
webhooks_api.register(router)

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("checkin/redeem/", ticketing_api.RedeemView.as_view(), name="checkin-redeem"),
    path("checkin/annul/", ticketing_api.AnnulView.as_view(), name="checkin-annul"),
    path("", include(router.urls)),
    # Any character, a line break too (an id with "\n" in it got Django's HTML page).
    re_path(r"^(?P<path>[\s\S]*/)$", not_found, name="not-found"),
]
