"""The API's plumbing that every app's API builds on: errors, the full-clean serializer,
the documented error bodies and the viewset that answers writes with its output serializer.
"""

import copy

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, parsers, serializers, status, views, viewsets
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.exceptions import DomainRuleError
from core.json_input import too_large_message


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser that refuses a body it finds no field and no file in.

    Django reads a multipart body with no valid part (a JSON array sent as the form, a
    missing boundary line) as an empty form, so a PATCH would change nothing and answer
    200: answer 400 instead, as for any body that cannot be read.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        request = (parser_context or {}).get("request")
        length = int((request.META.get("CONTENT_LENGTH") or 0) if request else 0)
        if length and not parsed.data and not parsed.files:
            raise exceptions.ParseError(_("The form data holds no field that can be read."))
        return parsed


def absolute_url(context: dict, path: str) -> str:
    """Return the absolute address of a path, from the request when there is one."""
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def field_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """Return a model's validation error as the API's field errors (non_field_errors too)."""
    errors = get_error_detail(exc)
    if isinstance(errors, dict) and NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return serializers.ValidationError(errors)


def exception_handler(exc, context):
    """Turn the domain's errors into API answers, for every view, in one place.

    A broken domain rule (any app's DomainRuleError) is a 400 with its message; a model's
    ValidationError is a 400 with field errors; deleting a record others still refer to
    is a 409. Every error body is an object, as the schema's ``Error`` says: messages about
    the input as a whole come under non_field_errors, never as a bare list. A request body
    over DATA_UPLOAD_MAX_MEMORY_SIZE is a 400, as a JSON body too large or too deeply nested
    is (events.json_input).
    """
    if isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(too_large_message())
    elif isinstance(exc, DomainRuleError):
        exc = DomainError(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = field_errors(exc)
    elif isinstance(exc, ProtectedError):
        exc = Conflict()
    response = views.exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


class FullCleanModelSerializer(serializers.ModelSerializer):
    """A model serializer whose input passes the model's ``full_clean()``.

    Model rules (end before start, a session of a session, latitude without
    longitude, unique constraints) come back as field errors, never as a 500.
    Many-to-many values cannot be set on an unsaved copy: the copy is checked without
    them, and ModelSerializer's create() and update() set them after saving.
    """

    class Meta:
        # Unique constraints are checked by full_clean(), with the model's messages.
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # Check a copy, so that a rejected update leaves the instance untouched.
        candidate = copy.copy(self.instance) if self.instance else self.Meta.model()
        many_to_many = {field.name for field in candidate._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return attrs


class ErrorSerializer(serializers.Serializer):
    """The body of an error answer (documentation only)."""

    detail = serializers.CharField()


class DomainError(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still in use by other records and cannot be deleted.")
    default_code = "protected"


FIELD_ERRORS = OpenApiResponse(
    response=ErrorSerializer,
    description=_(
        "The input is invalid: an object of field names (or non_field_errors) to lists of messages."
    ),
)


def documented_writes(*, input_serializer, output_serializer):
    """Document that writes take one serializer and answer with another."""

    def write(status_code):
        return extend_schema(
            request=input_serializer,
            responses={status_code: output_serializer, 400: FIELD_ERRORS},
        )

    return extend_schema_view(
        create=write(201),
        update=write(200),
        partial_update=write(200),
        destroy=extend_schema(responses={204: None, 409: ErrorSerializer}),
    )


class InputOutputViewSet(viewsets.ModelViewSet):
    """A model viewset whose writes are validated by one serializer and answered by another.

    Domain errors become API errors in core.api.exception_handler, for every view.
    """

    # The serializer that validates writes; None: the serializer_class does both.
    input_serializer_class = None

    def get_serializer_class(self):
        if self.input_serializer_class and self.action in ("create", "update", "partial_update"):
            return self.input_serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.output(serializer.instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.output(serializer.instance))

    def output(self, instance) -> dict:
        """Return the output representation, read again with its related rows joined."""
        instance = self.get_queryset().get(pk=instance.pk)
        return self.serializer_class(instance, context=self.get_serializer_context()).data
