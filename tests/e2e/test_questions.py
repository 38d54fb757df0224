"""Journey: staff add a conditional question to an offer on a phone; a person registering
for the event answers it, and the question shows only when the earlier answer asks for it.
Each page passes axe-core and fits the screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Question
from tests.e2e.conftest import CHROMIUM, check_on_phone
from tests.factories import EventFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.models import Registration

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


def test_staff_add_a_conditional_question_and_a_person_answers_it(
    open_page, project_leader, transactional_db
):
    event = EventFactory(
        title_nb="Vårkonsert", title_en="Spring concert", start=timezone.now() + timedelta(days=3)
    )
    pool = CapacityPoolFactory(event=event, name="Salen", size=10)
    offer = OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool)
    OfferFactory(event=event, name_nb="Gratis", name_en="Free", pool=pool)

    page = open_page(
        project_leader, reverse("ticketing:event_registrations", args=[event.pk]), bypass_csp=True
    )
    with page.expect_navigation():
        page.locator(f'[data-offer-questions="{offer.pk}"]').click()
    check_on_phone(page, "the offer's questions, none yet")
    page.locator("#id_kind").select_option("yes_no")
    page.locator("#id_label_nb").fill("Spesiell kost?")
    page.locator("#id_label_en").fill("Special diet?")
    page.locator("#id_required").check()
    with page.expect_navigation():
        page.locator("#question-form button[type=submit]").click()
    diet = Question.objects.get()

    page.locator("#id_kind").select_option("short_text")
    page.locator("#id_label_nb").fill("Hvilken kost?")
    page.locator("#id_label_en").fill("Which diet?")
    page.locator("#id_required").check()
    page.locator("#id_shown_when").select_option(str(diet.pk))
    page.locator("#id_shown_when_value").fill("yes")
    with page.expect_navigation():
        page.locator("#question-form button[type=submit]").click()
    expect(page.locator("[data-questions] > li")).to_have_count(2)
    expect(page.locator("[data-condition]")).to_have_count(1)
    check_on_phone(page, "the offer's questions, one conditional")
    which = Question.objects.get(shown_when=diet)

    visitor = open_page(None, reverse("ticketing:register", args=[event.pk]), bypass_csp=True)
    check_on_phone(visitor, "the register form with the offer's questions")
    which_input = visitor.locator(f"#id_question_{which.pk}")
    expect(which_input).to_be_hidden()
    # The offer's questions show once one of its tickets is chosen.
    expect(visitor.get_by_label("Yes")).to_be_hidden()
    visitor.locator(f'select[name="quantity_{offer.pk}"]').select_option("1")
    visitor.get_by_label("Yes").check()
    expect(which_input).to_be_visible()
    visitor.get_by_label("No").check()
    expect(which_input).to_be_hidden()
    visitor.get_by_label("Yes").check()
    visitor.get_by_label("Your name").fill("Kari Nordmann")
    visitor.get_by_label("Email").fill("kari@example.org")
    # Sent without the shown question's answer: the server refuses, on its field.
    with visitor.expect_navigation():
        visitor.locator("main form button[type=submit]").click()
    expect(which_input).to_be_visible()
    expect(which_input).to_have_attribute("aria-invalid", "true")
    check_on_phone(visitor, "the register form with an error on the conditional question")
    which_input.fill("Glutenfri")
    with visitor.expect_navigation():
        visitor.locator("main form button[type=submit]").click()
    registration = Registration.objects.get()
    answers = {a.question_id: a.value for a in registration.answers.all()}
    assert answers == {diet.pk: True, which.pk: "Glutenfri"}
