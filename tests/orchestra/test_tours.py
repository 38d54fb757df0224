"""Tours: participants in roles, checklists, the ratio check, budget against costs, the
staff tour page, the printable participant list, the emergency sheet and the guardian's
trip page, with every role.

The tour starts in three days (its leaders are in their window: a week before its first
day to its last); ``far_tour`` moves it two months ahead (outside the window).
"""

import logging
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from orchestra import services
from orchestra.exceptions import OrchestraError
from orchestra.models import ConsentAcceptance, ConsentText, Guardian, Tour, TourParticipant
from orchestra.selectors import members_visible_to
from orchestra.selectors.tours import (
    budget_of,
    checklist_of,
    ratio_of,
    tour_events_for,
    tour_overview,
)
from orchestra.selectors.visibility import may_see_medical_notes
from orchestra.services import tours as tour_services
from tests.factories import EventFactory, UserFactory, VenueFactory
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, new_member

MADRID = ZoneInfo("Europe/Madrid")
TRIP_NOTES = "Takes insulin at meals."
TRIP_CONTACT = "Aunt Ragnhild +47 911 11 111"


@pytest.fixture(autouse=True)
def _in_english(settings):
    """Compare checklists and labels with their English source, whatever is translated."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def madrid(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=MADRID)


@pytest.fixture
def travel_text(db):
    text = services.create_consent_text(
        kind=ConsentText.Kind.TRAVEL, text_nb="Barnet kan reise med orkesteret."
    )
    return services.publish_consent_text(text=text)


@pytest.fixture
def tour(season):
    first = timezone.localdate() + timedelta(days=3)
    event = EventFactory(
        period=season,
        kind=Event.Kind.TOUR,
        title_nb="Spaniaturné",
        title_en="Spain tour",
        venue=None,
        start=madrid(first, 6),
        end=madrid(first + timedelta(days=4), 22),
    )
    tour = tour_services.create_tour(
        event=event, destination="Madrid", time_zone="Europe/Madrid", budget=Decimal("400000")
    )
    hall = VenueFactory(name="Auditorio de Madrid")
    for offset, title in ((1, "Konsert i Madrid"), (3, "Konsert i Toledo")):
        EventFactory(
            period=season,
            parent=event,
            kind=Event.Kind.CONCERT,
            title_nb=title,
            title_en=title,
            venue=hall,
            start=madrid(first + timedelta(days=offset), 19, 30),
            end=madrid(first + timedelta(days=offset), 21),
        )
    return tour


@pytest.fixture
def tour_leader(db):
    return UserFactory(username="tourleader")


@pytest.fixture
def on_tour(tour, child, other_child, teen, member_user, tour_leader, travel_text, guardian):
    """The child, another child and the teen as players; a leader with a login; a conductor."""
    players = {}
    for member in (child, other_child, teen):
        players[member.pk] = tour_services.add_player(tour=tour, member=member, by=None)
    tour_services.add_adult(
        tour=tour,
        role=TourParticipant.Role.TOUR_LEADER,
        name="Tove Turleder",
        phone="+47 922 22 222",
        user=tour_leader,
        by=None,
    )
    tour_services.add_adult(
        tour=tour, role=TourParticipant.Role.CONDUCTOR, name="Dag Dirigent", by=None
    )
    tour_services.update_trip_details(
        participant=players[child.pk],
        by=guardian,
        emergency_contacts=TRIP_CONTACT,
        dietary_needs="No nuts",
        medical_notes=TRIP_NOTES,
    )
    return players


@pytest.fixture
def far_tour(tour):
    """Move the tour two months ahead: its leaders are outside their window."""
    later = timedelta(days=60)
    Event.objects.filter(pk=tour.event_id).update(
        start=tour.event.start + later, end=tour.event.end + later
    )
    for leg in Event.objects.filter(parent=tour.event_id):
        Event.objects.filter(pk=leg.pk).update(start=leg.start + later, end=leg.end + later)
    return Tour.objects.select_related("event").get(pk=tour.pk)


# Models and services ----------------------------------------------------------------------


def test_time_zone_must_be_an_iana_name(tour):
    tour.time_zone = "Spain/Madrid"
    with pytest.raises(ValidationError):
        tour.full_clean()


def test_a_tour_event_must_be_of_kind_tour(season):
    with pytest.raises(ValidationError):
        tour_services.create_tour(event=EventFactory(period=season), destination="Madrid")


def test_players_are_members_and_adults_have_names(tour, child):
    with pytest.raises(ValidationError):
        TourParticipant(tour=tour, role=TourParticipant.Role.PLAYER, name="X").full_clean()
    with pytest.raises(OrchestraError):
        tour_services.add_adult(tour=tour, role=TourParticipant.Role.PLAYER, name="X", by=None)
    with pytest.raises(ValidationError):
        tour_services.add_adult(tour=tour, role=TourParticipant.Role.COMPANION, name="", by=None)
    tour_services.add_player(tour=tour, member=child, by=None)
    with pytest.raises(OrchestraError):
        tour_services.add_player(tour=tour, member=child, by=None)


def test_police_certificate_only_for_responsible_adults(tour):
    guest = tour_services.add_adult(
        tour=tour, role=TourParticipant.Role.GUEST, name="Gjest", by=None
    )
    with pytest.raises(ValidationError):
        tour_services.update_checklist(
            participant=guest, police_certificate_seen_on=timezone.localdate(), by=None
        )
    teacher = tour_services.add_adult(
        tour=tour, role=TourParticipant.Role.TEACHER, name="Lærer", by=None
    )
    tour_services.update_checklist(
        participant=teacher, police_certificate_seen_on=timezone.localdate(), by=None
    )
    assert "police certificate seen" not in checklist_of(teacher, tour).missing


def test_checklist_passport_expiring_during_the_trip_is_missing(tour, on_tour, child):
    player = on_tour[child.pk]
    tour_services.update_checklist(
        participant=player,
        passport_valid_until=tour.last_day - timedelta(days=1),
        ehic=True,
        share_paid=True,
        by=None,
    )
    assert checklist_of(player, tour).missing == [
        "passport valid through the trip",
        "travel consent",
    ]
    tour_services.update_checklist(participant=player, passport_valid_until=tour.last_day, by=None)
    assert checklist_of(player, tour).missing == ["travel consent"]


def test_guardian_gives_the_travel_consent_for_their_own_child_only(
    tour, on_tour, child, other_child, guardian, travel_text
):
    acceptance = tour_services.give_travel_consent(participant=on_tour[child.pk], by=guardian)
    assert acceptance.text == travel_text
    assert acceptance.capacity == ConsentAcceptance.Capacity.GUARDIAN
    player = on_tour[child.pk]
    tour_services.update_checklist(
        participant=player, passport_valid_until=tour.last_day, ehic=True, share_paid=True, by=None
    )
    assert checklist_of(player, tour).complete
    with pytest.raises(OrchestraError):
        tour_services.give_travel_consent(participant=on_tour[other_child.pk], by=guardian)
    with pytest.raises(OrchestraError):
        tour_services.update_trip_details(
            participant=on_tour[other_child.pk], by=guardian, medical_notes="x"
        )


def test_responsible_adults_need_a_police_certificate(tour, on_tour):
    conductor = tour.participants.get(role=TourParticipant.Role.CONDUCTOR)
    assert "police certificate seen" in checklist_of(conductor, tour).missing


def test_ratio_warns_below_one_adult_per_six_minors(tour, municipality, youth_group):
    tour_services.add_adult(
        tour=tour, role=TourParticipant.Role.TOUR_LEADER, name="Voksen", by=None
    )
    for index in range(6):
        member = new_member(
            (f"Barn{index}", "Testesen"), age=12, municipality=municipality, groups=[youth_group]
        )
        tour_services.add_player(tour=tour, member=member, by=None)
    ratio = ratio_of(tour)
    assert (ratio.adults, ratio.minors, ratio.warning) == (1, 6, False)
    seventh = new_member(("Barn7", "Testesen"), age=12, municipality=municipality)
    tour_services.add_player(tour=tour, member=seventh, by=None)
    assert ratio_of(tour).warning
    # An 18-year-old player on the first day counts as an adult.
    adult_player = new_member(("Voksen", "Spiller"), age=19, municipality=municipality)
    tour_services.add_player(tour=tour, member=adult_player, by=None)
    ratio = ratio_of(tour)
    assert (ratio.adults, ratio.minors, ratio.warning) == (2, 7, False)


def test_budget_overrun(tour):
    tour_services.add_cost(tour=tour, description="Fly", amount=Decimal("300000"))
    assert budget_of(tour).overrun == 0
    tour_services.add_cost(
        tour=tour, description="Hotell", amount=Decimal("205251"), category="lodging"
    )
    budget = budget_of(tour)
    assert budget.actual == Decimal("505251")
    assert budget.overrun == Decimal("105251")


def test_tour_events_for_the_private_feed(tour, on_tour, child, tutor):
    found = tour_events_for([child])
    titles = [event.title_nb for event in found[child.pk]]
    assert titles[0] == "Spaniaturné"
    assert sorted(titles[1:]) == ["Konsert i Madrid", "Konsert i Toledo"]
    into = {child.pk: ["earlier"]}
    assert tour_events_for([child], into=into) is into
    assert into[child.pk][0] == "earlier"
    with CaptureQueriesContext(connection) as queries:
        tour_events_for([child])
    assert len(queries) == 2


# Who sees medical notes -------------------------------------------------------------------


def test_may_see_medical_notes_follows_the_tour_period(
    tour, on_tour, child, tour_leader, tutor, guardian, project_leader, nobody
):
    assert may_see_medical_notes(project_leader, child)
    assert may_see_medical_notes(tour_leader, child)
    first, last = tour.leader_access_window()
    assert first == tour.first_day - timedelta(days=7)
    assert may_see_medical_notes(tour_leader, child, today=first)
    assert may_see_medical_notes(tour_leader, child, today=last)
    assert not may_see_medical_notes(tour_leader, child, today=first - timedelta(days=1))
    assert not may_see_medical_notes(tour_leader, child, today=last + timedelta(days=1))
    for user in (tutor, guardian, nobody, None):
        assert not may_see_medical_notes(user, child)
    # Tour leaders get no member records through the members selector.
    assert not members_visible_to(tour_leader).exists()


# Pages ------------------------------------------------------------------------------------

ROLES = [
    None,
    "nobody",
    "artist",
    "juror",
    "venue_host",
    "tutor",
    "tour_leader",
    "guardian",
    "other_guardian",
    "member_user",
    "project_leader",
    "admin_user",
]
STAFF = {"project_leader", "admin_user"}


def client_as(client, request, role):
    if role is not None:
        client.force_login(request.getfixturevalue(role))
    return client


def assert_denied(response, role):
    if role is None:
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_tour_page_is_for_staff(client, request, tour, on_tour, role):
    client = client_as(client, request, role)
    response = client.get(reverse("orchestra:tour", args=[tour.pk]))
    if role in STAFF:
        assert response.status_code == 200
        content = response.content.decode()
        assert CHILD_NAME[0] in content
        assert TRIP_NOTES not in content
        assert "Missing" in content or "Mangler" in content
    else:
        assert_denied(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_participant_list_is_for_staff_and_the_tour_leaders(client, request, tour, on_tour, role):
    client = client_as(client, request, role)
    response = client.get(reverse("orchestra:tour_participants", args=[tour.pk]))
    if role in STAFF or role == "tour_leader":
        assert response.status_code == 200
        content = response.content.decode()
        assert CHILD_NAME[0] in content and OTHER_CHILD_NAME[0] in content
        assert TRIP_NOTES not in content
        assert TRIP_CONTACT not in content
        assert "EpiPen" not in content
        assert "No nuts" not in content
    else:
        assert_denied(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_emergency_sheet_for_staff_and_leaders_in_the_period(client, request, tour, on_tour, role):
    client = client_as(client, request, role)
    response = client.get(reverse("orchestra:tour_emergency", args=[tour.pk]))
    if role in STAFF or role == "tour_leader":
        assert response.status_code == 200
        content = response.content.decode()
        assert TRIP_NOTES in content
        assert TRIP_CONTACT in content
        assert "EpiPen" in content
        assert "+47 900 00 001" in content  # the guardian's phone
    else:
        assert_denied(response, role)


def test_emergency_sheet_closed_to_leaders_outside_the_period(
    client, far_tour, on_tour, tour_leader, project_leader
):
    client.force_login(tour_leader)
    url = reverse("orchestra:tour_emergency", args=[far_tour.pk])
    assert client.get(url).status_code == 404
    # The participant list follows the same window (test_tour_leader_window).
    assert client.get(reverse("orchestra:tour_participants", args=[far_tour.pk])).status_code == 404
    client.force_login(project_leader)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_trip_page_is_for_the_childs_guardians_and_staff(client, request, on_tour, child, role):
    client = client_as(client, request, role)
    url = reverse("orchestra:tour_trip_details", args=[on_tour[child.pk].pk])
    response = client.get(url)
    if role in STAFF or role == "guardian":
        assert response.status_code == 200
        assert TRIP_NOTES in response.content.decode()
    else:
        assert_denied(response, role)


def test_guardian_gives_consent_and_details_on_the_trip_page(
    client, guardian, on_tour, child, travel_text
):
    client.force_login(guardian)
    participant = on_tour[child.pk]
    url = reverse("orchestra:tour_trip_details", args=[participant.pk])
    assert "Barnet kan reise" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "emergency_contacts": "Onkel +47 933 33 333",
            "dietary_needs": "Vegetarian",
            "medical_notes": "",
            "travel_consent": "on",
        },
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.dietary_needs == "Vegetarian"
    assert participant.medical_notes == ""
    assert ConsentAcceptance.objects.filter(
        member=child, text=travel_text, guardian__user=guardian
    ).exists()
    # Emergency contacts are required.
    response = client.post(url, {"emergency_contacts": "", "dietary_needs": ""})
    assert response.status_code == 200


def test_other_guardian_cannot_post_to_another_childs_trip(client, other_guardian, on_tour, child):
    client.force_login(other_guardian)
    url = reverse("orchestra:tour_trip_details", args=[on_tour[child.pk].pk])
    assert client.post(url, {"emergency_contacts": "x"}).status_code == 404
    on_tour[child.pk].refresh_from_db()
    assert on_tour[child.pk].emergency_contacts == TRIP_CONTACT


def test_staff_tour_page_shows_ratio_warning_and_overrun(client, project_leader, tour, on_tour):
    tour_services.add_cost(tour=tour, description="Alt", amount=Decimal("505251"))
    client.force_login(project_leader)
    content = client.get(reverse("orchestra:tour", args=[tour.pk])).content.decode()
    assert 'id="overrun"' in content
    assert "105251" in content.replace("\xa0", "").replace(" ", "").replace(",", "")
    assert 'id="ratio-warning"' not in content  # 2 adults for 3 minors
    for index in range(10):
        member = new_member((f"Ekstra{index}", "Testesen"), age=12, municipality=child_muni(tour))
        tour_services.add_player(tour=tour, member=member, by=None)
    content = client.get(reverse("orchestra:tour", args=[tour.pk])).content.decode()
    assert 'id="ratio-warning"' in content  # 2 adults for 13 minors


def child_muni(tour):
    return tour.participants.filter(member__isnull=False).first().member.municipality


def test_itinerary_in_the_destinations_time_zone(client, project_leader, tour, on_tour):
    client.force_login(project_leader)
    content = client.get(reverse("orchestra:tour_participants", args=[tour.pk])).content.decode()
    assert "Europe/Madrid" in content
    assert "19:30" in content  # Madrid time; the same in Oslo, so check the offset too
    assert "+01:00" in content or "+02:00" in content
    concert = tour.event.children.order_by("start").first()
    local = concert.start.astimezone(MADRID).isoformat()
    assert local in content


def test_itinerary_shows_local_time_when_zones_differ(client, project_leader, tour, on_tour):
    tour.time_zone = "Atlantic/Canary"  # one hour behind Madrid and Oslo
    tour.save(update_fields=["time_zone"])
    client.force_login(project_leader)
    content = client.get(reverse("orchestra:tour_participants", args=[tour.pk])).content.decode()
    assert "18:30" in content
    assert "19:30" not in content


@pytest.mark.parametrize("name", ["tour", "tour_participants", "tour_emergency"])
def test_tour_pages_read_a_fixed_number_of_queries(
    client, project_leader, tour, on_tour, municipality, name
):
    client.force_login(project_leader)
    url = reverse(f"orchestra:{name}", args=[tour.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(5):
        member = new_member((f"Flere{index}", "Testesen"), age=12, municipality=municipality)
        tour_services.add_player(tour=tour, member=member, by=None)
        tour_services.add_adult(
            tour=tour, role=TourParticipant.Role.COMPANION, name=f"V{index}", by=None
        )
        tour_services.add_cost(tour=tour, description=f"K{index}", amount=Decimal("10"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_no_childs_name_in_urls_or_logs(client, guardian, project_leader, on_tour, child, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(guardian)
    url = reverse("orchestra:tour_trip_details", args=[on_tour[child.pk].pk])
    client.post(url, {"emergency_contacts": "Onkel", "travel_consent": "on"})
    client.force_login(project_leader)
    tour = on_tour[child.pk].tour
    urls = [
        url,
        reverse("orchestra:tour", args=[tour.pk]),
        reverse("orchestra:tour_participants", args=[tour.pk]),
        reverse("orchestra:tour_emergency", args=[tour.pk]),
    ]
    for address in urls:
        client.get(address)
        assert CHILD_NAME[0] not in address and CHILD_NAME[1] not in address
    for record in caplog.records:
        assert CHILD_NAME[0] not in record.getMessage()
        assert CHILD_NAME[1] not in record.getMessage()


def test_overview_groups_participants_by_role(tour, on_tour):
    overview = tour_overview(tour)
    labels = [label for label, _ in overview.by_role]
    assert labels == ["Player", "Conductor", "Tour leader"]
    assert len(overview.itinerary) == 2


@pytest.mark.parametrize("model", ["tour", "tourparticipant"])
def test_admin_lists_and_forms_open_for_staff(client, admin_user, on_tour, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:orchestra_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:orchestra_{model}_add")).status_code == 200


def test_admin_history_of_a_participant_has_no_childs_name(client, admin_user, on_tour, child):
    from django.contrib.admin.models import LogEntry

    client.force_login(admin_user)
    participant = on_tour[child.pk]
    url = reverse("admin:orchestra_tourparticipant_change", args=[participant.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"ehic": "on", "tour": participant.tour_id, "member": child.pk})
    data = {key: value for key, value in data.items() if value not in (None, False)}
    assert client.post(url, data).status_code == 302
    entry = LogEntry.objects.latest("pk")
    assert CHILD_NAME[0] not in entry.object_repr


@pytest.mark.parametrize("role", ROLES)
def test_my_trips_lists_only_own_childrens_trips(client, request, on_tour, child, role):
    client = client_as(client, request, role)
    response = client.get(reverse("orchestra:my_trips"))
    if role is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    content = response.content.decode()
    own = reverse("orchestra:tour_trip_details", args=[on_tour[child.pk].pk])
    assert (own in content) == (role == "guardian")
    if role != "guardian":
        assert CHILD_NAME[0] not in content


def test_private_feed_carries_the_tour_with_the_one_line(client, monkeypatch, on_tour, guardian):
    """The line the lead adds to signed_up_events(): tour_events_for(members, into=result)."""
    from orchestra.selectors import calendars
    from orchestra.services.calendars import create_calendar_token

    monkeypatch.setattr(
        calendars, "signed_up_events", lambda members: tour_events_for(members, into={})
    )
    token = create_calendar_token(owner=Guardian.objects.get(user=guardian))
    feed = client.get(reverse("orchestra:private_feed", args=[token])).content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert f"{CHILD_NAME[0]}: " in unfolded
    assert "Konsert i Madrid" in unfolded or "Concert" in unfolded
    assert "Spaniaturn" in unfolded or "Spain tour" in unfolded


@pytest.mark.parametrize("role", ROLES)
def test_the_tour_event_page_links_the_tour_pages_for_staff_and_its_leaders(
    client, request, tour, on_tour, role
):
    client = client_as(client, request, role)
    response = client.get(reverse("events:event_detail", args=[tour.event_id]))
    content = response.content.decode() if response.status_code == 200 else ""
    tour_page = reverse("orchestra:tour", args=[tour.pk])
    participants = reverse("orchestra:tour_participants", args=[tour.pk])
    emergency = reverse("orchestra:tour_emergency", args=[tour.pk])
    assert (f'href="{tour_page}"' in content) == (role in STAFF)
    assert (f'href="{participants}"' in content) == (role in STAFF or role == "tour_leader")
    assert (f'href="{emergency}"' in content) == (role in STAFF or role == "tour_leader")


def test_the_emergency_sheet_link_waits_for_the_leaders_window(
    client, far_tour, on_tour, tour_leader
):
    client.force_login(tour_leader)
    content = client.get(reverse("events:event_detail", args=[far_tour.event_id])).content.decode()
    assert reverse("orchestra:tour_participants", args=[far_tour.pk]) not in content
    assert reverse("orchestra:tour_emergency", args=[far_tour.pk]) not in content


@pytest.mark.parametrize("role", ROLES)
def test_tour_list_for_staff_and_the_tour_leaders(client, request, tour, on_tour, role):
    client = client_as(client, request, role)
    response = client.get(reverse("orchestra:tours"))
    if role in STAFF or role == "tour_leader":
        assert response.status_code == 200
        content = response.content.decode()
        assert "Spain tour" in content or "Spaniaturné" in content
        assert reverse("orchestra:tour_participants", args=[tour.pk]) in content
        # The tour starts in three days: inside the leaders' window.
        assert reverse("orchestra:tour_emergency", args=[tour.pk]) in content
        assert (reverse("orchestra:tour", args=[tour.pk]) + '"' in content) == (role in STAFF)
        assert CHILD_NAME[0] not in content
    else:
        assert_denied(response, role)


def test_tour_list_hides_the_emergency_sheet_outside_the_window(
    client, far_tour, on_tour, tour_leader
):
    client.force_login(tour_leader)
    content = client.get(reverse("orchestra:tours")).content.decode()
    assert "Spain tour" in content
    assert reverse("orchestra:tour_participants", args=[far_tour.pk]) not in content
    assert reverse("orchestra:tour_emergency", args=[far_tour.pk]) not in content


def test_menu_shows_tours_to_leaders_and_staff_only(
    client, on_tour, tour_leader, guardian, project_leader
):
    link = f'href="{reverse("orchestra:tours")}"'
    for user, shown in ((tour_leader, True), (project_leader, True), (guardian, False)):
        client.force_login(user)
        assert (link in client.get("/").content.decode()) is shown


def test_menu_shows_the_own_calendar_to_members_13_plus(client, member_user, guardian):
    link = f'href="{reverse("orchestra:my_calendar")}"'
    client.force_login(member_user)
    assert link in client.get("/").content.decode()
    client.force_login(guardian)
    assert link not in client.get("/").content.decode()
