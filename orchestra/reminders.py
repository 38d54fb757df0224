"""The orchestra's reminders, sent by send_due_messages (core.due): guardians (and members
with their own login) who have not answered for a rehearsal weekend,
WEEKEND_REPLY_REMINDER_HOURS before it starts.

A guardian gets one reminder per weekend naming their own children who have not answered
(never another child); a member with their own login gets their own, naming no one else.
Each is keyed by the person (guardian or member: erased with them), the weekend and its
start, so it goes once (a moved weekend is
reminded again)."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.due import Upcoming, due_sender
from core.reminders import remind, render_email, when
from events.models import Event
from orchestra.models import Guardianship, Member
from orchestra.selectors.attendance import boards_for, weekend_overview
from orchestra.selectors.sessions import session_plans

WEEKENDS = "orchestra.weekend_reply_reminders"


def _ahead() -> timedelta:
    return timedelta(hours=settings.WEEKEND_REPLY_REMINDER_HOURS)


def _weekends(start_after: datetime, start_until: datetime):
    return Event.objects.filter(
        kind=Event.Kind.REHEARSAL_WEEKEND,
        status=Event.Status.SCHEDULED,
        start__gt=start_after,
        start__lte=start_until,
    ).order_by("start", "pk")


def unanswered_by_person(weekend: Event, *, today) -> list[tuple[object, list[Member]]]:
    """Whom to remind about ``weekend``: (guardian or member, the members they answer for
    who have not answered), one entry per person."""
    members = weekend_overview(weekend).not_answered
    if not members:
        return []
    ids = [member.pk for member in members]
    by_guardian: dict[int, list[Member]] = defaultdict(list)
    guardians = {}
    for link in (
        Guardianship.objects.filter(member_id__in=ids)
        .select_related("guardian", "guardian__user")
        .order_by("guardian_id", "member_id")
    ):
        guardians[link.guardian_id] = link.guardian
        by_guardian[link.guardian_id].append(
            next(member for member in members if member.pk == link.member_id)
        )
    found = [
        (guardians[pk], sorted(children, key=lambda m: (m.first_name, m.pk)))
        for pk, children in by_guardian.items()
    ]
    own = Member.objects.filter(pk__in=ids, user__isnull=False).select_related("user")
    for member in own:
        if member.user.email and member.may_have_own_login_on(today):
            found.append((member, [member]))
    return found


@due_sender(
    WEEKENDS,
    order=200,
    label=gettext_lazy("Rehearsal weekends not answered"),
    upcoming=lambda now, until: upcoming_weekend_reminders(now, until),
)
def remind_unanswered_weekends(now: datetime) -> int:
    """Remind whoever has not answered for a rehearsal weekend starting within
    WEEKEND_REPLY_REMINDER_HOURS, once per person and weekend."""
    queued = 0
    today = timezone.localdate(now)
    url = settings.SITE_URL + reverse("core:dashboard")
    for weekend in _weekends(now, now + _ahead()).select_related("venue"):
        for person, members in unanswered_by_person(weekend, today=today):
            is_member = isinstance(person, Member)
            login = person.user if person.user_id else None
            target = login if login is not None and login.email else person.email

            def email(address, weekend=weekend, members=members, is_member=is_member):
                return render_email(
                    to=address,
                    subject=_("Coming to the rehearsal weekend? %(start)s")
                    % {"start": when(weekend.start, short=True)},
                    template="orchestra/email/weekend_reminder",
                    context={
                        "weekend": weekend,
                        "start": when(weekend.start),
                        "names": [member.first_name for member in members],
                        "own": is_member,
                        "url": url,
                    },
                )

            def sms(weekend=weekend, members=members, is_member=is_member):
                if is_member:
                    return _(
                        "Ungdomssymfonikerne: you have not answered for the rehearsal weekend "
                        "%(start)s. Answer here: %(url)s"
                    ) % {"start": when(weekend.start, short=True), "url": url}
                return _(
                    "Ungdomssymfonikerne: no answer yet for %(names)s for the rehearsal "
                    "weekend %(start)s. Answer here: %(url)s"
                ) % {
                    "names": ", ".join(member.first_name for member in members),
                    "start": when(weekend.start, short=True),
                    "url": url,
                }

            queued += remind(
                target,
                kind="orchestra.weekend_reminder",
                about=person,
                occasion=f"weekend-{weekend.pk}:start-{weekend.start:%Y%m%d%H%M}",
                email=email,
                sms=sms,
            )
    return queued


def upcoming_weekend_reminders(now: datetime, until: datetime) -> list[Upcoming]:
    """The weekends whose reminder falls between now and ``until``, with the guardians and
    members who would be reminded if nobody answers meanwhile (a fixed number of queries)."""
    weekends = list(_weekends(now + _ahead(), until + _ahead()))
    if not weekends:
        return []
    ids = [weekend.pk for weekend in weekends]
    plans = session_plans().filter(Q(event__parent_id__in=ids) | Q(event_id__in=ids))
    missing: dict[int, set[int]] = defaultdict(set)
    for board in boards_for(plans):
        weekend_id = board.session.parent_id or board.session.pk
        missing[weekend_id].update(row.member.pk for row in board.not_answered)
    members = set().union(*missing.values())
    guardians_of: dict[int, set[int]] = defaultdict(set)
    for member_id, guardian_id in Guardianship.objects.filter(member_id__in=members).values_list(
        "member_id", "guardian_id"
    ):
        guardians_of[member_id].add(guardian_id)
    own = set(
        Member.objects.filter(pk__in=members, user__isnull=False).values_list("pk", flat=True)
    )
    found = []
    for weekend in weekends:
        ids = missing.get(weekend.pk, set())
        people = len(set().union(*(guardians_of[pk] for pk in ids))) + len(ids & own)
        if people:
            found.append(
                Upcoming(
                    sender=WEEKENDS,
                    what=_("Rehearsal weekend not answered: %(weekend)s")
                    % {"weekend": weekend.title},
                    at=weekend.start - _ahead(),
                    recipients=people,
                )
            )
    return found
