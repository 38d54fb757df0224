"""The art round's services leave one audit entry per change, with who did it."""

import pytest

from artists.services.applications import (
    start_application,
    submit_application,
    update_application,
    withdraw_application,
)
from artists.services.decisions import set_decision
from core.audit import history_of
from core.models import AuditEntry
from tests.artists.application_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_an_application_s_steps_are_logged_with_their_actor(call, applicant, admin_user):
    by = applicant.user
    application = start_application(call=call, artist=applicant, by=by)
    update_application(
        application=application,
        statement="Jeg maler lys.",
        cv="CV",
        previous_exhibitions="",
        images=list(applicant.images.order_by("position")[:3]),
        by=by,
    )
    submit_application(application=application, by=by)
    set_decision(application=application, outcome="accepted", by=admin_user)
    entries = list(history_of(application).order_by("at", "pk"))
    assert [(entry.action, entry.actor) for entry in entries] == [
        ("artists.application.started", by),
        ("artists.application.updated", by),
        ("artists.application.submitted", by),
        ("artists.application.decided", admin_user),
    ]
    assert entries[2].changes == {"state": ["draft", "submitted"]}
    assert entries[3].changes == {"outcome": [None, "accepted"]}
    assert entries[0].object_repr == f"application {application.pk}"


def test_a_withdrawal_is_logged(call, applicant):
    application = start_application(call=call, artist=applicant, by=applicant.user)
    withdraw_application(application=application, by=applicant.user)
    entry = AuditEntry.objects.get(action="artists.application.withdrawn")
    assert entry.actor == applicant.user
    assert entry.changes == {"state": ["draft", "withdrawn"]}
