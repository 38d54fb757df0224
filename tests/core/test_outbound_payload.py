"""Outbound messages keep their email as JSON (core.email_payload), never as a pickle: the
task rebuilds the same email from it, attachments and inline images included, and the
migration converts the pickled rows of before."""

import base64
import json
import pickle
from email.mime.image import MIMEImage

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.mail import queue_email
from core.models import OutboundMessage
from core.tasks import deliver_message

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def full_message():
    message = EmailMultiAlternatives(
        subject="Billetter: Vårkonsert",
        body="Hei! Her er billettene.",
        from_email="Kulturvest <post@example.org>",
        to=["kari@example.org"],
        cc=["kopi@example.org"],
        bcc=["arkiv@example.org"],
        reply_to=["svar@example.org"],
        headers={"X-Kulturvest": "billett"},
    )
    message.attach_alternative('<p>Hei <img src="cid:ticket-7"></p>', "text/html")
    message.mixed_subtype = "related"
    image = MIMEImage(PNG, "png")
    image.add_header("Content-ID", "<ticket-7>")
    image.add_header("Content-Disposition", "inline", filename="ticket-7.png")
    message.attach(image)
    message.attach(
        "konsert.ics", "BEGIN:VCALENDAR\r\nUID:abc\r\nEND:VCALENDAR\r\n", "text/calendar"
    )
    message.attach("program.pdf", b"%PDF-1.4 \x00\xff binary", "application/pdf")
    return message


def test_the_payload_is_json_and_the_sent_email_is_the_one_built(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = queue_email(full_message(), kind="test.full")
    stored = OutboundMessage.objects.get(pk=outbound.pk).payload
    assert json.loads(json.dumps(stored)) == stored  # plain JSON, nothing pickled
    assert stored["attachments"][0]["mimetype"] == "image/png"

    (sent,) = mail.outbox
    assert sent.from_email == "Kulturvest <post@example.org>"
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["kari@example.org"],
        ["kopi@example.org"],
        ["arkiv@example.org"],
        ["svar@example.org"],
    )
    assert sent.subject == "Billetter: Vårkonsert"
    assert sent.body == "Hei! Her er billettene."
    assert sent.extra_headers == {"X-Kulturvest": "billett"}
    assert [tuple(a) for a in sent.alternatives] == [
        ('<p>Hei <img src="cid:ticket-7"></p>', "text/html")
    ]
    image, ics, pdf = sent.attachments
    assert isinstance(image, MIMEImage)
    assert image.get_payload(decode=True) == PNG
    assert image["Content-ID"] == "<ticket-7>"
    assert image.get_filename() == "ticket-7.png"
    assert tuple(ics) == (
        "konsert.ics",
        "BEGIN:VCALENDAR\r\nUID:abc\r\nEND:VCALENDAR\r\n",
        "text/calendar",
    )
    assert tuple(pdf) == ("program.pdf", b"%PDF-1.4 \x00\xff binary", "application/pdf")
    # The whole MIME message is what the built one would have been.
    raw, built = sent.message(), full_message().message()
    assert [part.get_content_type() for part in raw.walk()] == [
        part.get_content_type() for part in built.walk()
    ]
    assert [part.get_payload(decode=True) for part in raw.walk()] == [
        part.get_payload(decode=True) for part in built.walk()
    ]
    for header in ("From", "To", "Cc", "Reply-To", "Subject", "X-Kulturvest"):
        assert raw[header] == built[header]


def test_a_payload_with_code_in_it_is_only_data():
    outbound = queue_email(full_message(), kind="test.data")
    # Whatever the row holds is read as JSON: a pickle's opcodes would only be a string.
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        payload={**outbound.payload, "subject": pickle.dumps(print).hex()}
    )
    assert deliver_message.apply(args=[outbound.pk]).get() == "sent"
    assert mail.outbox[-1].subject == pickle.dumps(print).hex()


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_pickled_messages_into_json():
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0002_outbound_message")])
    try:
        old_apps = executor.loader.project_state([("core", "0002_outbound_message")]).apps
        Old = old_apps.get_model("core", "OutboundMessage")
        converted = Old.objects.create(
            key="test.old:1",
            kind="test.old",
            recipient="kari@example.org",
            subject="Billetter: Vårkonsert",
            body="Hei! Her er billettene.",
            payload=pickle.dumps(full_message()),
        )
        broken = Old.objects.create(
            key="test.old:2",
            kind="test.old",
            recipient="ola@example.org",
            subject="Hei",
            body="Tekst",
            payload=b"not a pickle",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    message = OutboundMessage.objects.get(pk=converted.pk)
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.payload["cc"] == ["kopi@example.org"]
    assert deliver_message.apply(args=[message.pk]).get() == "sent"
    sent = mail.outbox[-1]
    assert sent.subject == "Billetter: Vårkonsert"
    assert isinstance(sent.attachments[0], MIMEImage)
    assert sent.attachments[0]["Content-ID"] == "<ticket-7>"
    assert sent.attachments[1][0] == "konsert.ics"

    failed = OutboundMessage.objects.get(pk=broken.pk)
    assert failed.status == OutboundMessage.Status.FAILED
    assert "Not converted" in failed.last_error
