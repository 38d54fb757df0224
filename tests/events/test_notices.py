"""Change and cancellation notices (events.notices): change sets recorded on every save,
combined within NOTICE_COMBINE_MINUTES, sent once by the core.due sender through a real
SMTP server (and the fake Twilio for urgent ones), with the event as an updated .ics."""

from datetime import timedelta
from email.header import decode_header, make_header

import icalendar
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.due import send_due_messages
from core.models import ContactPreference, OutboundMessage
from events.models import ChangeNotice, Event
from events.notices import KIND, audience, changes_by
from events.services import cancel_event, change_event
from tests.factories import EventFactory, UserFactory, VenueFactory
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from ticketing.models import Registration
from ticketing.services import TicketRequest, register

pytestmark = pytest.mark.django_db


def later(minutes=6):
    return timezone.now() + timedelta(minutes=minutes)


def run_due(capture, *, minutes=6):
    with capture(execute=True):
        return send_due_messages(later(minutes), only="events.change_notices")


def notices_to(sink, address):
    return [m for m in sink.received if m["To"] == address and calendar_of(m) is not None]


def calendar_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part
    return None


def vevent_of(message, uid):
    part = calendar_of(message)
    document = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return part, next(c for c in document.walk("VEVENT") if str(c["UID"]) == uid)


def subject_of(message):
    return str(make_header(decode_header(message["Subject"])))


def text_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            return part.get_payload(decode=True).decode()
    return ""


@pytest.fixture
def host(db):
    return UserFactory(username="vert", email="vert@example.org")


@pytest.fixture
def concert(host):
    event = EventFactory(title_nb="Vårkonsert", title_en="Spring concert")
    event.hosts.add(host)
    return Event.objects.get(pk=event.pk)


def buy(event, email, *, language="nb", name="Kari Nordmann"):
    pool = CapacityPoolFactory(event=event, name="Sal", size=10)
    offer = OfferFactory(event=event, name_nb="Inngang", name_en="Entry", pool=pool)
    return register(
        event=event,
        tickets=[TicketRequest(offer=offer, attendee_name=name)],
        name=name,
        email=email,
        language=language,
        by=None,
    )


def move(event, hours):
    event = Event.objects.get(pk=event.pk)
    event.start += timedelta(hours=hours)
    event.end += timedelta(hours=hours)
    event.save()
    return event


# Recording and combining -----------------------------------------------------------------


def test_two_edits_within_the_window_are_one_notice_from_the_first_old_to_the_last_new(
    concert, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    first_start = concert.start
    move(concert, 1)
    moved = move(concert, 1)  # the same set: it keeps the first "before"
    (notice,) = ChangeNotice.objects.all()
    assert notice.before_start == first_start and notice.sent_at is None
    assert notice.due_at > timezone.now() + timedelta(minutes=4)
    # Not due yet.
    assert run_due(django_capture_on_commit_callbacks, minutes=1)[0].queued == 0
    assert run_due(django_capture_on_commit_callbacks)[0].queued == 1
    (message,) = notices_to(sink, "vert@example.org")
    part, vevent = vevent_of(message, concert.uid)
    assert vevent.decoded("DTSTART") == moved.start
    assert int(vevent["SEQUENCE"]) == moved.revision == 2
    assert part.get_param("method") == "REQUEST"
    text = text_of(message)
    assert "18.00 → " in text and "20.00" in text  # first old value, last new one
    assert "19.00" not in text


def test_an_edit_then_its_revert_sends_nothing_and_closes_the_set(
    concert, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    move(concert, 2)
    move(concert, -2)
    assert run_due(django_capture_on_commit_callbacks)[0].queued == 0
    assert sink.received == []
    notice = ChangeNotice.objects.get()
    assert notice.sent_at is not None and notice.recipients == 0


def test_other_fields_record_nothing(concert):
    concert.title_nb = "Høstkonsert"
    concert.save()
    assert not ChangeNotice.objects.exists()
    assert Event.objects.get(pk=concert.pk).revision == 1  # feeds still follow


def test_each_message_is_sent_once(concert, smtp, django_capture_on_commit_callbacks):
    sink = smtp()
    move(concert, 1)
    assert run_due(django_capture_on_commit_callbacks)[0].queued == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_messages", "--at", later().isoformat())
        call_command("send_due_messages", "--at", later(8).isoformat())
    assert len(notices_to(sink, "vert@example.org")) == 1
    assert OutboundMessage.objects.filter(kind=KIND).count() == 1


def test_a_change_after_the_sent_notice_is_a_new_notice(
    concert, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    move(concert, 1)
    run_due(django_capture_on_commit_callbacks)
    move(concert, 1)
    run_due(django_capture_on_commit_callbacks, minutes=12)
    first, second = notices_to(sink, "vert@example.org")
    assert int(vevent_of(second, concert.uid)[1]["SEQUENCE"]) > int(
        vevent_of(first, concert.uid)[1]["SEQUENCE"]
    )


def test_a_quiet_save_grows_the_revision_and_tells_no_one(
    concert, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    change_event(
        event=concert,
        start=concert.start + timedelta(minutes=30),
        end=concert.end,
        venue=concert.venue,
        status=concert.status,
        quiet=True,
    )
    assert Event.objects.get(pk=concert.pk).revision == 1
    notice = ChangeNotice.objects.get()
    assert notice.quiet and notice.sent_at is not None
    run_due(django_capture_on_commit_callbacks)
    assert sink.received == []


def test_changes_through_the_api_notify_unless_told_not_to(concert, api_as, project_leader):
    client = api_as(project_leader)
    url = f"/api/v1/events/{concert.pk}/"
    start = concert.start + timedelta(hours=1)
    answer = client.patch(url, {"start": start.isoformat(), "notify": False}, format="json")
    assert answer.status_code == 200, answer.content
    assert "notify" not in answer.json()
    assert ChangeNotice.objects.get().quiet
    answer = client.patch(url, {"start": (start + timedelta(hours=1)).isoformat()}, format="json")
    assert answer.status_code == 200
    loud = ChangeNotice.objects.get(sent_at=None)
    assert loud.changed_by == project_leader and not loud.quiet


# Who is told ------------------------------------------------------------------------------


def test_ticket_holders_and_the_waitlist_in_their_language_each_address_once(
    concert, host, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    buy(concert, "kari@example.org", language="nb")
    buy(concert, "john@example.org", language="en")
    waiting = buy(concert, "vera@example.org")
    Registration.objects.filter(pk=waiting.pk).update(state=Registration.State.WAITLISTED)
    buy(concert, "VERT@example.org")  # the host bought a ticket too: told once
    Registration.objects.create(
        event=concert,
        name="Gone",
        email="gone@example.org",
        state=Registration.State.CANCELLED,
        payment_state=Registration.Payment.FREE,
    )
    counts = {kind: n for kind, _label, n in audience(concert).counts()}
    # The host is told once, as a ticket holder (the first kind in KINDS).
    assert counts == {"ticket_holder": 3, "waitlist": 1}
    move(concert, 24)
    run_due(django_capture_on_commit_callbacks)
    (nb,) = notices_to(sink, "kari@example.org")
    (en,) = notices_to(sink, "john@example.org")
    # The title tells the language (the bokmål catalogue comes at merge).
    assert "Vårkonsert" in subject_of(nb) and "Spring concert" not in subject_of(nb)
    assert subject_of(en) == "Changed: Spring concert"
    text = text_of(en)
    assert "Spring concert has changed:" in text and "Starts: " in text and " → " in text
    assert "You get this message because you have a ticket." in text
    assert f"/events/{concert.pk}/" in text
    assert len(notices_to(sink, "vera@example.org")) == 1
    assert len([m for m in sink.received if m["To"].lower() == "vert@example.org"]) == 1
    assert notices_to(sink, "gone@example.org") == []
    # The key names the set and a hash of the address, never a name or an address.
    for key in OutboundMessage.objects.filter(kind=KIND).values_list("key", flat=True):
        assert "@" not in key and "Kari" not in key


def test_a_person_s_own_language_wins_over_the_registration_s(
    concert, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    buy(concert, "kari@example.org", language="nb")
    ContactPreference.objects.create(email="kari@example.org", language="en")
    move(concert, 1)
    run_due(django_capture_on_commit_callbacks)
    (message,) = notices_to(sink, "kari@example.org")
    assert subject_of(message) == "Changed: Spring concert"


def test_a_cancelled_weekend_is_one_notice_per_person_with_method_cancel(
    host, smtp, django_capture_on_commit_callbacks
):
    sink = smtp()
    weekend = EventFactory(kind=Event.Kind.REHEARSAL_WEEKEND, title_nb="Øvingshelg")
    weekend.hosts.add(host)
    sessions = [
        EventFactory(
            period=weekend.period,
            parent=weekend,
            kind=Event.Kind.SESSION,
            start=weekend.start,
            end=weekend.start + timedelta(hours=2),
        )
        for _ in range(2)
    ]
    sessions[0].hosts.add(host)
    with changes_by(host):
        cancel_event(event=weekend)
    assert ChangeNotice.objects.filter(sent_at=None).count() == 3
    assert run_due(django_capture_on_commit_callbacks)[0].queued == 1
    (message,) = notices_to(sink, "vert@example.org")
    part = calendar_of(message)
    assert part.get_param("method") == "CANCEL"
    document = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert document["METHOD"] == "CANCEL"
    vevents = {str(v["UID"]): v for v in document.walk("VEVENT")}
    assert set(vevents) == {weekend.uid, *(s.uid for s in sessions)}
    assert all(str(v["STATUS"]) == "CANCELLED" for v in vevents.values())
    assert "Øvingshelg" in subject_of(message)
    assert ChangeNotice.objects.filter(sent_at=None).count() == 0


# Urgent changes by SMS ----------------------------------------------------------------------


def soon(host, hours=20):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours)
    event = EventFactory(title_nb="Ekstraøving", start=start, end=start + timedelta(hours=2))
    event.hosts.add(host)
    ContactPreference.objects.create(user=host, mobile="+4791234567", sms=True)
    return Event.objects.get(pk=event.pk)


def test_an_urgent_change_also_goes_by_sms(host, smtp, twilio, django_capture_on_commit_callbacks):
    sink, fake = smtp(), twilio()
    event = soon(host)
    move(event, 3)
    assert run_due(django_capture_on_commit_callbacks)[0].queued == 2
    assert len(notices_to(sink, "vert@example.org")) == 1
    (sms,) = [r for r in fake.requests if r["path"].endswith("/Messages.json")]
    body = sms["form"]["Body"]
    assert sms["form"]["To"] == "+4791234567"
    assert "Ekstraøving" in body and "→" in body
    assert f"/events/{event.pk}/" in body
    run_due(django_capture_on_commit_callbacks, minutes=8)
    assert len([r for r in fake.requests if r["path"].endswith("/Messages.json")]) == 1


def test_a_change_far_ahead_is_email_only(host, smtp, twilio, django_capture_on_commit_callbacks):
    smtp()
    fake = twilio()
    event = soon(host, hours=24 * 5)
    move(event, 1)
    assert run_due(django_capture_on_commit_callbacks)[0].queued == 1
    assert fake.requests == []


def test_without_an_sms_provider_an_urgent_change_is_email_only(
    host, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SMS_PROVIDER = ""
    sink = smtp()
    event = soon(host)
    move(event, 1)
    assert run_due(django_capture_on_commit_callbacks)[0].queued == 1
    assert len(notices_to(sink, "vert@example.org")) == 1
    assert not OutboundMessage.objects.filter(channel="sms").exists()


# The staff page ------------------------------------------------------------------------------


def form_data(event, **changes):
    data = {
        "start": timezone.localtime(event.start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(event.end).strftime("%Y-%m-%dT%H:%M"),
        "venue": event.venue_id or "",
        "status": event.status,
    }
    return {**data, **changes}


def test_the_page_previews_who_will_be_told_then_saves(
    concert, project_leader, settings, django_assert_max_num_queries
):
    settings.SMS_PROVIDER = ""
    buy(concert, "kari@example.org")
    client = Client(headers={"accept-language": "en"})
    client.force_login(project_leader)
    url = reverse("events:change_event", args=[concert.pk])
    assert client.get(url).status_code == 200
    other = VenueFactory(name="Kulturhuset")
    data = form_data(concert, venue=other.pk, action="preview")
    with django_assert_max_num_queries(30):
        page = client.post(url, data).content.decode()
    assert 'data-audience-count="2"' in page
    assert '<span data-kind="ticket_holder">billettinnehavere: 1</span>' in page
    assert 'data-sms="off"' in page and "SMS: ikke satt opp, bare e-post." in page
    assert "Kulturhuset" in page
    assert Event.objects.get(pk=concert.pk).venue_id != other.pk  # nothing saved yet
    answer = client.post(url, {**data, "action": "notify"})
    assert answer.status_code == 302
    saved = Event.objects.get(pk=concert.pk)
    assert saved.venue_id == other.pk and saved.revision == 1
    notice = ChangeNotice.objects.get()
    assert notice.changed_by == project_leader and not notice.quiet
    assert "data-pending-notice" in client.get(url).content.decode()


def test_the_page_saves_quietly_and_refuses_no_change(concert, project_leader):
    client = Client()
    client.force_login(project_leader)
    url = reverse("events:change_event", args=[concert.pk])
    answer = client.post(url, form_data(concert, action="preview"))
    assert answer.status_code == 200 and "data-preview" not in answer.content.decode()
    later_start = timezone.localtime(concert.start + timedelta(minutes=15))
    data = form_data(concert, start=later_start.strftime("%Y-%m-%dT%H:%M"), action="quiet")
    assert client.post(url, data).status_code == 302
    notice = ChangeNotice.objects.get()
    assert notice.quiet and notice.sent_at is not None


def test_the_event_page_links_to_the_change_page_for_those_who_may_change(
    concert, project_leader, nobody
):
    client = Client()
    client.force_login(project_leader)
    assert "data-change-event" in client.get(concert.get_absolute_url()).content.decode()
    client.force_login(nobody)
    assert "data-change-event" not in client.get(concert.get_absolute_url()).content.decode()


def test_the_preview_says_an_urgent_change_also_goes_by_sms(host, project_leader, twilio):
    twilio()
    event = soon(host)
    client = Client()
    client.force_login(project_leader)
    url = reverse("events:change_event", args=[event.pk])
    later_start = timezone.localtime(event.start + timedelta(hours=1))
    data = form_data(event, start=later_start.strftime("%Y-%m-%dT%H:%M"), action="preview")
    page = client.post(url, data).content.decode()
    assert 'data-sms="urgent"' in page
    assert 'data-audience-count="1"' in page
