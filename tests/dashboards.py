"""Helpers for the dashboard's tests (core.dashboard): log in through the form, read one
panel out of the page, and check that the page's queries do not grow with its rows."""

import re

from django.urls import reverse

DASHBOARD = "/oversikt/"
# tests.factories.UserFactory gives every login this password.
FACTORY_PASSWORD = "pass"  # noqa: S105


def log_in_through_form(client, user, password: str = FACTORY_PASSWORD, **extra):
    """Log in with the login form, as a person does; return the answer (a redirect)."""
    return client.post(
        reverse("login") + extra.pop("query", ""),
        {"username": user.username, "password": password},
        **extra,
    )


def panel_keys(html: str) -> list[str]:
    """Return the keys of the panels the page shows, in their order."""
    return re.findall(r'data-panel="([\w.]+)"', html)


def panel(html: str, key: str) -> str:
    """Return the HTML of one panel of the page; fail if the page does not show it."""
    found = re.search(
        rf'<section[^>]*data-panel="{re.escape(key)}"[^>]*>(.*?)</section>', html, re.S
    )
    assert found, f"the dashboard shows no panel {key}: {panel_keys(html)}"
    return found.group(1)


def dashboard_html(client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client, django_assert_max_num_queries, limit: int = 60) -> int:
    """Return how many queries the dashboard sends for the logged-in client."""
    with django_assert_max_num_queries(limit) as captured:
        dashboard_html(client)
    return len(captured.captured_queries)
