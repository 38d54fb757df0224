"""The site's header on a phone (390 px): a menu button that opens the rest of the menu,
the role's main entries first, a header no taller than about 120 px while it is closed."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM, DESKTOP

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_a_project_leader_opens_the_menu_with_the_keyboard(open_page, project_leader, artifacts):
    page = open_page(project_leader, reverse("events:home"))
    header = page.locator(".site-header")
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    # Closed: the brand, the language, the button and one line of main entries.
    assert header.bounding_box()["height"] <= 120
    main_entries = page.locator(".nav-main a")
    expect(main_entries.first).to_be_visible()
    expect(page.get_by_role("link", name="Annual report")).to_be_hidden()
    page.screenshot(path=str(artifacts / "navigation-leader-closed.png"))

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    menu = page.locator("#" + button.get_attribute("aria-controls"))
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Annual report")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # The focus is visible: an outline of at least 2 px around the focused link.
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    assert page.evaluate("() => document.activeElement.closest('.main-nav') !== null")
    page.screenshot(path=str(artifacts / "navigation-leader-open.png"))

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(page.get_by_role("link", name="Annual report")).to_be_hidden()


def test_a_guardian_sees_their_children_first(open_page, guardian):
    page = open_page(guardian, reverse("events:home"))
    expect(page.locator(".nav-main a")).to_have_text(["Overview", "My children"])
    expect(page.get_by_role("link", name="My children")).to_be_visible()


def test_without_javascript_the_whole_menu_is_shown(open_page, project_leader):
    page = open_page(project_leader, reverse("events:home"), java_script_enabled=False)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Annual report")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_on_a_desk_the_header_is_one_row(open_page, project_leader, artifacts):
    page = open_page(project_leader, reverse("events:home"), **DESKTOP)
    brand = page.locator(".brand").bounding_box()
    button = page.get_by_role("button", name="Menu").bounding_box()
    first = page.locator(".nav-main a").first.bounding_box()
    # One row: the brand, the main entries and the button share a line.
    assert abs(brand["y"] + brand["height"] / 2 - (button["y"] + button["height"] / 2)) < 8
    assert abs(first["y"] - button["y"]) < 8
    page.get_by_role("button", name="Menu").click()
    page.screenshot(path=str(artifacts / "navigation-leader-desk.png"))


def test_a_form_with_errors_moves_the_focus_to_its_summary(open_page):
    page = open_page(None, reverse("artists:signup"))
    page.get_by_role("button", name="Sign up").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # Its links lead to the fields.
    summary.get_by_role("link", name="Email: This field is required.").click()
    expect(page.get_by_label("Email")).to_be_focused()
