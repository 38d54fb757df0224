"""Run Django in a subprocess with the production environment (DEBUG off)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECURE_", "PYTEST"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="k7#Qv2m!Zp9xR4tW8yL1nB6cF3hJ0sD5gE2aU7iO9eK4qM8zX1vT6rY3wP0",
        ALLOWED_HOSTS="kulturvest.example.org",
        CSRF_TRUSTED_ORIGINS="https://kulturvest.example.org",
        SITE_URL="https://kulturvest.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own interpreter and arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return run(["-c", "import django; django.setup()\n" + code], env)
