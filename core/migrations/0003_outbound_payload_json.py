"""Outbound messages keep their email as JSON (core.email_payload), not as a pickle, and
when their delivery was last enqueued (queued_at).

Existing rows are converted: each pickled message is read once, here, and described as
JSON; a row whose pickle cannot be read keeps an empty payload and, if still queued, is
marked failed with the reason, for staff to see.
"""

import pickle

import django.utils.timezone
from django.db import migrations, models


def pickles_to_json(apps, schema_editor):
    from core import email_payload

    OutboundMessage = apps.get_model("core", "OutboundMessage")
    for message in OutboundMessage.objects.exclude(old_payload=None).iterator():
        try:
            # Our own table, written only by core.mail before this migration.
            email = pickle.loads(bytes(message.old_payload))  # noqa: S301
            message.payload = email_payload.describe(email)
        except Exception as error:  # noqa: BLE001
            message.payload = {}
            if message.status == "queued":
                message.status = "failed"
                message.last_error = f"Not converted from the old format: {error!r}"[:2000]
        message.save(update_fields=["payload", "status", "last_error"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outbound_message"),
    ]

    operations = [
        migrations.RenameField("outboundmessage", "payload", "old_payload"),
        migrations.AlterField(
            model_name="outboundmessage",
            name="old_payload",
            field=models.BinaryField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="payload",
            field=models.JSONField(default=dict, editable=False, verbose_name="message"),
        ),
        migrations.RunPython(pickles_to_json, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField("outboundmessage", "old_payload"),
        # When the delivery was last enqueued, for the sweeper of lost enqueues.
        migrations.AddField(
            model_name="outboundmessage",
            name="queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="queued"),
        ),
        migrations.RunSQL(
            "UPDATE core_outboundmessage SET queued_at = created_at",
            migrations.RunSQL.noop,
            elidable=True,
        ),
        migrations.AddIndex(
            model_name="outboundmessage",
            index=models.Index(fields=["status", "queued_at"], name="core_outbound_stalled_idx"),
        ),
    ]
