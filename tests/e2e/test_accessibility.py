"""Every page of the site, as every role, passes axe-core's WCAG 2.0/2.1 A and AA rules.

The pages come from the permission matrix (tests/permissions): its world (a login per
role, an object for every URL parameter), its walker (every URL pattern of the resolver)
and its derivation (which roles a GET of each pattern lets through). Each HTML page that
answers 200 to a role is opened in chromium with that role's session, in bokmål, and
checked with axe-core (tests/e2e/axe.py) at 1280 px; each role's landing page and the
pages of its menu (for a visitor: the public pages of the header and the footer) also at
390 px, where they are shot for test-artifacts/screens/. The
admin, the API, feeds and downloads are not walked (the content type says which answers
are pages).

A page whose head and main content two roles get in the same markup (once the CSRF token
and the user name are set aside) is checked once: axe reads the markup and the styles,
so a second run would find the same. Each role's own menu and footer are checked on its
landing page.

The violations still known are listed in core.accessibility.KNOWN_BARRIERS, which the
statement page prints; the walk fails on a violation not in the list and on a listed one
it no longer finds, so the list only shrinks.

Cost: about 270 axe runs, 3 to 5½ minutes on the 2-core machine shared with other test
runs (1 s for the world, 20-50 s of test-client requests to find the pages, 1 min of page
loads, 1½-2 min of axe, 15-20 s of screenshots). That is over the budget of ~3 minutes
for each database run, so the walk runs in the SQLite run of `make test` only: what it
checks is the rendered markup and styles, which do not depend on the database.

Each role's landing page is also checked with its menu opened (the header's Menu button).

It also writes screenshots of each role's landing page and of the pages of its menu at
390 and 1280 px to test-artifacts/screens/<role>/<page>-<width>.png.
"""

import hashlib
import importlib
import re
import shutil
import time
from collections import defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.accessibility import KNOWN_BARRIERS, WIDTHS
from core.menu import entries_for
from tests.e2e.axe import run_axe
from tests.e2e.conftest import CHROMIUM, serve_media
from tests.permissions import derived, expectations
from tests.permissions.conftest import FAST_HASHERS, LOCMEM_EMAIL
from tests.permissions.matrix import params_for, query_for
from tests.permissions.walker import discover
from tests.permissions.world import ROLES, build_world

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)
if connection.vendor != "sqlite":
    pytest.skip(
        "the walk runs in the SQLite run of `make test` only (its cost: the module's docstring)",
        allow_module_level=True,
    )

# The header's button that opens the menu (templates/base.html).
MENU_BUTTON = "header button[aria-expanded][aria-controls]"
SCREENS = settings.BASE_DIR / "test-artifacts" / "screens"
PAGES = [pattern for pattern in discover() if not pattern.is_admin and not pattern.is_api]
# The data migrations' rows, which a transactional test before this one may have flushed.
MIGRATION_DATA = (
    ("events.migrations.0002_load_municipalities", "load"),
    ("artists.migrations.0002_disciplines", "load"),
    ("orchestra.migrations.0002_instruments", "seed"),
)
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=|csrf[-_]?token["\']?\s*[:=]\s*)"[^"]*"')


def _migration_data() -> None:
    for module, function in MIGRATION_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


def _admitted(pattern, world, role) -> bool:
    """Whether the matrix lets the role GET the pattern (by its policy or its table row)."""
    want = derived.expected(pattern, world, role)
    if want is not None:
        return want.let_through
    rule = expectations.rule_for(pattern.key)
    return rule is not None and rule.get(role) == 200


def _markup_key(content: bytes, user) -> str:
    """Return what axe's answer depends on, the menu aside: the head (the stylesheets) and
    the main content, without the CSRF token and the user's name."""
    content = CSRF.sub(rb"\1", content)
    if user is not None:
        content = content.replace(user.get_username().encode(), b"")
    head = content.split(b"</head>", 1)[0]
    main = re.split(rb"<main\b", content, maxsplit=1)[-1].split(b"</main>", 1)[0]
    return hashlib.sha256(head + b"\0" + main).hexdigest()


def _context(browser, live_server, user, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="nb-NO",
        bypass_csp=True,
        reduced_motion="reduce",
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    return context


def _pages_of(role, world):
    """Yield (pattern key, path) of the HTML pages that answer 200 to the role, and the
    answer's markup key."""
    user = world.users[role]
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="nb")
    if user is not None:
        client.force_login(user)
    for pattern in PAGES:
        if not _admitted(pattern, world, role):
            continue
        path = pattern.path(params_for(pattern, world))
        query = query_for(pattern, world)
        path += "?" + query if query else ""
        response = client.get(path)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        yield pattern.key, path, _markup_key(response.content, user)


def _shoot(page, role: str, name: str) -> None:
    folder = SCREENS / role
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    safe = re.sub(r"[^\w-]+", "-", name).strip("-")
    page.screenshot(path=str(folder / f"{safe}-{width}.png"), full_page=True, animations="disabled")


PUBLIC_SCREENS = (
    "events:home",
    "events:event_list",
    "login",
    "orchestra:register",
    "orchestra:group_calendars",
    "accessibility",
)


def _screens_of(role, world) -> dict[str, str]:
    """Return the role's landing page and the pages of its menu: {URL name: path}."""
    user = world.users[role]
    screens = {"landing": reverse(settings.LOGIN_REDIRECT_URL)}
    if user is None:
        # A visitor's menu is the header's and the footer's public pages (base.html).
        for name in PUBLIC_SCREENS:
            screens[name] = reverse(name)
    else:
        for entry in entries_for(user):
            if entry.url not in screens.values():  # the landing page may be in the menu
                screens[entry.url_name] = entry.url
    return screens


def test_every_page_of_every_role_passes_axe(
    transactional_db, live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.EMAIL_BACKEND = LOCMEM_EMAIL
    _migration_data()
    shutil.rmtree(SCREENS, ignore_errors=True)  # no screenshot of a page gone from a menu
    clock = defaultdict(float)
    started = time.monotonic()
    world = build_world()
    clock["world"] = time.monotonic() - started
    found = defaultdict(list)  # (page key, rule) -> where it was found
    checked = set()  # the markup keys checked at 1280 px
    runs = 0

    def check(page, key, path, role, width, *, load=True):
        nonlocal runs
        runs += 1
        began = time.monotonic()
        if load:
            page.goto(live_server.url + path)
        clock["load"] += time.monotonic() - began
        began = time.monotonic()
        for violation in run_axe(page):
            found[key, violation.rule].append(
                violation.describe(f"{key} {path} as {role} at {width} px: ")
            )
        clock["axe"] += time.monotonic() - began

    for role in ROLES:
        user = world.users[role]
        began = time.monotonic()
        pages = list(_pages_of(role, world))
        clock["client"] += time.monotonic() - began
        keys = {path: key for key, path, _markup in pages}
        screens = _screens_of(role, world)
        for width in WIDTHS:
            context = _context(browser, live_server, user, width)
            page = context.new_page()
            serve_media(page)
            page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
            # The landing page and the menu's pages, at each width: checked and shot (the
            # landing page checks the role's menu and footer, which the dedup sets aside).
            for name, path in screens.items():
                check(page, keys.get(path, name), path, role, width)
                began = time.monotonic()
                _shoot(page, role, name)
                clock["screenshots"] += time.monotonic() - began
                if name == "landing" and page.locator(MENU_BUTTON).count():
                    # The menu as it is used: opened (its entries are hidden until then).
                    page.locator(MENU_BUTTON).click()
                    check(
                        page, keys.get(path, name), path + " (menu open)", role, width, load=False
                    )
            if width == max(WIDTHS):
                for key, path, markup in pages:
                    if markup in checked:
                        continue
                    checked.add(markup)
                    if path not in screens.values():
                        check(page, key, path, role, width)
            context.close()
    print(
        f"axe walk: {runs} pages checked in {time.monotonic() - started:.0f} s; "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in clock.items())
    )

    known = {(barrier.page, barrier.rule) for barrier in KNOWN_BARRIERS}
    new = {entry: where for entry, where in found.items() if entry not in known}
    gone = sorted(known - set(found))
    report = []
    for (key, rule), where in sorted(new.items()):
        report.append(f"{key} / {rule}: {len(where)} time(s)\n    " + "\n    ".join(where[:3]))
    assert not new, (
        f"{len(new)} accessibility violation(s) (page key / axe rule) that "
        "core.accessibility.KNOWN_BARRIERS does not list:\n  " + "\n  ".join(report)
    )
    assert not gone, (
        f"KNOWN_BARRIERS lists violations the walk no longer finds (remove them): {gone}"
    )
