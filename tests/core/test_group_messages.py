"""The staff pages and the API of messages to groups (core.group_messages), with the hosts
of an edition's events as the audience: compose, preview per language, send, schedule,
the report and the lists in a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core import group_messages
from core.models import ContactPreference, GroupMessage
from core.roles import Role
from tests.factories import EventFactory, PeriodFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(db):
    return PeriodFactory(name="Kunst rett vest 2026")


def add_hosts(edition, count: int, *, first: int = 0) -> list:
    event = EventFactory(period=edition)
    hosts = [
        UserFactory(username=f"vert{n}", roles=[Role.VENUE_HOST])
        for n in range(first, first + count)
    ]
    event.hosts.add(*hosts)
    return hosts


def write(by, edition, **overrides) -> GroupMessage:
    values = {
        "audience": "events.hosts",
        "audience_params": {"period": str(edition.pk)},
        "category": "group_message",
        "subject_nb": "Vaktliste",
        "text_nb": "Vaktlisten for helgen er klar.",
        "subject_en": "Rota",
        "text_en": "The rota for the weekend is ready.",
    }
    values.update(overrides)
    return group_messages.save_draft(by=by, **values)


def test_staff_compose_preview_and_send(
    smtp, django_capture_on_commit_callbacks, client, project_leader, edition
):
    sink = smtp()
    hosts = add_hosts(edition, 2)
    ContactPreference.objects.create(user=hosts[1], language="en")
    client.force_login(project_leader)
    first = client.get(reverse("core:group_message_compose")).content.decode()
    assert 'id="audience-form"' in first and 'value="events.hosts"' in first
    form = client.get(reverse("core:group_message_compose"), {"audience": "events.hosts"})
    assert 'name="param_period"' in form.content.decode()
    answer = client.post(
        reverse("core:group_message_compose"),
        {
            "audience": "events.hosts",
            "param_period": str(edition.pk),
            "category": "group_message",
            "subject_nb": "Vaktliste",
            "text_nb": "Vaktlisten for helgen er klar.",
            "subject_en": "Rota",
            "text_en": "The rota for the weekend is ready.",
            "sms_text": "",
        },
    )
    message = GroupMessage.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "core:group_message", args=[message.pk]
    )
    assert message.reply_to == project_leader.email and message.status == "draft"
    page = client.get(answer["Location"]).content.decode()
    assert 'id="recipient-count" data-count="2"' in page
    assert 'id="preview-nb" lang="nb" data-recipients="1"' in page
    assert 'id="preview-en" lang="en" data-recipients="1"' in page
    assert "The rota for the weekend is ready." in page and "Vaktlisten for helgen" in page
    assert sink.received == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("core:group_message_send", args=[message.pk]), {"action": "send"}
        )
        # A second click sends nothing more.
        client.post(reverse("core:group_message_send", args=[message.pk]), {"action": "send"})
    assert sent.status_code == 302
    assert sorted(m["To"] for m in sink.received) == ["vert0@example.org", "vert1@example.org"]
    report = client.get(reverse("core:group_message", args=[message.pk])).content.decode()
    assert 'data-count="sent">2<' in report and 'data-message-status="sent"' in report


def test_a_form_error_names_the_field(client, project_leader, edition):
    client.force_login(project_leader)
    answer = client.post(
        reverse("core:group_message_compose"),
        {"audience": "events.hosts", "param_period": "", "category": "group_message"},
    )
    assert answer.status_code == 200
    assert not GroupMessage.objects.exists()
    form = answer.context["form"]
    assert {"param_period", "subject_nb", "text_nb"} <= set(form.errors)


def test_english_subject_without_english_text_is_refused(project_leader, edition):
    with pytest.raises(ValidationError) as raised:
        write(project_leader, edition, text_en="")
    assert list(raised.value.message_dict) == ["text_en"]


def test_staff_schedule_and_take_back_from_the_page(client, project_leader, edition):
    add_hosts(edition, 1)
    message = write(project_leader, edition)
    client.force_login(project_leader)
    at = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    client.post(
        reverse("core:group_message_send", args=[message.pk]),
        {"action": "schedule", "scheduled_at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    message.refresh_from_db()
    assert (message.status, message.scheduled_at) == ("scheduled", at)
    client.post(reverse("core:group_message_send", args=[message.pk]), {"action": "unschedule"})
    message.refresh_from_db()
    assert (message.status, message.scheduled_at) == ("draft", None)
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("core:group_message_send", args=[message.pk]),
        {"action": "schedule", "scheduled_at": past},
    )
    message.refresh_from_db()
    assert message.status == "draft"


def test_the_lists_and_the_report_cost_the_same_queries_however_many_rows(
    smtp,
    django_capture_on_commit_callbacks,
    client,
    project_leader,
    edition,
    django_assert_max_num_queries,
):
    smtp()
    client.force_login(project_leader)

    def make(count, first):
        add_hosts(edition, count, first=first)
        message = write(project_leader, edition)
        with django_capture_on_commit_callbacks(execute=True):
            group_messages.send_message(message, by=project_leader)
        return message

    small = make(1, 0)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("core:group_messages"))
    with django_assert_max_num_queries(30) as report_few:
        client.get(reverse("core:group_message", args=[small.pk]))
    large = make(6, 10)
    for _n in range(3):
        write(project_leader, edition)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("core:group_messages")).content.decode()
    assert page.count('id="group-message-') == 5
    with django_assert_max_num_queries(len(report_few.captured_queries)):
        report = client.get(reverse("core:group_message", args=[large.pk])).content.decode()
    assert report.count('id="recipient-') == 7

    host = large.recipients.get(email="vert10@example.org").user
    client.force_login(host)
    with django_assert_max_num_queries(30) as mine:
        page = client.get(reverse("core:my_messages")).content.decode()
    assert page.count('id="my-message-') == 1
    for _n in range(3):
        make(0, 0)
    with django_assert_max_num_queries(len(mine.captured_queries)):
        page = client.get(reverse("core:my_messages")).content.decode()
    assert page.count('id="my-message-') == 4


def test_the_preview_is_rendered_in_each_language(project_leader, edition):
    add_hosts(edition, 1)
    message = write(project_leader, edition, category="safety")
    preview = group_messages.preview(message)
    nb, en = preview.previews
    assert (nb.language, nb.subject, en.language, en.subject) == ("nb", "Vaktliste", "en", "Rota")
    with translation.override("en"):
        assert "Choose which messages you get" not in en.text  # safety: no opt-out line
    ordinary = group_messages.preview(write(project_leader, edition))
    assert "Choose which messages you get" in ordinary.previews[1].text


# The API ---------------------------------------------------------------------------------


def test_the_api_writes_previews_sends_and_reports(
    smtp, django_capture_on_commit_callbacks, api_as, check_schema, project_leader, edition
):
    sink = smtp()
    add_hosts(edition, 2)
    api = api_as(project_leader)
    created = api.post(
        "/api/v1/group-messages/",
        {
            "audience": "events.hosts",
            "audience_params": {"period": str(edition.pk)},
            "subject_nb": "Vakt",
            "text_nb": "Tekst",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    data = check_schema(created)
    assert data["status"] == "draft" and data["audience_label"].endswith(edition.name)
    url = f"/api/v1/group-messages/{data['id']}/"
    preview = check_schema(api.get(url + "preview/"))
    assert preview["total"] == 2
    audiences_list = check_schema(api.get("/api/v1/message-audiences/"))
    assert "events.hosts" in [a["key"] for a in audiences_list]
    with django_capture_on_commit_callbacks(execute=True):
        sent = check_schema(api.post(url + "send/"))
    assert sent["queued"] == 2 and sent["message"]["status"] == "sent"
    assert len(sink.received) == 2
    rows = check_schema(api.get(url + "recipients/"))
    assert sorted(r["email_status"] for r in rows) == ["sent", "sent"]
    listing = check_schema(api.get("/api/v1/group-messages/"))
    assert listing["results"][0]["recipient_count"] == 2

    later = check_schema(
        api.post(
            "/api/v1/group-messages/",
            {
                "audience": "events.hosts",
                "audience_params": {"period": str(edition.pk)},
                "subject_nb": "Senere",
                "text_nb": "Tekst",
            },
            format="json",
        )
    )
    at = (timezone.now() + timedelta(hours=3)).isoformat()
    scheduled = api.post(f"/api/v1/group-messages/{later['id']}/schedule/", {"scheduled_at": at})
    assert check_schema(scheduled)["status"] == "scheduled"
    bad = api.post(
        "/api/v1/group-messages/",
        {"audience": "nothing", "subject_nb": "x", "text_nb": "y"},
        format="json",
    )
    assert bad.status_code == 400 and "audience" in bad.json()


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.ARTIST, Role.VENUE_HOST, Role.JUROR])
def test_only_staff_reach_the_api(api_as, role, project_leader, edition):
    message = write(project_leader, edition)
    api = api_as(UserFactory(username="someone", roles=[role]))
    assert api.get("/api/v1/group-messages/").status_code == 403
    assert api.post(f"/api/v1/group-messages/{message.pk}/send/").status_code == 403
    assert api_as(None).get("/api/v1/group-messages/").status_code in (401, 403)
