"""The orchestra's panels on the dashboard (core.dashboard): a guardian's children's next
sessions with coming / not coming, a tutor's sessions, a tour leader's checklists, and the
registrations waiting for the project leader.

Children's names appear on their own guardian's dashboard only (a private page); links and
forms carry a member's id, never a name.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dashboard
from orchestra import policies
from orchestra.models import AbsenceReason, Member
from orchestra.selectors.attendance import upcoming_for_members
from orchestra.selectors.dashboard import (
    next_sessions_of,
    offered_places_of,
    sessions_led_by,
    tour_checklists_led_by,
)
from orchestra.selectors.guardians import pending_registrations


def children_panel(user, now) -> dict | None:
    """Each child's next sessions (and the member's own, with their own login), with the
    sessions still without an answer counted, and the master class places offered."""
    members = policies.ANSWER_FOR_MEMBER.filter(user, Member.objects.all())
    children = next_sessions_of(upcoming_for_members(members, now=now))
    if not children:
        return None
    offered = offered_places_of([child.member.pk for child in children], now=now)
    for child in children:
        child.back_to = f"{reverse('core:dashboard')}#dash-child-{child.member.pk}"
        child.offered_places = offered.get(child.member.pk, 0)
    return {
        "children": children,
        "unanswered": sum(child.unanswered for child in children),
        "reasons": AbsenceReason.choices,
    }


def led_sessions_panel(user, now) -> dict | None:
    """The sessions the tutor leads today and next, with the answers given ahead."""
    day_start, day_end = dashboard.local_day_bounds(now)
    sessions = sessions_led_by(user, day_start=day_start, day_end=day_end)
    if not sessions:
        return None
    return {
        "today": [item for item in sessions if item.is_today],
        "next": [item for item in sessions if not item.is_today],
    }


def tours_panel(user, now) -> dict | None:
    """The checklists of the tours the user leads, counted: complete, and what is missing."""
    tours = tour_checklists_led_by(user, today=timezone.localdate(now))
    if not tours:
        return None
    return {"tours": tours, "may_open_tour_pages": policies.MANAGE_TOURS.admits(user)}


def registrations_panel(user, now) -> dict | None:
    """Applicants and trial requests waiting for a group."""
    waiting = pending_registrations().count()
    return {"waiting": waiting} if waiting else None


def register_panels() -> None:
    for key, title, template, policy, order, context, stylesheets in [
        (
            "orchestra.registrations",
            _("Orchestra registrations"),
            "orchestra/dashboard/registrations.html",
            policies.MANAGE_REGISTRATIONS,
            12,
            registrations_panel,
            (),
        ),
        (
            "orchestra.children",
            _("Coming sessions"),
            "orchestra/dashboard/children.html",
            policies.ANSWER_FOR_MEMBER,
            50,
            children_panel,
            ("orchestra/attendance.css",),
        ),
        (
            "orchestra.sessions",
            _("Your sessions"),
            "orchestra/dashboard/sessions.html",
            policies.LEAD_SESSIONS,
            60,
            led_sessions_panel,
            (),
        ),
        (
            "orchestra.tours",
            _("Tour checklists"),
            "orchestra/dashboard/tours.html",
            policies.LEAD_TOURS,
            65,
            tours_panel,
            (),
        ),
    ]:
        dashboard.register(
            key, title, template, policy, order=order, context=context, stylesheets=stylesheets
        )
