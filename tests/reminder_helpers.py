"""Helpers of the reminder tests: run one due sender, read what the SMTP sink received."""

from core import due


def run(key: str, now) -> int:
    """Run the due sender ``key`` for ``now``; return how many messages it queued."""
    (result,) = due.send_due_messages(now, only=key)
    assert not result.error, result.error
    return result.queued


def part(message, mimetype: str = "text/plain") -> str:
    """The decoded text of the first part of ``mimetype`` of a received email."""
    for piece in message.walk():
        if piece.get_content_type() == mimetype:
            return piece.get_payload(decode=True).decode(piece.get_content_charset() or "utf-8")
    raise AssertionError(f"No {mimetype} part")


def attachments(message) -> list[str]:
    """The content types of a received email's attachments and inline images."""
    return [
        piece.get_content_type()
        for piece in message.walk()
        if piece.get_content_maintype() != "multipart"
        and piece.get_content_type() not in ("text/plain", "text/html")
    ]


def to_of(sink) -> list[str]:
    return sorted(message["To"] for message in sink.received)


def texts_of(fake) -> list[dict]:
    """The SMS the fake provider was asked to send (To, From, Body)."""
    return [request["form"] for request in fake.requests]


def subject(message) -> str:
    """A received email's subject, decoded."""
    from email.header import decode_header, make_header

    return " ".join(str(make_header(decode_header(message["Subject"]))).split())
