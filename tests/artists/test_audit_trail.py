"""The art round's services leave one audit entry per change, with who did it."""

import pytest

from artists.services.applications import (
    start_application,
    submit_application,
    update_application,
    withdraw_application,
)
from artists.services.decisions import set_decision
from artists.services.profiles import add_work_image, delete_work_image, update_profile
from core.audit import CHANGED, history_of
from core.models import AuditEntry
from tests.artists.factories import tiny_image

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


def test_the_profile_and_gallery_are_logged(applicant, admin_user):
    by = applicant.user
    update_profile(artist=applicant, by=by, values={"phone": "+47 900 00 003", "bio_nb": "Maler"})
    entry = history_of(applicant).get(action="artists.artist.updated")
    assert entry.actor == by
    assert entry.changes["bio_nb"] == ["", "Maler"]
    assert entry.changes["phone"] == CHANGED  # cleared when the artist goes quiet
    image = add_work_image(artist=applicant, by=by, upload=tiny_image(), title="Lys")
    image_id = image.pk
    delete_work_image(image=image, by=admin_user)
    entries = AuditEntry.objects.filter(
        object_id=image_id, action__startswith="artists.artistimage"
    )
    assert [(entry.action, entry.actor) for entry in entries.order_by("pk")] == [
        ("artists.artistimage.added", by),
        ("artists.artistimage.deleted", admin_user),
    ]
