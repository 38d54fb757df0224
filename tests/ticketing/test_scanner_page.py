"""The scanner page: who may open it, and what it carries for its script."""

import pytest
from django.conf import settings
from django.urls import reverse

REASONS = [
    "Unknown code",
    "Already checked in",
    "Not valid at this entrance",
    "Ticket cancelled",
    "Not paid",
    "Not approved",
    "Not valid yet",
    "No longer valid",
]


@pytest.fixture
def scanner_url(checkin_list):
    return reverse("ticketing:scanner", args=[checkin_list.pk])


def open_in_english(client, user, url):
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url)


@pytest.mark.parametrize("who", ["host", "admin_user"])
def test_host_and_staff_get_the_scanner(client, request, who, checkin_list, scanner_url):
    response = open_in_english(client, request.getfixturevalue(who), scanner_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hoveddør" in page
    assert 'src="/static/vendor/jsqr-1.4.0/jsQR.js"' in page
    assert 'src="/static/ticketing/scanner.js"' in page
    assert f'data-list="{checkin_list.pk}"' in page
    assert f'data-search-url="/api/v1/checkin/lists/{checkin_list.pk}/search/"' in page
    assert 'data-redeem-url="/api/v1/checkin/redeem/"' in page
    assert 'data-annul-url="/api/v1/checkin/annul/"' in page
    assert 'aria-live="assertive"' in page
    assert "csrfmiddlewaretoken" in page
    for reason in REASONS:
        assert f">{reason}</span>" in page


def test_the_page_shows_the_list_status(client, host, scanner_url, ticket):
    response = open_in_english(client, host, scanner_url)
    assert response.status_code == 200
    assert b'<dd data-stat="expected">1</dd>' in response.content
    assert b'<dd data-stat="checked_in">0</dd>' in response.content


def test_anonymous_visitors_are_sent_to_log_in(client, scanner_url):
    response = client.get(scanner_url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={scanner_url}"


@pytest.mark.parametrize("who", ["venue_host", "nobody"])
def test_others_do_not_find_the_scanner(client, request, who, scanner_url):
    """A venue host who does not host the event, and a user with no role."""
    response = open_in_english(client, request.getfixturevalue(who), scanner_url)
    assert response.status_code == 404
