"""Load the municipality map shipped in events/data/municipalities.csv.

The map is data: later changes arrive as rows (by import or admin), never as code.
"""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"


def _date(value):
    return date.fromisoformat(value) if value else None


def load(apps, schema_editor):
    Municipality = apps.get_model("events", "Municipality")
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Municipality.objects.update_or_create(
                number=row["number"],
                valid_from=_date(row["valid_from"]),
                defaults={
                    "name": row["name"],
                    "county": row["county"],
                    "valid_to": _date(row["valid_to"]),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
