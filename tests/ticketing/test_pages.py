"""The public registration flow, tickets with QR codes, emails, and the staff overview."""

import io
import re
from email.mime.image import MIMEImage

import openpyxl
import pytest
import zxingcpp
from django.core import mail
from django.urls import reverse
from PIL import Image

from events.models import Event
from tests.factories import EventFactory
from tests.ticketing.factories import CheckinListFactory, OfferFactory
from ticketing.models import Registration
from ticketing.services import TicketRequest, cancel_registration, redeem_ticket, register

pytestmark = pytest.mark.django_db


def decode_png(content: bytes) -> str:
    """Read a QR code with zxing-cpp, a decoder independent of the library that drew it."""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))
    assert len(results) == 1
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def register_url(event):
    return reverse("ticketing:register", args=[event.pk])


def form_data(offer, quantity=1, **extra):
    data = {"name": "Kari Nordmann", "email": "kari@example.org", f"quantity_{offer.pk}": quantity}
    data.update(extra)
    return data


def test_event_page_shows_offers_and_places_left(client, event, offer, make_registration):
    make_registration("A", "B", "C")
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert "Inngang" in html
    assert "7 plasser igjen" in html
    assert register_url(event) in html


def test_event_page_without_offers_shows_no_ticket_panel(client):
    event = EventFactory()
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "tickets-heading" not in response.content.decode()
    assert client.get(register_url(event)).status_code == 404


def test_register_confirms_and_shows_the_tickets(
    client, event, offer, django_capture_on_commit_callbacks
):
    data = form_data(offer, 2, **{f"attendee_{offer.pk}_2": "Ola Nordmann"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), data)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert registration.state == Registration.State.CONFIRMED
    # An empty attendee name is the buyer's.
    names = sorted(t.attendee_name for t in registration.tickets.all())
    assert names == ["Kari Nordmann", "Ola Nordmann"]

    page = client.get(response["Location"]).content.decode()
    assert registration.code in page
    for ticket in registration.tickets.all():
        assert ticket.get_absolute_url() in page
    assert reverse("ticketing:print", args=[registration.manage_token()]) in page

    message = mail.outbox[-1]
    assert message.to == ["kari@example.org"]
    assert registration.get_absolute_url() in message.body
    images = [a for a in message.attachments if isinstance(a, MIMEImage)]
    secrets = {decode_png(image.get_payload(decode=True)) for image in images}
    assert secrets == {t.secret for t in registration.tickets.all()}
    html, _type = message.alternatives[0]
    for ticket in registration.tickets.all():
        assert f"cid:ticket-{ticket.pk}" in html
    ics = [a for a in message.attachments if not isinstance(a, MIMEImage)]
    assert len(ics) == 1
    filename, content, mimetype = ics[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert event.uid in (content if isinstance(content, str) else content.decode())


def test_register_form_errors_in_norwegian_and_english(client, event, offer):
    response = client.post(register_url(event), {"email": "not-an-email"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dette feltet er påkrevd." in html
    assert "Oppgi en gyldig epost-adresse." in html
    assert not Registration.objects.exists()

    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(register_url(event), {"email": "not-an-email"})
    html = response.content.decode()
    assert "This field is required." in html
    assert "Enter a valid email address." in html


def test_register_without_a_ticket_is_an_error(client, event, offer):
    response = client.post(register_url(event), form_data(offer, 0))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_full_event_offers_the_waitlist_and_never_a_ticket(
    client, event, offer, make_registration
):
    make_registration(*[f"P{n}" for n in range(9)], email="p@example.org")
    response = client.post(register_url(event), form_data(offer, 2))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bare 1 plass er igjen" in html
    assert 'name="join_waitlist"' in html
    assert Registration.objects.count() == 1

    response = client.post(register_url(event), form_data(offer, 2, join_waitlist="on"))
    registration = Registration.objects.latest("created_at")
    assert response.status_code == 302
    assert registration.state == Registration.State.WAITLISTED
    page = client.get(response["Location"]).content.decode()
    assert "venteliste" in page
    assert "Vis billett" not in page


def test_the_waitlist_button_alone_puts_the_buyer_on_the_waitlist(
    client, event, offer, make_registration
):
    """Pressing "Join the waitlist" is the consent: no checkbox has to repeat it."""
    make_registration(*[f"P{n}" for n in range(10)], email="p@example.org")
    html = client.get(register_url(event)).content.decode()
    assert 'type="checkbox" name="join_waitlist"' not in html
    button = re.search(r'<button type="submit"([^>]*)>Sett meg på venteliste</button>', html)
    pressed = dict(re.findall(r'(name|value)="([^"]*)"', button.group(1)))

    response = client.post(
        register_url(event), form_data(offer, 1, **{pressed["name"]: pressed["value"]})
    )

    assert response.status_code == 302
    registration = Registration.objects.latest("created_at")
    assert registration.state == Registration.State.WAITLISTED


def test_register_is_never_a_waitlist_by_accident(client, event, offer, make_registration):
    make_registration(*[f"P{n}" for n in range(10)])
    response = client.post(register_url(event), form_data(offer, 1))
    assert response.status_code == 400
    assert Registration.objects.count() == 1


def test_manage_link_must_be_signed(client, make_registration):
    registration = make_registration()
    token = registration.manage_token()
    assert client.get(reverse("ticketing:manage", args=[token])).status_code == 200
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("ticketing:manage", args=[forged])).status_code == 404
    assert client.get(reverse("ticketing:manage", args=[registration.code])).status_code == 404


def test_cancel_from_the_manage_page(client, make_registration):
    registration = make_registration("A", "B")
    token = registration.manage_token()
    first = registration.tickets.order_by("pk").first()
    client.post(
        reverse("ticketing:manage_action", args=[token, "cancel-ticket"]), {"ticket": first.pk}
    )
    first.refresh_from_db()
    assert first.is_cancelled
    client.post(reverse("ticketing:manage_action", args=[token, "cancel"]))
    registration.refresh_from_db()
    assert registration.state == Registration.State.CANCELLED
    # A GET does not change anything.
    assert client.get(reverse("ticketing:manage_action", args=[token, "cancel"])).status_code == 405


def test_accept_an_offered_place_from_the_manage_page(client, make_registration):
    holders = [make_registration(f"H{n}") for n in range(10)]
    waiting = make_registration("W", join_waitlist=True)
    cancel_registration(registration=holders[0], by=None)
    token = waiting.manage_token()
    page = client.get(reverse("ticketing:manage", args=[token])).content.decode()
    assert "Ta imot plassen" in page
    client.post(reverse("ticketing:manage_action", args=[token, "accept"]))
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.CONFIRMED


def test_ticket_page_qr_png_and_svg(client, ticket):
    page = client.get(ticket.get_absolute_url())
    html = page.content.decode()
    assert "Kari Nordmann" in html and "Vårkonsert" in html
    assert ticket.offer.event.venue.name in html
    png = client.get(reverse("ticketing:ticket_qr_png", args=[ticket.secret]))
    assert png["Content-Type"] == "image/png"
    assert decode_png(png.content) == ticket.secret
    svg = client.get(reverse("ticketing:ticket_qr_svg", args=[ticket.secret]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert client.get(reverse("ticketing:ticket", args=["NOSUCHSECRET"])).status_code == 404


@pytest.fixture
def child_ticket(event, offer, guardian, django_capture_on_commit_callbacks):
    """A child's ticket, registered by the guardian's login (its email in the outbox)."""
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(
            event=event,
            tickets=[
                TicketRequest(offer=offer, attendee_name="Emma Solbakken", attendee_is_child=True)
            ],
            name="Forelder Hansen",
            email="forelder@example.org",
            user=guardian,
            by=None,
        )
    return registration.tickets.get()


def shows_the_childs_name(client, url) -> bool:
    """Return True if the page names the child, False if it shows initials only."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    if "Emma" in html or "Solbakken" in html:
        return True
    assert "E. S." in html
    return False


@pytest.mark.parametrize(
    ("role", "names"),
    [
        (None, False),
        ("venue_host", False),  # the host of the event who scanned it
        ("nobody", False),
        ("tutor", False),  # a tutor, but not of this event
        ("admin_user", True),
        ("project_leader", True),
        ("event_tutor", True),
        ("guardian", True),  # the login that registered the child
    ],
)
def test_a_childs_ticket_page_names_the_child_only_to_those_who_may_see_it(
    request, client, event, child_ticket, role, names
):
    if role == "event_tutor":
        user = request.getfixturevalue("tutor")
        event.hosts.add(user)
    else:
        user = request.getfixturevalue(role) if role else None
    if role == "venue_host":
        event.hosts.add(user)
    if user is not None:
        client.force_login(user)
    assert shows_the_childs_name(client, child_ticket.get_absolute_url()) is names


def test_the_contact_with_the_manage_link_sees_the_childs_name(client, child_ticket):
    registration = child_ticket.registration
    manage = client.get(registration.get_absolute_url()).content.decode()
    links = re.findall(r'href="(/tickets/[^"]+)"', manage)
    assert len(links) == 1
    link = links[0].replace("&amp;", "&")
    assert shows_the_childs_name(client, link)
    # The email's link to the ticket too.
    message = mail.outbox[-1]
    assert message.to == ["forelder@example.org"]
    emailed = re.search(r"https?://\S+/tickets/\S+", message.body).group()
    assert shows_the_childs_name(client, "/" + emailed.split("://", 1)[1].split("/", 1)[1])
    # A forged or another registration's token shows initials only.
    url = child_ticket.get_absolute_url()
    for forged in (registration.code + ":forged", "ø", ""):
        assert not shows_the_childs_name(client, url + "?manage=" + forged)
    other = register(
        event=child_ticket.offer.event,
        tickets=[TicketRequest(offer=child_ticket.offer, attendee_name="Ola")],
        name="Ola",
        email="ola@example.org",
        by=None,
    )
    assert not shows_the_childs_name(client, url + "?manage=" + other.manage_token())


def test_an_adults_ticket_page_shows_the_name_to_whoever_holds_it(client, ticket):
    assert "Kari Nordmann" in client.get(ticket.get_absolute_url()).content.decode()


def test_the_qr_holds_only_the_secret_with_medium_error_correction(ticket):
    import qrcode

    from ticketing.qr import qr_png

    assert decode_png(qr_png(ticket.secret)) == ticket.secret
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(ticket.secret)
    code.make(fit=True)
    # 32 symbols of the alphabet fit the compact alphanumeric mode: a small code.
    assert code.version <= 2


def test_print_view_has_one_a6_area_per_ticket(client, make_registration):
    registration = make_registration("A", "B", "C")
    response = client.get(reverse("ticketing:print", args=[registration.manage_token()]))
    html = response.content.decode()
    assert html.count('class="a6"') == 3
    for ticket in registration.tickets.all():
        assert ticket.secret in html
    assert "print.css" in html


def test_print_view_only_for_confirmed_registrations(client, make_registration):
    registration = make_registration()
    cancel_registration(registration=registration, by=None)
    response = client.get(reverse("ticketing:print", args=[registration.manage_token()]))
    assert response.status_code == 404


def test_registration_needs_a_visible_event(client, offer, event):
    Event.objects.filter(pk=event.pk).update(visibility=Event.Visibility.STAFF)
    assert client.get(register_url(event)).status_code == 404


# The staff overview ---------------------------------------------------------------------


def overview_url(event):
    return reverse("ticketing:event_registrations", args=[event.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin_user", 200),
        ("project_leader", 200),
        ("venue_host", 403),
        ("juror", 403),
        ("artist", 403),
        ("guardian", 403),
        ("tutor", 403),
        ("nobody", 403),
    ],
)
def test_staff_overview_is_for_staff(request, client, event, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(overview_url(event)).status_code == status
    assert (
        client.get(reverse("ticketing:export_attendees_csv", args=[event.pk])).status_code == status
    )


def test_anonymous_users_are_sent_to_log_in(client, event):
    response = client.get(overview_url(event))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_overview_lists_registrations_waitlist_and_checkins(
    client, project_leader, event, checkin_list, make_registration, django_assert_max_num_queries
):
    for n in range(10):
        make_registration(f"Person {n}", email=f"p{n}@example.org")
    make_registration("Venter Ventesen", join_waitlist=True)
    client.force_login(project_leader)
    with django_assert_max_num_queries(20):
        response = client.get(overview_url(event))
    html = response.content.decode()
    assert "Person 9" in html and "Venter Ventesen" in html
    assert checkin_list.name in html

    for n in range(20):
        make_registration(f"Extra {n}", join_waitlist=True)
    with django_assert_max_num_queries(20):
        client.get(overview_url(event))


def test_attendee_export_csv_and_xlsx(
    client, project_leader, event, checkin_list, make_registration
):
    first = make_registration("Kari Nordmann").tickets.get()
    make_registration("Ola Nordmann")
    redeem_ticket(secret=first.secret, checkin_list=checkin_list, user=project_leader)
    client.force_login(project_leader)
    csv = client.get(reverse("ticketing:export_attendees_csv", args=[event.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert "Kari Nordmann" in text and "Ola Nordmann" in text
    kari = next(line for line in lines if "Kari" in line)
    assert re.search(r"\bja\b", kari)
    xlsx = client.get(reverse("ticketing:export_attendees_xlsx", args=[event.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3


def test_scanner_index_lists_only_the_lists_a_user_may_scan(client, host, event, checkin_list):
    other = CheckinListFactory(event=EventFactory(), name="Annen dør")
    client.force_login(host)
    html = client.get(reverse("ticketing:scanner_index")).content.decode()
    assert checkin_list.name in html
    assert other.name not in html


def test_offers_not_public_are_not_shown(client, event, pool):
    OfferFactory(event=event, name_nb="Intern billett", pool=pool, is_public=False)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Intern billett" not in html


def test_check_in_menu_item_for_hosts_and_staff_only(client, venue_host, guardian, admin_user):
    url = reverse("ticketing:scanner_index")
    for user, shown in ((venue_host, True), (admin_user, True), (guardian, False)):
        client.force_login(user)
        assert (f'href="{url}"' in client.get("/").content.decode()) is shown


def test_staff_see_a_link_to_the_registrations_on_the_event_page(
    client, project_leader, nobody, event, offer
):
    url = reverse("ticketing:event_registrations", args=[event.pk])
    client.force_login(nobody)
    assert url not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(project_leader)
    assert url in client.get(event.get_absolute_url()).content.decode()
