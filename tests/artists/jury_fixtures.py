"""Kept only for tests/e2e and tests/permissions, which this branch leaves alone: the
fixtures live in tests/artists/conftest.py and the factories in tests/artists/factories.py.
Delete this module once those import from there (make_applicant(name, slug=...) is
ApplicantFactory(name=name, slug=...); make_application(call, artist) is
ApplicationFactory(call=call, artist=artist))."""

from tests.artists.conftest import (  # noqa: F401 -- re-exported fixtures
    criteria,
    jurors,
    jury_call,
    jury_media,
    review_phase,
)
from tests.artists.factories import ApplicantFactory, ApplicationFactory


def make_applicant(name, *, slug, images=3, filename="work.jpg", **values):
    return ApplicantFactory(
        name=name, slug=slug, images=images, images__filename=filename, **values
    )


def make_application(call, artist, **values):
    return ApplicationFactory(call=call, artist=artist, **values)
