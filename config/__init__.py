"""Kulturvest's Django project; the Celery app loads with it so tasks find it."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
