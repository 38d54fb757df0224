"""Bad input to the API is a clear 4xx, never a server error.

JSON nested deeper than JSON_MAX_DEPTH, or larger than DATA_UPLOAD_MAX_MEMORY_SIZE, is a
400 before parsing (json.loads would recurse 100,000 times); an id that is no number, or
too large for any column, is a 404 on every detail route and action of the router.
"""

import json
import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
METHODS = ["get", "post", "put", "patch", "delete"]
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def api_routes() -> list[str]:
    """Every route of /api/v1/ as a regex without anchors, format suffixes left out."""
    (api,) = [
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "api/v1/"
    ]

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern) and "format" not in route:
                yield route

    return list(walk(api))


def detail_routes(object_id: str) -> list[str]:
    """The URL of every detail route and detail action, with object_id as its id."""
    return sorted(
        "/api/v1/" + GROUP.sub(object_id, route)
        for route in api_routes()
        if GROUP.search(route) and "(?P<path>" not in route
    )


def collection_routes() -> list[str]:
    return sorted("/api/v1/" + route for route in api_routes() if not GROUP.search(route) and route)


def test_the_routes_are_found():
    assert "/api/v1/studios/abc/join/" in detail_routes("abc")
    assert "/api/v1/venues/" in collection_routes()
    assert len(detail_routes("1")) > 40


@pytest.mark.parametrize("user", ["admin_user", None])
def test_an_id_that_is_no_number_is_not_found_on_every_detail_route(request, api_as, user):
    client = api_as(request.getfixturevalue(user) if user else None)
    answers = {
        (method, url): getattr(client, method)(url, {}, format="json").status_code
        for url in detail_routes("abc")
        for method in METHODS
    }
    assert {key: code for key, code in answers.items() if code != 404} == {}


def test_the_answer_to_an_id_that_is_no_number_has_the_api_error_shape(api_as, admin_user):
    response = api_as(admin_user).post("/api/v1/studios/abc/join/", {}, format="json")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_an_id_with_a_line_break_is_the_apis_json_404(api_as, admin_user):
    response = api_as(admin_user).get("/api/v1/checkin/lists/1%0A2/search/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("user", ["admin_user", None])
def test_an_id_too_large_for_any_column_is_no_server_error(request, api_as, user):
    client = api_as(request.getfixturevalue(user) if user else None)
    answers = {
        (method, url): getattr(client, method)(url, {}, format="json").status_code
        for url in detail_routes("1" * 30)
        for method in METHODS
    }
    assert {key: code for key, code in answers.items() if code >= 500} == {}
    if user:
        assert answers[("post", f"/api/v1/studios/{'1' * 30}/join/")] == 404
        assert answers[("get", f"/api/v1/venues/{'1' * 30}/")] == 404


def post_json(client, url: str, body: str, method: str = "post"):
    """Send the body as JSON, with the language switch set to English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return getattr(client, method)(url, body, content_type="application/json")


def test_json_nested_100000_levels_deep_is_refused(api_as, admin_user):
    response = post_json(api_as(admin_user), "/api/v1/venues/", DEEP)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The JSON nests too deeply: at most 64 levels of arrays and objects."
    }


@pytest.mark.parametrize("user", ["admin_user", None])
def test_no_json_endpoint_fails_on_deep_json(request, api_as, user):
    """Every route that takes a body: a 4xx, and where the body is read, the 400."""
    client = api_as(request.getfixturevalue(user) if user else None)
    answers = {}
    for url in [*collection_routes(), *detail_routes("1")]:
        for method in ("post", "put", "patch"):
            answers[(method, url)] = post_json(client, url, DEEP, method)
    assert {key: r.status_code for key, r in answers.items() if r.status_code >= 500} == {}
    refused = [key for key, r in answers.items() if r.status_code == 400]
    for key in refused:
        assert "nests too deeply" in answers[key].json()["detail"], key
    if user:
        assert len(refused) > 20


def test_the_depth_limit_counts_arrays_and_objects_outside_strings(api_as, admin_user, settings):
    settings.JSON_MAX_DEPTH = 3
    client = api_as(admin_user)
    allowed = {"name": "[[[[{{{{", "address": '"\\"[[[[', "extra": {"a": [1]}}
    refused = {"extra": {"a": [[1]]}}
    answer = post_json(client, "/api/v1/venues/", json.dumps(allowed))
    assert answer.status_code == 400 and "detail" not in answer.json()
    answer = post_json(client, "/api/v1/venues/", json.dumps(refused))
    assert answer.json() == {
        "detail": "The JSON nests too deeply: at most 3 levels of arrays and objects."
    }


def test_json_larger_than_the_upload_limit_is_refused(api_as, admin_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"name": "x" * 2_000})
    response = post_json(api_as(admin_user), "/api/v1/venues/", body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request body is too large: at most 1000 bytes are read."
    }


def test_no_view_parses_json_of_its_own():
    """JSON from outside is read by the API's parser or core.json_input.loads() only."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readers = re.compile(r"json\.loads?\(|rest_framework\.parsers import[^\n]*JSONParser")
    found = [
        str(path.relative_to(root))
        for app in ("events", "ticketing", "artists", "orchestra", "config")
        for path in (root / app).rglob("*.py")
        if readers.search(path.read_text()) and path.name != "json_input.py"
    ]
    assert found == []
