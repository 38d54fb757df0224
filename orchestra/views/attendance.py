"""Orchestra pages: attendance.

- the leader's phone page per session: expected members, answers and leaves, tap to
  mark present, late, absent or excused, the scanner for the session's member cards,
  and a printable card list for members who forgot their card;
- the weekend overview; the leader's list of sessions;
- the guardian's absence page (also for a member with their own login): answers ahead
  and leaves of absence;
- printable member cards (QR), for staff and guardians;
- the season's attendance statistics, for staff.

Tutors reach only the sessions they lead (SessionPlan.tutors), staff all; anyone else
gets a 404 for a session and a 403 for a leader's page. Tutors see a first name and an
initial, staff the full name. URLs hold ids, never a child's name.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.roles import Role, has_role
from events.models import Event, Period, Programme
from orchestra.exceptions import OrchestraError
from orchestra.models import AbsenceReason, Attendance, Guardianship, LeaveOfAbsence, Member
from orchestra.reports import year_sentences
from orchestra.selectors import (
    ATTENDING,
    is_orchestra_staff,
    members_visible_to,
    members_with_status,
)
from orchestra.selectors import members as member_selectors
from orchestra.selectors.attendance import (
    cards_of,
    plans_led_by,
    season_statistics,
    session_board,
    short_name,
    upcoming_for_members,
    weekend_overview,
)
from orchestra.selectors.figures import orchestra_figures
from orchestra.services import attendance as services

MARKABLE = [
    (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label),
    (Attendance.Status.LATE, Attendance.Status.LATE.label),
    (Attendance.Status.ABSENT, Attendance.Status.ABSENT.label),
    (Attendance.Status.EXCUSED, Attendance.Status.EXCUSED.label),
]


def _leader_or_403(user) -> None:
    if not (is_orchestra_staff(user) or plans_led_by(user).exists()):
        raise PermissionDenied


def _led_plan(request, pk):
    """Return the plan of a session the user leads; 404 for any other."""
    return get_object_or_404(plans_led_by(request.user), event_id=pk)


STATUS_LABELS = dict(Attendance.Status.choices)


def _name(member: Member, *, full_names: bool) -> str:
    return f"{member.first_name} {member.last_name}" if full_names else short_name(member)


def _display_rows(board, *, full_names: bool) -> list[dict]:
    return [
        {
            "row": row,
            "name": _name(row.member, full_names=full_names),
            "status_label": STATUS_LABELS[row.status],
        }
        for row in board.rows
    ]


# The leader's pages -------------------------------------------------------------------------


@login_required
@require_safe
def attendance_index(request):
    """The sessions a user leads: today's and the next first, then the last weeks'."""
    _leader_or_403(request.user)
    today = timezone.localdate()
    plans = plans_led_by(request.user).filter(event__period__end__gte=today - timedelta(days=120))
    upcoming = [plan for plan in plans if timezone.localtime(plan.event.end).date() >= today]
    past = [plan for plan in plans if timezone.localtime(plan.event.end).date() < today]
    return render(
        request,
        "orchestra/attendance/index.html",
        {
            "upcoming": upcoming[:30],
            "past": list(reversed(past))[:30],
            "staff": is_orchestra_staff(request.user),
        },
    )


@login_required
@require_safe
def session_attendance(request, pk):
    plan = _led_plan(request, pk)
    board = session_board(plan)
    rows = _display_rows(board, full_names=is_orchestra_staff(request.user))
    return render(
        request,
        "orchestra/attendance/session.html",
        {
            "plan": plan,
            "session": plan.event,
            "board": board,
            "rows": rows,
            "not_answered": [
                item for item in rows if item["row"].expected and not item["row"].answered
            ],
            "counts": board.counts,
            "markable": MARKABLE,
            "may_record": timezone.localtime(plan.event.start).date() <= timezone.localdate(),
        },
    )


@login_required
@require_POST
def session_attendance_mark(request, pk):
    """Record one member's status; JSON for the page's script, a redirect without it."""
    plan = _led_plan(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    member = Member.objects.filter(pk=_int(request.POST.get("member"))).first()
    try:
        if member is None:
            raise OrchestraError(_("No such member."))
        row = services.record_attendance(
            session=plan.event,
            member=member,
            status=request.POST.get("status", ""),
            by=request.user,
        )
    except OrchestraError as exc:
        if wants_json:
            return JsonResponse({"detail": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect("orchestra:session_attendance", pk=pk)
    if wants_json:
        counts = session_board(plan).counts
        return JsonResponse(
            {
                "member": member.pk,
                "status": row.status,
                "status_label": row.get_status_display(),
                "counts": counts,
            }
        )
    return redirect(reverse("orchestra:session_attendance", args=[pk]) + f"#member-{member.pk}")


@login_required
@require_POST
def session_attendance_close(request, pk):
    plan = _led_plan(request, pk)
    try:
        count = services.close_session(session=plan.event, by=request.user)
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(count)d without a record were marked absent or excused.") % {"count": count},
        )
    return redirect("orchestra:session_attendance", pk=pk)


@login_required
@require_POST
def session_scanner(request, pk):
    """Open the scanner for the session's member cards (the list is made on first use)."""
    plan = _led_plan(request, pk)
    if not (is_orchestra_staff(request.user) or has_role(request.user, Role.TUTOR)):
        raise PermissionDenied
    checkin_list = services.session_checkin_list(plan)
    return redirect("ticketing:scanner", pk=checkin_list.pk)


@login_required
@require_safe
def session_sheet(request, pk):
    """A printable list of the session's expected members with their card QR codes, for
    the leader to scan a member who forgot their card. Cards are issued on first view."""
    plan = _led_plan(request, pk)
    board = session_board(plan)
    season = plan.event.period
    members = [row.member for row in board.expected_rows]
    cards = cards_of(members, season)
    for member in members:
        if member.pk not in cards:
            cards[member.pk] = services.issue_member_card(
                member=member, season=season, by=request.user
            )
    full_names = is_orchestra_staff(request.user)
    return render(
        request,
        "orchestra/attendance/sheet.html",
        {
            "session": plan.event,
            "rows": [
                {
                    "name": _name(member, full_names=full_names),
                    "card": cards[member.pk],
                    "member": member,
                }
                for member in members
            ],
        },
    )


@login_required
@require_safe
def weekend_attendance(request, pk):
    _leader_or_403(request.user)
    weekend = get_object_or_404(Event, pk=pk, kind=Event.Kind.REHEARSAL_WEEKEND)
    overview = weekend_overview(weekend, plans_led_by(request.user))
    if not overview.boards:
        raise PermissionDenied
    full_names = is_orchestra_staff(request.user)
    return render(
        request,
        "orchestra/attendance/weekend.html",
        {
            "weekend": weekend,
            "boards": overview.boards,
            "not_answered": [
                _name(member, full_names=full_names) for member in overview.not_answered
            ],
        },
    )


# The guardian's absence page ----------------------------------------------------------------


def _answering_for(user):
    """Return the members a user answers for: their children, and themself."""
    if user is None or not user.is_authenticated:
        return Member.objects.none()
    return members_visible_to(user).filter(
        Q(pk__in=Guardianship.objects.filter(guardian__user=user).values("member_id"))
        | Q(user=user),
        anonymised_at__isnull=True,
    )


@login_required
@require_safe
def absence(request):
    members = _answering_for(request.user)
    guardian = member_selectors.guardian_of(request.user)
    if guardian is None and not members.exists():
        raise PermissionDenied
    schedules = upcoming_for_members(members)
    leave_rights = set(
        Guardianship.objects.filter(guardian__user=request.user).values_list("member_id", flat=True)
    )
    return render(
        request,
        "orchestra/attendance/absence.html",
        {
            "schedules": schedules,
            "reasons": AbsenceReason.choices,
            "leave_rights": leave_rights,
            "today": timezone.localdate(),
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@require_POST
def absence_reply(request):
    member = get_object_or_404(_answering_for(request.user), pk=_int(request.POST.get("member")))
    reply = request.POST.get("reply", "")
    reason = request.POST.get("reason", "")
    note = request.POST.get("note", "")[:300]
    try:
        if request.POST.get("weekend"):
            weekend = get_object_or_404(Event, pk=_int(request.POST.get("weekend")))
            services.reply_for_weekend(
                member=member,
                weekend=weekend,
                reply=reply,
                reason=reason,
                note=note,
                by=request.user,
            )
        else:
            session = get_object_or_404(Event, pk=_int(request.POST.get("session")))
            services.reply_for_session(
                member=member,
                session=session,
                reply=reply,
                reason=reason,
                note=note,
                by=request.user,
            )
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you, the answer is saved."))
    return redirect(reverse("orchestra:absence") + f"#child-{member.pk}")


@login_required
@require_POST
def leave_set(request):
    member = get_object_or_404(_answering_for(request.user), pk=_int(request.POST.get("member")))
    starts_on = _date(request.POST.get("starts_on"))
    ends_on = _date(request.POST.get("ends_on"))
    try:
        if starts_on is None or ends_on is None:
            raise OrchestraError(_("Give the first and the last day of the leave."))
        services.set_leave(
            member=member,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", "")[:300],
            by=request.user,
        )
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The leave of absence is saved."))
    return redirect(reverse("orchestra:absence") + f"#child-{member.pk}")


@login_required
@require_POST
def leave_end(request, pk):
    leave = get_object_or_404(
        LeaveOfAbsence.objects.filter(member__in=_answering_for(request.user)), pk=pk
    )
    member_id = leave.member_id
    try:
        services.end_leave(leave=leave, by=request.user)
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The leave of absence is ended."))
    return redirect(reverse("orchestra:absence") + f"#child-{member_id}")


# Member cards -------------------------------------------------------------------------------


def _current_season(request) -> Period | None:
    seasons = Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA)
    chosen = _int(request.GET.get("season"))
    if chosen:
        return get_object_or_404(seasons, pk=chosen)
    today = timezone.localdate()
    return (
        seasons.filter(end__gte=today).order_by("start", "pk").first()
        or seasons.order_by("-start").first()
    )


@login_required
@require_safe
def member_cards(request):
    """Printable QR cards: staff for the members of a season's groups (or one member),
    a guardian for their children. A card is issued the first time it is shown."""
    season = _current_season(request)
    if season is None:
        raise PermissionDenied
    staff = is_orchestra_staff(request.user)
    if staff:
        members = members_with_status(
            ATTENDING,
            Member.objects.filter(
                memberships__group__season=season, anonymised_at__isnull=True
            ).distinct(),
        )
    else:
        members = members_visible_to(request.user).filter(
            guardianships__guardian__user=request.user, anonymised_at__isnull=True
        )
        if not members.exists():
            raise PermissionDenied
    if request.GET.get("member"):
        members = members.filter(pk=_int(request.GET.get("member")))
    members = list(members.order_by("first_name", "last_name", "pk"))
    cards = cards_of(members, season)
    for member in members:
        if member.pk not in cards:
            cards[member.pk] = services.issue_member_card(
                member=member, season=season, by=request.user
            )
    return render(
        request,
        "orchestra/attendance/cards.html",
        {
            "season": season,
            "cards": [{"member": member, "card": cards[member.pk]} for member in members],
        },
    )


# Statistics ---------------------------------------------------------------------------------


@login_required
@require_safe
def attendance_statistics(request):
    if not is_orchestra_staff(request.user):
        raise PermissionDenied
    season = _current_season(request)
    seasons = Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA).order_by("-start")
    statistics = season_statistics(season) if season else None
    figures = None
    if season is not None:
        last_day = min(season.end, timezone.localdate())
        figures = orchestra_figures(season.programme, season.start, last_day)
    return render(
        request,
        "orchestra/attendance/statistics.html",
        {
            "season": season,
            "seasons": seasons,
            "statistics": statistics,
            "figures": figures,
            "sentences": year_sentences(figures, at=f"per {figures.last_day:%d.%m.%Y}")
            if figures
            else [],
        },
    )


urlpatterns = [
    path("orkester/oppmote/", attendance_index, name="attendance_index"),
    path("orkester/okt/<int:pk>/oppmote/", session_attendance, name="session_attendance"),
    path(
        "orkester/okt/<int:pk>/oppmote/merk/",
        session_attendance_mark,
        name="session_attendance_mark",
    ),
    path(
        "orkester/okt/<int:pk>/oppmote/avslutt/",
        session_attendance_close,
        name="session_attendance_close",
    ),
    path("orkester/okt/<int:pk>/skanner/", session_scanner, name="session_scanner"),
    path("orkester/okt/<int:pk>/kortliste/", session_sheet, name="session_sheet"),
    path("orkester/helg/<int:pk>/oppmote/", weekend_attendance, name="weekend_attendance"),
    path("orkester/medlemskort/", member_cards, name="member_cards"),
    path("foresatt/fravaer/", absence, name="absence"),
    path("foresatt/fravaer/svar/", absence_reply, name="absence_reply"),
    path("foresatt/fravaer/permisjon/", leave_set, name="leave_set"),
    path("foresatt/fravaer/permisjon/<int:pk>/avslutt/", leave_end, name="leave_end"),
    path("stab/orkester/oppmote/", attendance_statistics, name="attendance_statistics"),
]
