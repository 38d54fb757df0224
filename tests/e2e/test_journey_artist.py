# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Journey: an artist logs in, writes a new bio, uploads a work image, and sees both on
their public page; with the pointer, and with the keyboard alone (tests/e2e/keyboard.py)."""

import pytest

from artists.models import ArtistImage
from tests.artists.conftest import asker_after_flush  # noqa: F401 -- a fixture
from tests.artists.factories import image_bytes, new_artist
from tests.e2e.conftest import CHROMIUM, log_in, serve_media
from tests.e2e.keyboard import Hands, mode  # noqa: F401 -- a fixture

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist

BIO = "I paint the fjord in winter light, in oil on linen."


def shows_its_pixels(page, image) -> None:
    """Wait until the browser has the image's pixels: it loaded, it did not fail."""
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_an_artist_updates_the_bio_and_adds_an_image(
    artist, asker_after_flush, open_page, last_step, live_server, mode
):
    profile = new_artist("Mari Maler", user=artist)
    page = open_page(None, "/kunstner/profil/")
    hands = Hands(page, mode)
    serve_media(page)
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    log_in(page, artist.username, "pass", hands)

    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    hands.fill(page.get_by_label("short bio (English)"), BIO)
    hands.click(page.get_by_role("button", name="Save the profile"))
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    expect(page.get_by_label("short bio (English)")).to_have_value(BIO)

    hands.click(page.locator(".profile-nav").get_by_role("link", name="Gallery"))
    expect(page.get_by_text("Your gallery is empty.")).to_be_visible()
    hands.upload(
        page.get_by_label("Image file"),
        {
            "name": "fjord.jpg",
            "mimeType": "image/jpeg",
            "buffer": image_bytes(size=(800, 600), color="steelblue"),
        },
    )
    hands.fill(page.get_by_label("title"), "Fjord i januar")
    hands.fill(page.get_by_label("year"), "2016")
    hands.click(page.get_by_role("button", name="Add to the gallery"))
    expect(page.locator(".messages")).to_contain_text("The image is added to your gallery.")
    thumbnail = page.locator(".gallery-item img[alt='Fjord i januar']")
    expect(thumbnail).to_be_visible()
    image = ArtistImage.objects.get(artist=profile)
    assert image.is_public and image.thumbnail and image.display

    shows_its_pixels(page, thumbnail)

    hands.click(page.locator(".profile-nav").get_by_role("link", name="Profile"))
    hands.click(page.get_by_role("link", name=profile.get_absolute_url()))
    expect(page).to_have_url(f"{live_server.url}{profile.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mari Maler")
    expect(page.locator(".artist-text")).to_contain_text(BIO)
    work = page.locator("img[alt='Fjord i januar']")
    expect(work).to_be_visible()
    shows_its_pixels(page, work)
    assert work.get_attribute("src").endswith(image.thumbnail.name)
    last_step(page, "artist-public-page" + hands.suffix)

    # Anyone sees the same, without a login.
    visitor = open_page(None, profile.get_absolute_url())
    expect(visitor.locator(".artist-text")).to_contain_text(BIO)
    expect(visitor.locator("img[alt='Fjord i januar']")).to_have_count(1)
