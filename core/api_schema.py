"""The API's OpenAPI schema says every answer an operation can give, for every view at once.

drf-spectacular documents the answers a view declares; the errors DRF gives around them
(field errors, a missing or bad login, a refused role, no such record, a full rate limit)
are added here from what the view really does: its input, its authentication and
permission classes, its route and its throttles. Every error has one body, ``Error``.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.validators import RegexValidator
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from rest_framework.request import Request

# DRF and Django's forms refuse a NUL character in any text (ProhibitNullCharactersValidator).
NO_NUL = "^[^\\u0000]*$"

ERROR_SCHEMA = {
    "type": "object",
    "description": _(
        "Every error answer. `detail` says what went wrong as a whole; invalid input "
        "instead names each field it refuses (non_field_errors for the input as a whole) "
        "with its messages, nested as the input is."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": ["array", "object", "string"]},
    "minProperties": 1,
}

ERRORS = {
    "400": _("The input is invalid: the fields it refuses, or the rule it breaks."),
    "401": _("No login, or a token that is not valid."),
    "403": _("This login may not do this."),
    "404": _("No such record, or none this login may see."),
    "409": _("The record is still in use by other records."),
    "415": _("The body is not in a format this operation reads."),
    "429": _("Too many requests: retry after the seconds in Retry-After."),
}


class ErrorSchema(OpenApiSerializerExtension):
    """Document core.api.ErrorSerializer, the body of every error, as it really is."""

    target_class = "core.api.ErrorSerializer"

    def map_serializer(self, auto_schema, direction):
        return dict(ERROR_SCHEMA)


class BoundedFilters(DjangoFilterExtension):
    """Document the bounds a filter's form field checks, which drf-spectacular leaves out."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            for bound, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
                if filter_field.extra.get(bound) is not None:
                    schema[keyword] = filter_field.extra[bound]
            if schema.get("type") == "string" and not schema.keys() & {"pattern", "enum"}:
                schema["pattern"] = NO_NUL
        return parameters


def anonymous_may_call(view, method: str) -> bool:
    """Say whether the view's permission classes let someone with no login call it."""
    request = Request(RequestFactory().generic(method, "/"))
    request.user = AnonymousUser()
    try:
        return all(
            permission.has_permission(request, view) for permission in view.get_permissions()
        )
    except Exception:  # noqa: BLE001 - a class that needs more than a request: not public
        return False


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the errors and the logins each operation really has."""

    def get_auth(self):
        """List the logins an operation takes, and none when anyone may call it."""
        requirements = [auth for auth in super().get_auth() if auth]
        if anonymous_may_call(self.view, self.method):
            requirements.append({})
        return requirements

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        content = super()._map_serializer_field(field, direction, bypass_extensions)
        if content and content.get("format") == "decimal" and "pattern" in content:
            # drf-spectacular's pattern lets "" and "." through; DRF wants digits.
            content["pattern"] = content["pattern"].replace(r"\d{0,", r"\d{1,")
        if (
            direction == "request"
            and content
            and isinstance(field, serializers.CharField)
            and not content.keys() & {"pattern", "format", "enum"}
            # A field's own RegexValidator (a slug, a number) gives the pattern instead.
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            content["pattern"] = NO_NUL
        return content

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_codes(operation):
            if code not in responses or self._is_generic_error(responses[code]):
                responses[code] = self._error_response(code, responses.get(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self, operation: dict) -> list[str]:
        """Return the error statuses this operation can answer with."""
        codes = []
        takes_input = "requestBody" in operation or any(
            parameter["in"] == "query" for parameter in operation.get("parameters", [])
        )
        if takes_input or self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("400")
        if self.view.get_authenticators():
            # A token that is not valid is refused even where no login is needed.
            codes.append("401")
        if {} not in operation.get("security", [{}]) or self.method != "GET":
            codes.append("403")
        paginated = self._is_list_view() and self._get_paginator() is not None
        if any(p["in"] == "path" for p in operation.get("parameters", [])) or paginated:
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        if "requestBody" in operation:
            codes.append("415")
        if any(
            self.method in getattr(throttle, "methods", (self.method,))
            for throttle in self.view.get_throttles()
        ):
            codes.append("429")
        return codes

    def _error_ref(self) -> dict:
        from core.api import ErrorSerializer

        return self.resolve_serializer(ErrorSerializer, "response").ref

    def _is_generic_error(self, response: dict) -> bool:
        """Say whether a declared error answer is the generic one (or a bare object)."""
        content = response.get("content", {}).get("application/json", {})
        schema = content.get("schema", {})
        return schema == self._error_ref() or schema == {"type": "object"} or not content

    def _error_response(self, code: str, declared: dict | None) -> dict:
        description = (declared or {}).get("description") or str(ERRORS[code])
        response = {
            "description": description,
            "content": {"application/json": {"schema": self._error_ref()}},
        }
        if code == "429":
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": str(_("Seconds to wait before the next request.")),
                }
            }
        return response
