"""Migration 0009 turns each owner's one private calendar into the first of their named
links: the address a calendar app already holds keeps working, and a new link stops none."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from orchestra.models import CalendarToken, Guardian, Instrument, hash_calendar_token
from orchestra.services.calendars import create_calendar_token

BEFORE = [("orchestra", "0008_merge_erasure_and_consents")]


@pytest.fixture
def violin(transactional_db):
    """The violin of a data migration: a transactional test starts from an empty table."""
    Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings", "position": 10}
    )


@pytest.mark.django_db(transaction=True)
def test_the_links_made_before_keep_working(violin, child, guardian):
    parent = Guardian.objects.get(user=guardian)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        Old = executor.loader.project_state(BEFORE).apps.get_model("orchestra", "CalendarToken")
        Old.objects.create(guardian_id=parent.pk, token_hash=hash_calendar_token("kept-token"))
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    kept = CalendarToken.objects.get(guardian=parent)
    assert kept.name == ""
    assert Client().get("/calendar/private/kept-token.ics").status_code == 200
    new = create_calendar_token(owner=parent, name="Family iPad")
    assert Client().get("/calendar/private/kept-token.ics").status_code == 200
    assert Client().get(f"/calendar/private/{new}.ics").status_code == 200
    assert CalendarToken.objects.filter(guardian=parent).count() == 2
