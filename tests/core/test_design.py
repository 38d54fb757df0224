"""The design system's contract: the header's menu per role, forms that tie their errors to
their fields, messages that are announced, and colour tokens that keep their contrast."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core import menu
from core.policies import PUBLIC

pytestmark = pytest.mark.django_db


def _english(client, url, **kwargs):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(url, **kwargs).content.decode()


def _part(html: str, css_class: str) -> str:
    """Return the inside of the first element with the class (no nesting of the same tag)."""
    match = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no .{css_class} in the page"
    return match.group(2)


def _link_texts(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", html)]


# --- The header's menu ---------------------------------------------------------------------


def test_a_project_leader_sees_their_main_tasks_first_and_the_rest_behind_the_button(
    client, project_leader
):
    client.force_login(project_leader)
    html = _english(client, "/")
    assert re.search(
        r'<button type="button" class="menu-button" aria-expanded="false" '
        r'aria-controls="site-menu">',
        html,
    )
    assert _link_texts(_part(html, "nav-main")) == [
        "Overview",
        "Check-in",
        "Orchestra registrations",
        "Statistics",
    ]
    more = html[html.index('id="site-menu"') :]
    for label in ("Annual report", "Jury", "Attendance", "Account"):
        assert f">{label}</a>" in more
    assert ">Log out</button>" in more


def test_a_guardian_sees_their_children_first(client, guardian):
    client.force_login(guardian)
    html = _english(client, "/")
    assert _link_texts(_part(html, "nav-main")) == ["Overview", "My children"]
    assert 'class="menu-button"' in html


def test_a_visitor_sees_the_events_and_the_login_and_no_menu_button(client):
    html = _english(client, "/")
    assert _link_texts(_part(html, "nav-main")) == ["Events", "Log in"]
    assert 'class="menu-button"' not in html
    # The language switch stays in the header.
    assert 'name="language" value="nb"' in html


def test_the_front_page_with_a_leaders_menu_keeps_its_query_count(
    client, project_leader, django_assert_max_num_queries
):
    client.force_login(project_leader)
    client.get("/")
    with django_assert_max_num_queries(7):
        client.get("/")


def test_register_keeps_its_signature_and_a_later_entry_may_be_primary():
    entry = menu.register("Dashboard", "core:test-dashboard", PUBLIC, order=-1)
    try:
        assert entry.primary is False
        assert menu.ENTRIES[0] is entry
        with pytest.raises(ValueError, match="in the menu already"):
            menu.register("Again", "core:test-dashboard", PUBLIC, order=1, primary=True)
    finally:
        menu.ENTRIES.remove(entry)


# --- Forms -------------------------------------------------------------------------------


def test_a_form_with_errors_has_a_summary_with_links_and_fields_that_point_at_their_errors(
    client,
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("artists:signup"), {"name": "", "email": "not an address"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(
        r'<div class="error-summary" role="alert" tabindex="-1"[^>]*>(.*?)</div>', html, re.S
    )
    assert summary, "no error summary"
    targets = re.findall(r'<a href="#([\w-]+)">', summary.group(1))
    assert "id_name" in targets and "id_email" in targets
    assert html.index('class="error-summary"') < html.index('name="name"')
    for field_id in ("id_name", "id_email"):
        tag = re.search(rf'<input [^>]*id="{field_id}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        assert f"{field_id}_error" in described
        for target in described:  # every id it names is on the page
            assert f'id="{target}"' in html
    assert re.search(r'<label for="id_email">Email</label>', html)
    # The email's help text is named too, so a screen reader reads it with the field.
    assert re.search(r'aria-describedby="id_email_helptext id_email_error"', html)


def test_a_wrong_login_is_summarised_at_the_top_of_the_form(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post(reverse("login"), {"username": "kari", "password": "wrong"}).content
    html = html.decode()
    assert '<div class="error-summary" role="alert"' in html
    assert "Please enter a correct username and password" in html


def test_dates_and_times_get_the_browsers_own_pickers():
    class Form(forms.Form):
        day = forms.DateField()
        time = forms.TimeField()
        moment = forms.DateTimeField()

    html = str(
        Form(
            initial={
                "day": datetime.date(2026, 9, 10),
                "time": datetime.time(18, 30),
                "moment": datetime.datetime(2026, 9, 10, 18, 30, tzinfo=ZoneInfo("Europe/Oslo")),
            }
        )
    )
    assert re.search(r'<input type="date" name="day" value="2026-09-10"', html)
    assert re.search(r'<input type="time" name="time" value="18:30"', html)
    assert re.search(r'<input type="datetime-local" name="moment" value="2026-09-10T18:30"', html)
    # The values the pickers send are accepted.
    bound = Form(data={"day": "2026-09-10", "time": "18:30", "moment": "2026-09-10T18:30"})
    assert bound.is_valid(), bound.errors


# --- Messages ----------------------------------------------------------------------------


def test_messages_are_announced_errors_at_once():
    request = RequestFactory().get("/")
    request.session = {}
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    messages.success(request, "Saved.")
    messages.error(request, "Not saved.")
    with translation.override("en"):
        html = render_to_string("base.html", request=request)
    region = re.search(
        r'<div class="messages" id="messages" tabindex="-1" data-messages>(.*?)</div>', html, re.S
    )
    assert region, "no messages region"
    assert re.search(
        r'<p class="message message-success" role="status">Saved.</p>', region.group(1)
    )
    assert re.search(
        r'<p class="message message-error" role="alert">Not saved.</p>', region.group(1)
    )
    # site.js moves the focus to it.
    script = (Path(settings.BASE_DIR) / "static/js/site.js").read_text()
    assert "[data-messages]" in script and ".focus(" in script


# --- Colour contrast -----------------------------------------------------------------------

CSS = Path(settings.BASE_DIR) / "static/css/site.css"


def _relative_luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_relative_luminance(one), _relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _tokens(css: str) -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", css, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", root))


def _declared_pairs(css: str) -> list[tuple[str, str, float]]:
    return [
        (text, background, float(ratio))
        for text, background, ratio in re.findall(r"\*\s+(--[\w-]+) on (--[\w-]+): ([\d.]+):1", css)
    ]


def test_contrast_helper_knows_the_extremes():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_text_colour_token_has_at_least_4_5_to_1_on_its_backgrounds():
    css = CSS.read_text()
    tokens = _tokens(css)
    pairs = _declared_pairs(css)
    assert len(pairs) >= 10
    for text, background, written in pairs:
        ratio = contrast(tokens[text], tokens[background])
        assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1"
        assert ratio == pytest.approx(written, abs=0.01), (
            f"{text} on {background}: the comment says {written}"
        )
    # Every colour a text is set in is in the list (the light ones are backgrounds).
    texts = {text for text, _background, _ratio in pairs}
    backgrounds = {background for _text, background, _ratio in pairs}
    for name in tokens:
        if name in {"--line", "--field-line", "--focus-light"}:  # lines and rings, 3:1
            continue
        assert name in texts or name in backgrounds, f"{name} is in no contrast pair"


def test_the_lines_and_focus_rings_have_3_to_1():
    tokens = _tokens(CSS.read_text())
    assert contrast(tokens["--field-line"], tokens["--bg"]) >= 3
    assert contrast(tokens["--focus-light"], tokens["--accent"]) >= 3
    assert contrast(tokens["--ink"], tokens["--bg"]) >= 3
