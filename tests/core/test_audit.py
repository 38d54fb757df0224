"""The audit trail: one helper writes an entry per change (core.audit), the admin shows a
record's entries to staff, the API lists them for staff with a constant number of
queries, and the retention rule deletes entries older than AUDIT_RETENTION_YEARS."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.audit import CHANGED, compute_changes, history_of, log_action
from core.models import AuditEntry
from core.retention import AUDIT_TRAIL, apply_retention
from orchestra.models import Guardian, Member
from tests.factories import MunicipalityFactory, UserFactory

CHILD = ("Sunniva", "Strykersen")


@pytest.fixture
def member(db):
    return Member.objects.create(
        first_name=CHILD[0],
        last_name=CHILD[1],
        birth_date=timezone.localdate() - timedelta(days=11 * 365),
        municipality=MunicipalityFactory(name="Asker", number="3203", valid_from=None),
    )


def test_an_entry_names_the_record_by_number_and_the_actor(member, admin_user):
    entry = log_action(member, "orchestra.member.updated", admin_user, {"gender": ["", "f"]})
    entry.refresh_from_db()
    assert entry.actor == admin_user
    assert entry.action == "orchestra.member.updated"
    assert entry.object == member
    assert entry.object_repr == f"member {member.pk}"
    assert entry.changes == {"gender": ["", "f"]}
    assert list(history_of(member)) == [entry]


def test_the_system_and_an_anonymous_visitor_are_no_actor(member):
    from django.contrib.auth.models import AnonymousUser

    assert log_action(member, "x.y.z", None).actor is None
    assert log_action(member, "x.y.z", AnonymousUser()).actor is None


def test_values_a_retention_rule_clears_are_recorded_as_changed(member):
    changes = compute_changes(
        Member,
        {"first_name": "Sunniva", "gender": "", "municipality": 1, "medical_notes": ""},
        {"first_name": "Sol", "gender": "f", "municipality": 2, "medical_notes": "Asthma"},
    )
    # A name and health notes are cleared by the member's erasure: no values kept. A
    # reference names no one: its ids stay.
    assert changes == {
        "first_name": CHANGED,
        "gender": ["", "f"],
        "municipality": [1, 2],
        "medical_notes": CHANGED,
    }
    assert compute_changes(Member, {"gender": "f"}, {"gender": "f"}) == {}
    assert compute_changes(Member, {"gender": ""}, {"gender": "f"}, sensitive=["gender"]) == {
        "gender": CHANGED
    }


# The admin -----------------------------------------------------------------------------


def test_the_admin_history_page_lists_the_entries_to_staff(client, admin_user, member):
    log_action(member, "orchestra.member.status_changed", admin_user, {"status": [None, "active"]})
    client.force_login(admin_user)
    page = client.get(f"/admin/orchestra/member/{member.pk}/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "orchestra.member.status_changed" in html
    assert "secretariat" in html
    assert CHILD[0] not in html and CHILD[1] not in html


def test_the_admin_history_page_is_for_staff_only(client, nobody, member):
    client.force_login(nobody)
    page = client.get(f"/admin/orchestra/member/{member.pk}/history/")
    assert page.status_code == 302
    assert "/admin/login/" in page["Location"]


def test_admin_saves_and_deletes_are_logged(client, admin_user):
    guardian = Guardian.objects.create(
        first_name="Gunn", last_name="Strykersen", email="gunn@example.org"
    )
    client.force_login(admin_user)
    page = client.post(
        "/admin/orchestra/guardian/",
        {"action": "delete_selected", "_selected_action": [guardian.pk], "post": "yes"},
    )
    assert page.status_code == 302
    entry = AuditEntry.objects.get(action="orchestra.guardian.deleted")
    assert entry.actor == admin_user
    assert entry.object_id == guardian.pk
    assert entry.object_repr == f"guardian {guardian.pk}"
    assert entry.changes == {"via": "admin"}


def test_the_trail_itself_is_read_only_in_the_admin(client, admin_user, member):
    entry = log_action(member, "orchestra.member.updated", None)
    client.force_login(admin_user)
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403


# Retention -----------------------------------------------------------------------------


def test_retention_deletes_entries_older_than_the_setting(member, settings):
    settings.AUDIT_RETENTION_YEARS = 5
    now = timezone.now()
    old = log_action(member, "orchestra.member.updated", None)
    AuditEntry.objects.filter(pk=old.pk).update(at=now - timedelta(days=5 * 366 + 2))
    recent = log_action(member, "orchestra.member.updated", None)
    AuditEntry.objects.filter(pk=recent.pk).update(at=now - timedelta(days=4 * 365))
    runs = {run.rule.key: run for run in apply_retention()}
    assert [record.pk for record in runs[AUDIT_TRAIL].records] == [old.pk]
    assert runs[AUDIT_TRAIL].cleared == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    # Run twice: nothing more to do.
    assert {run.rule.key: run for run in apply_retention()}[AUDIT_TRAIL].cleared == 0


# The API -------------------------------------------------------------------------------

URL = "/api/v1/audit-entries/"


def test_staff_read_one_records_history(api_as, admin_user, member, check_schema):
    other = Member.objects.create(
        first_name="Tobias",
        last_name="Trompetsen",
        birth_date=member.birth_date,
        municipality=member.municipality,
    )
    log_action(member, "orchestra.member.updated", admin_user, {"gender": ["", "f"]})
    log_action(other, "orchestra.member.updated", admin_user)
    query = {"record_type": "orchestra.member", "object_id": member.pk}
    answer = api_as(admin_user).get(URL, query)
    body = check_schema(answer)
    assert answer.status_code == 200
    assert [row["object_id"] for row in body["results"]] == [member.pk]
    row = body["results"][0]
    assert row["record_type"] == "orchestra.member"
    assert row["actor"] == admin_user.pk
    assert row["changes"] == {"gender": ["", "f"]}


@pytest.mark.parametrize("role", ["nobody", "guardian", "juror", "venue_host"])
def test_others_may_not_read_the_trail(api_as, request, role):
    assert api_as(request.getfixturevalue(role)).get(URL).status_code == 403


def test_anonymous_must_log_in(api_as, db):
    assert api_as(None).get(URL).status_code == 401


def test_the_list_keeps_a_constant_number_of_queries(
    api_as, admin_user, member, django_assert_max_num_queries
):
    ContentType.objects.get_for_model(Member)
    client = api_as(admin_user)
    users = [UserFactory(username=f"staff{index}", is_staff=True) for index in range(5)]
    for user in users:
        log_action(member, "orchestra.member.updated", user)
    with django_assert_max_num_queries(4):
        assert len(client.get(URL).json()["results"]) == 5
    for user in users:
        log_action(member, "orchestra.member.updated", user)
    with django_assert_max_num_queries(4):
        assert len(client.get(URL).json()["results"]) == 10
