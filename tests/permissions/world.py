"""The world of the permission matrix: one object of each kind, and one login per role,
with the relationships the roles need (the host of this exhibition, the guardian of this
child, the juror in conflict with this application...).

Every person is synthetic. The members' first names are distinctive words (MEMBER_NAMES)
so that a test can look for them in any answer.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.utils import timezone

from artists.models import (
    Call,
    Conflict,
    Criterion,
    Exhibition,
    ExhibitionHours,
    Letter,
    QrVisit,
    ReportedFigures,
    Review,
    ReviewPhase,
    TallyReminder,
)
from artists.services import exhibitions as exhibition_services
from artists.services import studios as studio_services
from artists.services import tallies as tally_services
from artists.services.profiles import add_work_image
from core import group_messages
from core import questions as own_questions
from core.audit import history_of
from core.mail import queue_email
from core.models import (
    Answer,
    ContactPreference,
    FailingAddress,
    Question,
    WebhookDelivery,
    WebhookEndpoint,
)
from core.roles import Role
from events.models import Event, Programme
from orchestra import services as orchestra_services
from orchestra.models import (
    CalendarToken,
    Group,
    GuestEnsemble,
    Instrument,
    MasterClassSignUp,
    SessionPlan,
    StatusChange,
    TourParticipant,
)
from orchestra.services import attendance as attendance_services
from orchestra.services import calendars as calendar_services
from orchestra.services import masterclasses as masterclass_services
from orchestra.services import retention as retention_services
from orchestra.services import tours as tour_services
from orchestra.services.access_log import record_sensitive_access
from tests.artists.factories import (
    ApplicationFactory,
    art_round_call,
    decide,
    image_upload,
    municipality,
    new_artist,
)
from tests.factories import OSLO, EventFactory, PeriodFactory, ProgrammeFactory, UserFactory, oslo
from ticketing.models import CapacityPool, CheckinList, Offer, PaymentAttempt
from ticketing.services import TicketRequest, redeem_ticket, register

# The members' names: no answer to a role that may not see a member may contain them.
CHILD = ("Zyxchild", "Ablevik")  # the guardian's child, 11, in the youth group, on the tour
OTHER_CHILD = ("Qwvchild", "Bratberg")  # the other guardian's child, 12, junior group only
TEEN = ("Jkpteen", "Cederlund")  # 15, youth group, with their own login
APPLICANT = ("Vbnpending", "Dalsrud")  # the guardian's second child, applied, not approved

# Medical notes and a trip's emergency contact: restricted data (SPEC: staff and the tour
# leaders; the guardians gave them and may read what is stored about their child).
MEDICAL = {
    "child": "Nut allergy, Mdxchildnote.",
    "other_child": "Asthma, Mdxothernote.",
    "trip": "Insulin at meals, Mdxtripnote.",
    "trip_contact": "Aunt Mdxcontact +47 911 11 111",
}

# Other private data, each with a marker to look for (who may read it: expectations.py).
PRIVATE = {
    "sketch": "Skisse Pxsketch",  # the artist's image that is not public
    "sale": "Sold at the door Sxsale",  # the artist's sale
    "statement": "I work with light, Apxstatement.",  # the artist's application to the jury
    "review": "Strong colours, Rvxreview.",  # the juror's review
    "conflict": "Former student, Cfxconflict.",  # why the juror is in conflict
    "guardian_email": "gpxguardian@example.org",  # the guardian's contact details
}
PRIVATE_MARKERS = {
    "sketch": "Pxsketch",
    "sale": "Sxsale",
    "statement": "Apxstatement",
    "review": "Rvxreview",
    "conflict": "Cfxconflict",
    "guardian_email": "gpxguardian",
}
assert all(PRIVATE_MARKERS[key] in text for key, text in PRIVATE.items())

MEMBER_NAMES = {
    "child": CHILD,
    "other_child": OTHER_CHILD,
    "teen": TEEN,
    "applicant": APPLICANT,
}

# The applicants' names: a juror's pages never show them (the review is blind).
ARTIST_NAMES = ("Aslaug Artmaker", "Oddvar Othermaker")

ROLES = [
    "anonymous",
    "visitor",
    "artist",
    "other_artist",
    "juror",
    "juror_in_conflict",
    "venue_host",
    "other_host",
    "guardian",
    "other_guardian",
    "member",
    "tutor",
    "tour_leader",
    "past_tour_leader",
    "project_leader",
    "superuser",
]


def born_years_ago(years: int) -> date:
    return date(timezone.localdate().year - years, 1, 1)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: SimpleNamespace = field(default_factory=SimpleNamespace)
    tokens: dict = field(default_factory=dict)


def _violin():
    return Instrument.objects.get(name_en="Violin")


def build_world() -> World:
    """Create the world: call once per test module, inside a transaction that is rolled back."""
    world = World()
    users = world.users
    o = world.objects
    users["anonymous"] = None
    users["visitor"] = UserFactory(username="pm-visitor")
    users["superuser"] = UserFactory(username="pm-superuser", is_staff=True, is_superuser=True)
    users["project_leader"] = UserFactory(
        username="pm-leader", is_staff=True, roles=[Role.PROJECT_LEADER]
    )
    leader = users["project_leader"]

    _art_round(world)
    _ticketing(world)
    _orchestra(world)

    _logins(world)
    o.registration_token = o.registration.manage_token()
    o.event_content_type = ContentType.objects.get_for_model(Event)
    o.superuser_record = users["superuser"]
    # The services above wrote it: the child's first entry names them by number only.
    o.audit_entry = history_of(o.child).order_by("pk").first()
    # An email about the registration, as core.mail records every one (not sent here).
    # A webhook endpoint (made directly: its address is not checked here) and a delivery.
    o.webhook_endpoint = WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook", event_types=["event.changed"]
    )
    o.webhook_delivery = WebhookDelivery.objects.create(
        endpoint=o.webhook_endpoint,
        event_type="event.changed",
        key="world-delivery",
        payload={"type": "event.changed", "data": {"id": o.event.pk}},
        status=WebhookDelivery.Status.FAILED,
    )
    o.outbound_message = queue_email(
        EmailMessage(subject="Billetter", body="Tekst", to=[o.registration.email]),
        kind="world.tickets",
        about=o.registration,
    )
    o.failing_address = FailingAddress.objects.create(channel="sms", address="+4791234567")
    # A message to the youth group's guardians, sent (its emails are queued, not delivered).
    o.group_message = group_messages.save_draft(
        by=leader,
        audience="orchestra.group_guardians",
        audience_params={"group": str(o.youth.pk)},
        category="group_message",
        subject_nb="Konsert",
        text_nb="Svarte klær.",
    )
    group_messages.send_message(o.group_message, by=leader)
    o.group_message_recipient = o.group_message.recipients.order_by("pk").first()
    o.contact_preference = ContactPreference.objects.create(
        email="world-buyer@example.org", muted=["reminder"]
    )

    # Make sure every login is fresh (roles are cached on the user object).
    User = get_user_model()
    for key, user in users.items():
        if user is not None:
            users[key] = User.objects.get(pk=user.pk)
    assert leader.pk == users["project_leader"].pk
    return world


def _logins(world: World) -> None:
    """An API token, and the login throttle's records (when django-axes is installed)."""
    from rest_framework.authtoken.models import Token

    world.objects.api_token = Token.objects.create(user=world.users["superuser"])
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        seen = {"user_agent": "pytest", "ip_address": "192.0.2.1", "username": "pm-visitor"}
        AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
        AccessFailureLog.objects.create(**seen)
        AccessLog.objects.create(**seen)


# The art round --------------------------------------------------------------------------


def _art_round(world: World) -> None:
    users, o = world.users, world.objects
    leader = users["project_leader"]

    # The 2016 edition: decided and released, with studios, exhibitions and counts.
    call = art_round_call("2016")
    o.edition = call.period
    o.programme = o.edition.programme
    o.call = call
    o.artist = new_artist(ARTIST_NAMES[0], username="pm-artist", images=1)
    add_work_image(
        artist=o.artist,
        by=o.artist.user,
        upload=image_upload(),
        title=PRIVATE["sketch"],
        is_public=False,
    )
    o.other_artist = new_artist(ARTIST_NAMES[1], username="pm-other-artist", images=1)
    users["artist"] = o.artist.user
    users["other_artist"] = o.other_artist.user
    decide(call, {o.artist: "accepted", o.other_artist: "accepted"}, by=leader)
    o.application = call.applications.get(artist=o.artist)
    o.decision = o.application.decision
    o.letter = Letter.objects.filter(application=o.application).first()
    o.artist_image = o.artist.images.order_by("position").first()

    o.weekend = EventFactory(
        period=o.edition,
        kind=Event.Kind.OPEN_STUDIO_WEEKEND,
        title_nb="Åpne atelierer",
        venue=None,
        start=oslo(2016, 9, 17, 11),
        end=oslo(2016, 9, 18, 17),
    )
    o.studio = studio_services.register_studio(
        artist=o.artist,
        edition=o.edition,
        by=o.artist.user,
        municipality=municipality("3203"),
        name="Atelier Artmaker",
        address="Strandveien 1",
        postcode="1384",
        place="Asker",
        latitude=Decimal("59.833"),
        longitude=Decimal("10.435"),
    )
    for day in (17, 18):
        studio_services.set_studio_hours(
            studio=o.studio,
            by=o.artist.user,
            day=date(2016, 9, day),
            opens=time(11),
            closes=time(17),
        )
    studio_services.publish_studio_numbers(edition=o.edition)
    o.studio.refresh_from_db()
    o.work = exhibition_services.register_work(
        artist=o.artist, edition=o.edition, by=o.artist.user, title="Lysfelt", year=2016
    )

    users["venue_host"] = UserFactory(username="pm-host", roles=[Role.VENUE_HOST])
    users["other_host"] = UserFactory(username="pm-other-host", roles=[Role.VENUE_HOST])
    joint_event = EventFactory(
        period=o.edition,
        kind=Event.Kind.EXHIBITION,
        title_nb="Fellesutstilling",
        start=oslo(2016, 9, 10, 12),
        end=oslo(2016, 9, 25, 17),
    )
    o.exhibition = Exhibition.objects.create(
        event=joint_event, role=Exhibition.Role.JOINT, host_municipality=municipality("3203")
    )
    joint_event.hosts.add(users["venue_host"])
    local_event = EventFactory(
        period=o.edition,
        kind=Event.Kind.EXHIBITION,
        title_nb="Lokal utstilling",
        start=oslo(2016, 9, 10, 12),
        end=oslo(2016, 9, 25, 17),
    )
    o.local_exhibition = Exhibition.objects.create(event=local_event, role=Exhibition.Role.LOCAL)
    local_event.hosts.add(users["other_host"])
    for exhibition in (o.exhibition, o.local_exhibition):
        ExhibitionHours.objects.create(
            exhibition=exhibition, date=date(2016, 9, 17), opens=time(12), closes=time(17)
        )
    o.tally = tally_services.record_tally(
        by=users["venue_host"], place=o.exhibition, day=date(2016, 9, 17), visitors=12
    ).tally
    o.sale = tally_services.record_sale(
        by=o.artist.user,
        artist=o.artist,
        edition=o.edition,
        amount=4500,
        work=o.work,
        description=PRIVATE["sale"],
        sold_on=date(2016, 9, 17),
    )
    o.qr_visit = QrVisit.objects.create(edition=o.edition, studio=o.studio, date=date(2016, 9, 17))
    o.tally_reminder = TallyReminder.objects.create(
        edition=o.edition, exhibition=o.exhibition, date=date(2016, 9, 18), sent_by=leader
    )
    o.reported = ReportedFigures.objects.create(
        edition=PeriodFactory(programme=o.programme, slug="2015", name="Kunst rett vest 2015"),
        joint_exhibition_visits=4000,
        studio_visits=12000,
    )

    # The 2027 call: closed, in its review phase, with two jurors; one in conflict.
    now = timezone.now()
    jury_edition = PeriodFactory(programme=o.programme, slug="2027", name="Kunst rett vest 2027")
    o.jury_call = Call.objects.create(
        period=jury_edition, opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10)
    )
    ReviewPhase.objects.create(
        call=o.jury_call,
        kind=ReviewPhase.Kind.REVIEW,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=5),
    )
    Criterion.objects.create(
        call=o.jury_call, name_nb="Kvalitet", name_en="Quality", weight=Decimal("1"), position=0
    )
    o.jury_application = ApplicationFactory(
        call=o.jury_call, artist=o.artist, statement=PRIVATE["statement"]
    )
    # The artist applied with their public images only, not the sketch.
    o.jury_application.image_links.filter(image__is_public=False).delete()
    o.other_jury_application = ApplicationFactory(call=o.jury_call, artist=o.other_artist)
    users["juror"] = UserFactory(username="pm-juror", roles=[Role.JUROR])
    users["juror_in_conflict"] = UserFactory(username="pm-juror-conflict", roles=[Role.JUROR])
    o.jury_call.jurors.add(users["juror"], users["juror_in_conflict"])
    o.conflict = Conflict.objects.create(
        application=o.jury_application,
        juror=users["juror_in_conflict"],
        reason=PRIVATE["conflict"],
        source=Conflict.Source.STAFF,
    )
    o.review = Review.objects.create(
        application=o.jury_application, juror=users["juror"], comment=PRIVATE["review"]
    )


# Ticketing ------------------------------------------------------------------------------


def _ticketing(world: World) -> None:
    users, o = world.users, world.objects
    o.concert_edition = PeriodFactory(
        programme=o.programme, slug="2026", name="Kunst rett vest 2026"
    )
    o.event = EventFactory(period=o.concert_edition, title_nb="Åpningskonsert")
    o.venue = o.event.venue
    o.event.hosts.add(users["venue_host"])
    o.other_event = EventFactory(period=o.concert_edition, title_nb="Annen konsert")
    o.other_event.hosts.add(users["other_host"])
    # A moved event: its change set (events.notices) is in the admin.
    moved = Event.objects.get(pk=o.other_event.pk)
    moved.end += timedelta(minutes=30)
    moved.save()
    o.pool = CapacityPool.objects.create(event=o.event, name="Salen", size=20)
    o.offer = Offer.objects.create(event=o.event, name_nb="Inngang", name_en="Entry", pool=o.pool)
    o.checkin_list = CheckinList.objects.create(event=o.event, name="Hoveddør")
    o.registration = register(
        event=o.event,
        tickets=[TicketRequest(offer=o.offer, attendee_name="Vera Visitor")],
        name="Vera Visitor",
        email="vera@example.org",
        notify=False,
        by=None,
    )
    o.ticket = o.registration.tickets.get()
    # The offer's own question, a file question, and the registration's answer to it.
    o.question = own_questions.add_question(
        question_set=own_questions.question_set_for(o.offer, create=True),
        kind=Question.Kind.FILE,
        label_nb="Vedlegg",
    )
    o.answer = Answer.objects.create(
        question=o.question,
        record=o.registration,
        value={"name": "a.pdf", "type": "pdf"},
        file=ContentFile(b"%PDF-1.4\n", name="answer.pdf"),
    )
    redeem_ticket(secret=o.ticket.secret, checkin_list=o.checkin_list, user=users["venue_host"])
    o.checkin = o.ticket.checkins.first()
    o.payment = None
    o.payment_attempt = PaymentAttempt.objects.create(
        registration=o.registration, provider="vipps", reference="kv-world-1", amount=0
    )


# The orchestra --------------------------------------------------------------------------


def _orchestra(world: World) -> None:
    users, o = world.users, world.objects
    leader = users["project_leader"]
    today = timezone.localdate()
    orchestra = ProgrammeFactory(
        slug="ungdomssymfonikerne", name="Ungdomssymfonikerne", kind=Programme.Kind.ORCHESTRA
    )
    o.orchestra = orchestra
    o.season = PeriodFactory(
        programme=orchestra,
        slug="sesong",
        name="Sesong",
        start=today - timedelta(days=100),
        end=today + timedelta(days=200),
    )
    o.youth = Group.objects.create(
        season=o.season, name="Ungdomssymfonikerne", slug="usym", min_age=8, max_age=18
    )
    o.junior = Group.objects.create(
        season=o.season, name="Juniorsymfonikerne", slug="junior", min_age=8, max_age=13
    )
    asker = municipality("3203")

    def member(names, age, groups, status=StatusChange.Status.ACTIVE, **details):
        return orchestra_services.add_member(
            first_name=names[0],
            last_name=names[1],
            birth_date=born_years_ago(age),
            municipality=asker,
            instruments=[orchestra_services.PlayedInstrument(_violin(), True, 3)],
            groups=groups,
            status=status,
            since=today - timedelta(days=30),
            by=None,
            **details,
        )

    o.child = member(CHILD, 11, [o.youth], medical_notes=MEDICAL["child"])
    o.other_child = member(OTHER_CHILD, 12, [o.junior], medical_notes=MEDICAL["other_child"])
    o.teen = member(TEEN, 15, [o.youth])
    o.applicant = member(APPLICANT, 10, [], status=StatusChange.Status.APPLICANT)

    users["guardian"] = UserFactory(username="pm-guardian", roles=[Role.GUARDIAN])
    users["other_guardian"] = UserFactory(username="pm-other-guardian", roles=[Role.GUARDIAN])
    o.guardian = orchestra_services.add_guardian(
        member=o.child,
        relation="mother",
        first_name="Gerd",
        last_name="Guardian",
        email=PRIVATE["guardian_email"],
        phone="+47 900 00 001",
        by=None,
    )
    o.guardian.user = users["guardian"]
    o.guardian.save(update_fields=["user"])
    orchestra_services.link_guardian(
        member=o.applicant, guardian=o.guardian, relation="mother", by=None
    )
    o.other_guardian = orchestra_services.add_guardian(
        member=o.other_child,
        relation="father",
        first_name="Olav",
        last_name="Otherguardian",
        email="pm-other-guardian@example.org",
        by=None,
    )
    o.other_guardian.user = users["other_guardian"]
    o.other_guardian.save(update_fields=["user"])
    users["member"] = orchestra_services.create_member_login(
        member=o.teen, username="pm-member", email="pm-member@example.org", by=None
    )

    o.consent_text = orchestra_services.publish_consent_text(
        text=orchestra_services.create_consent_text(kind="photo", text_nb="Foto er lov.")
    )
    o.consent = orchestra_services.give_consent(
        text=o.consent_text, member=o.child, by=users["guardian"], guardian=o.guardian
    )
    # The teen (15, own login) gave a photo consent themself and withdrew it.
    orchestra_services.give_consent(text=o.consent_text, member=o.teen, by=users["member"])
    [o.consent_withdrawal] = orchestra_services.withdraw_consent(
        kind="photo", member=o.teen, by=users["member"]
    )
    # Staff read the child's medical notes once: a row of the access log.
    [o.sensitive_access] = record_sensitive_access(
        viewer=leader,
        seen={o.child.pk: ["medical_notes"]},
        path=f"/api/v1/members/{o.child.pk}/",
        channel="api",
    )
    o.status_change = o.child.status_changes.first()
    o.membership = o.child.memberships.first()

    # A rehearsal weekend in ten days: the tutor leads the youth group's tutti.
    users["tutor"] = UserFactory(username="pm-tutor", roles=[Role.TUTOR])
    start = timezone.now() + timedelta(days=10)
    o.rehearsal_weekend = EventFactory(
        period=o.season,
        kind=Event.Kind.REHEARSAL_WEEKEND,
        venue=None,
        title_nb="Helgesamling",
        start=start,
        end=start + timedelta(hours=6),
    )
    session = EventFactory(
        period=o.season,
        parent=o.rehearsal_weekend,
        kind=Event.Kind.SESSION,
        venue=None,
        title_nb="Tutti",
        title_en="Tutti",
        start=start,
        end=start + timedelta(hours=3),
    )
    o.session_plan = SessionPlan.objects.create(event=session)
    o.session_plan.groups.set([o.youth])
    o.session_plan.tutors.set([users["tutor"]])
    o.session = session
    o.attendance = attendance_services.reply_for_session(
        member=o.child, session=session, reply="coming", by=users["guardian"]
    )
    o.leave = attendance_services.set_leave(
        member=o.other_child,
        starts_on=today + timedelta(days=20),
        ends_on=today + timedelta(days=40),
        reason="illness",
        by=users["other_guardian"],
    )
    # Days for the writes on others' records (expectations.FOREIGN_WRITES).
    o.leave_last_day = (today + timedelta(days=25)).isoformat()
    o.new_leave_first_day = (today + timedelta(days=50)).isoformat()
    o.new_leave_last_day = (today + timedelta(days=55)).isoformat()
    o.member_card = attendance_services.issue_member_card(member=o.child, season=o.season)
    o.calendar_token = calendar_services.create_calendar_token(owner=o.guardian)
    o.erasure_request = retention_services.request_erasure(member=o.child, guardian=o.guardian)
    o.member_calendar_token = calendar_services.create_calendar_token(owner=o.teen)
    o.calendar_link = CalendarToken.objects.get(guardian=o.guardian)
    o.member_calendar_link = CalendarToken.objects.get(member=o.teen)
    o.guest_ensemble = GuestEnsemble.objects.create(
        event=o.rehearsal_weekend, name="Gjesteorkesteret", players=20
    )

    # A master class the child is signed up for.
    o.master_class = masterclass_services.create_master_class(
        season=o.season,
        title_nb="Mesterklasse fiolin",
        start=timezone.now() + timedelta(days=20),
        end=timezone.now() + timedelta(days=20, hours=3),
        capacity=5,
        groups=[o.youth],
        by=leader,
    )
    masterclass_services.sign_up(event=o.master_class, member=o.child, by=users["guardian"])
    o.master_class_sign_up = MasterClassSignUp.objects.get(event=o.master_class, member=o.child)

    # A concert of the youth group next month.
    o.concert = EventFactory(
        period=o.season,
        kind=Event.Kind.CONCERT,
        title_nb="Vårkonsert",
        start=timezone.now() + timedelta(days=30),
        end=timezone.now() + timedelta(days=30, hours=2),
    )
    masterclass_services.plan_concert(event=o.concert, groups=[o.youth], by=leader)

    # A tour in three days: the child plays, the tour leader is in their window.
    users["tour_leader"] = UserFactory(username="pm-tour-leader")
    first = today + timedelta(days=3)
    tour_event = EventFactory(
        period=o.season,
        kind=Event.Kind.TOUR,
        title_nb="Spaniaturné",
        title_en="Spain tour",
        venue=None,
        start=datetime.combine(first, time(6), tzinfo=OSLO),
        end=datetime.combine(first + timedelta(days=4), time(22), tzinfo=OSLO),
    )
    o.tour = tour_services.create_tour(event=tour_event, destination="Madrid")
    o.tour_player = tour_services.add_player(tour=o.tour, member=o.child, by=None)
    tour_services.update_trip_details(
        participant=o.tour_player,
        by=users["guardian"],
        medical_notes=MEDICAL["trip"],
        emergency_contacts=MEDICAL["trip_contact"],
    )
    o.tour_leader_participant = tour_services.add_adult(
        tour=o.tour,
        role=TourParticipant.Role.TOUR_LEADER,
        name="Tove Tourleader",
        user=users["tour_leader"],
        by=None,
    )
    o.tour_cost = tour_services.add_cost(tour=o.tour, description="Fly", amount=Decimal("30000"))

    # A tour that ended ten days ago: the child played; its leader's window has closed.
    users["past_tour_leader"] = UserFactory(username="pm-past-tour-leader")
    ended = today - timedelta(days=10)
    past_event = EventFactory(
        period=o.season,
        kind=Event.Kind.TOUR,
        title_nb="Danmarksturné",
        title_en="Denmark tour",
        venue=None,
        start=datetime.combine(ended - timedelta(days=3), time(6), tzinfo=OSLO),
        end=datetime.combine(ended, time(22), tzinfo=OSLO),
    )
    o.past_tour = tour_services.create_tour(event=past_event, destination="Aarhus")
    o.past_tour_player = tour_services.add_player(tour=o.past_tour, member=o.child, by=None)
    tour_services.update_trip_details(
        participant=o.past_tour_player,
        by=users["guardian"],
        medical_notes=MEDICAL["trip"],
        emergency_contacts=MEDICAL["trip_contact"],
    )
    tour_services.add_adult(
        tour=o.past_tour,
        role=TourParticipant.Role.TOUR_LEADER,
        name="Pia Pastleader",
        user=users["past_tour_leader"],
        by=None,
    )
    o.instrument = _violin()
