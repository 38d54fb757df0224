"""The demo's generated pictures: deterministic by seed, modest in size, and varied."""

import io

import pytest
from PIL import Image, ImageStat

from artists.demo_art import KINDS, LONG_SIDE, THUMBNAIL_SIDE, demo_pictures, encoded, picture


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_seed_paints_the_same_picture_and_another_seed_another(kind):
    first, again, other = picture(kind, 3), picture(kind, 3), picture(kind, 4)
    assert first.tobytes() == again.tobytes()
    assert first.tobytes() != other.tobytes()
    assert max(first.size) == LONG_SIDE


@pytest.mark.parametrize("kind", KINDS)
def test_a_picture_is_more_than_a_flat_shape(kind):
    image = picture(kind, 1)
    small = image.resize((120, 120))
    # Many colours and real contrast: the coloured ellipse on a plain ground that the demo
    # had before came to about 200 colours at this size.
    data = small.tobytes()
    assert len({data[i : i + 3] for i in range(0, len(data), 3)}) > 450
    assert min(ImageStat.Stat(image.convert("L")).stddev) > 12


def test_pictures_are_stored_once_as_modest_jpegs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pictures = demo_pictures(per_kind=1)
    stored = pictures["photograph"][0]
    path = tmp_path / stored.image
    full, thumbnail, _size = encoded("photograph", 0)
    assert path.read_bytes() == full and len(full) < 600_000
    with Image.open(io.BytesIO(thumbnail)) as small:
        assert small.format == "JPEG" and max(small.size) == THUMBNAIL_SIDE
    modified = path.stat().st_mtime_ns
    assert demo_pictures(per_kind=1) == pictures
    assert path.stat().st_mtime_ns == modified
