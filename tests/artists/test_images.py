"""Uploaded images: only real JPEG/PNG/WebP, size limits, no bombs, no EXIF, sizes made once."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from artists import images
from artists.images import prepare_image
from artists.models import ArtistImage
from artists.services.profiles import add_work_image
from tests.artists.factories import GPS_IFD, gps_exif, image_bytes, image_upload, new_artist


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def opened(content_file) -> Image.Image:
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


def png_declaring(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header declares the given size (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        prepare_image(upload)
    return error.value


# Accepted images ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_taken_with_their_sizes_made_once(fmt):
    prepared = prepare_image(image_upload(fmt=fmt, size=(3200, 2400)))
    assert (prepared.width, prepared.height) == (3200, 2400)
    original = opened(prepared.original)
    assert original.format == fmt
    assert original.size == (3200, 2400)
    display, thumbnail = opened(prepared.display), opened(prepared.thumbnail)
    assert display.size == (1600, 1200)
    assert thumbnail.size == (400, 300)
    assert len(prepared.thumbnail) < len(prepared.display)


def test_a_small_image_is_never_enlarged():
    prepared = prepare_image(image_upload(size=(300, 200)))
    assert opened(prepared.display).size == (300, 200)
    assert opened(prepared.thumbnail).size == (300, 200)


def test_a_portrait_format_keeps_its_long_side_at_the_limit():
    prepared = prepare_image(image_upload(size=(1000, 4000)))
    assert opened(prepared.thumbnail).size == (100, 400)
    assert opened(prepared.display).size == (400, 1600)


def test_transparency_survives_in_the_sizes():
    prepared = prepare_image(image_upload(fmt="PNG", mode="RGBA", color=(0, 0, 0, 0)))
    assert opened(prepared.original).mode == "RGBA"
    assert opened(prepared.thumbnail).mode == "RGBA"


def test_the_decoded_format_counts_not_the_name_or_content_type():
    # A real PNG sent as "photo.jpg" with a JPEG content type is taken, and stored as PNG.
    upload = SimpleUploadedFile("photo.jpg", image_bytes(fmt="PNG"), "image/jpeg")
    assert opened(prepare_image(upload).original).format == "PNG"


# Refused files --------------------------------------------------------------------------


def test_text_named_like_a_jpeg_is_refused():
    upload = SimpleUploadedFile("work.jpg", b"this is not an image at all", "image/jpeg")
    error = refusal(upload)
    assert error.code == "not_an_image"
    assert "not an image we can read" in error.messages[0]


def test_a_truncated_jpeg_is_refused():
    data = image_bytes(size=(400, 300))
    error = refusal(SimpleUploadedFile("work.jpg", data[: len(data) // 3], "image/jpeg"))
    assert error.code == "not_an_image"


def test_an_empty_file_is_refused():
    assert refusal(SimpleUploadedFile("work.jpg", b"", "image/jpeg")).code == "empty"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_real_formats_are_refused_by_name(fmt):
    upload = SimpleUploadedFile("work.jpg", image_bytes(fmt=fmt), "image/jpeg")
    error = refusal(upload)
    assert error.code == "wrong_format"
    assert fmt in error.messages[0]


def test_a_file_over_15_mb_is_refused_before_it_is_decoded(monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("a file that is too large must not be decoded")

    monkeypatch.setattr(images.Image, "open", must_not_open)
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * images.MAX_BYTES, "image/jpeg")
    error = refusal(upload)
    assert error.code == "too_large"
    assert "15 MB" in error.messages[0]


def test_a_file_that_lies_about_its_size_is_still_stopped_at_15_mb():
    upload = SimpleUploadedFile("big.jpg", b"\0" * (images.MAX_BYTES + 10), "image/jpeg")
    upload.size = 100
    assert refusal(upload).code == "too_large"


@pytest.mark.parametrize(
    "width, height",
    [
        (100_000, 100_000),  # far beyond Pillow's own limit: DecompressionBombError
        (12_000, 9_000),  # beyond Pillow's warning: the warning becomes a refusal
        (8_000, 6_000),  # within Pillow's limits, over our 40 megapixels
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header(monkeypatch, width, height):
    def must_not_decode(self, *args, **kwargs):
        raise AssertionError("the pixels of a bomb must not be decoded")

    monkeypatch.setattr(images.Image.Image, "load", must_not_decode)
    data = png_declaring(width, height)
    assert len(data) < 2_000
    error = refusal(SimpleUploadedFile("bomb.png", data, "image/png"))
    assert error.code == "too_many_pixels"
    assert "40 megapixels" in error.messages[0]


def test_exactly_40_megapixels_is_within_the_limit():
    # The check is on the header: 8000 × 5000 passes it (and then fails as a broken PNG).
    error = refusal(SimpleUploadedFile("edge.png", png_declaring(8000, 5000), "image/png"))
    assert error.code == "not_an_image"


# Metadata -------------------------------------------------------------------------------


def test_gps_exif_is_removed_and_the_orientation_applied_first():
    # A phone photo stored sideways (orientation 6: turn 90° clockwise to show).
    upload = image_upload(size=(60, 40), exif=gps_exif(orientation=6))
    assert b"PhoneMaker" in upload.read()
    upload.seek(0)
    prepared = prepare_image(upload)
    for stored in (prepared.original, prepared.display, prepared.thumbnail):
        image = opened(stored)
        assert image.size == (40, 60)  # upright
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        stored.seek(0)
        content = stored.read()
        assert b"PhoneMaker" not in content
        assert b"Exif" not in content


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_and_text_are_removed_from_png_and_webp(fmt):
    options = {"exif": gps_exif()}
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("Comment", "Atelier i Slemmestadveien 12")
        options["pnginfo"] = text
    prepared = prepare_image(image_upload(fmt=fmt, **options))
    for stored in (prepared.original, prepared.thumbnail):
        image = opened(stored)
        assert GPS_IFD not in image.getexif()
        stored.seek(0)
        content = stored.read()
        assert b"PhoneMaker" not in content
        assert b"Slemmestadveien" not in content


def test_stored_gallery_files_have_no_gps(artist):
    profile = new_artist("Mari Maler", user=artist)
    image = add_work_image(
        artist=profile,
        by=artist,
        upload=image_upload(size=(800, 600), exif=gps_exif()),
        title="Hjemme",
    )
    for field in (image.image, image.display, image.thumbnail):
        with field.open("rb") as stored:
            content = stored.read()
        assert b"PhoneMaker" not in content
        assert GPS_IFD not in Image.open(io.BytesIO(content)).getexif()
    assert (image.width, image.height) == (800, 600)


def test_a_refused_upload_stores_nothing(artist, settings):
    profile = new_artist("Mari Maler", user=artist)
    fake = SimpleUploadedFile("work.jpg", b"not an image", "image/jpeg")
    with pytest.raises(ValidationError) as error:
        add_work_image(artist=profile, by=artist, upload=fake, title="Falsk")
    assert list(error.value.error_dict) == ["image"]
    assert not ArtistImage.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
