"""An email as JSON, and back: what an outbound message stores (OutboundMessage.payload).

describe() turns a built EmailMessage (or EmailMultiAlternatives) into plain JSON: sender,
recipients, subject, body, alternatives, attachments (base64, with filename, mimetype and
their MIME headers such as an inline image's Content-ID) and extra headers. rebuild() makes
an EmailMultiAlternatives from it for the task that sends it. Plain data, so a payload
never runs code when it is read (unlike a pickle) and survives changes to Django's classes.
"""

import base64
from email import encoders
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage

from django.core.mail import EmailMessage, EmailMultiAlternatives

VERSION = 1

# A MIME attachment's own headers that describe() keeps (the rest is rebuilt by encoding).
_SKIPPED_PART_HEADERS = {"content-type", "mime-version", "content-transfer-encoding"}


def _b64(content) -> str:
    if isinstance(content, str):
        content = content.encode()
    return base64.b64encode(content or b"").decode("ascii")


def _attachment(attachment) -> dict:
    if isinstance(attachment, MIMEBase):
        return {
            "filename": attachment.get_filename(),
            "mimetype": attachment.get_content_type(),
            "content": _b64(attachment.get_payload(decode=True)),
            "headers": [
                [name, str(value)]
                for name, value in attachment.items()
                if name.lower() not in _SKIPPED_PART_HEADERS
            ],
            "mime": True,
        }
    filename, content, mimetype = attachment
    return {"filename": filename, "mimetype": mimetype, "content": _b64(content), "mime": False}


def describe(message: EmailMessage) -> dict:
    """Return the message as JSON-ready data (see the module's docstring)."""
    return {
        "version": VERSION,
        "from": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "mixed_subtype": message.mixed_subtype,
        "alternatives": [
            {"content": str(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
    }


def _mime_part(attachment: dict) -> MIMEBase:
    content = base64.b64decode(attachment["content"])
    maintype, _slash, subtype = attachment["mimetype"].partition("/")
    if maintype == "image":
        part = MIMEImage(content, subtype)
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content)
        encoders.encode_base64(part)
    for name, value in attachment["headers"]:
        part[name] = value
    return part


def rebuild(payload: dict) -> EmailMultiAlternatives:
    """Return the email that describe() described, ready to send."""
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    message.content_subtype = payload["content_subtype"]
    message.mixed_subtype = payload["mixed_subtype"]
    for alternative in payload["alternatives"]:
        message.attach_alternative(alternative["content"], alternative["mimetype"])
    for attachment in payload["attachments"]:
        if attachment["mime"]:
            message.attach(_mime_part(attachment))
        else:
            message.attach(
                attachment["filename"],
                base64.b64decode(attachment["content"]),
                attachment["mimetype"],
            )
    return message
