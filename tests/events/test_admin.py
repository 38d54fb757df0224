"""The admin: who may open it, constant query counts, sessions inline, cancel actions."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.demo import OSLO
from events.models import Event, Municipality, Period, Programme
from events.services import cancel_event
from tests.factories import (
    EventFactory,
    PeriodFactory,
    ProgrammeFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["municipality", "venue", "programme", "period", "event"]
SPREADSHEET_MODELS = ["municipality", "venue", "event"]


def changelist(model_name: str) -> str:
    return reverse(f"admin:events_{model_name}_changelist")


@pytest.fixture
def staff_without_role(db):
    return UserFactory(username="staffer", is_staff=True)


@pytest.mark.parametrize("model_name", MODELS)
def test_project_leader_opens_every_changelist_and_add_page(client, project_leader, model_name):
    EventFactory()
    client.force_login(project_leader)
    assert client.get(changelist(model_name)).status_code == 200
    assert client.get(reverse(f"admin:events_{model_name}_add")).status_code == 200


@pytest.mark.parametrize("model_name", SPREADSHEET_MODELS)
def test_project_leader_opens_import_and_export(client, project_leader, model_name):
    client.force_login(project_leader)
    page = client.get(changelist(model_name))
    html = page.content.decode()
    assert reverse(f"admin:events_{model_name}_import") in html
    assert reverse(f"admin:events_{model_name}_export") in html
    response = client.get(reverse(f"admin:events_{model_name}_import"))
    assert response.status_code == 200
    formats = [label for _value, label in response.context["form"].fields["format"].choices]
    assert formats == ["---", "csv", "xlsx"]
    assert client.get(reverse(f"admin:events_{model_name}_export")).status_code == 200


def test_the_import_and_export_pages_speak_norwegian(client, project_leader):
    """django-import-export ships no bokmål: ours is in third_party_locale/."""
    client.force_login(project_leader)
    html = client.get(reverse("admin:events_venue_import")).content.decode()
    assert "Fil som skal importeres" in html and "File to import" not in html
    assert "Importen leser disse feltene" in html
    html = client.get(changelist("venue")).content.decode()
    assert ">Importer<" in html and ">Eksport<" in html


def test_the_admins_selection_widget_speaks_norwegian(client, project_leader):
    """The filter_horizontal help ("Choose %s by selecting them…") is in the admin's script
    catalogue, where Django's own bokmål lacks the strings of Django 5."""
    client.force_login(project_leader)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    assert "Velg %s ved \\u00e5 markere dem" in script  # as the catalogue escapes it
    assert '"Choose all %s": "Velg alle %s"' in script


@pytest.mark.parametrize("model_name", SPREADSHEET_MODELS)
def test_users_without_the_role_cannot_open_admin_or_import(
    client, nobody, staff_without_role, model_name
):
    client.force_login(nobody)
    for url in (changelist(model_name), reverse(f"admin:events_{model_name}_import")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(staff_without_role)
    assert client.get(changelist(model_name)).status_code == 403
    assert client.get(reverse(f"admin:events_{model_name}_import")).status_code == 403
    assert client.get(reverse(f"admin:events_{model_name}_export")).status_code == 403


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def make_rows(count: int) -> None:
    """Make rows that each point to other related rows, so that N+1 would show."""
    for _ in range(count):
        programme = ProgrammeFactory()
        period = PeriodFactory(programme=programme)
        venue = VenueFactory()
        parent = EventFactory(period=period, venue=venue)
        EventFactory(period=period, venue=VenueFactory(), parent=parent)


@pytest.mark.parametrize("model_name", MODELS)
def test_changelist_queries_do_not_grow_with_rows(
    client, project_leader, django_assert_max_num_queries, model_name
):
    client.force_login(project_leader)
    make_rows(1)
    client.get(changelist(model_name))  # warm caches such as content types
    few = count_queries(client, changelist(model_name))

    make_rows(20)

    with django_assert_max_num_queries(few):
        assert client.get(changelist(model_name)).status_code == 200


def test_event_change_page_shows_uid_and_revision_read_only_and_sessions_inline(
    client, project_leader
):
    weekend = EventFactory(kind=Event.Kind.REHEARSAL_WEEKEND)
    session = EventFactory(period=weekend.period, parent=weekend, kind=Event.Kind.SESSION)
    client.force_login(project_leader)

    response = client.get(reverse("admin:events_event_change", args=[weekend.pk]))

    html = response.content.decode()
    assert weekend.uid in html
    assert 'name="uid"' not in html and 'name="revision"' not in html
    assert 'name="status"' not in html
    assert session.title_nb in html
    assert "children-TOTAL_FORMS" in html

    response = client.get(reverse("admin:events_event_change", args=[session.pk]))
    assert "children-TOTAL_FORMS" not in response.content.decode()


def test_session_added_inline_gets_the_period_of_its_event(client, project_leader):
    weekend = EventFactory(kind=Event.Kind.REHEARSAL_WEEKEND)
    other_period = PeriodFactory(programme=weekend.period.programme)
    start = weekend.start.astimezone(OSLO)
    client.force_login(project_leader)
    data = {
        "period": other_period.pk,
        "parent": "",
        "kind": Event.Kind.REHEARSAL_WEEKEND,
        "visibility": Event.Visibility.MEMBERS,
        "start_0": start.strftime("%d.%m.%Y"),
        "start_1": "10:00:00",
        "end_0": (start + timedelta(days=1)).strftime("%d.%m.%Y"),
        "end_1": "14:00:00",
        "venue": weekend.venue_id,
        "title_nb": "Helgesamling",
        "title_en": "Rehearsal weekend",
        "description_nb": "",
        "description_en": "",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "1000",
        "children-0-kind": Event.Kind.SESSION,
        "children-0-title_nb": "Tutti",
        "children-0-title_en": "Tutti",
        "children-0-start_0": start.strftime("%d.%m.%Y"),
        "children-0-start_1": "10:00:00",
        "children-0-end_0": start.strftime("%d.%m.%Y"),
        "children-0-end_1": "13:00:00",
        "children-0-venue": weekend.venue_id,
        "children-0-visibility": Event.Visibility.MEMBERS,
    }

    response = client.post(reverse("admin:events_event_change", args=[weekend.pk]), data)

    assert response.status_code == 302, response.context["errors"]
    weekend.refresh_from_db()
    tutti = weekend.children.get()
    assert weekend.period == other_period
    assert tutti.period == other_period
    assert tutti.title_nb == "Tutti"


def post_action(client, action: str, events) -> list:
    response = client.post(
        changelist("event"),
        {"action": action, "_selected_action": [event.pk for event in events]},
        follow=True,
    )
    assert response.status_code == 200
    return list(response.context["messages"])


def test_cancel_action_cancels_through_the_service_with_sessions(client, project_leader):
    weekend = EventFactory(kind=Event.Kind.REHEARSAL_WEEKEND)
    sessions = [
        EventFactory(period=weekend.period, parent=weekend, kind=Event.Kind.SESSION)
        for _ in range(2)
    ]
    other = EventFactory()
    client.force_login(project_leader)

    shown = post_action(client, "cancel_selected", [weekend, *sessions, other])

    assert [message.level for message in shown] == [messages.SUCCESS]
    for event in (weekend, *sessions, other):
        event.refresh_from_db()
        assert event.is_cancelled
        assert event.revision == 1


def test_cancel_action_reports_an_events_error_as_a_message(client, project_leader):
    cancelled = cancel_event(event=EventFactory(title_nb="Avlyst konsert"))
    scheduled = EventFactory()
    client.force_login(project_leader)

    shown = post_action(client, "cancel_selected", [cancelled, scheduled])

    levels = sorted(message.level for message in shown)
    assert levels == [messages.SUCCESS, messages.ERROR]
    error = next(message for message in shown if message.level == messages.ERROR)
    assert "Avlyst konsert" in str(error)
    scheduled.refresh_from_db()
    assert scheduled.is_cancelled


def test_reinstate_action(client, project_leader):
    cancelled = cancel_event(event=EventFactory())
    scheduled = EventFactory()
    client.force_login(project_leader)

    shown = post_action(client, "reinstate_selected", [cancelled, scheduled])

    assert sorted(message.level for message in shown) == [messages.SUCCESS, messages.ERROR]
    cancelled.refresh_from_db()
    assert not cancelled.is_cancelled
    assert cancelled.revision == 2


def test_parent_autocomplete_offers_only_top_level_events(client, project_leader):
    weekend = EventFactory(kind=Event.Kind.REHEARSAL_WEEKEND, title_nb="Helg i Lier")
    EventFactory(period=weekend.period, parent=weekend, title_nb="Helg økt")
    client.force_login(project_leader)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "event", "field_name": "parent", "term": "Helg"},
    )
    assert [item["text"] for item in response.json()["results"]] == ["Helg i Lier"]


def test_municipality_filter_in_force_today(client, project_leader):
    client.force_login(project_leader)
    response = client.get(changelist("municipality"), {"in_force": "yes"})
    shown = {m.number for m in response.context["cl"].result_list}
    assert shown == set(
        Municipality.objects.filter(valid_from=date(2024, 1, 1)).values_list("number", flat=True)
    )


def test_programme_page_edits_its_periods_inline(client, project_leader):
    programme = ProgrammeFactory(slug="ungdomssymfonikerne", kind=Programme.Kind.ORCHESTRA)
    PeriodFactory(programme=programme, slug="2026-2027")
    client.force_login(project_leader)
    response = client.get(reverse("admin:events_programme_change", args=[programme.pk]))
    assert "periods-TOTAL_FORMS" in response.content.decode()
    assert Period.objects.filter(programme=programme).count() == 1


def test_event_changelist_has_date_hierarchy_and_filters(client, project_leader):
    EventFactory(
        start=datetime(2016, 9, 10, 12, tzinfo=OSLO), end=datetime(2016, 9, 25, tzinfo=OSLO)
    )
    client.force_login(project_leader)
    response = client.get(changelist("event"), {"start__year": "2016", "level": "top"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1
