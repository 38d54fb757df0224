# ruff: noqa: F811 -- the shared fixtures are imported, and pytest passes them by name
"""Master classes: setting up, who may sign up whom, eligibility, capacity and the
waitlist (ticketing's), cancelling, and the guardian's private calendar."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from events.models import Event
from orchestra.exceptions import OrchestraError
from orchestra.models import Guardian, Member, Section
from orchestra.selectors.calendars import private_calendar_entries
from orchestra.selectors.masterclasses import (
    participants,
    sign_ups_of,
    upcoming_for_children,
    with_places,
)
from orchestra.services import masterclasses as services
from orchestra.services.calendars import create_calendar_token
from tests.calendars import read_calendars
from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME, TEEN_NAME
from tests.orchestra.test_attendance_services import trumpeter  # noqa: F401 -- fixture
from ticketing.models import Registration


@pytest.fixture(autouse=True)
def english():
    """The tests match the English messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def make_class(season, youth_group, tutor, project_leader):
    def make(*, capacity=2, groups=None, sections=None, days=14, **extra):
        start = timezone.now() + timedelta(days=days)
        return services.create_master_class(
            season=season,
            title_nb="Mesterklasse fiolin",
            title_en="Violin master class",
            start=start,
            end=start + timedelta(hours=3),
            capacity=capacity,
            groups=groups if groups is not None else [youth_group],
            sections=sections,
            tutors=[tutor],
            by=project_leader,
            **extra,
        )

    return make


@pytest.fixture
def master_class(make_class):
    return make_class()


def test_create_sets_up_event_plan_pool_and_offer(master_class, youth_group, tutor):
    assert master_class.kind == Event.Kind.MASTER_CLASS
    assert master_class.visibility == Event.Visibility.MEMBERS
    plan = master_class.orchestra_plan
    assert list(plan.groups.all()) == [youth_group]
    assert list(plan.tutors.all()) == [tutor]
    offer = master_class.offers.get()
    assert offer.is_public is False
    assert offer.pool.size == 2


def test_only_staff_create_master_classes(make_class, season, youth_group, guardian):
    with pytest.raises(OrchestraError):
        services.create_master_class(
            season=season,
            title_nb="X",
            start=timezone.now(),
            end=timezone.now(),
            capacity=3,
            groups=[youth_group],
            by=guardian,
        )


def test_guardian_signs_up_their_child(master_class, child, guardian):
    signed = services.sign_up(event=master_class, member=child, by=guardian)
    registration = signed.registration
    assert signed.waitlisted is False
    assert registration.state == Registration.State.CONFIRMED
    assert registration.email == "guardian@example.org"
    assert registration.name == "Gunn Strykersen"
    ticket = registration.tickets.get()
    assert ticket.attendee_is_child is True
    assert ticket.attendee_name == " ".join(CHILD_NAME)
    assert child.pk in sign_ups_of([child.pk])


def test_sign_up_twice_is_refused(master_class, child, guardian, project_leader):
    services.sign_up(event=master_class, member=child, by=guardian)
    with pytest.raises(OrchestraError, match="signed up already"):
        services.sign_up(event=master_class, member=child, by=project_leader)


def test_guardian_of_another_child_may_not_sign_up(master_class, child, other_guardian):
    with pytest.raises(OrchestraError, match="may not"):
        services.sign_up(event=master_class, member=child, by=other_guardian)


@pytest.mark.parametrize("who", ["tutor", "nobody", "venue_host", "artist", "juror"])
def test_others_may_not_sign_up(master_class, child, who, request):
    with pytest.raises(OrchestraError, match="may not"):
        services.sign_up(event=master_class, member=child, by=request.getfixturevalue(who))


def test_member_13_plus_signs_up_themself(master_class, teen, member_user):
    signed = services.sign_up(event=master_class, member=teen, by=member_user)
    assert signed.registration.user == member_user
    assert signed.registration.tickets.get().attendee_name == " ".join(TEEN_NAME)


def test_staff_sign_up_anyone(master_class, other_child, project_leader, admin_user, teen):
    services.sign_up(event=master_class, member=other_child, by=project_leader)
    services.sign_up(event=master_class, member=teen, by=admin_user)
    assert len(participants(master_class)) == 2


def test_wrong_group_is_refused_with_a_clear_message(
    make_class, junior_group, other_child, other_guardian
):
    junior_class = make_class(groups=[junior_group])
    with pytest.raises(OrchestraError, match="Juniorsymfonikerne only"):
        services.sign_up(event=junior_class, member=other_child, by=other_guardian)


def test_wrong_section_is_refused_with_a_clear_message(make_class, trumpeter, project_leader):
    strings = make_class(sections=[Section.STRINGS])
    with translation.override("en"), pytest.raises(OrchestraError, match="Strings only"):
        services.sign_up(event=strings, member=trumpeter, by=project_leader)


def test_admitted_section_may_sign_up(make_class, child, guardian):
    strings = make_class(sections=[Section.STRINGS])
    assert services.sign_up(event=strings, member=child, by=guardian).waitlisted is False


def test_started_or_cancelled_class_is_closed(make_class, child, guardian):
    started = make_class(days=0)
    started.start = timezone.now() - timedelta(minutes=5)
    started.save(update_fields=["start"])
    with pytest.raises(OrchestraError, match="started"):
        services.sign_up(event=started, member=child, by=guardian)
    cancelled = make_class()
    cancelled.status = Event.Status.CANCELLED
    cancelled.save(update_fields=["status"])
    with pytest.raises(OrchestraError, match="cancelled"):
        services.sign_up(event=cancelled, member=child, by=guardian)


def test_full_class_puts_the_next_on_the_waitlist(
    make_class, child, other_child, teen, guardian, other_guardian, member_user
):
    small = make_class(capacity=1)
    services.sign_up(event=small, member=child, by=guardian)
    with pytest.raises(OrchestraError, match="full"):
        services.sign_up(event=small, member=other_child, by=other_guardian, join_waitlist=False)
    second = services.sign_up(event=small, member=other_child, by=other_guardian)
    third = services.sign_up(event=small, member=teen, by=member_user)
    assert second.waitlisted and third.waitlisted
    [master_class] = with_places([small])
    assert master_class.places_left == 0
    assert master_class.waiting == 2


def test_a_cancellation_offers_the_place_to_the_first_in_line(
    make_class,
    child,
    other_child,
    teen,
    guardian,
    other_guardian,
    member_user,
    django_capture_on_commit_callbacks,
):
    small = make_class(capacity=1)
    services.sign_up(event=small, member=child, by=guardian)
    first = services.sign_up(event=small, member=other_child, by=other_guardian).registration
    second = services.sign_up(event=small, member=teen, by=member_user).registration
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_sign_up(event=small, member=child, by=guardian)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.has_open_waitlist_offer
    assert second.waitlist_offer_expires_at is None
    assert any("other-guardian@example.org" in message.to for message in mail.outbox)
    [row] = [
        o
        for c in upcoming_for_children(Member.objects.filter(pk=other_child.pk))
        for o in c.options
    ]
    assert row.state == "offered"
    services.accept_offered_place(event=small, member=other_child, by=other_guardian)
    first.refresh_from_db()
    assert first.state == Registration.State.CONFIRMED


def test_cancel_needs_a_sign_up_and_the_right_person(master_class, child, guardian, other_guardian):
    with pytest.raises(OrchestraError, match="not signed up"):
        services.cancel_sign_up(event=master_class, member=child, by=guardian)
    services.sign_up(event=master_class, member=child, by=guardian)
    with pytest.raises(OrchestraError, match="may not"):
        services.cancel_sign_up(event=master_class, member=child, by=other_guardian)
    services.cancel_sign_up(event=master_class, member=child, by=guardian)
    assert sign_ups_of([child.pk]) == {}


def test_upcoming_lists_eligible_classes_per_child(
    make_class, junior_group, child, other_child, guardian
):
    youth = make_class()
    junior = make_class(groups=[junior_group])
    [child_classes] = upcoming_for_children(Member.objects.filter(pk=child.pk))
    assert [o.master_class.event for o in child_classes.options] == [youth, junior]
    [other] = upcoming_for_children(Member.objects.filter(pk=other_child.pk))
    assert [o.master_class.event for o in other.options] == [youth]
    assert other.options[0].master_class.places_left == 2


def test_guardian_feed_has_confirmed_master_classes_only(
    make_class, child, other_child, guardian, other_guardian
):
    small = make_class(capacity=1)
    services.sign_up(event=small, member=child, by=guardian)
    services.sign_up(event=small, member=other_child, by=other_guardian)
    mine = private_calendar_entries(Guardian.objects.get(user=guardian))
    assert any(entry.uid == small.uid for entry in mine)
    assert any(CHILD_NAME[0] in entry.summary for entry in mine if entry.uid == small.uid)
    theirs = private_calendar_entries(Guardian.objects.get(user=other_guardian))
    assert not any(entry.uid == small.uid for entry in theirs)
    assert not any(OTHER_CHILD_NAME[0] in entry.summary for entry in mine)


def test_participants_in_order_with_waitlist(
    make_class, child, other_child, guardian, other_guardian
):
    small = make_class(capacity=1)
    services.sign_up(event=small, member=child, by=guardian)
    services.sign_up(event=small, member=other_child, by=other_guardian)
    rows = participants(small)
    assert [row.member for row in rows] == [child, other_child]
    assert [row.state for row in rows] == ["confirmed", "waitlisted"]
    assert rows[1].waitlist_position == 1
    assert rows[0].instrument == "Fiolin" or rows[0].instrument == "Violin"


def test_private_feeds_carry_the_class_once_confirmed(
    client, make_class, child, teen, guardian, member_user, other_child, other_guardian
):
    small = make_class(capacity=1)
    services.sign_up(event=small, member=child, by=guardian)
    services.sign_up(event=small, member=other_child, by=other_guardian)
    guardian_feed = client.get(
        f"/calendar/private/{create_calendar_token(owner=Guardian.objects.get(user=guardian))}.ics"
    ).content.decode()
    assert small.uid in guardian_feed
    assert f"{CHILD_NAME[0]}: " in guardian_feed
    waiting_feed = client.get(
        "/calendar/private/"
        f"{create_calendar_token(owner=Guardian.objects.get(user=other_guardian))}.ics"
    ).content.decode()
    assert small.uid not in waiting_feed
    services.sign_up(event=make_class(capacity=3), member=teen, by=member_user)
    own_feed = client.get(
        f"/calendar/private/{create_calendar_token(owner=teen)}.ics"
    ).content.decode()
    assert "Mesterklasse" in own_feed or "master class" in own_feed.lower()
    assert TEEN_NAME[0] not in own_feed
    read_calendars(*(feed.encode() for feed in (guardian_feed, waiting_feed, own_feed)))
