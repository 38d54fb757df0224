"""The orchestra's admin, and the spreadsheet import and export of members and guardians."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from import_export.formats.base_formats import CSV

from events.models import Event
from orchestra.admin import MemberAdmin
from orchestra.models import ConsentText, Guardian, Member, SessionPlan, StatusChange
from orchestra.resources import GuardianResource, MemberResource, MemberWithMedicalNotesResource
from tests.factories import EventFactory, UserFactory
from tests.orchestra.factories import CHILD_NAME

pytestmark = pytest.mark.django_db

MODELS = [
    "instrument",
    "group",
    "member",
    "statuschange",
    "guardian",
    "consenttext",
    "consentacceptance",
    "masterclasssignup",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def changelist(name: str) -> str:
    return reverse(f"admin:orchestra_{name}_changelist")


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("role", ["admin_user", "project_leader"])
def test_staff_open_every_changelist(client, request, role, name, child, photo_text):
    client.force_login(request.getfixturevalue(role))
    assert client.get(changelist(name)).status_code == 200


@pytest.mark.parametrize("name", MODELS)
def test_nobody_else_opens_the_orchestra_admin(client, guardian, nobody, tutor, name, child):
    staffer = UserFactory(username="staffer", is_staff=True)
    for user in (guardian, nobody, tutor):
        client.force_login(user)
        assert client.get(changelist(name)).status_code == 302
    client.force_login(staffer)
    assert client.get(changelist(name)).status_code == 403


def test_the_member_page_shows_history_guardians_and_notes(client, project_leader, child):
    client.force_login(project_leader)
    page = client.get(reverse("admin:orchestra_member_change", args=[child.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "EpiPen" in html
    assert "Juniorsymfonikerne" in html
    assert "guardian@example.org" in html or "Strykersen" in html
    listing = client.get(changelist("member")).content.decode()
    assert CHILD_NAME[1] in listing
    assert "EpiPen" not in listing
    assert client.get(changelist("member"), {"status": "active"}).status_code == 200


def test_a_member_added_in_the_admin_starts_as_applicant(client, project_leader, municipality):
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:orchestra_member_add"),
        {
            "first_name": "Ny",
            "last_name": "Søker",
            "birth_date": "2015-03-01",
            "gender": "",
            "municipality": municipality.pk,
            "origin": "music_school",
            "origin_name": "",
            "years_played": 1,
            "medical_notes": "",
            **{
                f"{prefix}-{key}": value
                for prefix in (
                    "member_instruments",
                    "memberships",
                    "guardianships",
                    "status_changes",
                    "consents",
                )
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(last_name="Søker")
    assert member.status_changes.get().status == "applicant"


def test_status_changes_in_the_admin_follow_the_rules(client, project_leader, child):
    client.force_login(project_leader)
    url = reverse("admin:orchestra_statuschange_add")
    today = timezone.localdate().isoformat()
    form = {"member": child.pk, "status": "left", "since": today, "reason": "", "note": ""}
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "reason" in refused.content.decode()
    assert client.post(url, {**form, "reason": "age_limit"}).status_code == 302
    change = StatusChange.objects.get(member=child, status="left")
    assert change.recorded_by == project_leader
    assert not child.memberships.filter(left_on__isnull=True).exists()


def test_the_default_export_has_no_medical_notes(child, other_child):
    admin = MemberAdmin(Member, None)
    default, with_notes = admin.get_export_resource_classes(None)
    assert default is MemberResource and with_notes is MemberWithMedicalNotesResource
    assert admin.get_import_resource_classes(None) == [MemberResource]
    plain = CSV().export_data(MemberResource().export(Member.objects.all()))
    assert "medical" not in plain
    assert "EpiPen" not in plain and "Asthma" not in plain
    assert CHILD_NAME[0] in plain
    noted = CSV().export_data(MemberWithMedicalNotesResource().export(Member.objects.all()))
    assert "medical_notes" in noted and "EpiPen" in noted


def test_the_admin_export_form_offers_medical_notes_only_as_a_second_choice(
    client, project_leader, child
):
    client.force_login(project_leader)
    page = client.get(reverse("admin:orchestra_member_export"))
    choices = page.context["form"].fields["resource"].choices
    assert [str(label) for _value, label in choices] == [
        "Members (without medical notes)",
        "Members with medical notes",
    ]


def import_members(text: str, *, dry_run: bool):
    dataset = CSV().create_dataset(text)
    return MemberResource().import_data(dataset, dry_run=dry_run)


HEADER = (
    "id,first_name,last_name,birth_date,gender,municipality,origin,origin_name,"
    "years_played,photo_consent,main_instrument,groups,status,leaving_reason"
)


def test_importing_members_is_all_or_nothing_with_row_errors(municipality, youth_group, season):
    good = (
        f"{HEADER}\n"
        f",Kari,Klarinett,2014-05-01,female,3203,school_band,Asker skolekorps,3,1,Clarinet,"
        f"{season.slug}/usym,active,\n"
    )
    bad = good + (",Lars,Luftig,2013-02-02,,3203,music_school,,2,0,Kazoo,nosuch/group,left,\n")
    result = import_members(bad, dry_run=False)
    assert result.has_validation_errors()
    errors = {field for row in result.invalid_rows for field in row.field_specific_errors}
    assert {"main_instrument", "groups", "leaving_reason"} <= errors
    assert not Member.objects.exists()

    preview = import_members(good, dry_run=True)
    assert not preview.has_errors() and not preview.has_validation_errors()
    assert not Member.objects.exists()

    result = import_members(good, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    member = Member.objects.get(last_name="Klarinett")
    assert member.member_instruments.get().instrument.name_en == "Clarinet"
    assert member.memberships.get().group == youth_group
    assert member.status_changes.get().status == "active"
    assert member.origin == "school_band"
    # The file says 1, but a consent is given by a guardian, versioned, never by a sheet.
    assert not member.photo_consent and not member.consents.exists()


def test_an_export_imports_again_unchanged_and_a_status_change_is_recorded(child, season):
    exported = CSV().export_data(MemberResource().export(Member.objects.all()))
    result = import_members(exported, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert child.status_changes.count() == 1
    assert child.memberships.count() == 2
    left = exported.replace(",active,", ",left,age_limit")
    result = import_members(left, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert child.status_changes.order_by(*StatusChange.LATEST_FIRST).first().reason == "age_limit"


def test_importing_guardians_links_their_children(child, other_child):
    text = (
        "email,first_name,last_name,phone,children\n"
        f"NY@example.org,Nina,Ny,90000000,{child.pk}:mother; {other_child.pk}:guardian\n"
        f"guardian@example.org,Gunn,Strykersen,+47 1,{other_child.pk}:mother\n"
    )
    dataset = CSV().create_dataset(text)
    result = GuardianResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    new = Guardian.objects.get(email="ny@example.org")
    assert set(new.guardianships.values_list("member_id", flat=True)) == {
        child.pk,
        other_child.pk,
    }
    known = Guardian.objects.get(email="guardian@example.org")
    assert known.phone == "+47 1"
    assert known.guardianships.count() == 2

    broken = CSV().create_dataset(
        "email,first_name,last_name,phone,children\nx@example.org,X,Y,,99999:mother\n"
    )
    result = GuardianResource().import_data(broken, dry_run=False)
    assert result.has_validation_errors()
    assert not Guardian.objects.filter(email="x@example.org").exists()

    exported = CSV().export_data(GuardianResource().export(Guardian.objects.all()))
    assert f"{child.pk}:mother" in exported


def test_the_admin_history_names_no_child(client, project_leader, child, rf, season):
    from django.contrib.admin.models import LogEntry

    client.force_login(project_leader)
    page = client.get(reverse("admin:orchestra_member_change", args=[child.pk]))
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(birth_date=child.birth_date.isoformat(), years_played=5, user="")
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, value in management.initial.items():
            data[f"{management.prefix}-{name}"] = value
        for inline in formset.formset.forms:
            for name, field in inline.fields.items():
                value = inline.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                data[f"{inline.prefix}-{name}"] = "" if value is None else value
            data[f"{inline.prefix}-id"] = inline.instance.pk
            data[f"{inline.prefix}-member"] = child.pk
    response = client.post(reverse("admin:orchestra_member_change", args=[child.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    child.refresh_from_db()
    assert child.years_played == 5

    request = rf.post("/")
    request.user = project_leader
    exported = CSV().export_data(MemberResource().export(Member.objects.all()))
    result = import_members(exported, dry_run=False)
    MemberAdmin(Member, None).generate_log_entries(result, request)

    entries = LogEntry.objects.filter(content_type__app_label="orchestra")
    assert entries.count() == 2
    history = " ".join(f"{e.object_repr} {e.change_message}" for e in entries)
    assert f"member {child.pk}" in history
    for name in CHILD_NAME:
        assert name not in history
    client.get(reverse("admin:index"))  # shows and clears the "was changed" message
    listing = client.get(reverse("admin:index")).content.decode()
    assert f"member {child.pk}" in listing
    for name in CHILD_NAME:
        assert name not in listing


@pytest.mark.parametrize("name", [m for m in MODELS if m != "consentacceptance"])
def test_staff_open_every_add_page(client, project_leader, name):
    client.force_login(project_leader)
    assert client.get(reverse(f"admin:orchestra_{name}_add")).status_code == 200


def test_consents_are_not_added_or_changed_in_the_admin(client, project_leader):
    client.force_login(project_leader)
    assert client.get(reverse("admin:orchestra_consentacceptance_add")).status_code == 403


def test_consent_texts_get_versions_and_published_ones_are_fixed(
    client, project_leader, photo_text
):
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:orchestra_consenttext_add"),
        {"kind": "photo", "text_nb": "Ny tekst", "text_en": ""},
    )
    assert response.status_code == 302
    draft = ConsentText.objects.get(kind="photo", version=2)
    assert draft.published_at is None
    page = client.get(reverse("admin:orchestra_consenttext_change", args=[photo_text.pk]))
    assert "text_nb" not in page.context["adminform"].form.fields
    client.post(
        reverse("admin:orchestra_consenttext_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.published_at is not None


def test_a_session_plan_saved_in_the_admin_makes_its_tutors_hosts(
    client, project_leader, tutor, season, youth_group
):
    """The tutors of a plan scan member cards at its session: the admin, like the API,
    saves plans through the service that makes them hosts."""
    session = EventFactory(period=season, kind=Event.Kind.SESSION, venue=None)
    client.force_login(project_leader)
    form = {"event": session.pk, "groups": [youth_group.pk], "sections": "[]"}
    added = client.post(reverse("admin:orchestra_sessionplan_add"), {**form, "tutors": []})
    assert added.status_code == 302, added.content.decode()
    plan = SessionPlan.objects.get(event=session)
    assert list(plan.groups.all()) == [youth_group]
    assert not session.hosts.exists()

    second_tutor = UserFactory(username="second-tutor")
    changed = client.post(
        reverse("admin:orchestra_sessionplan_change", args=[plan.pk]),
        {**form, "tutors": [tutor.pk, second_tutor.pk]},
    )
    assert changed.status_code == 302, changed.content.decode()
    assert set(plan.tutors.all()) == {tutor, second_tutor}
    assert set(session.hosts.all()) == {tutor, second_tutor}
