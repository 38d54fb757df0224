"""Public pages of the events core: thin views over selectors."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.policies import requires
from core.stamps import Unchanged
from events.embed import embeddable
from events.filters import EventFilter
from events.forms import EventChangeForm
from events.models import Event, Period, Programme, Venue
from events.notices import pending_notice, preview_change
from events.panels import event_panels, period_links, programme_panels
from events.policies import MANAGE_EVENTS, READ_ANNUAL_REPORT, SEE_EVENT, SEE_PUBLIC_PAGES
from events.reports import annual_report
from events.selectors import (
    current_periods,
    events_visible_to,
    listed_events,
    public_events,
    upcoming_events,
    upcoming_rehearsal_weekends,
    visibilities_for,
)
from events.services import change_event
from events.stamps import event_list_stamps

EVENTS_PER_PAGE = 50
WEEKENDS_SHOWN = 10


@requires(SEE_PUBLIC_PAGES, obj=None)
def home(request):
    return render(
        request,
        "events/home.html",
        {
            "periods": current_periods(),
            "next_events": upcoming_events(events_visible_to(request.user))[:10],
            "programmes": Programme.objects.order_by("name"),
        },
    )


@requires(SEE_PUBLIC_PAGES, obj=None)
def programme_detail(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    events = events_visible_to(request.user).filter(period__programme=programme)
    return render(
        request,
        "events/programme_detail.html",
        {
            "programme": programme,
            "periods": period_links(programme.periods.order_by("-start")),
            "next_events": upcoming_events(events).filter(parent__isnull=True)[:20],
            "weekends": upcoming_rehearsal_weekends(programme)[:WEEKENDS_SHOWN],
            "panels": programme_panels(request, programme),
            "feed_url": reverse("events:programme_feed", args=[programme.slug]),
        },
    )


@requires(SEE_PUBLIC_PAGES, obj=None)
def event_list(request):
    data = request.GET.copy()
    today = timezone.localdate()
    # Without a date range the list starts today rather than in 2007.
    if not data.get("date_from") and not data.get("date_to"):
        data["date_from"] = today.isoformat()

    def listing():
        event_filter = EventFilter(data, queryset=listed_events(request.user))
        page = Paginator(event_filter.qs, EVENTS_PER_PAGE).get_page(data.get("page"))
        query = data.copy()
        query.pop("page", None)
        return render_to_string(
            "events/_event_list.html",
            {
                "filter": event_filter,
                "page": page,
                "query": query.urlencode(),
                # Open the filters when the visitor chose any (or one is wrong).
                "filtered": bool(set(request.GET) & set(event_filter.filters))
                or bool(event_filter.errors),
            },
        )

    # The filter form and the page of events are most of the page's cost (the rows and
    # the form's selects): they are rendered again only when a write bumps one of their
    # change stamps (events.stamps). Besides those (and the language) they depend only on the
    # parameters as given (the form shows them back, the page links carry them), today's
    # date and what the user may see.
    key = (
        "events:event_list",
        today.isoformat(),
        tuple(str(visibility) for visibility in visibilities_for(request.user)),
        data.urlencode(),
    )
    return render(
        request,
        "events/event_list.html",
        {"listing": Unchanged(event_list_stamps()).get(key, build=listing)},
    )


@requires(SEE_EVENT)
def event_detail(request, pk):
    event = SEE_EVENT.get_object(request, events_visible_to(request.user), pk=pk)
    sessions = events_visible_to(request.user).filter(parent=event).order_by("start")
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "sessions": sessions,
            "panels": event_panels(request, event),
            "may_change": MANAGE_EVENTS.admits(request.user),
        },
    )


@requires(SEE_PUBLIC_PAGES, obj=None)
def venue_detail(request, pk):
    venue = get_object_or_404(Venue.objects.select_related("municipality"), pk=pk)
    events = upcoming_events(events_visible_to(request.user).filter(venue=venue))[:50]
    return render(
        request,
        "events/venue_detail.html",
        {
            "venue": venue,
            "next_events": events,
            "has_public_events": public_events().filter(venue=venue).exists(),
            "feed_url": reverse("events:venue_feed", args=[venue.pk]),
        },
    )


EMBED_EVENTS_SHOWN = 8


def _embed(request, *, heading, events, more_url):
    return render(
        request,
        "events/embed.html",
        {
            "heading": heading,
            "events": [
                (event, request.build_absolute_uri(event.get_absolute_url()))
                for event in upcoming_events(events).filter(parent__isnull=True)[
                    :EMBED_EVENTS_SHOWN
                ]
            ],
            "more_url": request.build_absolute_uri(more_url),
        },
    )


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
@embeddable
def programme_embed(request, slug):
    """A programme's next public events, to show in an iframe on another website."""
    programme = get_object_or_404(Programme, slug=slug)
    return _embed(
        request,
        heading=programme.name,
        events=public_events().filter(period__programme=programme),
        more_url=programme.get_absolute_url(),
    )


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
@embeddable
def venue_embed(request, pk):
    """A venue's next public events, to show in an iframe on another website."""
    venue = get_object_or_404(Venue, pk=pk)
    return _embed(
        request,
        heading=venue.name,
        events=public_events().filter(venue=venue),
        more_url=venue.get_absolute_url(),
    )


@requires(READ_ANNUAL_REPORT, obj=None)
def annual_report_page(request, year=None):
    """The figures of every programme for the annual report of a year, ready to print."""
    years = sorted(
        {day.year for day in Period.objects.values_list("start", flat=True)}, reverse=True
    )
    if year is None:
        past = [known for known in years if known <= timezone.localdate().year]
        year = past[0] if past else timezone.localdate().year
    return render(
        request,
        "events/annual_report.html",
        {"year": year, "years": years, "sections": annual_report(year)},
    )


@requires(MANAGE_EVENTS)
@require_http_methods(["GET", "POST"])
def change_event_page(request, pk):
    """Change an event's time, place or status: first a preview of who will be told, then
    save and tell them, or save quietly (a typo corrected)."""
    event = MANAGE_EVENTS.get_object(
        request, Event.objects.select_related("venue", "parent", "period"), pk=pk
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = EventChangeForm.for_event(event, request.POST if action else None)
    preview = None
    if action in ("preview", "notify", "quiet") and form.is_valid():
        if not form.has_any_change(event):
            form.add_error(None, _("Nothing is changed."))
        elif action in ("notify", "quiet"):
            change_event(event=event, by=request.user, quiet=action == "quiet", **form.cleaned_data)
            if action == "quiet":
                messages.success(request, _("Saved. Nobody is told."))
            else:
                messages.success(request, _("Saved. Everyone concerned will be told."))
            return redirect("events:change_event", pk=event.pk)
        elif action == "preview":
            preview = preview_change(event, **form.cleaned_data)
    return render(
        request,
        "events/change_event.html",
        {
            "event": event,
            "form": form,
            "preview": preview,
            "pending": pending_notice(event),
        },
    )
