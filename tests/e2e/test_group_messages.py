# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: a project leader writes a message to a group's guardians on a phone, previews
it in Norwegian and English with the number of recipients, sends it; the guardian reads
it on their own page. Each page passes axe-core and fits the screen; the email goes
through a real SMTP server."""

import pytest
from django.urls import reverse

from core.models import ContactPreference, GroupMessage
from tests.e2e.conftest import CHROMIUM, check_on_phone
from tests.orchestra.conftest import (  # noqa: F401 -- fixtures
    junior_group,
    municipality,
    season,
    youth_group,
)
from tests.orchestra.factories import CHILD_NAME, add_guardian_with_login, new_member

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_staff_write_preview_and_send_and_the_guardian_reads_it(
    open_page,
    smtp,
    instruments,
    youth_group,
    municipality,
    guardian,
    project_leader,
    transactional_db,
):
    sink = smtp()
    child = new_member(CHILD_NAME, age=11, municipality=municipality, groups=[youth_group])
    add_guardian_with_login(
        child, guardian, first_name="Gunn", last_name="Strykersen", email="guardian@example.org"
    )
    ContactPreference.objects.create(user=guardian, language="en")

    page = open_page(project_leader, reverse("core:group_messages"), bypass_csp=True)
    check_on_phone(page, "the list of messages, empty")
    page.locator("#new-message").click()
    page.get_by_label("Who is the message for?").select_option("orchestra.group_guardians")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Next").click()
    check_on_phone(page, "the message form")
    page.get_by_label("Group").select_option(str(youth_group.pk))
    page.get_by_label("Subject (Norwegian)").fill("Konsert lørdag")
    page.get_by_label("Text (Norwegian)").fill("Husk svarte klær.")
    page.get_by_label("Subject (English)").fill("Concert on Saturday")
    page.get_by_label("Text (English)").fill("Remember black clothes.")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Save and preview").click()
    expect(page.locator("#recipient-count")).to_have_attribute("data-count", "1")
    expect(page.locator("#preview-en")).to_contain_text("Remember black clothes.")
    expect(page.locator("#preview-nb")).to_contain_text("Husk svarte klær.")
    check_on_phone(page, "the preview")
    with page.expect_navigation():
        page.locator("#send-now").click()
    expect(page.locator("[data-count=sent]")).to_have_text("1")
    check_on_phone(page, "the report")
    message = GroupMessage.objects.get()
    assert message.status == "sent"
    (received,) = sink.received
    assert received["To"] == "guardian@example.org"

    page = open_page(guardian, reverse("core:my_messages"), bypass_csp=True)
    expect(page.locator(f"#my-message-{message.pk}")).to_contain_text("Remember black clothes.")
    check_on_phone(page, "the guardian's messages")
    page = open_page(guardian, reverse("core:dashboard"), bypass_csp=True)
    expect(page.locator("#panel-core-messages-to-me")).to_contain_text("Concert on Saturday")
