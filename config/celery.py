"""The Celery app: tasks run in a worker when CELERY_BROKER_URL is set (core.jobs)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kulturvest")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
