"""Kept only for tests/e2e, which this branch leaves alone: the fixtures live in
tests/artists/conftest.py. Delete this module once tests/e2e imports them from there."""

from tests.artists.conftest import (  # noqa: F401 -- re-exported fixtures
    accepted,
    asker_after_flush,
    edition,
    edition_call,
    exhibition_open,
    joint_exhibition,
    open_studio,
    refused_artist,
    studio,
    weekends,
)

__all__ = [
    "accepted",
    "asker_after_flush",
    "edition",
    "edition_call",
    "exhibition_open",
    "joint_exhibition",
    "open_studio",
    "refused_artist",
    "studio",
    "weekends",
]
