"""Orchestra pages: attendance.

- the leader's phone page per session: expected members, answers and leaves, tap to
  mark present, late, absent or excused, the scanner for the session's member cards,
  and a printable card list for members who forgot their card;
- the weekend overview; the leader's list of sessions;
- the guardian's absence page (also for a member with their own login): answers ahead
  and leaves of absence;
- printable member cards (QR), for staff and guardians, and the button that issues the
  missing ones (a POST: a page never issues a card by being shown);
- the season's attendance statistics, for staff.

Who may do what is declared in orchestra.policies: tutors reach only the sessions they
lead (TAKE_ATTENDANCE_AT_SESSION), staff all; anyone else gets a 404 for a session and a
403 for a leader's page (LEAD_SESSIONS). Tutors see a first name and an initial, staff
the full name (SEE_CHILD_FULL_NAME). URLs hold ids, never a child's name.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.policies import requires
from events.models import Event, Period, Programme
from orchestra.exceptions import OrchestraError
from orchestra.models import AbsenceReason, Attendance, LeaveOfAbsence, Member
from orchestra.policies import (
    ACT_FOR_CHILD,
    ANSWER_FOR_MEMBER,
    LEAD_SESSIONS,
    PRINT_MEMBER_CARDS,
    READ_ATTENDANCE_STATISTICS,
    SCAN_AT_SESSION,
    TAKE_ATTENDANCE_AT_SESSION,
)
from orchestra.reports import year_sentences
from orchestra.selectors import ATTENDING, members_with_status, session_plans
from orchestra.selectors.attendance import (
    cards_of,
    names_as_seen_by,
    season_statistics,
    session_board,
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


def _led_plan(request, pk, policy=TAKE_ATTENDANCE_AT_SESSION):
    """Return the plan of a session (by the session's id) through the policy; 404 for a
    session the user does not lead."""
    return policy.get_object(request, session_plans(), event_id=pk)


STATUS_LABELS = dict(Attendance.Status.choices)


def _display_rows(user, board) -> list[dict]:
    names = names_as_seen_by(user, [row.member for row in board.rows])
    return [
        {
            "row": row,
            "name": names[row.member.pk],
            "status_label": STATUS_LABELS[row.status],
        }
        for row in board.rows
    ]


# The leader's pages -------------------------------------------------------------------------


@requires(LEAD_SESSIONS, obj=None)
@require_safe
def attendance_index(request):
    """The sessions a user leads: today's and the next first, then the last weeks'."""
    today = timezone.localdate()
    plans = TAKE_ATTENDANCE_AT_SESSION.filter(request.user, session_plans()).filter(
        event__period__end__gte=today - timedelta(days=120)
    )
    upcoming = [plan for plan in plans if timezone.localtime(plan.event.end).date() >= today]
    past = [plan for plan in plans if timezone.localtime(plan.event.end).date() < today]
    return render(
        request,
        "orchestra/attendance/index.html",
        {
            "upcoming": upcoming[:30],
            "past": list(reversed(past))[:30],
            "may_read_statistics": READ_ATTENDANCE_STATISTICS.admits(request.user),
            "may_print_cards": PRINT_MEMBER_CARDS.admits(request.user),
        },
    )


@requires(TAKE_ATTENDANCE_AT_SESSION)
@require_safe
def session_attendance(request, pk):
    plan = _led_plan(request, pk)
    board = session_board(plan)
    rows = _display_rows(request.user, board)
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


@requires(TAKE_ATTENDANCE_AT_SESSION)
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


@requires(TAKE_ATTENDANCE_AT_SESSION)
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


@requires(SCAN_AT_SESSION)
@require_POST
def session_scanner(request, pk):
    """Open the scanner for the session's member cards (the list is made on first use)."""
    plan = _led_plan(request, pk, SCAN_AT_SESSION)
    checkin_list = services.session_checkin_list(plan)
    return redirect("ticketing:scanner", pk=checkin_list.pk)


@requires(TAKE_ATTENDANCE_AT_SESSION)
@require_safe
def session_sheet(request, pk):
    """A printable list of the session's expected members with their card QR codes, for
    the leader to scan a member who forgot their card; members without a card yet are
    listed with the button that issues the missing cards (session_sheet_issue)."""
    plan = _led_plan(request, pk)
    members = [row.member for row in session_board(plan).expected_rows]
    cards = cards_of(members, plan.event.period)
    names = names_as_seen_by(request.user, members)
    return render(
        request,
        "orchestra/attendance/sheet.html",
        {
            "session": plan.event,
            "rows": [
                {"name": names[member.pk], "card": cards.get(member.pk), "member": member}
                for member in members
            ],
            "missing": len(members) - len(cards),
        },
    )


@requires(TAKE_ATTENDANCE_AT_SESSION)
@require_POST
def session_sheet_issue(request, pk):
    """Issue the cards that the session's expected members miss; back to the card list."""
    plan = _led_plan(request, pk)
    members = [row.member for row in session_board(plan).expected_rows]
    issued = services.issue_missing_member_cards(
        members=members, season=plan.event.period, by=request.user
    )
    messages.success(request, _("Cards issued: %(count)d.") % {"count": len(issued)})
    return redirect("orchestra:session_sheet", pk=pk)


@requires(LEAD_SESSIONS)
@require_safe
def weekend_attendance(request, pk):
    weekend = LEAD_SESSIONS.get_object(
        request, Event.objects.filter(kind=Event.Kind.REHEARSAL_WEEKEND), pk=pk
    )
    overview = weekend_overview(
        weekend, TAKE_ATTENDANCE_AT_SESSION.filter(request.user, session_plans())
    )
    names = names_as_seen_by(request.user, overview.not_answered)
    return render(
        request,
        "orchestra/attendance/weekend.html",
        {
            "weekend": weekend,
            "boards": overview.boards,
            "not_answered": [names[member.pk] for member in overview.not_answered],
        },
    )


# The guardian's absence page ----------------------------------------------------------------


@requires(ANSWER_FOR_MEMBER, obj=None)
@require_safe
def absence(request):
    return _absence_page(request, opened=_int(request.GET.get("child")))


def _absence_page(request, *, opened: int = 0, error: dict | None = None):
    """Render the absence page, each member's section folded but the one `opened` or in
    `error` (a refused answer: the member, the form's weekend or session, the field, the
    message), which the page shows in a summary at the top and beside its field."""
    members = ANSWER_FOR_MEMBER.filter(request.user, Member.objects.all())
    schedules = upcoming_for_members(members)
    # Leaves of absence are the guardians' to set: not a member's own.
    leave_rights = set(ACT_FOR_CHILD.filter(request.user, members).values_list("pk", flat=True))
    return render(
        request,
        "orchestra/attendance/absence.html",
        {
            "schedules": schedules,
            "reasons": AbsenceReason.choices,
            "leave_rights": leave_rights,
            "today": timezone.localdate(),
            "opened": error["member"] if error else opened,
            "error": error,
        },
        status=400 if error else 200,
    )


def _absence_page_at(member_id: int) -> str:
    # The member's id, never a name, goes into the address.
    return reverse("orchestra:absence") + f"?child={member_id}#child-{member_id}"


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


@requires(ANSWER_FOR_MEMBER, obj=None)
@require_POST
def absence_reply(request):
    member = ANSWER_FOR_MEMBER.get_object(
        request, Member.objects.all(), pk=_int(request.POST.get("member"))
    )
    reply = request.POST.get("reply", "")
    reason = request.POST.get("reason", "")
    note = request.POST.get("note", "")[:300]
    weekend = session = None
    if request.POST.get("weekend"):
        weekend = get_object_or_404(Event, pk=_int(request.POST.get("weekend")))
    else:
        session = get_object_or_404(Event, pk=_int(request.POST.get("session")))
    try:
        if weekend:
            services.reply_for_weekend(
                member=member,
                weekend=weekend,
                reply=reply,
                reason=reason,
                note=note,
                by=request.user,
            )
        else:
            services.reply_for_session(
                member=member,
                session=session,
                reply=reply,
                reason=reason,
                note=note,
                by=request.user,
            )
    except OrchestraError as exc:
        form = f"w{weekend.pk}" if weekend else f"s{session.pk}"
        error = {
            "member": member.pk,
            "weekend": weekend.pk if weekend else 0,
            "session": session.pk if session else 0,
            "field": f"reason-{member.pk}-{form}",
            "message": str(exc),
        }
        return _absence_page(request, error=error)
    messages.success(request, _("Thank you, the answer is saved."))
    # The dashboard's forms come back to it (core.dashboard); any other address is ignored.
    back_to = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back_to)
    return redirect(_absence_page_at(member.pk))


@requires(ACT_FOR_CHILD, obj=None)
@require_POST
def leave_set(request):
    member = ACT_FOR_CHILD.get_object(
        request, Member.objects.all(), pk=_int(request.POST.get("member"))
    )
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
        error = {
            "member": member.pk,
            "leave": True,
            "field": f"leave-from-{member.pk}",
            "message": str(exc),
        }
        return _absence_page(request, error=error)
    messages.success(request, _("The leave of absence is saved."))
    return redirect(_absence_page_at(member.pk))


@requires(ACT_FOR_CHILD)
@require_POST
def leave_end(request, pk):
    leave = ACT_FOR_CHILD.get_object(request, LeaveOfAbsence.objects.all(), pk=pk)
    member_id = leave.member_id
    try:
        services.end_leave(leave=leave, by=request.user)
    except OrchestraError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The leave of absence is ended."))
    return redirect(_absence_page_at(member_id))


# Member cards -------------------------------------------------------------------------------


def _current_season(request) -> Period | None:
    seasons = Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA)
    chosen = _int(request.GET.get("season") or request.POST.get("season"))
    if chosen:
        return get_object_or_404(seasons, pk=chosen)
    today = timezone.localdate()
    return (
        seasons.filter(end__gte=today).order_by("start", "pk").first()
        or seasons.order_by("-start").first()
    )


def _card_members(request, season: Period) -> list[Member]:
    """Return the members whose cards the page shows: the attending members of the
    season's groups that PRINT_MEMBER_CARDS lets the user print (staff all, a guardian
    their children), or the one member the query names."""
    members = PRINT_MEMBER_CARDS.filter(
        request.user,
        members_with_status(
            ATTENDING,
            Member.objects.filter(
                memberships__group__season=season, anonymised_at__isnull=True
            ).distinct(),
        ),
    )
    chosen = request.GET.get("member") or request.POST.get("member")
    if chosen:
        members = members.filter(pk=_int(chosen))
    return list(members.order_by("first_name", "last_name", "pk"))


def _season_or_404(request) -> Period:
    season = _current_season(request)
    if season is None:
        raise Http404
    return season


@requires(PRINT_MEMBER_CARDS, obj=None)
@require_safe
def member_cards(request):
    """Printable QR cards of a season: staff for the members of its groups (or one member),
    a guardian for their children. The cards not issued yet are issued by the page's
    button (member_cards_issue)."""
    season = _season_or_404(request)
    members = _card_members(request, season)
    cards = cards_of(members, season)
    return render(
        request,
        "orchestra/attendance/cards.html",
        {
            "season": season,
            "cards": [{"member": member, "card": cards.get(member.pk)} for member in members],
            "missing": len(members) - len(cards),
            "chosen_member": request.GET.get("member", ""),
        },
    )


@requires(PRINT_MEMBER_CARDS, obj=None)
@require_POST
def member_cards_issue(request):
    """Issue the missing cards of the members the card page shows; back to the page."""
    season = _season_or_404(request)
    issued = services.issue_missing_member_cards(
        members=_card_members(request, season), season=season, by=request.user
    )
    messages.success(request, _("Cards issued: %(count)d.") % {"count": len(issued)})
    query = {"season": season.pk}
    if request.POST.get("member"):
        query["member"] = _int(request.POST.get("member"))
    return redirect(f"{reverse('orchestra:member_cards')}?{urlencode(query)}")


# Statistics ---------------------------------------------------------------------------------


@requires(READ_ATTENDANCE_STATISTICS, obj=None)
@require_safe
def attendance_statistics(request):
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
    path(
        "orkester/okt/<int:pk>/kortliste/utsted/",
        session_sheet_issue,
        name="session_sheet_issue",
    ),
    path("orkester/helg/<int:pk>/oppmote/", weekend_attendance, name="weekend_attendance"),
    path("orkester/medlemskort/", member_cards, name="member_cards"),
    path("orkester/medlemskort/utsted/", member_cards_issue, name="member_cards_issue"),
    path("foresatt/fravaer/", absence, name="absence"),
    path("foresatt/fravaer/svar/", absence_reply, name="absence_reply"),
    path("foresatt/fravaer/permisjon/", leave_set, name="leave_set"),
    path("foresatt/fravaer/permisjon/<int:pk>/avslutt/", leave_end, name="leave_end"),
    path("stab/orkester/oppmote/", attendance_statistics, name="attendance_statistics"),
]
