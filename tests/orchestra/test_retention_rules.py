# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Retention of the orchestra: anonymising a member clears what every other record holds
about them; tour participants' trip data goes some days after the tour; the scheduled job
runs every rule, twice safely, with a dry run."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from core.retention import apply_retention
from events.models import Event
from orchestra import services
from orchestra.models import Attendance, Member, TourParticipant
from orchestra.services import masterclasses as masterclass_services
from orchestra.services.attendance import issue_member_card
from orchestra.services.retention import anonymise_member, request_erasure
from tests.factories import EventFactory
from tests.orchestra.factories import (
    CHILD_NAME,
    AttendanceFactory,
    GuestEnsembleFactory,
    LeaveOfAbsenceFactory,
)
from tests.orchestra.test_masterclass_services import make_class, master_class  # noqa: F401
from tests.orchestra.test_retention import leave
from tests.orchestra.test_tours import (  # noqa: F401 -- fixtures
    TRIP_CONTACT,
    TRIP_NOTES,
    on_tour,
    tour,
    tour_leader,
    travel_text,
)
from ticketing.models import Registration, Ticket

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def rows_holding(needle: str) -> list[tuple[str, str, object]]:
    """Return (model, field, pk) of every text in the database that contains the needle."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not names:
            continue
        for row in model.objects.values("pk", *names):
            for name in names:
                if needle.lower() in str(row[name]).lower():
                    found.append((model._meta.label, name, row["pk"]))
    return found


@pytest.fixture
def past_tour(tour, on_tour):
    """The tour, moved so that it ended ``days`` ago."""

    def move(days):
        tour.event.refresh_from_db()
        shift = tour.event.end - (timezone.now() - timedelta(days=days))
        Event.objects.filter(pk=tour.event_id).update(
            start=tour.event.start - shift, end=tour.event.end - shift
        )
        return tour

    return move


def test_anonymising_a_member_leaves_no_trace_of_them_anywhere(
    child, season, guardian, project_leader, master_class, on_tour
):
    issue_member_card(member=child, season=season, by=project_leader)
    issue_member_card(member=child, season=season, by=project_leader, replace=True)  # lost
    masterclass_services.sign_up(event=master_class, member=child, by=guardian)
    session = EventFactory(period=season, kind=Event.Kind.SESSION, venue=None)
    AttendanceFactory(member=child, session=session, status="absent", note="Syk")
    LeaveOfAbsenceFactory(
        member=child,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        reason="illness",
        note="Brukket arm",
    )
    request_erasure(member=child, guardian=guardian.orchestra_guardian, note="Slett Sunniva")
    needles = [
        *CHILD_NAME,
        "Nut allergy",
        TRIP_NOTES,
        TRIP_CONTACT,
        "No nuts",
        "Gunn",  # the guardian, who has no other child
        "+47 900 00 001",
        "Brukket arm",
    ]
    assert all(rows_holding(needle) for needle in needles)  # the test data holds each

    anonymise_member(child, by=None)

    assert {needle: rows_holding(needle) for needle in needles} == dict.fromkeys(needles, [])
    # What is kept for statistics and the accounts stays.
    assert Attendance.objects.get(member=child).status == "absent"
    assert Registration.objects.filter(orchestra_sign_up__member=child).get().total is not None
    assert TourParticipant.objects.filter(member=child, role="player").exists()


def test_tour_data_is_cleared_the_set_number_of_days_after_the_tour(
    past_tour, on_tour, child, settings
):
    settings.ORCHESTRA_TOUR_DATA_DAYS = 30
    tour = past_tour(29)
    [run] = [run for run in apply_retention() if run.rule.key == "orchestra.tour_data"]
    assert run.cleared == 0
    assert TourParticipant.objects.get(member=child).medical_notes == TRIP_NOTES

    past_tour(31)
    runs = {run.rule.key: run for run in apply_retention()}
    assert runs["orchestra.tour_data"].cleared >= 1
    player = TourParticipant.objects.get(member=child)
    assert (player.medical_notes, player.emergency_contacts, player.dietary_needs) == ("", "", "")
    leader = TourParticipant.objects.get(tour=tour, role="tour_leader")
    assert (leader.name, leader.phone) == ("Tove Turleder", "")
    # Nothing is left for a second run; the member's own record is untouched.
    again = {run.rule.key: run for run in apply_retention()}
    assert again["orchestra.tour_data"].records == []
    assert Member.objects.get(pk=child.pk).first_name == CHILD_NAME[0]


def test_the_job_runs_every_rule_and_a_dry_run_changes_nothing(child, project_leader, season):
    issue_member_card(member=child, season=season, by=project_leader)
    leave(child, days_ago=400, by=project_leader)

    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"orchestra.departed_members: would clear 1 record(s): orchestra.member#{child.pk}" in (
        out.getvalue()
    )
    assert "ticketing.past_event_registrations: would clear 0 record(s)." in out.getvalue()
    assert CHILD_NAME[0] not in out.getvalue()
    assert Member.objects.get(pk=child.pk).anonymised_at is None

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "orchestra.departed_members: cleared 1 record(s)." in out.getvalue()
    assert Member.objects.get(pk=child.pk).anonymised_at is not None
    assert not Ticket.objects.filter(attendee_name__contains=CHILD_NAME[0]).exists()

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "orchestra.departed_members: cleared 0 record(s)." in out.getvalue()


def test_the_old_command_still_anonymises(child, project_leader):
    leave(child, days_ago=400, by=project_leader)
    call_command("anonymise_departed_members", stdout=StringIO())
    assert Member.objects.get(pk=child.pk).anonymised_at is not None


def test_a_member_who_just_left_is_listed_with_the_day_they_will_be_cleared(
    child, project_leader, settings
):
    from core.retention import retention_outlook

    settings.ORCHESTRA_RETENTION_MONTHS = 1
    services.set_status(member=child, status="left", reason="age_limit", by=project_leader)
    [outlook] = [o for o in retention_outlook() if o.rule.key == "orchestra.departed_members"]
    assert outlook.due == []
    [pending] = outlook.upcoming
    assert pending.pk == child.pk and pending.kind == "orchestra.member"
    assert timezone.localdate() + timedelta(days=27) < pending.due_on
    assert pending.due_on <= timezone.localdate() + timedelta(days=32)


def test_guest_ensembles_contacts_go_the_set_number_of_years_after_the_concert(db, settings):
    settings.ORCHESTRA_GUEST_CONTACT_YEARS = 3
    now = timezone.now()
    old = EventFactory(start=now - timedelta(days=3 * 366 + 2), end=now - timedelta(days=3 * 366))
    recent = EventFactory(start=now - timedelta(days=3 * 365 - 30), end=now - timedelta(days=1000))
    contact = {"contact_name": "Gro Gjest", "contact_email": "gro@example.org"}
    old_guest = GuestEnsembleFactory(event=old, name="Gjesteorkester", **contact)
    recent_guest = GuestEnsembleFactory(event=recent, name="Gjestekor", **contact)

    runs = {run.rule.key: run for run in apply_retention()}

    assert runs["orchestra.guest_contacts"].cleared == 1
    old_guest.refresh_from_db()
    recent_guest.refresh_from_db()
    assert (old_guest.contact_name, old_guest.contact_email, old_guest.name) == (
        "",
        "",
        "Gjesteorkester",
    )
    assert recent_guest.contact_name == "Gro Gjest"
    again = {run.rule.key: run for run in apply_retention()}
    assert again["orchestra.guest_contacts"].records == []


def test_a_member_with_their_own_login_takes_their_contact_preference_and_failing_marks(
    teen, member_user
):
    from core import reach
    from core.models import ContactPreference, FailingAddress

    reach.save_preference(
        member_user, language="en", mobile="912 34 567", sms=True, email_enabled=True, muted=[]
    )
    reach.mark_failing("email", "maja@example.org", "550 No such user")
    reach.mark_failing("sms", "+4791234567", "undelivered 30005")
    # An opt-out of the address from before the login existed.
    ContactPreference.objects.create(email="maja@example.org", muted=["reminder"])
    # Someone else's mark and opt-out stay.
    reach.mark_failing("email", "someone@example.org", "550 No such user")
    ContactPreference.objects.create(email="someone@example.org", muted=["reminder"])
    needles = ["maja@example.org", "+4791234567"]
    assert all(rows_holding(needle) for needle in needles)

    anonymise_member(teen, by=None)

    assert {needle: rows_holding(needle) for needle in needles} == dict.fromkeys(needles, [])
    assert list(FailingAddress.objects.values_list("address", flat=True)) == ["someone@example.org"]
    assert list(ContactPreference.objects.values_list("email", flat=True)) == [
        "someone@example.org"
    ]


def test_an_erasure_takes_the_lone_guardians_contact_preference_and_failing_marks(
    child, guardian, project_leader
):
    from core import reach
    from core.models import ContactPreference, FailingAddress
    from orchestra.services.retention import complete_erasure

    reach.save_preference(
        guardian, language="", mobile="", sms=True, email_enabled=True, muted=["reminder"]
    )
    reach.mark_failing("email", "guardian@example.org", "550 No such user")
    reach.mark_failing("sms", "+4790000001", "undelivered 30005")  # the guardian's phone
    erasure = request_erasure(member=child, guardian=guardian.orchestra_guardian, note="")

    complete_erasure(erasure=erasure, by=project_leader)

    assert not FailingAddress.objects.exists()
    assert not ContactPreference.objects.exists()
