"""JSON input keeps the types the API's schema documents, in every serializer.

DRF's fields were made for form posts, where everything is text: a CharField takes the
number 5 as "5", and a PrimaryKeyRelatedField takes 10.5 as the id 10. The API reads JSON
only (DEFAULT_PARSER_CLASSES), so a number where the schema says text, or a fraction where
it says an id, is a mistake of the client's and gets a field error. Query parameters are
text and pass as before.
"""

from rest_framework import fields, relations


def require_json_types() -> None:
    """Make DRF's text and primary-key fields refuse values of another JSON type."""
    char_to_internal_value = fields.CharField.to_internal_value
    pk_to_internal_value = relations.PrimaryKeyRelatedField.to_internal_value

    def text_only(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return char_to_internal_value(self, data)

    def whole_ids_only(self, data):
        if isinstance(data, float) and not data.is_integer():
            self.fail("incorrect_type", data_type=type(data).__name__)
        return pk_to_internal_value(self, data)

    fields.CharField.to_internal_value = text_only
    relations.PrimaryKeyRelatedField.to_internal_value = whole_ids_only
