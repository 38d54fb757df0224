"""JSON from outside, read safely: a size and a nesting limit checked before parsing.

Python's json module parses nested arrays and objects by recursion: a body of 100,000
opening brackets raises RecursionError (a server error) inside json.loads. Every JSON body
the site reads goes through check_json() first: the API through JSONParser, the default
parser of REST_FRAMEWORK, and any other view through loads().
"""

import io
import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# A JSON string with its escapes, in the "unrolled" form that matches in linear time.
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


class JSONTooComplex(ValueError):
    """The JSON is larger or deeper than the site reads."""


def nesting_depth(text: str, *, stop_above: int) -> int:
    """Return how deeply the text's arrays and objects nest, counting no further than one
    level above stop_above; brackets inside strings do not count."""
    brackets = NOT_A_BRACKET.sub("", STRING.sub("", text))
    depth = deepest = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    break
        else:
            depth -= 1
    return deepest


def too_large_message() -> str:
    """Say that a request body is over the size limit (DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    return _("The request body is too large: at most %(limit)s bytes are read.") % {
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }


def check_json(text: str | bytes) -> None:
    """Raise JSONTooComplex if the JSON is over the size limit or nests too deeply."""
    size_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if size_limit is not None and len(text) > size_limit:
        raise JSONTooComplex(too_large_message())
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    depth_limit = settings.JSON_MAX_DEPTH
    if nesting_depth(text, stop_above=depth_limit) > depth_limit:
        raise JSONTooComplex(
            _("The JSON nests too deeply: at most %(limit)s levels of arrays and objects.")
            % {"limit": depth_limit}
        )


def loads(text: str | bytes):
    """Parse JSON from outside, as json.loads does, after check_json()."""
    check_json(text)
    return json.loads(text)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with check_json() before parsing: an answer of 400, never a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        size_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # One byte more than the limit is enough to know the body is too large.
        raw = stream.read() if size_limit is None else stream.read(size_limit + 1)
        try:
            check_json(raw)
        except JSONTooComplex as exc:
            raise ParseError(str(exc)) from exc
        return super().parse(io.BytesIO(raw), media_type, parser_context)
