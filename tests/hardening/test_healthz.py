"""/healthz: 200 when the database answers, 503 when it does not; no login needed."""

import json

import pytest

from tests.hardening.production import production_env, run_python

PROBE = """
import json
from django.test import Client
response = Client(HTTP_HOST="kulturvest.example.org").get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json(),
                  "cache": response.headers.get("Cache-Control", "")}))
"""


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_takes_only_safe_methods(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:////nonexistent-kulturvest-directory/db.sqlite3",
        # Nothing listens on port 1: the connection is refused.
        "postgres://postgres@127.0.0.1:1/kulturvest",
    ],
    ids=["sqlite-unreachable", "postgres-refused"],
)
def test_healthz_answers_503_when_the_database_does_not(tmp_path, database_url):
    """A real broken database in a real process: nothing is patched."""
    env = production_env(tmp_path, DEBUG="true", DATABASE_URL=database_url)
    result = run_python(PROBE, env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 503
    assert seen["body"] == {"status": "unavailable"}
    assert "no-cache" in seen["cache"]


def test_healthz_is_ok_in_a_process_with_a_working_database(tmp_path):
    """The same probe as above can pass: the 503 is the database's doing."""
    result = run_python(PROBE, production_env(tmp_path, DEBUG="true"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["status"] == 200
