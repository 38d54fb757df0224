"""The orchestra's services leave one audit entry per change of someone's record, with
who did it; a child's name and health notes never land in an entry."""

from datetime import timedelta

from django.utils import timezone

from core.audit import CHANGED, history_of
from core.models import AuditEntry
from events.models import Event
from orchestra import services
from orchestra.models import AbsenceReason, StatusChange
from orchestra.services import attendance as attendance_services
from orchestra.services import tours as tour_services
from tests.factories import EventFactory
from tests.orchestra.conftest import CHILD_NAME


def entries_text() -> str:
    return " ".join(f"{entry.object_repr} {entry.changes}" for entry in AuditEntry.objects.all())


def test_adding_a_member_is_logged_without_their_name_or_health(child):
    entry = history_of(child).get(action="orchestra.member.created")
    assert entry.actor is None
    assert entry.object_repr == f"member {child.pk}"
    assert entry.changes["first_name"] == CHANGED
    assert entry.changes["medical_notes"] == CHANGED
    assert entry.changes["status"] == [None, "active"]
    text = entries_text()
    assert CHILD_NAME[0] not in text and CHILD_NAME[1] not in text
    assert "EpiPen" not in text


def test_updating_a_member_logs_what_changed(child, project_leader):
    services.update_member(
        member=child, first_name="Solveig", gender="female", medical_notes="", by=project_leader
    )
    entry = history_of(child).get(action="orchestra.member.updated")
    assert entry.actor == project_leader
    assert entry.changes == {
        "first_name": CHANGED,
        "gender": ["", "female"],
        "medical_notes": CHANGED,
    }
    assert "Solveig" not in entries_text()


def test_a_status_change_is_logged_with_the_old_and_new_status(child, project_leader):
    services.set_status(
        member=child,
        status=StatusChange.Status.ON_LEAVE,
        note="Skadet arm",
        by=project_leader,
    )
    entry = history_of(child).get(action="orchestra.member.status_changed")
    assert entry.actor == project_leader
    assert entry.changes["status"] == ["active", "on_leave"]
    assert entry.changes["note"] == CHANGED


def test_guardians_are_logged(child, project_leader):
    guardian = child.guardianships.get().guardian
    assert history_of(guardian).get().action == "orchestra.guardian.created"
    services.update_guardian(guardian=guardian, phone="+47 900 00 002", by=project_leader)
    entry = history_of(guardian).get(action="orchestra.guardian.updated")
    assert (entry.actor, entry.changes) == (project_leader, {"phone": CHANGED})


def test_a_leave_is_logged(child, guardian):
    today = timezone.localdate()
    leave = attendance_services.set_leave(
        member=child,
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=9),
        reason=AbsenceReason.ILLNESS,
        by=guardian,
    )
    leave_id = leave.pk
    attendance_services.end_leave(leave=leave, by=guardian, last_day=today)
    entries = AuditEntry.objects.filter(
        object_id=leave_id, action__startswith="orchestra.leaveofabsence"
    )
    assert [entry.action for entry in entries.order_by("pk")] == [
        "orchestra.leaveofabsence.created",
        "orchestra.leaveofabsence.removed",
    ]
    assert {entry.actor for entry in entries} == {guardian}


def test_tour_participants_are_logged(child, project_leader, guardian, season):
    event = EventFactory(period=season, kind=Event.Kind.TOUR, venue=None)
    tour = tour_services.create_tour(event=event, destination="Berlin")
    player = tour_services.add_player(tour=tour, member=child, by=project_leader)
    tour_services.update_trip_details(participant=player, dietary_needs="Nøtteallergi", by=guardian)
    entries = list(history_of(player).order_by("pk"))
    assert [(entry.action, entry.actor) for entry in entries] == [
        ("orchestra.tourparticipant.added", project_leader),
        ("orchestra.tourparticipant.trip_details_updated", guardian),
    ]
    assert entries[1].changes == {"dietary_needs": CHANGED}


def test_api_writes_without_a_service_are_logged(api_as, project_leader, child, season):
    event = EventFactory(period=season, kind=Event.Kind.TOUR, venue=None)
    tour = tour_services.create_tour(event=event, destination="Berlin")
    client = api_as(project_leader)
    created = client.post(
        "/api/v1/tour-participants/",
        {"tour": tour.pk, "role": "companion", "name": "Ny Voksen"},
        format="json",
    )
    assert created.status_code == 201, created.content
    entry = AuditEntry.objects.get(action="orchestra.tourparticipant.created")
    assert entry.actor == project_leader
    assert entry.object_id == created.json()["id"]
    assert entry.changes["via"] == "api"

    guardian = child.guardianships.get().guardian
    child.guardianships.all().delete()
    assert client.delete(f"/api/v1/guardians/{guardian.pk}/").status_code == 204
    entry = AuditEntry.objects.get(action="orchestra.guardian.deleted")
    assert (entry.actor, entry.object_id) == (project_leader, guardian.pk)


def test_an_admin_change_is_logged_with_what_changed(client, admin_user, child, guardian):
    today = timezone.localdate()
    leave = attendance_services.set_leave(
        member=child,
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=9),
        reason=AbsenceReason.ILLNESS,
        note="Brukket arm",
        by=guardian,
    )
    client.force_login(admin_user)
    page = client.post(
        f"/admin/orchestra/leaveofabsence/{leave.pk}/change/",
        {
            "member": child.pk,
            "starts_on": leave.starts_on.isoformat(),
            "ends_on": (today + timedelta(days=5)).isoformat(),
            "reason": AbsenceReason.ILLNESS,
            "note": "Brukket arm, kortere",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    entry = history_of(leave).get(action="orchestra.leaveofabsence.updated")
    assert entry.actor == admin_user
    assert entry.changes == {
        "via": "admin",
        "ends_on": [leave.ends_on.isoformat(), (today + timedelta(days=5)).isoformat()],
        "note": CHANGED,
    }
    history = client.get(f"/admin/orchestra/leaveofabsence/{leave.pk}/history/")
    html = history.content.decode()
    assert "orchestra.leaveofabsence.updated" in html
    assert "orchestra.leaveofabsence.created" in html
    assert "Brukket" not in html and CHILD_NAME[0] not in html
