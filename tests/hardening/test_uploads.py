"""Uploads: random names, raster images only, and never shown as HTML or SVG from our origin."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from artists.images import prepare_image
from artists.models.profiles import upload_path
from core.media import serve_media

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("Mari Maler - selvportrett.jpg", "jpg"),
        ("portrait.PNG", "png"),
        ("evil.svg", "jpg"),
        ("evil.html", "jpg"),
        ("no-extension", "jpg"),
    ],
)
def test_uploads_are_stored_under_a_random_name_with_a_raster_extension(name, extension):
    path = upload_path(None, name)
    assert re.fullmatch(rf"artists/[0-9a-f]{{32}}\.{extension}", path)
    assert upload_path(None, name) != path


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("drawing.svg", SVG, "image/svg+xml"),
        ("drawing.jpg", SVG, "image/jpeg"),
        ("page.html", HTML, "text/html"),
        ("page.png", HTML, "image/png"),
    ],
)
def test_svg_and_html_are_refused_whatever_they_are_called(name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    with pytest.raises(ValidationError) as refused:
        prepare_image(upload)
    assert refused.value.code == "not_an_image"


def test_a_real_png_is_taken():
    prepared = prepare_image(SimpleUploadedFile("x.png", png_bytes(), content_type="image/png"))
    assert prepared.original.name == "original.png"


def get_media(name):
    """Ask for an upload as development does (config.urls routes /media/ here when DEBUG)."""
    return serve_media(RequestFactory().get(f"/media/{name}"), name)


@pytest.fixture
def media(settings):
    root = settings.MEDIA_ROOT
    root.mkdir(parents=True, exist_ok=True)
    (root / "page.html").write_bytes(HTML)
    (root / "drawing.svg").write_bytes(SVG)
    (root / "image.png").write_bytes(png_bytes())
    return root


@pytest.mark.parametrize("name", ["page.html", "drawing.svg"])
def test_media_that_is_not_a_raster_image_is_sent_as_a_download(media, name):
    response = get_media(name)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_a_raster_image_is_shown_with_nosniff(media):
    response = get_media("image.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_jurys_review_copies_are_never_served_as_media(media):
    """Review copies live under MEDIA_ROOT/jury/ and are served only by the jury's view,
    which checks the juror; the media URL refuses them, even to someone who has the name."""
    from django.http import Http404

    (media / "jury").mkdir()
    (media / "jury" / "0123abcd.webp").write_bytes(png_bytes())
    with pytest.raises(Http404):
        get_media("jury/0123abcd.webp")
    with pytest.raises(Http404):
        get_media("./jury/0123abcd.webp")
    with pytest.raises(Http404):
        get_media("artists/../jury/0123abcd.webp")
