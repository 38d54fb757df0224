"""The OpenAPI schema of /api/v1/ and its interactive docs."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn turns every warning or error of the generator into a failure.
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")


@pytest.fixture
def served_schema(api_client):
    response = api_client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_served_to_anyone_and_is_valid(served_schema):
    validate_schema(served_schema)
    assert served_schema["info"]["title"] == "Kulturvest API"


def test_schema_describes_every_resource_and_action(served_schema):
    paths = served_schema["paths"]
    for resource in ("municipalities", "venues", "programmes", "periods", "events"):
        assert set(paths[f"/api/v1/{resource}/"]) == {"get", "post"}
        assert set(paths[f"/api/v1/{resource}/{{id}}/"]) == {"get", "put", "patch", "delete"}
    assert set(paths["/api/v1/events/{id}/cancel/"]) == {"post"}
    assert set(paths["/api/v1/events/{id}/reinstate/"]) == {"post"}
    event_list_parameters = {p["name"] for p in paths["/api/v1/events/"]["get"]["parameters"]}
    assert {
        "programme",
        "period",
        "kind",
        "municipality",
        "venue",
        "date_from",
        "date_to",
        "status",
        "page",
        "page_size",
    } <= event_list_parameters


def test_schema_separates_event_input_from_output(served_schema):
    schemas = served_schema["components"]["schemas"]
    output = schemas["Event"]["properties"]
    assert output["uid"]["readOnly"] is True
    assert output["revision"]["readOnly"] is True
    assert {"url", "ics_url", "venue", "period"} <= set(output)
    event_input = schemas["EventInputRequest"]["properties"]
    assert not {"uid", "revision", "status", "url", "ics_url"} & set(event_input)
    assert set(schemas["EventInputRequest"]["required"]) == {
        "period",
        "kind",
        "title_nb",
        "start",
        "end",
    }


def test_schema_declares_token_and_session_authentication(served_schema):
    security_schemes = served_schema["components"]["securitySchemes"]
    assert security_schemes["tokenAuth"]["type"] == "apiKey"
    assert security_schemes["tokenAuth"]["name"] == "Authorization"
    assert security_schemes["cookieAuth"]["in"] == "cookie"


def test_docs_use_only_local_static_files(api_client):
    response = api_client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    # No CDN: every script, stylesheet and icon comes from this site.
    assert "http://" not in html
    assert "https://" not in html
    assert not re.search(r'(?:src|href|url)\s*[=:]\s*"//', html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    # The page's own script is a file of its own (no inline script: see the CSP).
    init_scripts = [asset for asset in assets if asset.startswith("/api/v1/docs/?")]
    assert len(init_scripts) == 1
    assert len(assets) >= 4
    for asset in set(assets) - set(init_scripts):
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    script = api_client.get(init_scripts[0].replace("&amp;", "&")).content.decode()
    assert "SwaggerUIBundle" in script
    assert "/api/v1/schema/" in script
