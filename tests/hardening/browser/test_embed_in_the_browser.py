"""The embeddable events list framed by another website, in Chromium: an allowed origin
shows it, any other origin gets a refusal; and the list passes axe."""

import threading
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from tests.e2e.axe import assert_no_violations
from tests.e2e.conftest import CHROMIUM
from tests.factories import EventFactory, VenueFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


@contextmanager
def other_website(embed_url: str):
    """Serve, on 127.0.0.1 and a port of its own (another origin than the live server's),
    a page that frames the embed URL; yield the site's origin. A real server: Chromium does
    not let a page it cannot place on the network (a Playwright route) frame localhost."""
    body = (
        '<!doctype html><html lang="nb"><title>Kommunen</title>'
        f'<iframe src="{embed_url}" title="Hva skjer" width="600" height="600"></iframe>'
    ).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_framed(browser, origin: str):
    context = browser.new_context()
    page = context.new_page()
    page.goto(origin + "/kultur/")
    page.wait_for_load_state("load")
    return context, page


def test_an_allowed_origin_frames_the_list_and_another_is_refused(
    browser, live_server, settings, open_page
):
    venue = VenueFactory(name="Lier kulturhus")
    EventFactory(
        venue=venue,
        title_nb="Verksted i grafikk",
        start=timezone.now() + timedelta(days=2),
        end=timezone.now() + timedelta(days=2, hours=2),
    )
    embed_url = f"{live_server.url}/embed/venues/{venue.pk}/"

    with other_website(embed_url) as municipality, other_website(embed_url) as stranger:
        settings.EMBED_ALLOWED_ORIGINS = [municipality]
        context, page = open_framed(browser, municipality)
        frame = page.frame_locator("iframe")
        frame.get_by_text("Verksted i grafikk").first.wait_for(timeout=10000)
        context.close()

        context, page = open_framed(browser, stranger)
        page.wait_for_timeout(1000)
        [child] = [frame for frame in page.frames if frame != page.main_frame]
        assert "Verksted i grafikk" not in child.content()
        context.close()

    # The list itself, opened on its own, passes axe.
    alone = open_page(None, f"/embed/venues/{venue.pk}/", bypass_csp=True)  # axe is inline
    assert_no_violations(alone, "the venue's embeddable list")
