"""Bad input, with the keyboard alone: the form's answer passes axe-core, its error summary
takes the focus, each of its links leads the focus to the field, and each field in error
names its error (aria-invalid, aria-describedby to ids that exist).

The browser's own check of required fields is switched off first (the form's noValidate),
so that what is tested is the server's answer to bad input, which every browser gets.
"""

import pytest
from django.urls import reverse

from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import CHROMIUM
from tests.e2e.keyboard import Hands

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

# (URL name, the label of the form's submit button): public forms with required fields.
FORMS = [
    ("artists:signup", "Sign up"),
    ("password_reset", "Send the link"),
]

FIELDS_IN_ERROR = """() => [...document.querySelectorAll("main [aria-invalid=true]")].map((f) => ({
  id: f.id,
  described: (f.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent.trim() ?? null),
}))"""


@pytest.mark.parametrize(("url_name", "button"), FORMS)
def test_bad_input_is_summarised_and_each_error_leads_to_its_field(
    transactional_db, open_page, url_name, button
):
    page = open_page(None, reverse(url_name), bypass_csp=True)  # axe is an inline script
    page.evaluate(
        "() => document.querySelectorAll('main form').forEach((f) => f.noValidate = true)"
    )
    hands = Hands(page, "keyboard")
    with page.expect_navigation():
        hands.click(page.get_by_role("button", name=button))

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_no_violations(page, f"{url_name} with errors")

    fields = page.evaluate(FIELDS_IN_ERROR)
    assert fields, "no field is marked aria-invalid"
    for field in fields:
        assert field["described"] and None not in field["described"], (
            f"#{field['id']}: aria-describedby names an id that does not exist"
        )
        assert any(field["described"]), f"#{field['id']}: no error text is tied to the field"

    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    first = links.first
    target = first.get_attribute("href")[1:]
    hands.click(first)
    assert page.evaluate("() => document.activeElement.id") == target, (
        f"the summary's link did not move the focus to #{target}"
    )
