"""The check-in scanner in a real browser, as a venue host uses it at the door."""

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from PIL import Image

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import EventFactory
from ticketing.models import Checkin, CheckinList, Offer
from ticketing.qr import qr_png
from ticketing.services import TicketRequest, register

if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402 -- only once chromium is known to exist


@pytest.fixture
def door(transactional_db, venue_host):
    """An event the venue host hosts, a free offer, a check-in list and two tickets."""
    event = EventFactory(title_nb="Vårkonsert", title_en="Spring concert")
    event.hosts.add(venue_host)
    offer = Offer.objects.create(event=event, name_nb="Inngang", price=0)
    checkin_list = CheckinList.objects.create(event=event, name="Hoveddør")

    def ticket(name):
        registration = register(
            event=event,
            tickets=[TicketRequest(offer=offer, attendee_name=name)],
            name=name,
            email="kari@example.org",
            by=None,
        )
        return registration.tickets.get()

    return SimpleNamespace(
        host=venue_host,
        checkin_list=checkin_list,
        url=reverse("ticketing:scanner", args=[checkin_list.pk]),
        kari=ticket("Kari Nordmann"),
        ola=ticket("Ola Nordmann"),
    )


def typed(page, code):
    field = page.get_by_label("Ticket code")
    field.fill(code)
    field.press("Enter")


def stat(page, name):
    return page.locator(f'[data-stat="{name}"]')


def test_host_checks_people_in_and_out(door, open_page, artifacts):
    page = open_page(door.host, door.url)
    result = page.locator("[data-result]")
    expect(page.get_by_role("heading", name="Hoveddør")).to_be_visible()
    expect(result).to_contain_text("Ready to scan")
    expect(stat(page, "expected")).to_have_text("2")

    # Typed as a person might: lower case, in groups with dashes.
    secret = door.kari.secret
    typed(page, "-".join(secret[i : i + 4] for i in range(0, 32, 4)).lower())
    expect(result).to_have_attribute("data-state", "ok")
    expect(result).to_contain_text("OK")
    expect(result).to_contain_text("Kari Nordmann")
    expect(stat(page, "checked_in")).to_have_text("1")
    expect(stat(page, "inside")).to_have_text("1")
    expect(page.get_by_label("Ticket code")).to_have_value("")

    typed(page, secret)
    expect(result).to_have_attribute("data-reason", "already_redeemed")
    expect(result).to_have_attribute("data-state", "error")
    expect(result).to_contain_text("Already checked in")
    expect(result).to_contain_text("Kari Nordmann")

    typed(page, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    expect(result).to_have_attribute("data-reason", "invalid")
    expect(result).to_contain_text("Unknown code")

    page.get_by_role("radio", name="Exit").check()
    typed(page, secret)
    expect(result).to_have_attribute("data-state", "ok")
    expect(result).to_have_attribute("data-mode", "exit")
    expect(result).to_contain_text("Kari Nordmann")
    expect(stat(page, "inside")).to_have_text("0")
    expect(stat(page, "checked_in")).to_have_text("1")

    page.get_by_role("radio", name="Entry").check()
    page.get_by_label("Attendee name or booking reference").fill("ola")
    hit = page.locator("[data-search-results] button", has_text="Ola Nordmann")
    with page.expect_request("**/api/v1/checkin/redeem/") as sent:
        hit.click()
    # The search told the page no secret: the person is checked in by the result's handle.
    body = sent.value.post_data_json
    assert body["handle"] and "secret" not in body
    expect(result).to_have_attribute("data-state", "ok")
    expect(result).to_contain_text("Ola Nordmann")
    expect(stat(page, "checked_in")).to_have_text("2")
    expect(stat(page, "inside")).to_have_text("1")
    expect(hit).to_contain_text("Checked in")  # the results are searched again
    expect(page.locator("[data-history] li")).to_have_count(5)
    page.screenshot(
        path=artifacts / "scanner-search-check-in.png", full_page=True, animations="disabled"
    )

    scans = Checkin.objects.filter(checkin_list=door.checkin_list).order_by("pk")
    assert [(s.type, s.successful, s.reason) for s in scans] == [
        ("entry", True, ""),
        ("entry", False, "already_redeemed"),
        ("entry", False, "invalid"),
        ("exit", True, ""),
        ("entry", True, ""),
    ]
    assert len({s.nonce for s in scans}) == 5

    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_undo_takes_back_the_last_check_in(door, open_page):
    page = open_page(door.host, door.url)
    result = page.locator("[data-result]")
    undo = page.get_by_role("button", name=re.compile("^Undo"))
    expect(undo).to_be_hidden()

    typed(page, door.kari.secret)
    expect(result).to_have_attribute("data-state", "ok")
    expect(undo).to_contain_text("Kari Nordmann")
    undo.click()
    expect(result).to_have_attribute("data-state", "undone")
    expect(undo).to_be_hidden()
    expect(stat(page, "checked_in")).to_have_text("0")
    assert Checkin.objects.get(ticket=door.kari).annulled_at is not None

    typed(page, door.kari.secret)  # undone, so the ticket may come in
    expect(result).to_have_attribute("data-state", "ok")


def test_a_lost_answer_is_asked_for_again_with_the_same_nonce(door, open_page):
    page = open_page(door.host, door.url)
    sent = []

    def lose_first_answer(route):
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.fetch()  # the server records the scan; its answer is lost on the way
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/checkin/redeem/", lose_first_answer)
    typed(page, door.kari.secret)
    result = page.locator("[data-result]")
    expect(result).to_have_attribute("data-state", "ok")
    expect(result).to_contain_text("Kari Nordmann")
    assert len(sent) == 2
    assert sent[0]["nonce"] == sent[1]["nonce"]
    assert Checkin.objects.filter(ticket=door.kari).count() == 1


def test_scans_made_offline_are_sent_when_back_online(door, open_page):
    page = open_page(door.host, door.url)
    result = page.locator("[data-result]")
    connection = page.locator("[data-connection]")
    page.context.set_offline(True)
    typed(page, door.kari.secret)
    expect(result).to_have_attribute("data-state", "waiting")
    expect(connection).to_have_attribute("data-connection", "offline", timeout=10_000)
    expect(result).to_contain_text("Saved offline")
    typed(page, door.ola.secret)
    expect(page.locator("[data-waiting-count]")).to_have_text("2")
    assert not Checkin.objects.exists()
    page.wait_for_timeout(2500)

    page.context.set_offline(False)
    expect(result).to_have_attribute("data-state", "ok", timeout=10_000)
    expect(result).to_contain_text("Ola Nordmann")
    expect(connection).to_have_attribute("data-connection", "online")
    expect(page.locator("[data-waiting]")).to_be_hidden()
    expect(stat(page, "checked_in")).to_have_text("2")
    kari = Checkin.objects.get(ticket=door.kari)
    assert kari.successful
    # Sent seconds later, with the time it was scanned.
    assert kari.received_at - kari.scanned_at > timedelta(seconds=2)


def camera_video(path, code: Image.Image, *, shown: int = 10, hidden: int = 0) -> None:
    """Write a YUV4MPEG2 video at 10 frames a second for chromium's fake camera: the QR
    image ``code`` in front of the camera for ``shown`` frames, then ``hidden`` white ones.

    Chromium plays the file in a loop: with frames hidden, the code comes back again.
    """
    width, height = 640, 480
    side = 360
    frames = []
    for picture in (code, None):
        frame = Image.new("RGB", (width, height), "white")
        if picture is not None:
            frame.paste(picture.convert("RGB").resize((side, side), Image.NEAREST), (140, 60))
        y, cb, cr = frame.convert("YCbCr").split()
        half = (width // 2, height // 2)
        frames.append(y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes())
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for planes in [frames[0]] * shown + [frames[1]] * hidden:
            video.write(b"FRAME\n" + planes)


def fake_camera_video(text: str, path) -> None:
    """Write a still video of the QR code of `text`, for chromium's fake camera."""
    camera_video(path, Image.open(io.BytesIO(qr_png(text, box_size=4))))


def fake_camera_browser(playwright, video):
    """Launch a chromium whose camera films the video file (camera access granted)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )


def test_camera_reads_a_ticket_once(door, open_page, playwright, tmp_path, artifacts):
    video = tmp_path / "ticket.y4m"
    fake_camera_video(door.kari.secret, video)
    browser = fake_camera_browser(playwright, video)
    try:
        page = open_page(door.host, door.url, browser=browser, permissions=["camera"])
        result = page.locator("[data-result]")
        page.get_by_role("button", name="Start camera").click()
        expect(page.get_by_role("button", name="Stop camera")).to_be_visible()
        expect(result).to_have_attribute("data-state", "ok", timeout=15_000)
        expect(result).to_contain_text("Kari Nordmann")
        # The code stays in front of the camera: it is not sent again.
        page.wait_for_timeout(4000)
        expect(result).to_have_attribute("data-state", "ok")
        assert Checkin.objects.filter(ticket=door.kari).count() == 1
        page.screenshot(path=artifacts / "scanner-camera.png", animations="disabled")
        page.get_by_role("button", name="Stop camera").click()
        expect(page.locator("[data-camera-view]")).to_be_hidden()
        page.context.close()
    finally:
        browser.close()
