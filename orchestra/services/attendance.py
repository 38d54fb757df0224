"""Workflows of attendance: answers ahead, leaves of absence, the leader's record, member
cards and their scans at a session's check-in list.

Every function checks who may do it and raises OrchestraError with a message for the
user when a rule is broken. Logging names ids only: never a child's name.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import created, diff, field_values, log_action, log_actions
from events.models import Event, Period
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    AbsenceReason,
    Attendance,
    Guardianship,
    LeaveOfAbsence,
    Member,
    MemberCard,
    SessionPlan,
)
from orchestra.selectors.attendance import local_day, may_lead, session_board
from orchestra.selectors.members import is_orchestra_staff, members_with_details
from orchestra.selectors.sessions import attends, session_plans
from ticketing import services as ticketing
from ticketing.models import Checkin, CheckinList, Offer, Ticket

logger = logging.getLogger("orchestra.services")

# A member scanned in later than this after the session's start is recorded as late.
LATE_AFTER = timedelta(minutes=10)
# The name of the check-in list each planned session gets for member cards.
SESSION_LIST_NAME = "Oppmøte"  # the list's name is data, shown on the scanner


# Who answers for a member -------------------------------------------------------------------


def may_answer_for(user, member: Member) -> bool:
    """Return True for the member's guardians, the member's own login, and staff."""
    if user is None or not user.is_authenticated:
        return False
    if is_orchestra_staff(user) or (member.user_id is not None and member.user_id == user.pk):
        return True
    return Guardianship.objects.filter(guardian__user=user, member=member).exists()


def may_set_leave(user, member: Member) -> bool:
    """Return True for the member's guardians and staff."""
    if user is None or not user.is_authenticated:
        return False
    if is_orchestra_staff(user):
        return True
    return Guardianship.objects.filter(guardian__user=user, member=member).exists()


def _plan_of(session: Event) -> SessionPlan:
    plan = session_plans().filter(event=session).first()
    if plan is None:
        raise OrchestraError(_("This is not a planned session of the orchestra."))
    return plan


def _detailed(member: Member) -> Member:
    return members_with_details(Member.objects.filter(pk=member.pk)).get()


def _locked_attendance(*, member_id: int, session_id: int) -> Attendance:
    """Return the member's row at the session, locked; create it if there is none."""
    row = (
        Attendance.objects.select_for_update()
        .filter(member_id=member_id, session_id=session_id)
        .first()
    )
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return Attendance.objects.create(member_id=member_id, session_id=session_id)
    except IntegrityError:
        # Another request made it a moment ago.
        return Attendance.objects.select_for_update().get(
            member_id=member_id, session_id=session_id
        )


# Answers ahead ------------------------------------------------------------------------------


def _check_reply(reply: str, reason: str) -> str:
    if reply not in Attendance.Reply.values:
        raise OrchestraError(_("Answer coming or not coming."))
    if reply == Attendance.Reply.NOT_COMING:
        if reason not in AbsenceReason.values:
            raise OrchestraError(_("Give the reason for the absence."))
        return reason
    return ""


def _reply(member, plan, *, reply, reason, note, by, now) -> Attendance:
    row = _locked_attendance(member_id=member.pk, session_id=plan.event_id)
    before = field_values(row, ["reply", "reason", "note"])
    row.reply = reply
    row.reason = reason
    row.note = note.strip()
    row.replied_by = by
    row.replied_at = now
    row.full_clean(exclude=["member", "session", "checkin"])
    row.save(update_fields=["reply", "reason", "note", "replied_by", "replied_at"])
    log_action(row, "orchestra.attendance.replied", by, changes=diff(row, before))
    return row


@transaction.atomic
def reply_for_session(
    *,
    member: Member,
    session: Event,
    reply: str,
    reason: str = "",
    note: str = "",
    by,
    now: datetime | None = None,
) -> Attendance:
    """Answer coming or not coming (with a reason) for a member at one session.

    Preconditions: ``by`` is a guardian of the member, the member's own login, or staff;
    the session is planned, expects the member, and has not started.
    """
    now = now or timezone.now()
    if not may_answer_for(by, member):
        raise OrchestraError(_("You may not answer for this member."))
    reason = _check_reply(reply, reason)
    plan = _plan_of(session)
    if plan.event.start <= now:
        raise OrchestraError(_("The session has started: answers are closed."))
    if plan.event.is_cancelled:
        raise OrchestraError(_("The session is cancelled."))
    if not attends(_detailed(member), plan):
        raise OrchestraError(_("This session does not expect this member."))
    row = _reply(member, plan, reply=reply, reason=reason, note=note, by=by, now=now)
    logger.info(
        "attendance reply: member %s session %s %s by user %s",
        member.pk,
        session.pk,
        reply,
        by.pk,
    )
    return row


@transaction.atomic
def reply_for_weekend(
    *,
    member: Member,
    weekend: Event,
    reply: str,
    reason: str = "",
    note: str = "",
    by,
    now: datetime | None = None,
) -> list[Attendance]:
    """Answer for every session of a weekend that expects the member and has not started.

    Preconditions as for reply_for_session; at least one such session.
    """
    now = now or timezone.now()
    if not may_answer_for(by, member):
        raise OrchestraError(_("You may not answer for this member."))
    reason = _check_reply(reply, reason)
    detailed = _detailed(member)
    plans = [
        plan
        for plan in session_plans().filter(
            event__parent=weekend, event__start__gt=now, event__status=Event.Status.SCHEDULED
        )
        if attends(detailed, plan)
    ]
    if not plans:
        raise OrchestraError(_("No session of this weekend that has not started expects them."))
    rows = [
        _reply(member, plan, reply=reply, reason=reason, note=note, by=by, now=now)
        for plan in plans
    ]
    logger.info(
        "attendance reply: member %s weekend %s %s (%d sessions) by user %s",
        member.pk,
        weekend.pk,
        reply,
        len(rows),
        by.pk,
    )
    return rows


# Leaves of absence --------------------------------------------------------------------------


@transaction.atomic
def set_leave(
    *,
    member: Member,
    starts_on: date,
    ends_on: date,
    reason: str,
    note: str = "",
    by,
) -> LeaveOfAbsence:
    """Set a leave of absence: the sessions in the date range count as excused.

    Preconditions: ``by`` is a guardian of the member or staff; the range does not end
    before it starts, nor overlap another leave of the member.
    """
    if not may_set_leave(by, member):
        raise OrchestraError(_("You may not set a leave for this member."))
    if ends_on < starts_on:
        raise OrchestraError(_("The leave ends before it starts."))
    if reason not in AbsenceReason.values:
        raise OrchestraError(_("Give the reason for the absence."))
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if LeaveOfAbsence.objects.filter(
        member=member, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exists():
        raise OrchestraError(_("The member already has a leave in these dates."))
    leave = LeaveOfAbsence(
        member=member,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=note.strip(),
        created_by=by,
    )
    leave.full_clean()
    leave.save()
    log_action(leave, "orchestra.leaveofabsence.created", by, changes=created(leave))
    logger.info("leave %s set for member %s by user %s", leave.pk, member.pk, by.pk)
    return leave


@transaction.atomic
def end_leave(*, leave: LeaveOfAbsence, by, last_day: date | None = None) -> LeaveOfAbsence | None:
    """End a leave early, after ``last_day`` (default yesterday); one not begun is removed.

    Returns the shortened leave, or None when it was removed.
    """
    if not may_set_leave(by, leave.member):
        raise OrchestraError(_("You may not change this leave."))
    last_day = last_day or timezone.localdate() - timedelta(days=1)
    if last_day >= leave.ends_on:
        raise OrchestraError(_("The leave ends by then already."))
    if last_day < leave.starts_on:
        logger.info("leave %s removed by user %s", leave.pk, by.pk)
        log_action(
            leave,
            "orchestra.leaveofabsence.removed",
            by,
            changes={"member": [leave.member_id, None]},
        )
        leave.delete()
        return None
    before = field_values(leave, ["ends_on"])
    leave.ends_on = last_day
    leave.full_clean()
    leave.save(update_fields=["ends_on"])
    log_action(leave, "orchestra.leaveofabsence.ended", by, changes=diff(leave, before))
    logger.info("leave %s ended by user %s", leave.pk, by.pk)
    return leave


# The leader's record ------------------------------------------------------------------------


def _check_may_record(by, plan: SessionPlan, now: datetime) -> None:
    if not may_lead(by, plan):
        raise OrchestraError(_("Only the session's leaders record its attendance."))
    if local_day(plan.event.start) > timezone.localdate(now):
        raise OrchestraError(_("Attendance is recorded on the day of the session."))


@transaction.atomic
def record_attendance(
    *,
    session: Event,
    member: Member,
    status: str,
    by,
    now: datetime | None = None,
) -> Attendance:
    """Record by hand that a member was present, late, absent or excused (or undo it with
    "expected").

    Preconditions: ``by`` leads the session (a tutor of its plan) or is staff; the
    session's day has come; the session expects the member, or the member already has
    a row there (scanned in at a session of another group).
    """
    now = now or timezone.now()
    if status not in Attendance.Status.values:
        raise OrchestraError(_("Unknown attendance status."))
    plan = _plan_of(session)
    _check_may_record(by, plan, now)
    has_row = Attendance.objects.filter(member=member, session=session).exists()
    if not has_row and not attends(_detailed(member), plan):
        raise OrchestraError(_("This session does not expect this member."))
    row = _locked_attendance(member_id=member.pk, session_id=session.pk)
    before = field_values(row, ["status"])
    row.status = status
    row.recorded_by = by
    row.recorded_at = now
    if status not in (Attendance.Status.PRESENT, Attendance.Status.LATE):
        row.checkin = None
    row.save(update_fields=["status", "recorded_by", "recorded_at", "checkin"])
    log_action(row, "orchestra.attendance.recorded", by, changes=diff(row, before))
    logger.info(
        "attendance: member %s session %s %s by user %s", member.pk, session.pk, status, by.pk
    )
    return row


@transaction.atomic
def close_session(*, session: Event, by, now: datetime | None = None) -> int:
    """Record everyone expected with no status yet: excused for a leave or a "not
    coming", else absent. Returns how many were recorded. Same preconditions as
    record_attendance."""
    now = now or timezone.now()
    plan = _plan_of(session)
    _check_may_record(by, plan, now)
    count = 0
    recorded = {}
    for row in session_board(plan).expected_rows:
        if row.recorded != Attendance.Status.EXPECTED:
            continue
        status = (
            Attendance.Status.EXCUSED
            if row.status == Attendance.Status.EXCUSED
            else Attendance.Status.ABSENT
        )
        attendance = _locked_attendance(member_id=row.member.pk, session_id=session.pk)
        if attendance.status != Attendance.Status.EXPECTED:
            continue
        attendance.status = status
        attendance.recorded_by = by
        attendance.recorded_at = now
        attendance.save(update_fields=["status", "recorded_by", "recorded_at"])
        recorded.setdefault(status, []).append(attendance)
        count += 1
    for status, rows in recorded.items():
        log_actions(
            rows,
            "orchestra.attendance.recorded",
            by,
            changes={"status": [Attendance.Status.EXPECTED, status], "via": "close_session"},
        )
    logger.info("attendance: session %s closed, %d recorded by user %s", session.pk, count, by.pk)
    return count


# Member cards and scans ---------------------------------------------------------------------


def card_event_uid(season: Period) -> str:
    return f"orchestra-member-cards-{season.pk}@kulturvest"


def _season_bounds(season: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(season.start, time.min, zone),
        datetime.combine(season.end, time(23, 59, 59), zone),
    )


def member_card_offer(season: Period) -> Offer:
    """Return the season's member-card offer, made on first use.

    Cards belong to an event of their own, seen by staff only, that spans the season;
    the offer is not public and admits only within the season.
    """
    start, end = _season_bounds(season)
    event, _created = Event.objects.get_or_create(
        uid=card_event_uid(season),
        defaults={
            "period": season,
            "kind": Event.Kind.OTHER,
            "title_nb": f"Medlemskort {season.name}",
            "title_en": f"Member cards {season.name}",
            "start": start,
            "end": end,
            "visibility": Event.Visibility.STAFF,
        },
    )
    offer, _created = Offer.objects.get_or_create(
        event=event,
        defaults={
            "name_nb": "Medlemskort",
            "name_en": "Member card",
            "is_public": False,
            "max_per_registration": 1,
            "valid_from": start,
            "valid_until": end,
        },
    )
    return offer


@transaction.atomic
def issue_member_card(
    *, member: Member, season: Period, by=None, replace: bool = False
) -> MemberCard:
    """Return the member's card for the season, issuing it if there is none.

    With ``replace`` (a lost card), the old ticket is cancelled and the card gets a new
    one: the old QR code is refused from then on. The ticket is a child's: a venue host
    scanning it sees initials only.

    The member's row is locked first: two requests issuing the member's card at once wait
    for each other, and the second finds the first's card (a card that does not exist yet
    has no row to lock).
    """
    _lock_members([member.pk])
    card = MemberCard.objects.select_for_update().filter(member=member, season=season).first()
    if card is not None and not replace:
        return card
    offer = member_card_offer(season)
    guardian = (
        Guardianship.objects.filter(member=member).select_related("guardian").order_by("pk").first()
    )
    registration = ticketing.register(
        event=offer.event,
        tickets=[
            ticketing.TicketRequest(
                offer=offer,
                attendee_name=f"{member.first_name} {member.last_name}",
                attendee_is_child=True,
            )
        ],
        name=str(guardian.guardian) if guardian else _("Member card"),
        email=guardian.guardian.email if guardian else parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        staff=True,
        notify=False,
        by=by,
    )
    ticket = registration.tickets.get()
    if card is None:
        card = MemberCard.objects.create(member=member, season=season, ticket=ticket)
    else:
        old = card.ticket
        card.ticket = ticket
        card.issued_at = timezone.now()
        card.save(update_fields=["ticket", "issued_at"])
        if not old.is_cancelled:
            ticketing.cancel_ticket(ticket=old, by=by)
    logger.info(
        "member card %s issued for member %s by user %s",
        card.pk,
        member.pk,
        getattr(by, "pk", None),
    )
    return card


def _lock_members(ids) -> None:
    """Lock the members' rows until the transaction ends, in the order of their ids: two
    transactions locking some of the same members never wait for each other in a circle.
    (PostgreSQL; SQLite writes one transaction at a time anyway.)"""
    list(Member.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


@transaction.atomic
def issue_missing_member_cards(
    *, members: Iterable[Member], season: Period, by=None
) -> list[MemberCard]:
    """Issue the season's card to each of the members who has none; return the new cards.

    The members are locked before their cards are looked for: of two requests issuing
    cards for the same members at once, the second waits and then finds the first's cards,
    so that no member gets two.
    """
    by_id = {member.pk: member for member in members}
    _lock_members(list(by_id))
    have = set(
        MemberCard.objects.filter(member__in=list(by_id), season=season).values_list(
            "member_id", flat=True
        )
    )
    return [
        issue_member_card(member=by_id[pk], season=season, by=by)
        for pk in sorted(by_id)
        if pk not in have
    ]


def session_checkin_list(plan: SessionPlan) -> CheckinList:
    """Return the check-in list of a planned session, made on first use, and make the
    plan's tutors hosts of the session so that they may scan there.

    The list admits the season's member cards (see admits_member_card) and each card
    once: a member is checked in once per session.
    """
    checkin_list = (
        CheckinList.objects.filter(event=plan.event, name=SESSION_LIST_NAME).order_by("pk").first()
    )
    if checkin_list is None:
        checkin_list = CheckinList.objects.create(
            event=plan.event,
            name=SESSION_LIST_NAME,
            all_offers=False,
            allow_multiple_entries=False,
            allow_entry_after_exit=False,
        )
    sync_session_hosts(plan)
    return checkin_list


@transaction.atomic
def save_session_plan(*, plan: SessionPlan, groups=None, tutors=None) -> SessionPlan:
    """Save a session plan with its groups and tutors, and make its tutors hosts of the
    session so that they may scan member cards there. The API and the admin save plans
    through here.

    Preconditions: the plan's own fields are valid (full_clean() runs again); groups or
    tutors given as None stay as they are. A tutor taken off the plan stays a host.
    """
    plan.full_clean()
    plan.save()
    if groups is not None:
        plan.groups.set(groups)
    if tutors is not None:
        plan.tutors.set(tutors)
    sync_session_hosts(plan)
    return plan


def sync_session_hosts(plan: SessionPlan) -> None:
    """Make the plan's tutors hosts of its session: the scanner lets hosts scan."""
    tutors = set(plan.tutors.values_list("pk", flat=True))
    hosts = set(plan.event.hosts.values_list("pk", flat=True))
    if tutors - hosts:
        plan.event.hosts.add(*(tutors - hosts))


def admits_member_card(checkin_list: CheckinList, ticket: Ticket) -> bool:
    """Ticketing admission rule: a planned session's lists admit its season's member cards."""
    event = checkin_list.event
    # Cards of the list's season, a replaced one included (it is then refused as cancelled).
    season = Period(pk=event.period_id)
    return (
        ticket.offer.event.uid == card_event_uid(season)
        and SessionPlan.objects.filter(event_id=event.pk).exists()
    )


def record_scan(checkin: Checkin) -> None:
    """Ticketing check-in listener: a member card scanned at a planned session marks the
    member present (late after the start and LATE_AFTER); an annulled scan is undone.

    Runs inside the scan's transaction, with the card's ticket locked.
    """
    if checkin.type != Checkin.Type.ENTRY or checkin.ticket_id is None:
        return
    card = MemberCard.objects.filter(ticket_id=checkin.ticket_id).first()
    if card is None:
        return
    if not checkin.counts:
        Attendance.objects.filter(checkin=checkin).update(
            status=Attendance.Status.EXPECTED, checkin=None, recorded_by=None, recorded_at=None
        )
        logger.info("attendance: scan %s annulled for member %s", checkin.pk, card.member_id)
        return
    session = Event.objects.filter(pk=checkin.checkin_list.event_id, orchestra_plan__isnull=False)
    session = session.only("pk", "start").first()
    if session is None:
        return
    row = _locked_attendance(member_id=card.member_id, session_id=session.pk)
    late = checkin.scanned_at > session.start + LATE_AFTER
    row.status = Attendance.Status.LATE if late else Attendance.Status.PRESENT
    row.checkin = checkin
    row.recorded_by = checkin.user
    row.recorded_at = checkin.scanned_at
    row.save(update_fields=["status", "checkin", "recorded_by", "recorded_at"])
    logger.info(
        "attendance: member %s session %s %s by scan %s",
        card.member_id,
        session.pk,
        row.status,
        checkin.pk,
    )


def connect_to_ticketing() -> None:
    """Register the member-card admission rule, the expected counter of session lists and
    the scan listener with ticketing."""
    from orchestra.selectors.attendance import expected_at_session_lists
    from ticketing.selectors import register_admission_rule, register_expected_counter

    register_admission_rule(admits_member_card)
    register_expected_counter(expected_at_session_lists)
    ticketing.register_checkin_listener(record_scan)
