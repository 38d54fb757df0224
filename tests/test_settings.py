"""Settings come from the environment; production mistakes fail loudly."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#t2v!p9qz$w4m8x@r1c6b3n5j0h2g4f6d8s1a3q5e7u9o2i4y6",
    "ALLOWED_HOSTS": "kulturvest.example.org",
    "DATABASE_URL": "sqlite:////tmp/kulturvest-check.sqlite3",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings_with_documented_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_with_debug_off_is_an_error():
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_malformed_boolean_is_an_error():
    result = run_manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_email_url_configures_smtp():
    code = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER)"
    )
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "mailer",
    ]


def test_the_first_retry_of_an_email_waits_as_the_environment_says():
    code = "from core.tasks import backoff; print([backoff(n) for n in range(4)])"
    env = {**PRODUCTION_ENV, "OUTBOUND_RETRY_BACKOFF_SECONDS": "2"}
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[2, 4, 8, 16]"
    result = run_manage("check", env={**PRODUCTION_ENV, "OUTBOUND_RETRY_BACKOFF_SECONDS": "0"})
    assert result.returncode != 0
    assert "OUTBOUND_RETRY_BACKOFF_SECONDS must be at least 1" in result.stderr


def test_the_first_retry_of_a_webhook_waits_as_the_environment_says():
    code = "from core.webhooks import backoff; print([backoff(n) for n in (0, 1, 2, 20)])"
    env = {**PRODUCTION_ENV, "WEBHOOK_RETRY_BACKOFF_SECONDS": "3"}
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[3, 6, 12, 3600]"
    result = run_manage("check", env={**PRODUCTION_ENV, "WEBHOOK_RETRY_BACKOFF_SECONDS": "0"})
    assert result.returncode != 0
    assert "WEBHOOK_RETRY_BACKOFF_SECONDS must be at least 1" in result.stderr


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "en"]


def site_url(env):
    """Return SITE_URL as settings make it from `env`, with no SITE_URL or PORT inherited."""
    inherited = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_site_url_follows_the_port_of_the_development_server():
    assert site_url({}) == "http://127.0.0.1:8000"
    assert site_url({"PORT": "8123"}) == "http://127.0.0.1:8123"


def test_a_configured_site_url_wins_over_the_port():
    env = {"SITE_URL": "https://kulturvest.example.org/", "PORT": "8123"}
    assert site_url(env) == "https://kulturvest.example.org"


def test_make_run_passes_its_port_to_the_demo_and_the_server():
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=8123"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    commands = result.stdout.splitlines()
    assert any(line.startswith("PORT=8123 ") and "load_demo" in line for line in commands)
    assert any(line.startswith("PORT=8123 ") and "runserver" in line for line in commands)


def cache_settings(env):
    """Return the default cache's settings as made from `env`, with no REDIS_URL inherited."""
    inherited = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])["default"]


def test_without_redis_url_each_process_caches_in_its_own_memory():
    default = cache_settings({})
    assert default["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_gives_the_shared_redis_cache():
    default = cache_settings({"REDIS_URL": "redis://cache.example.org:6379/3"})
    assert default["BACKEND"] == "core.cache.SharedCache"
    assert default["LOCATION"] == "redis://cache.example.org:6379/3"
    assert default["KEY_PREFIX"] == "kulturvest"
    assert default["TIMEOUT"] == 300
    assert default["OPTIONS"]["socket_timeout"] <= 5


def test_the_shared_cache_is_djangos_redis_cache():
    from django.core.cache.backends.redis import RedisCache

    from core.cache import SharedCache

    assert issubclass(SharedCache, RedisCache)


def test_email_timeout_and_the_brokers_visibility_timeout_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_TIMEOUT, s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'],"
        " s.CELERY_TASK_ACKS_LATE, s.CELERY_TASK_REJECT_ON_WORKER_LOST)"
    )
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["15", "3600", "True", "True"]
    env = {**PRODUCTION_ENV, "EMAIL_TIMEOUT": "4", "CELERY_VISIBILITY_TIMEOUT": "20"}
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split()[:2] == ["4", "20"]
    result = run_manage("check", env={**PRODUCTION_ENV, "CELERY_VISIBILITY_TIMEOUT": "soon"})
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be an integer" in result.stderr
