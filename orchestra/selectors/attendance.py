"""Reads of attendance: who leads which session, the leader's board, the weekend overview,
the guardian's upcoming sessions and the season's statistics.

Every read takes a fixed number of queries whatever the number of members and sessions:
the plans, the candidate members (with memberships and instruments), the attendance rows
and the leaves are each read once, and who is expected where is worked out in Python
(orchestra.selectors.sessions.attends).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from events.models import Event, Period
from orchestra.models import (
    Attendance,
    LeaveOfAbsence,
    Member,
    MemberCard,
    MemberInstrument,
    Membership,
    Section,
    SessionPlan,
)
from orchestra.policies import SEE_CHILD_FULL_NAME
from orchestra.selectors.members import is_orchestra_staff, status_history
from orchestra.selectors.sessions import (
    attends,
    ever_attending,
    main_section,
    session_plans,
)

# Statuses the leader records; "expected" is the absence of a record.
RECORDED = (
    Attendance.Status.PRESENT,
    Attendance.Status.LATE,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
)
CAME = (Attendance.Status.PRESENT, Attendance.Status.LATE)


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# Who leads what ---------------------------------------------------------------------------


def plans_led_by(user) -> QuerySet[SessionPlan]:
    """Return the session plans a user may take attendance at: staff all, a tutor their own."""
    plans = session_plans()
    if user is None or not user.is_authenticated:
        return plans.none()
    if is_orchestra_staff(user):
        return plans
    return plans.filter(tutors=user)


def may_lead(user, plan: SessionPlan) -> bool:
    """Return True if the user may record attendance at the plan's session."""
    if is_orchestra_staff(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return plan.tutors.filter(pk=user.pk).exists()


def attending_members(group_ids: Iterable[int]) -> list[Member]:
    """Return the members of some groups who were ever active or on trial, with status
    history, memberships and instruments: attends() picks those a session expects.

    Four queries: the members, their instruments, their memberships and their status
    changes (guardianships are not needed to decide who is expected).
    """
    group_ids = list(group_ids)
    if not group_ids:
        return []
    members = (
        ever_attending()
        .filter(memberships__group__in=group_ids)
        .distinct()
        .prefetch_related(
            Prefetch(
                "member_instruments",
                queryset=MemberInstrument.objects.select_related("instrument"),
            ),
            Prefetch("memberships", queryset=Membership.objects.select_related("group")),
            status_history(),
        )
        .order_by("first_name", "last_name", "pk")
    )
    return list(members)


# Boards -----------------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One member at one session: the answer, any leave, and the status that counts."""

    member: Member
    expected: bool
    attendance: Attendance | None
    leave: LeaveOfAbsence | None

    @property
    def reply(self) -> str:
        return self.attendance.reply if self.attendance else ""

    @property
    def answered(self) -> bool:
        return bool(self.reply) or self.leave is not None

    @property
    def recorded(self) -> str:
        """The status the leader (or a scan) recorded, or "expected"."""
        return self.attendance.status if self.attendance else Attendance.Status.EXPECTED

    @property
    def status(self) -> str:
        """The status that counts: the record, else excused for a leave or a "not coming"."""
        if self.recorded != Attendance.Status.EXPECTED:
            return self.recorded
        if self.leave is not None or self.reply == Attendance.Reply.NOT_COMING:
            return Attendance.Status.EXCUSED
        return Attendance.Status.EXPECTED

    @property
    def section(self) -> str | None:
        return main_section(self.member)

    @property
    def instrument(self):
        for played in self.member.member_instruments.all():
            if played.is_main:
                return played.instrument
        return None

    @property
    def scanned(self) -> bool:
        return bool(self.attendance and self.attendance.checkin_id)


@dataclass
class SessionBoard:
    plan: SessionPlan
    rows: list[BoardRow]

    @property
    def session(self) -> Event:
        return self.plan.event

    @property
    def expected_rows(self) -> list[BoardRow]:
        return [row for row in self.rows if row.expected]

    @property
    def not_answered(self) -> list[BoardRow]:
        return [row for row in self.expected_rows if not row.answered]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        counts = {status: self.count(status) for status in Attendance.Status.values}
        counts["not_answered"] = len(self.not_answered)
        counts["coming"] = sum(
            1 for row in self.expected_rows if row.reply == Attendance.Reply.COMING
        )
        counts["not_coming"] = sum(
            1
            for row in self.expected_rows
            if row.reply == Attendance.Reply.NOT_COMING or row.leave is not None
        )
        counts["expected_total"] = len(self.expected_rows)
        return counts


def _leave_on(leaves: list[LeaveOfAbsence], day: date) -> LeaveOfAbsence | None:
    for leave in leaves:
        if leave.starts_on <= day <= leave.ends_on:
            return leave
    return None


def boards_for(plans: Iterable[SessionPlan]) -> list[SessionBoard]:
    """Return the attendance board of each plan, in a fixed number of queries.

    The plans need their event and groups loaded (``session_plans()`` does that). A
    member with a record at a session that does not expect them (a scan at another
    group's session) is on its board too, marked not expected.
    """
    plans = list(plans)
    if not plans:
        return []
    group_ids = {group.pk for plan in plans for group in plan.groups.all()}
    candidates = attending_members(group_ids)
    session_ids = [plan.event_id for plan in plans]
    records: dict[int, dict[int, Attendance]] = defaultdict(dict)
    extra_ids = set()
    known = {member.pk for member in candidates}
    for attendance in Attendance.objects.filter(session_id__in=session_ids):
        records[attendance.session_id][attendance.member_id] = attendance
        if attendance.member_id not in known:
            extra_ids.add(attendance.member_id)
    extras = list(
        Member.objects.filter(pk__in=extra_ids).prefetch_related(
            Prefetch(
                "member_instruments",
                queryset=MemberInstrument.objects.select_related("instrument"),
            ),
            Prefetch("memberships", queryset=Membership.objects.select_related("group")),
        )
    )
    everyone = {member.pk: member for member in [*candidates, *extras]}
    days = [local_day(plan.event.start) for plan in plans]
    leaves: dict[int, list[LeaveOfAbsence]] = defaultdict(list)
    if everyone:
        for leave in LeaveOfAbsence.objects.filter(
            member_id__in=list(everyone), starts_on__lte=max(days), ends_on__gte=min(days)
        ):
            leaves[leave.member_id].append(leave)
    boards = []
    for plan, day in zip(plans, days, strict=True):
        rows = []
        recorded = records.get(plan.event_id, {})
        for member in candidates:
            expected = attends(member, plan)
            if expected or member.pk in recorded:
                rows.append(
                    BoardRow(
                        member=member,
                        expected=expected,
                        attendance=recorded.get(member.pk),
                        leave=_leave_on(leaves[member.pk], day),
                    )
                )
        for member in extras:
            if member.pk in recorded:
                rows.append(
                    BoardRow(
                        member=member,
                        expected=False,
                        attendance=recorded[member.pk],
                        leave=_leave_on(leaves[member.pk], day),
                    )
                )
        rows.sort(key=lambda row: (not row.expected, *section_order(row), row.member.first_name))
        boards.append(SessionBoard(plan=plan, rows=rows))
    return boards


def expected_at_session_lists(lists) -> dict[int, int]:
    """Ticketing expected counter: per check-in list of a planned session, the members its
    plan expects who have not been excused (leave or "not coming").

    Lists that take every offer are ticket lists, never a session's (its list takes member
    cards only): for them no query is made.
    """
    candidates = [checkin_list for checkin_list in lists if not checkin_list.all_offers]
    if not candidates:
        return {}
    plans = session_plans().filter(event_id__in={c.event_id for c in candidates})
    boards = {board.plan.event_id: board for board in boards_for(plans)}
    counts = {}
    for checkin_list in candidates:
        board = boards.get(checkin_list.event_id)
        if board is not None:
            counts[checkin_list.pk] = sum(
                1 for row in board.rows if row.expected and row.status != Attendance.Status.EXCUSED
            )
    return counts


SECTION_ORDER = {value: index for index, value in enumerate(Section.values)}


def section_order(row: BoardRow) -> tuple[int, int]:
    instrument = row.instrument
    section = instrument.section if instrument else Section.OTHER
    return SECTION_ORDER.get(section, 99), instrument.position if instrument else 999


def session_board(plan: SessionPlan) -> SessionBoard:
    """Return one session's board: expected members, answers, leaves and statuses."""
    return boards_for([plan])[0]


@dataclass
class WeekendOverview:
    weekend: Event
    boards: list[SessionBoard]

    @property
    def not_answered(self) -> list[Member]:
        """Members expected at any session of the weekend with no answer to one of them."""
        seen = {}
        for board in self.boards:
            for row in board.not_answered:
                seen.setdefault(row.member.pk, row.member)
        return sorted(seen.values(), key=lambda member: (member.first_name, member.last_name))


def weekend_plans(weekend: Event, plans: QuerySet[SessionPlan] | None = None):
    plans = session_plans() if plans is None else plans
    return plans.filter(Q(event__parent=weekend) | Q(event=weekend))


def weekend_overview(weekend: Event, plans: QuerySet[SessionPlan] | None = None) -> WeekendOverview:
    """Return the boards of a weekend's planned sessions (those in ``plans``, if given)."""
    return WeekendOverview(weekend=weekend, boards=boards_for(weekend_plans(weekend, plans)))


# The guardian's view ----------------------------------------------------------------------


@dataclass
class ChildSession:
    plan: SessionPlan
    attendance: Attendance | None
    leave: LeaveOfAbsence | None

    @property
    def reply(self) -> str:
        return self.attendance.reply if self.attendance else ""


@dataclass
class ChildSchedule:
    member: Member
    # (weekend or None, [ChildSession]) in time order
    weekends: list[tuple[Event | None, list[ChildSession]]] = field(default_factory=list)
    leaves: list[LeaveOfAbsence] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        """Count the sessions with neither an answer nor a leave."""
        return sum(
            1
            for _weekend, sessions in self.weekends
            for item in sessions
            if not item.reply and not item.leave
        )


def upcoming_for_members(members: Iterable[Member], *, now=None) -> list[ChildSchedule]:
    """Return, per member, the planned sessions not yet started that expect them, by
    weekend, with the answers given and the leaves (current and future), in fixed queries."""
    now = now or timezone.now()
    members = list(members)
    if not members:
        return []
    ids = [member.pk for member in members]
    members = list(
        Member.objects.filter(pk__in=ids)
        .prefetch_related(
            Prefetch(
                "member_instruments",
                queryset=MemberInstrument.objects.select_related("instrument"),
            ),
            Prefetch("memberships", queryset=Membership.objects.select_related("group")),
            status_history(),
        )
        .order_by("birth_date", "pk")
    )
    plans = list(session_plans().filter(event__start__gt=now, event__status="scheduled"))
    answers = {
        (row.member_id, row.session_id): row
        for row in Attendance.objects.filter(
            member_id__in=ids, session_id__in=[plan.event_id for plan in plans]
        )
    }
    leaves: dict[int, list[LeaveOfAbsence]] = defaultdict(list)
    for leave in LeaveOfAbsence.objects.filter(
        member_id__in=ids, ends_on__gte=local_day(now)
    ).order_by("starts_on", "pk"):
        leaves[leave.member_id].append(leave)
    schedules = []
    for member in members:
        schedule = ChildSchedule(member=member, leaves=leaves[member.pk])
        by_weekend: dict[int | None, list[ChildSession]] = {}
        parents: dict[int | None, Event | None] = {}
        for plan in plans:
            if not attends(member, plan):
                continue
            key = plan.event.parent_id
            parents.setdefault(key, plan.event.parent)
            by_weekend.setdefault(key, []).append(
                ChildSession(
                    plan=plan,
                    attendance=answers.get((member.pk, plan.event_id)),
                    leave=_leave_on(leaves[member.pk], local_day(plan.event.start)),
                )
            )
        schedule.weekends = [(parents[key], sessions) for key, sessions in by_weekend.items()]
        schedules.append(schedule)
    return schedules


# Statistics -------------------------------------------------------------------------------


@dataclass
class Tally:
    present: int = 0
    late: int = 0
    absent: int = 0
    excused: int = 0
    unrecorded: int = 0

    def add(self, status: str) -> None:
        if status == Attendance.Status.EXPECTED:
            self.unrecorded += 1
        else:
            setattr(self, status, getattr(self, status) + 1)

    @property
    def counted(self) -> int:
        return self.present + self.late + self.absent + self.excused

    @property
    def rate(self) -> float | None:
        """The share of counted sessions the member came to (late counts as came)."""
        if not self.counted:
            return None
        return (self.present + self.late) / self.counted

    def as_dict(self) -> dict:
        return {
            "present": self.present,
            "late": self.late,
            "absent": self.absent,
            "excused": self.excused,
            "unrecorded": self.unrecorded,
            "rate": None if self.rate is None else round(self.rate, 3),
        }


@dataclass
class SeasonStatistics:
    season: Period
    sessions: int
    by_member: list[tuple[Member, Tally]]
    by_section: list[tuple[str, Tally]]
    by_group: list[tuple[object, Tally]]
    total: Tally


def season_statistics(season: Period, *, until=None) -> SeasonStatistics:
    """Return attendance per member, section (of the main instrument) and group over the
    sessions of a season that have started (cancelled ones left out), in a fixed number of
    queries.

    A session counts for a group when the member was expected there as one of the plan's
    groups that the member belonged to that day. Sessions expected but not recorded are
    "unrecorded" and left out of the rate.
    """
    until = until or timezone.now()
    plans = session_plans().filter(
        event__period=season, event__start__lte=until, event__status=Event.Status.SCHEDULED
    )
    boards = boards_for(plans)
    members: dict[int, tuple[Member, Tally]] = {}
    sections: dict[str, Tally] = defaultdict(Tally)
    groups: dict[int, tuple[object, Tally]] = {}
    total = Tally()
    for board in boards:
        day = local_day(board.session.start)
        plan_groups = {group.pk: group for group in board.plan.groups.all()}
        for row in board.rows:
            if not row.expected and row.status not in CAME:
                continue
            status = row.status
            members.setdefault(row.member.pk, (row.member, Tally()))[1].add(status)
            sections[row.section or Section.OTHER].add(status)
            total.add(status)
            for membership in row.member.memberships.all():
                if membership.group_id in plan_groups and membership.is_current_on(day):
                    group = plan_groups[membership.group_id]
                    groups.setdefault(group.pk, (group, Tally()))[1].add(status)
    section_labels = dict(Section.choices)
    return SeasonStatistics(
        season=season,
        sessions=len(boards),
        by_member=sorted(
            members.values(), key=lambda item: (item[0].first_name, item[0].last_name)
        ),
        by_section=[
            (str(section_labels[key]), sections[key]) for key in Section.values if key in sections
        ],
        by_group=sorted(groups.values(), key=lambda item: str(item[0])),
        total=total,
    )


# Member cards -----------------------------------------------------------------------------


def cards_of(members: Iterable[Member], season: Period) -> dict[int, MemberCard]:
    """Return the members' cards of a season, by member id, with their tickets."""
    ids = [member.pk for member in members]
    return {
        card.member_id: card
        for card in MemberCard.objects.filter(member_id__in=ids, season=season).select_related(
            "ticket"
        )
    }


def short_name(member: Member) -> str:
    """First name and the last name's initial: enough for a tutor's list."""
    initial = f" {member.last_name[0]}." if member.last_name else ""
    return f"{member.first_name}{initial}"


def names_as_seen_by(user, members: Iterable[Member]) -> dict[int, str]:
    """Return each member's name, by id, as the user may read it: the full name where
    orchestra.policies.SEE_CHILD_FULL_NAME allows it, else the first name and an initial
    (a tutor's view). One query."""
    members = list(members)
    full = set(
        SEE_CHILD_FULL_NAME.filter(
            user, Member.objects.filter(pk__in=[member.pk for member in members])
        ).values_list("pk", flat=True)
    )
    return {
        member.pk: f"{member.first_name} {member.last_name}"
        if member.pk in full
        else short_name(member)
        for member in members
    }
