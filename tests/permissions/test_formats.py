"""Dates, times and amounts as the reader's language writes them, on every page.

Every HTML page of the site that the permission matrix walks, asked for by a sample of
roles (the public, staff, a guardian, an artist, a host, a juror, a member) in bokmål and
in English. In the text a reader sees (not in attributes such as datetime=, value= or
href=, nor in scripts): no ISO dates, no English month or weekday names in bokmål, no
amount of kroner without its thousands grouping or written after the number, no price
of 0 where "Gratis" is meant.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from tests.permissions.matrix import params_for, query_for
from tests.permissions.walker import discover

ROLES = ["anonymous", "project_leader", "guardian", "artist", "venue_host", "juror", "member"]

PAGES = [
    pattern
    for pattern in discover()
    if not pattern.is_admin and not pattern.is_api and not pattern.key.endswith(".format")
]

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ENGLISH_NAMES = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b"
)
# "kr 39500", "NOK 39500": four digits or more without the grouping space.
UNGROUPED = re.compile(r"\b(kr|NOK)\s?\d{4,}")
# "150 kr": the amount before the currency.
AFTER_NUMBER = re.compile(r"\d\s?(kr|NOK)\b")
# "kr 0" where the price filter says "Gratis".
ZERO_PRICE = re.compile(r"\b(kr|NOK)\s0(?![\d,.])")


class VisibleText(HTMLParser):
    """The text between the tags, without scripts, styles and form fields' contents.

    Text inside an element of class "amount" (a sum, where "kr 0" is right) is kept apart
    in .sums, so that the check for a price of 0 can leave it out.
    """

    HIDDEN = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.sums: list[str] = []
        self.hidden = 0
        self.sum_tag: str | None = None
        self.sum_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        if self.sum_tag == tag:
            self.sum_depth += 1
        elif self.sum_tag is None and "amount" in (dict(attrs).get("class") or "").split():
            self.sum_tag, self.sum_depth = tag, 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag == self.sum_tag:
            self.sum_depth -= 1
            if not self.sum_depth:
                self.sum_tag = None

    def handle_data(self, data):
        if not self.hidden:
            (self.sums if self.sum_tag else self.parts).append(data)


def _cleaned(parts: list[str]) -> list[str]:
    return [part.replace("\xa0", " ").replace("\u202f", " ") for part in parts]


def visible_text(html: str) -> tuple[list[str], list[str]]:
    """Return the pieces of visible text outside sums and inside them."""
    parser = VisibleText()
    parser.feed(html)
    return _cleaned(parser.parts), _cleaned(parser.sums)


def problems_in(texts: tuple[list[str], list[str]], language: str) -> list[str]:
    """Return the mistakes in the pieces of text, each piece read on its own."""
    parts, sums = texts
    checks = [
        (ISO_DATE, "an ISO date"),
        (UNGROUPED, "an amount without grouping"),
        (AFTER_NUMBER, "an amount written after the number"),
    ]
    if language == "nb":
        checks.append((ENGLISH_NAMES, "an English name"))
    found = []
    for piece in parts + sums:
        for pattern, what in checks:
            found += [f"{what}: {match.group(0)!r}" for match in pattern.finditer(piece)]
    for piece in parts:
        found += [f"a price of 0: {match.group(0)!r}" for match in ZERO_PRICE.finditer(piece)]
    return found


@pytest.fixture(scope="module")
def readers(world):
    """A client per role and language."""
    clients = {}
    for role in ROLES:
        for language in ("nb", "en"):
            client = Client(raise_request_exception=False)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            if world.users[role] is not None:
                client.force_login(world.users[role])
            clients[role, language] = client
    return clients


@pytest.mark.parametrize("pattern", PAGES, ids=lambda pattern: pattern.key)
def test_every_page_formats_dates_and_amounts_as_its_language(world, readers, pattern, db):
    path = pattern.path(params_for(pattern, world))
    query = query_for(pattern, world)
    url = path + ("?" + query if query else "")
    problems = []
    for (role, language), client in readers.items():
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        text = visible_text(response.content.decode())
        problems += [f"{role}/{language}: {problem}" for problem in problems_in(text, language)]
    assert not problems, f"{url}: {sorted(set(problems))}"


def test_the_checks_find_what_they_look_for():
    """The checks cannot pass by accident: each finds its own kind of mistake."""
    html = (
        '<p><time datetime="2026-12-13">2026-12-13</time> Sunday 13. Des · kr 39500 · 150 kr'
        ' · kr 0</p><input value="2026-12-13"><script>"2026-12-14"</script>'
    )
    found = problems_in(visible_text(html), "nb")
    assert "an ISO date: '2026-12-13'" in found
    assert "an English name: 'Sunday'" in found
    assert "an amount without grouping: 'kr 39500'" in found
    assert "an amount written after the number: '0 kr'" in found
    assert "a price of 0: 'kr 0'" in found
    assert not any("2026-12-14" in problem for problem in found)
    sums = visible_text('<table><tr><td class="amount"><b>kr 0</b></td></tr></table><p>kr 0</p>')
    assert problems_in(sums, "nb") == ["a price of 0: 'kr 0'"]
    assert problems_in(visible_text("<p>søndag 13. desember kl. 18.00 · kr 39 500</p>"), "nb") == []
