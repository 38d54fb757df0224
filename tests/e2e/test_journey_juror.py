# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: a juror scores three applications blind, one after the other with "save and
go to the next", and finds them all reviewed on the list; with the pointer, and with the
keyboard alone (tests/e2e/keyboard.py)."""

import pytest

from artists.models import Review
from tests.artists.conftest import (  # noqa: F401 -- fixtures
    criteria,
    jurors,
    jury_call,
    jury_media,
    review_phase,
)
from tests.artists.factories import ApplicantFactory, ApplicationFactory
from tests.e2e.conftest import CHROMIUM, serve_media
from tests.e2e.keyboard import Hands, mode  # noqa: F401 -- a fixture

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

APPLICANTS = ["Sigrid Skjultsen", "Torvald Tåkesen", "Unni Usynligsen"]
# Each application's scores: quality (1–5), relevance (Yes/Maybe/No), presentation (1–10).
SCORES = [("5", "Yes", "9"), ("3", "Maybe", "6"), ("2", "No", "4")]


def test_a_juror_scores_three_applications_blind(
    jurors, jury_call, jury_media, open_page, last_step, mode
):
    juror = jurors[0]
    for number, name in enumerate(APPLICANTS):
        applicant = ApplicantFactory(name=name, slug=f"skjult-{number}", images=1)
        ApplicationFactory(
            call=jury_call, artist=applicant, statement=f"Statement number {number + 1}."
        )

    page = open_page(juror, "/jury/")
    hands = Hands(page, mode)
    serve_media(page)
    hands.click(page.get_by_role("link", name=jury_call.period.name).first)
    expect(page.locator(".jury-progress")).to_contain_text("Reviewed 0 of 3")
    hands.click(page.get_by_role("link", name="Application 1"))

    statements = []
    for position, (quality, relevance, presentation) in enumerate(SCORES, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Application {position} of 3")
        statement = page.locator(".jury-text").first.inner_text()
        statements.append(statement)
        content = page.content()
        for name in APPLICANTS:  # blind: no applicant's name anywhere in the page
            assert name not in content and name.split()[1].lower() not in content.lower()
        expect(page.locator(".jury-work img")).to_have_count(1)
        # The jury's own copy of the image, shown: not a link to the public gallery's file.
        work = page.locator(".jury-work img")
        assert "/media/" not in work.get_attribute("src")
        assert work.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
        hands.check(
            page.get_by_role("group", name="Artistic quality").get_by_label(quality, exact=True)
        )
        hands.check(
            page.get_by_role("group", name="Relevance to the exhibition").get_by_label(relevance)
        )
        hands.check(
            page.get_by_role("group", name="Presentation").get_by_label(presentation, exact=True)
        )
        hands.click(page.get_by_role("button", name="Save and go to the next"))
        if position < len(SCORES):
            expect(page.locator(".messages")).to_contain_text("Your review is saved.")

    # After the last one: back on the list, everything reviewed.
    expect(page.locator(".messages")).to_contain_text(
        "No other application is waiting for your review."
    )
    expect(page.locator(".jury-progress")).to_contain_text("Reviewed 3 of 3")
    expect(page.locator(".jury-item.is-complete")).to_have_count(3)
    thumbnails = page.locator("img.jury-thumb")
    expect(thumbnails).to_have_count(3)
    for thumbnail in thumbnails.all():
        assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    last_step(page, "juror-reviewed-three" + hands.suffix)

    # Each review holds the scores given on its page: three different applications.
    assert sorted(statements) == [f"Statement number {n}." for n in (1, 2, 3)]
    reviews = Review.objects.filter(juror=juror).select_related("application")
    assert len(reviews) == 3 and all(review.is_complete for review in reviews)
    given = {
        review.application.statement: sorted(score.value for score in review.scores.all())
        for review in reviews
    }
    expected = {
        statement: sorted(
            (int(quality), {"Yes": 2, "Maybe": 1, "No": 0}[relevance], int(presentation))
        )
        for statement, (quality, relevance, presentation) in zip(statements, SCORES, strict=True)
    }
    assert given == expected
