# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The pages issue 12 added, opened by their users on a phone (390 px): the staff's
retention page, erasure requests and access log, and a member's own consents. Each shows
its content without a child's name where none belongs, and nothing is wider than the
screen."""

import pytest
from django.urls import reverse

from orchestra.models import SensitiveDataAccess
from orchestra.services.access_log import record_sensitive_access
from orchestra.services.retention import request_erasure
from tests.e2e.conftest import CHROMIUM, PHONE
from tests.e2e.test_attendance import _instruments  # noqa: F401 -- autouse fixture
from tests.orchestra.conftest import (  # noqa: F401 -- fixtures
    CHILD_NAME,
    child,
    junior_group,
    member_user,
    municipality,
    photo_text,
    season,
    teen,
    youth_group,
)

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def erasure(child, guardian):
    return request_erasure(member=child, guardian=guardian.orchestra_guardian, note="Vi flytter.")


def test_staff_work_through_retention_erasure_and_the_access_log_on_a_phone(
    open_page, project_leader, child, erasure, transactional_db
):
    record_sensitive_access(
        viewer=project_leader,
        seen={child.pk: [SensitiveDataAccess.Data.MEDICAL_NOTES]},
        path="/api/v1/members/",
        channel=SensitiveDataAccess.Channel.API,
    )
    for path in (
        reverse("retention"),
        reverse("orchestra:erasure_requests"),
        reverse("orchestra:erasure_request", args=[erasure.pk]),
        reverse("orchestra:access_log"),
    ):
        page = open_page(project_leader, path)
        expect(page.locator("h1")).to_be_visible()
        assert fits_the_phone(page), path
        if path == reverse("retention"):
            assert CHILD_NAME[0] not in page.content()


def test_a_member_15_plus_withdraws_their_own_consent_on_a_phone(
    open_page, member_user, teen, photo_text, transactional_db
):
    page = open_page(member_user, reverse("orchestra:my_consents"))
    give = page.locator("summary", has_text="Photos and video")
    give.click()
    page.get_by_role("button", name="I consent").click()
    withdraw = page.get_by_role("button", name="Withdraw: Photos and video")
    expect(withdraw).to_be_visible()
    assert fits_the_phone(page)
    withdraw.click()
    expect(page.get_by_text("Withdrawn on")).to_be_visible()
    assert fits_the_phone(page)
