"""Reads for the orchestra's dashboard panels (orchestra.dashboard): each in a fixed number
of queries, whatever the number of sessions, children or participants."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q

from events.models import Event
from orchestra.models import Attendance, ConsentText, MasterClassSignUp
from orchestra.models.tours import Tour, TourParticipant
from orchestra.selectors.attendance import ChildSchedule, ChildSession
from orchestra.selectors.consents import standing_consents
from orchestra.selectors.sessions import session_plans
from orchestra.selectors.tours import checklist_of, tours_led_by, tours_with_details
from ticketing.models import Registration

# How many sessions a panel lists at most (per child on the guardian's).
NEXT_SESSIONS = 3
LED_SESSIONS = 6


@dataclass
class ChildNext:
    """One child's next sessions on the guardian's dashboard."""

    schedule: ChildSchedule
    sessions: list[ChildSession]
    # Where the child's answer forms lead back to (the dashboard, at this child).
    back_to: str = ""
    # Master class places offered from the waitlist, waiting for an answer.
    offered_places: int = 0

    @property
    def member(self):
        return self.schedule.member

    @property
    def unanswered(self) -> int:
        return self.schedule.unanswered

    @property
    def later(self) -> int:
        """Count the coming sessions after the ones shown."""
        total = sum(len(sessions) for _weekend, sessions in self.schedule.weekends)
        return total - len(self.sessions)


def next_sessions_of(
    schedules: list[ChildSchedule], *, limit: int = NEXT_SESSIONS
) -> list[ChildNext]:
    """Return each child's first ``limit`` coming sessions (upcoming_for_members)."""
    found = []
    for schedule in schedules:
        sessions = [item for _weekend, items in schedule.weekends for item in items]
        sessions.sort(key=lambda item: (item.plan.event.start, item.plan.pk))
        found.append(ChildNext(schedule=schedule, sessions=sessions[:limit]))
    return found


def offered_places_of(member_ids, *, now: datetime) -> dict[int, int]:
    """Return, per member id, the master class places offered to them from the waitlist
    that they have not taken or declined yet, and that have not expired. One query."""
    return dict(
        MasterClassSignUp.objects.filter(
            member_id__in=list(member_ids),
            registration__state=Registration.State.WAITLISTED,
            registration__waitlist_offer_expires_at__gt=now,
            registration__waitlist_offer_declined=False,
        )
        .values("member_id")
        .annotate(offered=Count("pk"))
        .values_list("member_id", "offered")
        .order_by()
    )


@dataclass
class LedSession:
    plan: object  # SessionPlan
    is_today: bool
    coming: int = 0
    not_coming: int = 0


def sessions_led_by(user, *, day_start: datetime, day_end: datetime, limit: int = LED_SESSIONS):
    """Return the scheduled sessions the user is a tutor of from today on, today's first,
    with the answers given ahead (coming, not coming). Two queries and the plans' prefetch."""
    plans = list(
        session_plans()
        .filter(tutors=user, event__end__gte=day_start, event__status=Event.Status.SCHEDULED)
        .order_by("event__start", "pk")[:limit]
    )
    answers = {
        row["session_id"]: row
        for row in Attendance.objects.filter(session_id__in=[plan.event_id for plan in plans])
        .values("session_id")
        .annotate(
            coming=Count("pk", filter=Q(reply=Attendance.Reply.COMING)),
            not_coming=Count("pk", filter=Q(reply=Attendance.Reply.NOT_COMING)),
        )
        .order_by()
    }
    return [
        LedSession(
            plan=plan,
            is_today=plan.event.start < day_end,
            coming=answers.get(plan.event_id, {}).get("coming", 0),
            not_coming=answers.get(plan.event_id, {}).get("not_coming", 0),
        )
        for plan in plans
    ]


@dataclass
class TourChecklists:
    tour: Tour
    window_open: bool
    participants: int = 0
    complete: int = 0
    missing: Counter = field(default_factory=Counter)

    @property
    def incomplete(self) -> int:
        return self.participants - self.complete

    @property
    def missing_items(self) -> list[tuple[str, int]]:
        return sorted(self.missing.items(), key=lambda item: (-item[1], item[0]))


def tour_checklists_led_by(user, *, today: date) -> list[TourChecklists]:
    """Return the tours the user leads that have not ended, each with how many of its
    participants' checklists are complete and what is missing, counted (no names). Three
    queries, whatever the number of tours and participants."""
    tours = [
        tour
        for tour in tours_with_details(tours_led_by(user)).order_by("event__start", "pk")
        if tour.last_day >= today
    ]
    if not tours:
        return []
    by_tour: dict[int, list[TourParticipant]] = defaultdict(list)
    for participant in TourParticipant.objects.filter(tour__in=tours).select_related("member"):
        by_tour[participant.tour_id].append(participant)
    consented: dict[int, set[int]] = defaultdict(set)
    for member_id, tour_id in TourParticipant.objects.filter(
        tour__in=tours,
        member__in=standing_consents(ConsentText.Kind.TRAVEL).values("member_id"),
    ).values_list("member_id", "tour_id"):
        consented[tour_id].add(member_id)
    found = []
    for tour in tours:
        row = TourChecklists(tour=tour, window_open=tour.leader_window_open_on(today))
        for participant in by_tour[tour.pk]:
            checklist = checklist_of(participant, tour, consented=consented[tour.pk])
            row.participants += 1
            row.complete += checklist.complete
            row.missing.update(checklist.missing)
        found.append(row)
    return found
