"""Kept only for tests/e2e and tests/permissions, which this branch leaves alone: the
fixtures live in tests/artists/conftest.py and the helpers in tests/artists/factories.py.
Delete this module once those import from there."""

from tests.artists.conftest import (  # noqa: F401 -- re-exported fixtures
    criteria,
    jurors,
    jury_call,
    jury_media,
    review_phase,
)
from tests.artists.factories import make_applicant, make_application  # noqa: F401
