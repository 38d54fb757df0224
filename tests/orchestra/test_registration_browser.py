"""The registration form in a phone's browser: the group suggested by age (a static
script, no inline script), sending the form, and the staff's and guardian's pages."""

import pytest

from tests.e2e import conftest as e2e
from tests.orchestra.factories import GroupFactory

# The browser tests' fixtures, shared with this module.
CHROMIUM = e2e.CHROMIUM
_async_unsafe_allowed = e2e._async_unsafe_allowed
playwright = e2e.playwright
browser = e2e.browser
artifacts = e2e.artifacts
open_page = e2e.open_page

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

from core.roles import Role  # noqa: E402
from events.models import Programme  # noqa: E402
from orchestra import services  # noqa: E402
from orchestra.models import ConsentText, Instrument, Member  # noqa: E402
from tests.factories import (  # noqa: E402
    MunicipalityFactory,
    PeriodFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.orchestra.factories import birth_date_at_start  # noqa: E402


@pytest.fixture
def open_season(transactional_db):
    """What the form needs, made here: a flushing test cannot rely on migrated rows."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    programme = ProgrammeFactory(slug="usym", name="Usym", kind=Programme.Kind.ORCHESTRA)
    season = PeriodFactory(
        programme=programme,
        slug="season",
        name="Sesong",
        start=today - timedelta(days=30),
        end=today + timedelta(days=300),
    )
    GroupFactory(season=season, name="Ungdomssymfonikerne", slug="u", min_age=8, max_age=18)
    GroupFactory(season=season, name="Juniorsymfonikerne", slug="j", min_age=8, max_age=13)
    Instrument.objects.get_or_create(
        name_nb="Fiolin", defaults={"name_en": "Violin", "section": "strings", "position": 10}
    )
    MunicipalityFactory(name="Asker", number="3203", valid_from=None)
    for kind, text in (("membership", "Vi lagrer opplysningene."), ("photo", "Foto er lov.")):
        draft = services.create_consent_text(kind=kind, text_nb=text, text_en=text)
        services.publish_consent_text(text=draft)
    return season


def test_a_guardian_registers_a_child_on_a_phone(open_page, open_season, artifacts, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = open_page(None, "/orkester/innmelding/")
    suggestion = page.locator("[data-group-suggestion]")
    expect(suggestion).to_be_hidden()
    page.fill("#id_birth_date", birth_date_at_start(open_season, 10).isoformat())
    page.dispatch_event("#id_birth_date", "change")
    expect(suggestion).to_have_text("By age, we suggest: Juniorsymfonikerne")
    page.fill("#id_birth_date", birth_date_at_start(open_season, 16).isoformat())
    page.dispatch_event("#id_birth_date", "change")
    expect(suggestion).to_have_text("By age, we suggest: Ungdomssymfonikerne")
    page.fill("#id_first_name", "Fiolina")
    page.fill("#id_last_name", "Bueføring")
    page.select_option("#id_municipality", label="Asker")
    page.select_option("#id_main_instrument", label="Violin")
    page.fill("#id_guardian1-first_name", "Frida")
    page.fill("#id_guardian1-last_name", "Bueføring")
    page.fill("#id_guardian1-email", "frida@example.org")
    page.fill("#id_guardian1-phone", "+47 900 11 111")
    page.check("#id_consent_membership")
    page.screenshot(path=str(artifacts / "orchestra-registration.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the form scrolls sideways on a phone"
    page.click(".registration-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Thank you!")
    expect(page.locator("main")).to_contain_text("Ungdomssymfonikerne")
    assert "Fiolina" not in page.url
    page.screenshot(path=str(artifacts / "orchestra-registered.png"), full_page=True)
    member = Member.objects.get()
    assert member.consents.get().text.kind == ConsentText.Kind.MEMBERSHIP

    leader = UserFactory(username="leader", roles=[Role.PROJECT_LEADER])
    staff_page = open_page(leader, "/stab/orkester/soknader/")
    expect(staff_page.locator(".application")).to_contain_text("Fiolina")
    assert staff_page.evaluate("document.documentElement.scrollWidth") <= 390
    staff_page.screenshot(path=str(artifacts / "orchestra-applications.png"), full_page=True)
    staff_page.click(".approve-form button[type=submit]")
    expect(staff_page.locator(".messages")).to_contain_text(str(member.pk))

    # Approval gave the guardian a login.
    login = member.guardianships.get().guardian.user
    mine = open_page(login, "/foresatt/")
    expect(mine.locator(".child-card")).to_contain_text("Ungdomssymfonikerne")
    assert mine.evaluate("document.documentElement.scrollWidth") <= 390
    mine.screenshot(path=str(artifacts / "orchestra-my-children.png"), full_page=True)
