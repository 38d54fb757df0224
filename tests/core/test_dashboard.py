"""The dashboard (core.dashboard): one page per login with the panels of their roles."""

import pytest
from django.urls import reverse

from core import dashboard, menu
from core.policies import LOGGED_IN, STAFF
from tests.dashboards import DASHBOARD, dashboard_html, log_in_through_form, panel_keys

pytestmark = pytest.mark.django_db


def test_the_dashboard_has_its_address_and_is_for_logins_only(client, nobody):
    assert reverse("core:dashboard") == DASHBOARD
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role",
    [
        "admin_user",
        "project_leader",
        "juror",
        "artist",
        "venue_host",
        "guardian",
        "tutor",
        "nobody",
    ],
)
def test_every_role_lands_on_the_dashboard_after_logging_in(client, request, role):
    user = request.getfixturevalue(role)
    response = log_in_through_form(client, user)
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(response["Location"]).status_code == 200


def test_the_logins_next_still_wins(client, nobody):
    response = log_in_through_form(client, nobody, query="?next=/events/")
    assert response["Location"] == "/events/"


def test_someone_with_no_role_gets_a_friendly_empty_state(client, nobody):
    client.force_login(nobody)
    html = dashboard_html(client)
    assert panel_keys(html) == []
    assert "dashboard-empty" in html
    assert f'href="{reverse("events:event_list")}"' in html
    assert f'href="{reverse("orchestra:register")}"' in html


def test_the_menu_leads_to_the_overview_first(client, nobody):
    entries = menu.entries_for(nobody)
    assert entries[0].url_name == "core:dashboard"
    client.force_login(nobody)
    html = client.get("/").content.decode()
    assert f'href="{DASHBOARD}"' in html
    assert "Oversikt" in html


@pytest.fixture
def test_panels():
    """Two panels of a test's own, taken out again afterwards."""
    before = list(dashboard.PANELS)
    shown = dashboard.register(
        "test.shown",
        "Shown",
        "core/dashboard.html",
        STAFF,
        order=-2,
        context=lambda user, now: {"user": user.pk},
    )
    empty = dashboard.register(
        "test.empty",
        "Empty",
        "core/dashboard.html",
        LOGGED_IN,
        order=-1,
        context=lambda u, n: None,
    )
    yield shown, empty
    dashboard.PANELS[:] = before


def test_a_panel_shows_for_whom_its_policy_admits_when_it_has_something(
    test_panels, project_leader, nobody
):
    from django.utils import timezone

    now = timezone.now()
    shown = [item.key for item in dashboard.panels_for(project_leader, now)]
    assert "test.shown" in shown
    assert "test.empty" not in shown
    assert "test.shown" not in [item.key for item in dashboard.panels_for(nobody, now)]
    # A panel that admits the login, even with nothing to show, means no welcome text.
    assert dashboard.panels_admitting(nobody)


def test_a_panel_key_registered_twice_is_an_error(test_panels):
    with pytest.raises(ValueError, match="test.shown"):
        dashboard.register(
            "test.shown",
            "Again",
            "core/dashboard.html",
            STAFF,
            order=0,
            context=lambda u, n: None,
        )
