"""Messages to groups (core.group_messages) to the orchestra's audiences, end to end: the
emails through a real SMTP server, the SMS through the fake Twilio API, in each person's
language, with a reply-to of the sender and once only; the audiences; the schedule."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import audiences, group_messages
from core.due import send_due_messages
from core.models import ContactPreference, GroupMessage, GroupMessageRecipient, OutboundMessage
from core.reach import unsubscribe
from orchestra import services
from orchestra.models import Guardian, Instrument, MemberInstrument, StatusChange, TourParticipant
from orchestra.services import tours as tour_services
from tests.factories import EventFactory, UserFactory
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME, new_member

pytestmark = pytest.mark.django_db

CHILD_WORDS = [*CHILD_NAME[:1], *OTHER_CHILD_NAME[:1], *TEEN_NAME[:1]]


def subject(received) -> str:
    return str(make_header(decode_header(received["Subject"])))


def plain_text(received) -> str:
    part = received.get_payload(decode=True) if not received.is_multipart() else None
    return (part or received.get_payload(0).get_payload(decode=True)).decode()


@pytest.fixture
def leader(project_leader):
    project_leader.email = "leder@kulturvest.example"
    project_leader.first_name, project_leader.last_name = "Lene", "Leder"
    project_leader.save()
    return project_leader


@pytest.fixture
def group_of_three(child, other_child, member_user, guardian):
    """The youth group: the child (guardian, who reads English and wants SMS), the other
    child (other guardian) and the teen with their own login."""
    ContactPreference.objects.create(user=guardian, language="en", mobile="+4791234567", sms=True)
    return child.memberships.get(group__slug="usym").group


def draft(leader, group, **overrides):
    values = {
        "audience": "orchestra.group_guardians",
        "audience_params": {"group": str(group.pk)},
        "category": "group_message",
        "subject_nb": "Konsert lørdag",
        "text_nb": "Husk svarte klær og notestativ.",
        "subject_en": "Concert on Saturday",
        "text_en": "Remember black clothes and a music stand.",
        "sms_text": "Konsert lørdag: svarte klær.",
    }
    values.update(overrides)
    return group_messages.save_draft(by=leader, **values)


def test_a_message_to_a_group_reaches_each_guardian_once_in_their_language(
    smtp, twilio, django_capture_on_commit_callbacks, leader, group_of_three, guardian
):
    sink, fake = smtp(), twilio()
    message = draft(leader, group_of_three)
    with django_capture_on_commit_callbacks(execute=True):
        assert group_messages.send_message(message, by=leader) == 4  # 3 emails, 1 SMS
    by_address = {m["To"]: m for m in sink.received}
    assert set(by_address) == {
        "guardian@example.org",
        "other-guardian@example.org",
        "maja@example.org",
    }
    english = by_address["guardian@example.org"]
    assert subject(english) == "Concert on Saturday"
    assert "Remember black clothes" in plain_text(english)
    norwegian = by_address["other-guardian@example.org"]
    assert subject(norwegian) == "Konsert lørdag"
    assert "Husk svarte klær" in plain_text(norwegian)
    for received in sink.received:
        assert received["Reply-To"] == "leder@kulturvest.example"
        assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/avmeld/" in received["List-Unsubscribe"]
        text = plain_text(received) + subject(received)
        assert not [word for word in CHILD_WORDS if word in text]
    (sms,) = fake.requests
    assert sms["form"]["To"] == "+4791234567"
    assert sms["form"]["Body"] == "Konsert lørdag: svarte klær."

    # Sending again, or a scheduled run, sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert group_messages.send_message(message, by=leader) == 0
        send_due_messages(timezone.now() + timedelta(days=1))
    assert len(sink.received) == 3 and len(fake.requests) == 1
    message.refresh_from_db()
    assert message.status == "sent"
    rows = {r.email: r for r in message.recipients.all()}
    assert rows["guardian@example.org"].language == "en"
    assert rows["maja@example.org"].role == "member"
    teen_label = rows["maja@example.org"].label
    assert str(rows["maja@example.org"].user.orchestra_member.pk) in teen_label
    assert TEEN_NAME[0] not in teen_label
    assert rows["guardian@example.org"].sms_message.status == "sent"


def test_a_muted_guardian_is_skipped_and_shown_so_but_a_safety_message_reaches_them(
    smtp, twilio, django_capture_on_commit_callbacks, leader, group_of_three, client
):
    sink, fake = smtp(), twilio()
    unsubscribe("other-guardian@example.org", "group_message")
    ordinary = draft(leader, group_of_three, sms_text="")
    with django_capture_on_commit_callbacks(execute=True):
        group_messages.send_message(ordinary, by=leader)
    assert "other-guardian@example.org" not in {m["To"] for m in sink.received}
    muted = ordinary.recipients.get(email="other-guardian@example.org")
    assert muted.skipped == "muted" and muted.email_message is None
    client.force_login(leader)
    page = client.get(reverse("core:group_message", args=[ordinary.pk])).content.decode()
    assert f'id="recipient-{muted.pk}" data-skipped="muted"' in page
    assert 'data-count="skipped">1<' in page

    sink.received.clear()
    safety = draft(leader, group_of_three, category="safety", subject_nb="Savnet barn funnet")
    with django_capture_on_commit_callbacks(execute=True):
        group_messages.send_message(safety, by=leader)
    received = {m["To"]: m for m in sink.received}
    assert "other-guardian@example.org" in received
    assert all(m["List-Unsubscribe"] is None for m in sink.received)
    # A child's safety is urgent: by SMS too, for those who want SMS.
    assert [r["form"]["To"] for r in fake.requests] == ["+4791234567"]


def test_a_failed_delivery_shows_in_the_report_and_on_the_staff_dashboard_and_is_resent(
    smtp, django_capture_on_commit_callbacks, leader, group_of_three, client
):
    sink = smtp(refuse_rcpt=["other-guardian@example.org"])
    message = draft(leader, group_of_three, sms_text="")
    with django_capture_on_commit_callbacks(execute=True):
        group_messages.send_message(message, by=leader)
    failed = message.recipients.get(email="other-guardian@example.org")
    assert failed.email_message.status == OutboundMessage.Status.FAILED
    assert "550" in failed.email_message.last_error
    client.force_login(leader)
    page = client.get(reverse("core:group_message", args=[message.pk])).content.decode()
    assert 'data-count="failed">1<' in page and 'data-email-status="failed"' in page
    listing = client.get(reverse("core:group_messages")).content.decode()
    assert 'data-failed="1"' in listing
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-count="failed-messages">1<' in dashboard

    sink.refuse_rcpt.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("core:group_message_resend", args=[failed.pk]))
    assert answer.status_code == 302
    failed.email_message.refresh_from_db()
    assert failed.email_message.status == "sent"
    assert [m["To"] for m in sink.received].count("other-guardian@example.org") == 1


def test_a_scheduled_message_is_sent_at_its_time_once(
    smtp, django_capture_on_commit_callbacks, leader, group_of_three
):
    sink = smtp()
    message = draft(leader, group_of_three, sms_text="")
    at = timezone.now() + timedelta(hours=2)
    group_messages.schedule_message(message, by=leader, at=at)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_messages", "--at", (at - timedelta(minutes=1)).isoformat())
    assert sink.received == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_messages", "--at", at.isoformat())
        call_command("send_due_messages", "--at", at.isoformat())
        send_due_messages(at + timedelta(hours=1))
    assert len(sink.received) == 3
    message.refresh_from_db()
    assert (message.status, message.sent_at) == ("sent", at)


def test_a_moment_in_the_past_cannot_be_scheduled(leader, group_of_three):
    message = draft(leader, group_of_three)
    with pytest.raises(ValidationError) as raised:
        group_messages.schedule_message(message, by=leader, at=timezone.now())
    assert list(raised.value.message_dict) == ["scheduled_at"]


# The audiences ---------------------------------------------------------------------------


def labels(found) -> list[str]:
    return [r.label for r in found]


def test_group_guardians_are_the_current_members_guardians_and_own_logins(
    group_of_three, child, municipality, youth_group, django_assert_max_num_queries
):
    # One who left and one applicant are not reached; the guardian of two is reached once.
    gone = new_member(("Borte", "Vekk"), age=12, municipality=municipality, groups=[youth_group])
    services.add_guardian(
        member=gone,
        relation="mother",
        by=None,
        first_name="Gro",
        last_name="Gått",
        email="gone@example.org",
    )
    StatusChange.objects.create(
        member=gone, status="left", reason="other", since=timezone.localdate()
    )
    with django_assert_max_num_queries(4):
        found = audiences.recipients_of("orchestra.group_guardians", {"group": youth_group.pk})
    assert sorted(r.email for r in found) == [
        "guardian@example.org",
        "maja@example.org",
        "other-guardian@example.org",
    ]
    assert not [w for w in CHILD_WORDS + ["Borte"] if any(w in label for label in labels(found))]


def test_section_and_season_audiences(group_of_three, child, other_child, youth_group):
    season = youth_group.season
    cello = Instrument.objects.get(name_en="Cello")
    MemberInstrument.objects.filter(member=other_child).update(instrument=cello)
    strings = audiences.recipients_of(
        "orchestra.section_guardians", {"season": season.pk, "section": cello.section}
    )
    # Violin and cello are both strings.
    assert len(strings) == 3
    brass = audiences.recipients_of(
        "orchestra.section_guardians", {"season": season.pk, "section": "brass"}
    )
    assert brass == []
    whole = audiences.recipients_of("orchestra.season_guardians", {"season": season.pk})
    assert {r.email for r in whole} == {r.email for r in strings}


def test_a_tour_reaches_its_adults_and_the_guardians_of_its_players(
    group_of_three, child, season, django_assert_max_num_queries
):
    event = EventFactory(period=season, kind="tour", title_nb="Spania")
    tour = tour_services.create_tour(event=event, destination="Spania")
    TourParticipant.objects.create(tour=tour, role="player", member=child)
    TourParticipant.objects.create(
        tour=tour, role="tour_leader", name="Tor Leder", email="tor@example.org"
    )
    TourParticipant.objects.create(
        tour=tour,
        role="guest",
        name="Ung Gjest",
        email="gjest@example.org",
        birth_date=timezone.localdate() - timedelta(days=14 * 365),
    )
    # The choices, the participants, the players, their guardians and own logins.
    with django_assert_max_num_queries(5):
        found = audiences.recipients_of("orchestra.tour", {"tour": tour.pk})
    assert [(r.label, r.email) for r in found] == [
        ("Tor Leder", "tor@example.org"),
        ("Gunn Strykersen", "guardian@example.org"),
    ]


def test_a_parameter_that_is_not_a_choice_is_refused(group_of_three):
    with pytest.raises(Exception) as raised:
        audiences.recipients_of("orchestra.group_guardians", {"group": "999999"})
    assert "group" in raised.value.message_dict


# A guardian's own page --------------------------------------------------------------------


def test_guardians_see_the_messages_sent_to_them_and_nobody_else_s(
    smtp,
    django_capture_on_commit_callbacks,
    leader,
    group_of_three,
    guardian,
    other_guardian,
    client,
    django_assert_max_num_queries,
):
    smtp()
    message = draft(leader, group_of_three, sms_text="")
    with django_capture_on_commit_callbacks(execute=True):
        group_messages.send_message(message, by=leader)
    client.force_login(guardian)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("core:my_messages")).content.decode()
    assert f'id="my-message-{message.pk}"' in page
    assert "Remember black clothes" in page  # they read English
    assert "Odd Trompetsen" not in page and "other-guardian@example.org" not in page
    assert not [word for word in CHILD_WORDS if word in page]
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="panel-core-messages-to-me"' in dashboard
    client.force_login(other_guardian)
    page = client.get(reverse("core:my_messages")).content.decode()
    assert "Husk svarte klær" in page and "Gunn" not in page
    # A visitor with no role who got nothing sees no such page.
    client.force_login(UserFactory(username="stranger"))
    assert client.get(reverse("core:my_messages")).status_code == 403


def test_guardian_records_without_a_login_are_reached_by_their_address(
    smtp, django_capture_on_commit_callbacks, leader, group_of_three, child
):
    sink = smtp()
    services.add_guardian(
        member=child,
        relation="father",
        by=None,
        first_name="Far",
        last_name="Uten",
        email="far@example.org",
    )
    assert Guardian.objects.get(email="far@example.org").user_id is None
    message = draft(leader, group_of_three, sms_text="")
    with django_capture_on_commit_callbacks(execute=True):
        group_messages.send_message(message, by=leader)
    assert "far@example.org" in {m["To"] for m in sink.received}
    assert GroupMessageRecipient.objects.get(message=message, email="far@example.org").user is None
    assert GroupMessage.objects.get(pk=message.pk).status == "sent"


def test_an_anonymised_member_s_guardian_and_own_login_leave_the_reports(
    leader, group_of_three, other_child, member_user, teen
):
    from orchestra.services.retention import anonymise_member

    message = draft(leader, group_of_three, sms_text="")
    group_messages.send_message(message, by=leader)
    assert message.recipients.filter(email="other-guardian@example.org").exists()
    anonymise_member(other_child, by=leader)
    anonymise_member(teen, by=leader)
    assert sorted(message.recipients.values_list("email", flat=True)) == ["guardian@example.org"]


def test_sent_messages_are_deleted_by_their_retention_rule(settings, leader, group_of_three):
    from core.retention import apply_retention

    message = draft(leader, group_of_three, sms_text="")
    group_messages.send_message(message, by=leader, now=timezone.now() - timedelta(days=400))
    kept = draft(leader, group_of_three, sms_text="")
    group_messages.send_message(kept, by=leader)
    waiting = draft(leader, group_of_three)
    apply_retention()
    assert set(GroupMessage.objects.values_list("pk", flat=True)) == {kept.pk, waiting.pk}
    assert not GroupMessageRecipient.objects.filter(message_id=message.pk).exists()
