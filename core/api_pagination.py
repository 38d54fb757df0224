from django.utils.translation import gettext_lazy as _
from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of every list: ``page`` and ``page_size`` are whole numbers from 1, or a 400.

    DRF answers a ``page`` that is not a number with a 404 and quietly uses the default
    for a ``page_size`` it cannot read; a client with a typo would never know.
    """

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self._check_positive_number(request, self.page_query_param, maximum=None)
        self._check_positive_number(request, self.page_size_query_param, self.max_page_size)
        return super().paginate_queryset(queryset, request, view)

    def _check_positive_number(self, request, name: str, maximum: int | None) -> None:
        value = request.query_params.get(name)
        if value is None:
            return
        if not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise serializers.ValidationError({name: [_("Give a whole number from 1.")]})
        if maximum is not None and int(value) > maximum:
            raise serializers.ValidationError(
                {name: [_("Give at most %(maximum)d.") % {"maximum": maximum}]}
            )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_paginated_response_schema(self, schema):
        """Describe the page in OpenAPI 3.1 terms: null is a type, not a flag."""
        paginated = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            field = paginated["properties"][link]
            if field.pop("nullable", False):
                field["type"] = [field["type"], "null"]
        return paginated
