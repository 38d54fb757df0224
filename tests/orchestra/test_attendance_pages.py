# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Attendance pages for every role: the leader's session page, the weekend overview, the
list of sessions, the guardian's absence page, member cards and the statistics."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from orchestra.models import Attendance, LeaveOfAbsence, MemberCard
from orchestra.services import attendance as services
from tests.orchestra.factories import (
    CHILD_NAME,
    OTHER_CHILD_NAME,
    AttendanceFactory,
    LeaveOfAbsenceFactory,
)
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    coming,
    make_weekend,
    other_tutor,
    today,
    trumpeter,
)

CHILD = " ".join(CHILD_NAME)
CHILD_SHORT = f"{CHILD_NAME[0]} {CHILD_NAME[1][0]}."
MEDICAL = "Nut allergy"

ROLES = [
    "anonymous",
    "nobody",
    "artist",
    "juror",
    "venue_host",
    "tutor",  # leads the tutti and the strings
    "other_tutor",  # leads the brass
    "guardian",  # of the child
    "other_guardian",  # of another child
    "member_user",  # the teen's own login
    "project_leader",
    "admin_user",
]


@pytest.fixture
def login(client, request):
    def as_user(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return as_user


def expected_status(role, allowed, *, anonymous=302, others=403):
    if role == "anonymous":
        return anonymous
    return 200 if role in allowed else others


@pytest.mark.parametrize("role", ROLES)
def test_the_session_page_is_for_its_leaders_and_staff(
    login, role, today, member_user, other_guardian
):
    _weekend, plans = today
    url = reverse("orchestra:session_attendance", args=[plans["tutti"].event_id])
    response = login(role).get(url)
    status = expected_status(role, {"tutor", "project_leader", "admin_user"}, others=404)
    assert response.status_code == status
    content = response.content.decode()
    assert MEDICAL not in content
    assert "guardian@example.org" not in content and "+47 900" not in content
    if role == "tutor":
        assert CHILD_SHORT in content and CHILD not in content
    if role in ("project_leader", "admin_user"):
        assert CHILD in content


@pytest.mark.parametrize("role", ROLES)
def test_the_leaders_index_and_weekend_overview(login, role, today, member_user, other_guardian):
    weekend, _plans = today
    leaders = {"tutor", "other_tutor", "project_leader", "admin_user"}
    client = login(role)
    index = client.get(reverse("orchestra:attendance_index"))
    assert index.status_code == expected_status(role, leaders)
    overview = client.get(reverse("orchestra:weekend_attendance", args=[weekend.pk]))
    assert overview.status_code == expected_status(role, leaders)
    if role == "other_tutor":
        content = overview.content.decode()
        assert "Brass" in content and "Tutti" not in content


@pytest.mark.parametrize("role", ROLES)
def test_marking_attendance_by_hand(login, role, today, child, member_user, other_guardian):
    _weekend, plans = today
    url = reverse("orchestra:session_attendance_mark", args=[plans["tutti"].event_id])
    response = login(role).post(
        url, {"member": child.pk, "status": "present"}, HTTP_ACCEPT="application/json"
    )
    leaders = {"tutor", "project_leader", "admin_user"}
    assert response.status_code == expected_status(role, leaders, others=404)
    recorded = Attendance.objects.filter(member=child, status="present").exists()
    assert recorded == (role in leaders)
    if role in leaders:
        body = response.json()
        assert body["status"] == "present" and body["counts"]["present"] == 1


def test_marking_without_script_redirects_and_reports_errors(client, tutor, today, trumpeter):
    _weekend, plans = today
    client.force_login(tutor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("orchestra:session_attendance_mark", args=[plans["strings"].event_id])
    response = client.post(url, {"member": trumpeter.pk, "status": "present"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert "does not expect" in page.content.decode()
    json_answer = client.post(
        url, {"member": trumpeter.pk, "status": "present"}, HTTP_ACCEPT="application/json"
    )
    assert json_answer.status_code == 400


def test_the_page_shows_answers_leaves_and_who_has_not_answered(
    client, tutor, today, child, other_child, teen, guardian
):
    _weekend, plans = today
    tutti = plans["tutti"].event
    AttendanceFactory(member=other_child, session=tutti, reply="not_coming", reason="school")
    LeaveOfAbsenceFactory(
        member=teen,
        starts_on=timezone.localdate() - timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=1),
        reason="travel",
    )
    client.force_login(tutor)
    content = client.get(reverse("orchestra:session_attendance", args=[tutti.pk])).content.decode()
    assert "Not coming" in content or "Kommer ikke" in content
    assert 'data-count="not_answered">2<' in content  # the child and the trumpeter
    assert 'data-count="excused">2<' in content


def test_closing_and_the_scanner_button(client, tutor, today, child):
    _weekend, plans = today
    client.force_login(tutor)
    session = plans["tutti"].event
    response = client.post(reverse("orchestra:session_scanner", args=[session.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/checkin/")
    assert client.get(response.url).status_code == 200
    client.post(reverse("orchestra:session_attendance_close", args=[session.pk]))
    assert Attendance.objects.filter(session=session, status="absent").count() == 4


def test_the_session_page_reads_a_fixed_number_of_queries(
    client, project_leader, today, municipality, youth_group, django_assert_max_num_queries
):
    from tests.orchestra.factories import new_member

    _weekend, plans = today
    url = reverse("orchestra:session_attendance", args=[plans["tutti"].event_id])
    client.force_login(project_leader)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    for number in range(8):
        new_member(
            ("Extra", f"Member{number}"), age=12, municipality=municipality, groups=[youth_group]
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert "Member7" in response.content.decode()


# The guardian's absence page ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_absence_page_shows_only_ones_own_children(
    login, role, coming, child, member_user, other_guardian
):
    response = login(role).get(reverse("orchestra:absence"))
    allowed = {"guardian", "other_guardian", "member_user"}
    # The page and its forms are about the family's members (ANSWER_FOR_MEMBER): a login
    # that answers for nobody is not told they exist.
    assert response.status_code == expected_status(role, allowed, others=404)
    content = response.content.decode()
    assert MEDICAL not in content
    if role == "guardian":
        assert CHILD in content and " ".join(OTHER_CHILD_NAME) not in content
        assert "Tutti" in content and "Brass" not in content
        ids = re.findall(r'id="(reason-[^"]+)"', content)
        assert len(ids) == 3 and len(set(ids)) == 3  # the weekend, the tutti, the strings
    if role == "other_guardian":
        assert CHILD not in content


def test_a_guardian_answers_and_sets_a_leave_on_the_page(client, guardian, coming, child):
    weekend, plans = coming
    client.force_login(guardian)
    response = client.post(
        reverse("orchestra:absence_reply"),
        {"member": child.pk, "weekend": weekend.pk, "reply": "not_coming", "reason": "illness"},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(member=child, reply="not_coming").count() == 2
    client.post(
        reverse("orchestra:absence_reply"),
        {"member": child.pk, "session": plans["strings"].event_id, "reply": "coming"},
    )
    assert Attendance.objects.get(member=child, session=plans["strings"].event).reply == "coming"
    day = timezone.localdate() + timedelta(days=20)
    client.post(
        reverse("orchestra:leave_set"),
        {"member": child.pk, "starts_on": day, "ends_on": day, "reason": "travel"},
    )
    leave = LeaveOfAbsence.objects.get(member=child)
    page = client.get(reverse("orchestra:absence")).content.decode()
    assert "leave" in page.lower() or "permisjon" in page.lower()
    client.post(reverse("orchestra:leave_end", args=[leave.pk]))
    assert not LeaveOfAbsence.objects.exists()


def details_of(content, member):
    """Return the opening tag of a member's folding section on the absence page."""
    return re.search(rf'<details class="card absence-child" id="child-{member.pk}"[^>]*>', content)[
        0
    ]


def test_a_missing_reason_is_shown_first_and_beside_its_field(
    client, guardian, coming, two_children
):
    weekend, _plans = coming
    child, teen = two_children
    client.force_login(guardian)
    response = client.post(
        reverse("orchestra:absence_reply"),
        {"member": teen.pk, "weekend": weekend.pk, "reply": "not_coming", "reason": ""},
    )
    # Rendered, not redirected: the page lands on the summary at the top, which has focus.
    assert response.status_code == 400
    content = response.content.decode()
    assert f'action="{reverse("orchestra:absence_reply")}#absence-errors"' in content
    summary = re.search(
        r'<div class="error-summary" id="absence-errors"([^>]*)>(.*?)</div>', content, re.S
    )
    assert 'role="alert"' in summary[1] and "autofocus" in summary[1]
    field = f"reason-{teen.pk}-w{weekend.pk}"
    assert f'<a href="#{field}">Oppgi grunnen til fraværet.</a>' in summary[2]
    # The field in the teen's open section says what is wrong, and nothing else does.
    assert f'aria-describedby="{field}-error"' in content
    assert f'<p class="field-error" id="{field}-error">Oppgi grunnen til fraværet.</p>' in content
    assert content.count('aria-invalid="true"') == 1
    assert " open" in details_of(content, teen)
    assert " open" not in details_of(content, child)
    assert not Attendance.objects.exists()


def test_each_child_folds_and_an_answer_reopens_its_childs_section(
    client, guardian, coming, two_children
):
    weekend, _plans = coming
    child, teen = two_children
    client.force_login(guardian)
    content = client.get(reverse("orchestra:absence")).content.decode()
    assert " open" not in details_of(content, child)
    assert " open" not in details_of(content, teen)
    assert "2 uten svar" in content or "3 uten svar" in content

    response = client.post(
        reverse("orchestra:absence_reply"),
        {"member": teen.pk, "weekend": weekend.pk, "reply": "coming"},
    )
    # The address names the child by id, never by name.
    assert response["Location"] == f"{reverse('orchestra:absence')}?child={teen.pk}#child-{teen.pk}"
    content = client.get(response["Location"]).content.decode()
    assert " open" in details_of(content, teen)
    assert " open" not in details_of(content, child)


def test_a_leave_without_dates_is_shown_in_its_open_form(client, guardian, coming, child):
    client.force_login(guardian)
    response = client.post(
        reverse("orchestra:leave_set"), {"member": child.pk, "starts_on": "", "reason": "travel"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert f'<a href="#leave-from-{child.pk}">' in content
    assert '<details class="absence-leave-form" open>' in content
    assert not LeaveOfAbsence.objects.exists()


def test_a_guardian_cannot_answer_for_another_child(client, other_guardian, coming, child):
    weekend, _plans = coming
    client.force_login(other_guardian)
    response = client.post(
        reverse("orchestra:absence_reply"),
        {"member": child.pk, "weekend": weekend.pk, "reply": "coming"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("orchestra:leave_set"),
        {"member": child.pk, "starts_on": "2030-01-01", "ends_on": "2030-01-02", "reason": "other"},
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists() and not LeaveOfAbsence.objects.exists()


def test_a_member_answers_for_themself_but_sets_no_leave(client, member_user, teen, coming):
    weekend, _plans = coming
    client.force_login(member_user)
    client.post(
        reverse("orchestra:absence_reply"),
        {"member": teen.pk, "weekend": weekend.pk, "reply": "coming"},
    )
    assert Attendance.objects.filter(member=teen, reply="coming").count() == 2
    client.post(
        reverse("orchestra:leave_set"),
        {"member": teen.pk, "starts_on": "2030-01-01", "ends_on": "2030-01-02", "reason": "other"},
    )
    assert not LeaveOfAbsence.objects.exists()


# Member cards and statistics ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_member_cards_for_staff_and_guardians(
    login, role, today, child, trumpeter, member_user, other_guardian
):
    client = login(role)
    response = client.get(reverse("orchestra:member_cards"))
    allowed = {"guardian", "other_guardian", "project_leader", "admin_user"}
    assert response.status_code == expected_status(role, allowed)
    assert not MemberCard.objects.exists()  # showing the page issues no card
    issued = client.post(reverse("orchestra:member_cards_issue"))
    if role not in allowed:
        assert issued.status_code == (302 if role == "anonymous" else 403)
        assert not MemberCard.objects.exists()
        return
    assert issued.status_code == 302 and issued.url.startswith(reverse("orchestra:member_cards"))
    content = client.get(issued.url).content.decode()
    if role == "guardian":
        assert CHILD in content and " ".join(OTHER_CHILD_NAME) not in content
        assert set(MemberCard.objects.values_list("member", flat=True)) == {child.pk}
        assert child.cards.get().ticket.display_code in content
    if role == "other_guardian":
        assert CHILD not in content and not child.cards.exists()
    if role in ("project_leader", "admin_user"):
        assert CHILD in content and "Tor Trompet" in content
        assert trumpeter.cards.get().ticket.display_code in content


@pytest.mark.parametrize("role", ROLES)
def test_the_statistics_are_for_staff(login, role, today, child, member_user, other_guardian):
    _weekend, plans = today
    services.record_attendance(
        session=plans["tutti"].event,
        member=child,
        status="present",
        by=plans["tutti"].tutors.get(),
    )
    response = login(role).get(reverse("orchestra:attendance_statistics"))
    assert response.status_code == expected_status(role, {"project_leader", "admin_user"})
    if response.status_code == 200:
        content = response.content.decode()
        assert CHILD in content and "100 %" in content


@pytest.mark.parametrize("role", ROLES)
def test_the_printable_card_list_is_for_the_sessions_leaders(
    login, role, today, child, member_user, other_guardian
):
    _weekend, plans = today
    url = reverse("orchestra:session_sheet", args=[plans["strings"].event_id])
    client = login(role)
    response = client.get(url)
    leaders = {"tutor", "project_leader", "admin_user"}
    assert response.status_code == expected_status(role, leaders, others=404)
    assert not MemberCard.objects.exists()  # showing the list issues no card
    issue_url = reverse("orchestra:session_sheet_issue", args=[plans["strings"].event_id])
    issued = client.post(issue_url)
    if role not in leaders:
        assert issued.status_code == (302 if role == "anonymous" else 404)
        assert not MemberCard.objects.exists()
        return
    assert issued.status_code == 302 and issued.url == url
    content = client.get(url).content.decode()
    card = child.cards.get()
    assert reverse("ticketing:ticket_qr_svg", args=[card.ticket.secret]) in content
    assert "Tor" not in content  # the trumpeter is not at the strings sectional
    assert not MemberCard.objects.filter(member__first_name="Tor").exists()
    assert (CHILD_SHORT in content) == (role == "tutor")


def test_a_scan_from_the_printed_list_marks_present(client, tutor, today, child):
    from ticketing.services import redeem_ticket

    _weekend, plans = today
    client.force_login(tutor)
    client.post(reverse("orchestra:session_sheet_issue", args=[plans["tutti"].event_id]))
    checkin_list = services.session_checkin_list(plans["tutti"])
    secret = child.cards.get().ticket.secret
    answer = redeem_ticket(secret=secret, checkin_list=checkin_list, user=tutor).answer
    assert answer["status"] == "ok"
    assert Attendance.objects.get(member=child, session=plans["tutti"].event).status in (
        "present",
        "late",
    )
