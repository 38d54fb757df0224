"""What the site promises about accessibility, and how the tests check it.

One list for the tests and the accessibility statement (tilgjengelighetserklæring): the
standard, the axe-core version and rule tags the browser tests run, the checks (each
names the tests that make it), the known barriers the tests still meet, and the contact
for reporting a barrier. The statement page (``core:accessibility``) prints this module;
the tests import it, so the page says what the tests verify and nothing else.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

STANDARD = "WCAG 2.1"
LEVEL = "AA"
# The law: forskrift om universell utforming av IKT-løsninger (public bodies must meet it).
REGULATION_URL = "https://lovdata.no/dokument/SF/forskrift/2013-06-21-732"
# Where anyone may report a barrier the owner of a site does not fix: the supervisory
# authority, Tilsynet for universell utforming av ikt (Digitaliseringsdirektoratet).
COMPLAINT_URL = "https://www.uutilsynet.no/"
# The statement's date: the day its checks and known barriers were last reviewed.
STATEMENT_DATE = date(2026, 12, 7)

# axe-core, vendored from the npm registry under tests/vendor/axe-core-<version>/.
AXE_VERSION = "4.14.1"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# The widths every page is checked at: a phone and a desk.
WIDTHS = (390, 1280)
# The smallest target of the scanner's and the counter's buttons, in CSS pixels (WCAG 2.5.5).
MIN_TARGET_PX = 44


@dataclass(frozen=True)
class Check:
    key: str
    description: str  # translated lazily
    tests: tuple[str, ...]  # test node ids (path::function) that make the check


CHECKS = (
    Check(
        "axe",
        _(
            "Every page that each kind of user can open (visitors, artists, jurors, hosts, "
            "guardians, members, tutors, tour leaders and staff) is checked with axe-core "
            "against the WCAG 2.0 and 2.1 rules of levels A and AA, 1280 pixels wide; each "
            "user's start page and the pages of their menu also 390 pixels wide, as on a phone."
        ),
        ("tests/e2e/test_accessibility.py::test_every_page_of_every_role_passes_axe",),
    ),
    Check(
        "keyboard",
        _(
            "The main journeys (an artist's profile, a juror's review, a host's scanner, a "
            "guardian's registration of a child, a project leader's work and a visitor's "
            "visit) are also done with the keyboard alone: every element reached has a "
            "visible focus mark, and focus is never trapped."
        ),
        (
            "tests/e2e/test_journey_artist.py",
            "tests/e2e/test_journey_juror.py",
            "tests/e2e/test_journey_host.py",
            "tests/e2e/test_journey_guardian.py",
            "tests/e2e/test_journey_leader.py",
            "tests/e2e/test_journey_visitor.py",
        ),
    ),
    Check(
        "skip_link",
        _(
            "Every page starts with a link that skips to the main content: the first press "
            "of Tab shows it, Enter moves the focus to the content."
        ),
        ("tests/e2e/test_keyboard.py::test_the_skip_link_moves_focus_to_the_main_content",),
    ),
    Check(
        "zoom",
        _(
            "The ticket scanner and the visitor counter work at 200 % zoom without scrolling "
            "sideways, their buttons are at least 44 by 44 pixels, and their main action "
            "works with the keyboard."
        ),
        (
            "tests/e2e/test_keyboard.py::test_the_scanner_at_200_percent_zoom",
            "tests/e2e/test_keyboard.py::test_the_counter_at_200_percent_zoom",
        ),
    ),
    Check(
        "form_errors",
        _(
            "A form sent with mistakes comes back with a summary of the errors at the top, "
            "which takes the focus and links to each field; each field says its own error "
            "to screen readers too."
        ),
        (
            "tests/e2e/test_form_errors.py::"
            "test_bad_input_is_summarised_and_each_error_leads_to_its_field",
        ),
    ),
    Check(
        "text_alternatives",
        _(
            "Every chart of the visitor statistics has the table of its figures beside it, "
            "and the map of open studios has the list of the same studios."
        ),
        (
            "tests/artists/test_text_alternatives.py::test_every_chart_is_named_and_has_its_table",
            "tests/artists/test_text_alternatives.py::"
            "test_every_studio_on_the_map_is_on_the_list_it_links_to",
        ),
    ),
)


@dataclass(frozen=True)
class KnownBarrier:
    page: str  # the URL pattern's key in the permission matrix (tests/permissions/walker.py)
    rule: str  # the axe rule id
    description: str  # translated lazily: what a user meets


# The violations the walk still finds: the walk fails on any violation not listed here,
# and on any entry here it no longer finds, so the list only shrinks.
KNOWN_BARRIERS: tuple[KnownBarrier, ...] = ()


def contact_email() -> str:
    """Return the address where a barrier is reported."""
    return settings.ACCESSIBILITY_CONTACT_EMAIL
