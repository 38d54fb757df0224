"""The browser tests' fixtures (tests/e2e/conftest.py): Debian's chromium through Playwright."""

from tests.e2e.conftest import (  # noqa: F401 -- fixtures, found by name
    _async_unsafe_allowed,
    browser,
    open_page,
    playwright,
)
