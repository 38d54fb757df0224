"""Sending email as a side effect of a workflow."""

from django.db import transaction


def send_after_commit(send, *args) -> None:
    """Call send(*args) once the transaction commits; nothing is sent if it rolls back.

    A failing mail server is logged, not raised: what the workflow saved stays saved.
    """
    transaction.on_commit(lambda: send(*args), robust=True)
