"""The rate limits' counters (core/ratelimit.py): one row per key and window, counted up by
one atomic statement. A table without a model, like Django's database cache: nothing but
core.ratelimit reads or writes it, always in SQL that SQLite and PostgreSQL share."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0003_event_hosts")]

    operations = [
        migrations.RunSQL(
            [
                "CREATE TABLE events_rate_counter ("
                " counter_key varchar(100) NOT NULL PRIMARY KEY,"
                " hits integer NOT NULL,"
                " expires_at bigint NOT NULL)",
                "CREATE INDEX events_rate_counter_expires_at ON events_rate_counter (expires_at)",
            ],
            ["DROP TABLE events_rate_counter"],
        ),
    ]
