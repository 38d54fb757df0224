"""Shared fixtures for the art round's tests."""

import pytest

from artists.services.profiles import add_work_image
from tests.artists.factories import image_upload, new_artist


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded files of every test in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def artist_profile(artist):
    """The profile of the ``artist`` user: two public images and one that is not."""
    profile = new_artist("Mari Maler", user=artist, disciplines=("painting", "drawing"), images=2)
    add_work_image(
        artist=profile, by=artist, upload=image_upload(), title="Skisse", is_public=False
    )
    return profile


@pytest.fixture
def other_artist(db):
    """Another artist, with a login, a profile and one public image."""
    return new_artist("Kari Keramiker", username="keramikeren", disciplines=("ceramics",), images=1)
