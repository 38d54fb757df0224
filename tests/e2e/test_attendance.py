# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""The leader's attendance page in a real browser, on a phone: tap to mark who came."""

import pytest
from django.urls import reverse

from orchestra.models import Attendance, Instrument
from tests.e2e.conftest import CHROMIUM
from tests.orchestra.conftest import (  # noqa: F401 -- fixtures
    child,
    junior_group,
    municipality,
    other_child,
    other_guardian,
    season,
    teen,
    two_children,
    youth_group,
)
from tests.orchestra.test_attendance_services import (  # noqa: F401 -- fixtures
    coming,
    make_weekend,
    other_tutor,
    today,
    trumpeter,
)

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


@pytest.fixture(autouse=True)
def _instruments(transactional_db):
    """The live server's tests flush the database, the instruments of a migration too."""
    for name_nb, name_en, section in (
        ("Fiolin", "Violin", "strings"),
        ("Trompet", "Trumpet", "brass"),
    ):
        Instrument.objects.get_or_create(
            name_nb=name_nb, defaults={"name_en": name_en, "section": section}
        )


def test_the_leader_marks_attendance_on_a_phone(
    open_page, tutor, today, child, other_child, teen, trumpeter, artifacts
):
    _weekend, plans = today
    tutti = plans["tutti"].event
    Attendance.objects.create(member=teen, session=tutti, reply="not_coming", reason="illness")
    page = open_page(tutor, reverse("orchestra:session_attendance", args=[tutti.pk]))
    expect(page.get_by_role("heading", name=tutti.title)).to_be_visible()
    present = page.locator('[data-count="present"]')
    expect(present).to_have_text("0")
    expect(page.locator('[data-count="expected_total"]')).to_have_text("4")
    # A tutor sees first names and initials only.
    expect(page.get_by_text("Sunniva S.", exact=True)).to_be_visible()
    expect(page.get_by_text("Strykersen")).to_have_count(0)

    row = page.locator(f'[data-member="{child.pk}"]')
    row.get_by_role("button", name="Present").click()
    expect(row).to_have_attribute("data-status", "present")
    expect(row.get_by_role("button", name="Present")).to_have_attribute("aria-pressed", "true")
    expect(present).to_have_text("1")

    late_row = page.locator(f'[data-member="{other_child.pk}"]')
    late_row.get_by_role("button", name="Late").click()
    expect(late_row).to_have_attribute("data-status", "late")
    expect(page.locator('[data-count="late"]')).to_have_text("1")

    # Changing one's mind: the child was late after all.
    row.get_by_role("button", name="Late").click()
    expect(present).to_have_text("0")
    expect(page.locator('[data-count="late"]')).to_have_text("2")
    # The teen answered not coming: excused until someone records otherwise.
    expect(page.locator(f'[data-member="{teen.pk}"]')).to_have_attribute("data-status", "excused")
    page.screenshot(path=str(artifacts / "attendance-phone.png"), full_page=True)

    assert dict(
        Attendance.objects.filter(session=tutti, recorded_by=tutor).values_list(
            "member_id", "status"
        )
    ) == {child.pk: "late", other_child.pk: "late"}
    page.reload()
    expect(page.locator(f'[data-member="{child.pk}"]')).to_have_attribute("data-status", "late")
    # The page fits a phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_guardian_reports_absence_for_a_weekend_on_a_phone(
    open_page, guardian, coming, child, artifacts
):
    weekend, plans = coming
    page = open_page(guardian, reverse("orchestra:absence"))
    section = page.locator(f"#child-{child.pk}")
    expect(section.get_by_role("heading", name="Sunniva Strykersen")).to_be_visible()
    whole = section.locator(".absence-whole")
    whole.get_by_label("Reason").select_option("illness")
    whole.get_by_role("button", name="Not coming").click()
    expect(page.get_by_text("Thank you, the answer is saved.")).to_be_visible()
    expect(section.locator(".badge-not-coming")).to_have_count(2)
    page.screenshot(path=str(artifacts / "absence-phone.png"), full_page=True)
    assert set(
        Attendance.objects.filter(member=child).values_list("session_id", "reply", "reason")
    ) == {
        (plans["tutti"].event_id, "not_coming", "illness"),
        (plans["strings"].event_id, "not_coming", "illness"),
    }
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_missing_reason_takes_the_guardian_to_the_error(open_page, guardian, coming, child):
    page = open_page(guardian, reverse("orchestra:absence"))
    section = page.locator(f"#child-{child.pk}")
    section.locator(".absence-whole").get_by_role("button", name="Not coming").click()
    summary = page.locator("#absence-errors")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link", name="Give the reason for the absence.").click()
    reason = section.locator(".absence-whole").get_by_label("Reason")
    expect(reason).to_be_in_viewport()
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert not Attendance.objects.exists()


def test_two_childrens_absence_page_fits_a_few_screens(open_page, guardian, coming, two_children):
    child, teen = two_children
    page = open_page(guardian, reverse("orchestra:absence"))
    expect(page.locator("details.absence-child")).to_have_count(2)
    # Folded, each child's section is a line with the number of sessions left to answer.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2000, height
    page.locator(f"#child-{teen.pk} > summary").click()
    expect(page.locator(f"#child-{teen.pk} .absence-whole")).to_be_visible()
    expect(page.locator(f"#child-{child.pk} .absence-whole")).to_be_hidden()
