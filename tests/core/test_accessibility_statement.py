"""The accessibility statement prints what the tests check (core.accessibility): each
check, the axe-core version and rules, the known barriers, the contact and the complaint
route; in bokmål and in English. And each check names tests that exist."""

import ast
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core import accessibility
from core.accessibility import KnownBarrier

ROOT = Path(settings.BASE_DIR)


def _get(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_statement_lists_every_check_and_the_contact(client, db, language, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "uu@kommune.example"
    page = _get(client, language)
    with translation.override(language):
        for check in accessibility.CHECKS:
            assert f'data-check="{check.key}"' in page
            assert escape(str(check.description)) in page, check.key
    assert 'href="mailto:uu@kommune.example"' in page
    assert f'href="{accessibility.COMPLAINT_URL}"' in page
    assert f"axe-core {accessibility.AXE_VERSION}" in page
    assert all(tag in page for tag in accessibility.AXE_TAGS)
    assert "<script" not in page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_statement_is_in_the_language_chosen(client, db):
    assert "<h1>Tilgjengelighetserklæring</h1>" in _get(client, "nb")
    assert "<h1>Accessibility statement</h1>" in _get(client, "en")


def test_the_statement_lists_the_known_barriers(client, db, monkeypatch):
    barrier = KnownBarrier("artists:studio_map", "color-contrast", "Lav kontrast på kartet.")
    monkeypatch.setattr(accessibility, "KNOWN_BARRIERS", (barrier,))
    page = _get(client, "nb")
    assert 'data-barrier="artists:studio_map color-contrast"' in page
    assert "Lav kontrast på kartet." in page
    assert "a11y-no-barriers" not in page


def test_the_statement_says_when_no_barrier_is_known(client, db, monkeypatch):
    monkeypatch.setattr(accessibility, "KNOWN_BARRIERS", ())
    page = _get(client, "en")
    assert "The checks find no barriers on any page at the moment." in page
    assert "data-barrier=" not in page


def test_every_page_links_to_the_statement(client, db):
    assert (
        f'href="{reverse("accessibility")}"' in client.get(reverse("events:home")).content.decode()
    )


def test_the_vendored_axe_is_the_version_the_statement_names():
    folder = ROOT / "tests" / "vendor" / f"axe-core-{accessibility.AXE_VERSION}"
    package = json.loads((folder / "package.json").read_text())
    assert package["name"] == "axe-core"
    assert package["version"] == accessibility.AXE_VERSION
    assert (folder / "LICENSE").is_file() and (folder / "axe.min.js").is_file()


def _functions(path: Path) -> dict[str, list[str]]:
    """Return the module's functions and their parameters' names."""
    tree = ast.parse(path.read_text())
    return {
        node.name: [argument.arg for argument in node.args.args]
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }


def test_every_check_names_tests_that_exist():
    """A check the statement promises is made by tests; a renamed test fails here."""
    for check in accessibility.CHECKS:
        assert check.tests, check.key
        for node in check.tests:
            path, _, function = node.partition("::")
            assert (ROOT / path).is_file(), f"{check.key}: {path} does not exist"
            if function:
                assert function in _functions(ROOT / path), f"{check.key}: no {node}"
            else:  # a journey module: each of its tests runs in both modes (keyboard.py)
                tests = {
                    name: params
                    for name, params in _functions(ROOT / path).items()
                    if name.startswith("test_")
                }
                assert tests, f"{check.key}: {path} has no test"
                for name, params in tests.items():
                    assert "mode" in params, f"{check.key}: {path}::{name} has no keyboard mode"


def test_known_barriers_name_a_page_and_an_axe_rule():
    from tests.permissions.walker import discover

    keys = {pattern.key for pattern in discover()}
    for barrier in accessibility.KNOWN_BARRIERS:
        assert barrier.page in keys, barrier
        assert barrier.rule and str(barrier.description), barrier
