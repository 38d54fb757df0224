"""Kept only for tests/e2e, which this branch leaves alone: the fixtures live in
tests/orchestra/conftest.py and the helpers in tests/orchestra/factories.py. Delete this
module once tests/e2e imports them from there."""

from tests.orchestra.conftest import membership_text, registration_open  # noqa: F401
from tests.orchestra.factories import birth_date_at_start  # noqa: F401
