"""Asking the site for a URL as a role, and reading what came back."""

import io
import re
import zipfile
from urllib.parse import urlencode

from tests.permissions import expectations
from tests.permissions.walker import Pattern
from tests.permissions.world import MEDICAL, MEMBER_NAMES, PRIVATE_MARKERS


def lookup(world, dotted: str):
    value = world.objects
    for attribute in dotted.split("."):
        value = getattr(value, attribute)
    return value


def value_of(world, spec):
    return spec[0] if isinstance(spec, tuple) else lookup(world, spec)


def params_for(pattern: Pattern, world) -> dict:
    """Return the values of the pattern's parameters, from the table and the world."""
    own = expectations.PARAMS.get(pattern.key, {})
    if not own and pattern.key.endswith(".format"):
        own = expectations.PARAMS.get(pattern.key.removesuffix(".format"), {})
    values = {}
    for name in pattern.params:
        if name in own:
            values[name] = value_of(world, own[name])
        elif pattern.is_api and name == "pk":
            basename = pattern.api_basename
            assert basename in expectations.API_OBJECTS, (
                f"{pattern.key}: no object for API basename {basename!r} in API_OBJECTS"
            )
            values[name] = lookup(world, expectations.API_OBJECTS[basename])
        elif pattern.admin_model is not None and name == "object_id":
            model = pattern.admin_model
            first = model._default_manager.order_by("pk").first()
            assert first is not None, f"{pattern.key}: the world has no {model.__name__}"
            values[name] = first.pk
        elif name in expectations.PARAMS_BY_NAME:
            values[name] = value_of(world, expectations.PARAMS_BY_NAME[name])
        else:
            raise AssertionError(f"{pattern.key}: no value for parameter {name!r} in PARAMS")
    return values


def query_for(pattern: Pattern, world) -> str:
    """Return the query string the table gives a pattern (its format variant's too)."""
    spec = expectations.QUERY.get(pattern.key.removesuffix(".format"), {})
    return urlencode({name: value_of(world, value) for name, value in spec.items()})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body_of(response) -> str:
    """Return the text of an answer; a spreadsheet's shared strings and sheets as XML."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if response.get("Content-Type", "").startswith(XLSX) or raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                return "\n".join(
                    archive.read(name).decode("utf-8", "replace")
                    for name in archive.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    return raw.decode("utf-8", "replace")


NAME_PATTERNS = {
    key: re.compile("|".join(re.escape(part) for part in names), re.IGNORECASE)
    for key, names in MEMBER_NAMES.items()
}


def names_in(text: str) -> set[str]:
    """Return the members (keys of MEMBER_NAMES) whose first or last name is in the text."""
    return {key for key, pattern in NAME_PATTERNS.items() if pattern.search(text)}


def forbidden_names(role: str, text: str) -> set[str]:
    return names_in(text) - expectations.NAMES_VISIBLE_TO.get(role, set())


MEDICAL_MARKERS = {key: re.search(r"Mdx\w+", text).group() for key, text in MEDICAL.items()}


def medical_in(text: str) -> set[str]:
    """Return the restricted notes (keys of world.MEDICAL) that appear in the text."""
    return {key for key, marker in MEDICAL_MARKERS.items() if marker in text}


def private_in(text: str) -> set[str]:
    """Return the private data (keys of world.PRIVATE) that appear in the text."""
    return {key for key, marker in PRIVATE_MARKERS.items() if marker.lower() in text.lower()}
