"""The Content-Security-Policy header and the cookies' flags (development settings)."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_scripts_only_from_our_own_origin(client):
    policy = directives(client.get("/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # Inline styles only: a style cannot run code.
    assert "'unsafe-inline'" in policy["style-src"]
    assert not any("unsafe-inline" in value for value in policy["script-src-attr"])


def test_the_maps_tiles_are_allowed(client):
    policy = directives(client.get("/"))
    assert "https://tile.openstreetmap.org" in policy["img-src"]


def test_the_tiles_the_maps_use_are_the_ones_allowed():
    """Every tile server in the templates is in img-src (a new one would break the map)."""
    from pathlib import Path

    from django.conf import settings

    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    found = set()
    for template in Path(settings.BASE_DIR).glob("*/templates/**/*.html"):
        found |= set(re.findall(r'data-tiles="(https://[^/"]+)', template.read_text()))
    assert found
    assert found <= set(allowed)


def test_no_template_has_inline_script_or_event_handler():
    from pathlib import Path

    from django.conf import settings

    offenders = []
    base = Path(settings.BASE_DIR)
    templates = [*base.glob("*/templates/**/*.html"), *base.glob("templates/**/*.html")]
    for template in templates:
        html = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", html):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", html):
            offenders.append(f"{template}: inline event handler")
        if "javascript:" in html:
            offenders.append(f"{template}: javascript: URL")
    assert offenders == []


def test_session_and_csrf_cookies_are_httponly_and_same_site(client):
    UserFactory(username="kari", password="correct horse")
    client.get(reverse("login"))
    csrf = client.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    client.post(reverse("login"), {"username": "kari", "password": "correct horse"})
    session = client.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_pages_are_not_framed_and_types_not_sniffed(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
