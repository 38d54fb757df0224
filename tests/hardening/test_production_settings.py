"""`check --deploy` and the production settings, in a subprocess with DEBUG off."""

import json

import pytest

from tests.hardening.production import production_env, run, run_python

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_check_deploy_reports_no_issues_with_the_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_see_a_missing_setting(tmp_path):
    """The check can fail: turning the HTTPS redirect off is reported."""
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="false")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


PROBE = """
import json
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="kulturvest.example.org")
secure = client.get("/healthz", secure=True)
plain_health = client.get("/healthz")
plain_home = client.get("/")
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "session_samesite": settings.SESSION_COOKIE_SAMESITE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_samesite": settings.CSRF_COOKIE_SAMESITE,
    "language_secure": settings.LANGUAGE_COOKIE_SECURE,
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "csp": secure.headers.get("Content-Security-Policy"),
    "health_status": secure.status_code,
    "plain_health_status": plain_health.status_code,
    "plain_home_status": plain_home.status_code,
    "plain_home_location": plain_home.headers.get("Location"),
}))
"""


def test_production_cookies_hsts_and_the_https_redirect(tmp_path):
    result = run_python(PROBE, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["session_secure"] and seen["session_httponly"]
    assert seen["session_samesite"] == "Lax"
    assert seen["csrf_secure"] and seen["csrf_samesite"] == "Lax"
    assert seen["language_secure"]
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in seen["csp"]
    assert seen["health_status"] == 200
    # Load balancers probe over plain HTTP; everything else is sent to HTTPS.
    assert seen["plain_health_status"] == 200
    assert seen["plain_home_status"] == 301
    assert seen["plain_home_location"] == "https://kulturvest.example.org/"
