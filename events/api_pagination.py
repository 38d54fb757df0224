from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        """Describe the page in OpenAPI 3.1 terms: null is a type, not a flag."""
        paginated = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            field = paginated["properties"][link]
            if field.pop("nullable", False):
                field["type"] = [field["type"], "null"]
        return paginated
