"""Orchestra pages: calendars.

- /calendar/private/<token>.ics: a guardian's (or a member's own) private feed. The
  token is the only key: no login, since calendar apps send none.
- /calendar/group/<id>.ics: a group's public feed, without any names.
- /foresatt/kalender/ and /meg/kalender/: the owner's page to make, list and stop
  their private links; /orkester/kalendere/: the groups' public feeds.

A new token is kept in the owner's session only from the POST that made it to the page
that shows it (the redirect after the POST); that page pops it, so it is shown once.
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.policies import requires
from events.feeds import entries_response, feed_language
from orchestra.exceptions import OrchestraError
from orchestra.forms.guardians import CalendarLinkForm
from orchestra.models import Group, Guardian, hash_calendar_token
from orchestra.policies import (
    ACT_AS_GUARDIAN,
    HOLDS_CALENDAR_LINK,
    OWN_MEMBER_PAGES,
    SEE_GROUP_CALENDARS,
)
from orchestra.selectors import guardian_of, member_of
from orchestra.selectors.calendars import (
    calendar_by_token,
    calendar_tokens_of,
    group_feed_entries,
    private_calendar_entries,
    private_feed_entries,
    public_groups,
)
from orchestra.services.calendars import (
    create_calendar_token,
    note_calendar_use,
    revoke_calendar_token,
)

NEW_TOKEN_SESSION_KEY = "orchestra_new_calendar_token"  # noqa: S105 (a session key)
UPCOMING_SHOWN = 10


# Feeds ----------------------------------------------------------------------------------


def _unlogged(response):
    # Django logs every 4xx answer with its path (django.request), and this path holds a
    # secret, or a guess at one: mark the answer as logged already.
    response._has_been_logged = True
    return response


@requires(HOLDS_CALENDAR_LINK, obj=None)
def private_feed(request, token):
    """Subscribe to a guardian's children's (or a member's own) orchestra calendar."""
    # Not @require_safe: it logs the path of a refused method.
    if request.method not in ("GET", "HEAD"):
        return _unlogged(HttpResponseNotAllowed(["GET", "HEAD"]))
    calendar = calendar_by_token(token)
    if calendar is None:
        return _unlogged(HttpResponseNotFound(b"Not found", content_type="text/plain"))
    note_calendar_use(calendar=calendar)
    owner = calendar.guardian or calendar.member
    with translation.override(feed_language(request)):
        feed = private_feed_entries(owner)
        if isinstance(owner, Guardian):
            name = _("The orchestra: my children")
            description = _(
                "Rehearsal weekends, sessions and concerts of your children in the orchestra."
            )
        else:
            name = _("The orchestra: my calendar")
            description = _("Your rehearsal weekends, sessions and concerts in the orchestra.")
        response = entries_response(request, feed, name=name, description=description, private=True)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@requires(SEE_GROUP_CALENDARS, obj=None)
@require_safe
def group_feed(request, pk):
    """Subscribe to a group's sessions, concerts and weekends: public, without names."""
    group = get_object_or_404(Group.objects.select_related("season"), pk=pk)
    with translation.override(feed_language(request)):
        feed = group_feed_entries(group)
        name = _("%(group)s, %(season)s") % {"group": group.name, "season": group.season.name}
        description = _("Rehearsal weekends, sessions and concerts of %(group)s.") % {
            "group": group.name
        }
        return entries_response(request, feed, name=name, description=description, private=False)


# Pages ----------------------------------------------------------------------------------


def _calendar_page(request, owner, *, template, create_url, revoke_url_name):
    links = list(calendar_tokens_of(owner))
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    feed_url = new_link = None
    # Only a token that is still one of the owner's links: not one of another login's, and
    # not one stopped since.
    if new_token:
        new_hash = hash_calendar_token(new_token)
        new_link = next((link for link in links if link.token_hash == new_hash), None)
        if new_link is not None:
            feed_url = reverse("orchestra:private_feed", args=[new_token])
    now = timezone.now()
    upcoming = [entry for entry in private_calendar_entries(owner, now=now) if entry.end >= now]
    response = render(
        request,
        template,
        {
            "links": [
                (link, reverse(revoke_url_name, args=[link.pk]), link == new_link) for link in links
            ],
            "new_link": new_link,
            "feed_url": feed_url,
            "form": CalendarLinkForm(),
            "upcoming": upcoming[:UPCOMING_SHOWN],
            "create_url": create_url,
            "groups_url": reverse("orchestra:group_calendars"),
        },
    )
    # The page may hold the secret address: no cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _create(request, owner, page):
    form = CalendarLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The name can be at most 60 characters."))
        return redirect(page)
    try:
        token = create_calendar_token(owner=owner, name=form.cleaned_data["name"])
    except OrchestraError as exc:
        messages.error(request, str(exc))
        return redirect(page)
    request.session[NEW_TOKEN_SESSION_KEY] = token
    messages.success(request, _("Your new calendar link is ready. Your other links still work."))
    return redirect(page)


def _revoke(request, owner, pk, page):
    if revoke_calendar_token(owner=owner, pk=pk):
        messages.success(request, _("The calendar link has stopped working."))
    request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return redirect(page)


@requires(ACT_AS_GUARDIAN, obj=None)
@require_safe
def guardian_calendar(request):
    """The guardian's calendar: what it holds, their links to subscribe, make or stop one."""
    return _calendar_page(
        request,
        guardian_of(request.user),
        template="orchestra/calendars/guardian.html",
        create_url=reverse("orchestra:calendar_create"),
        revoke_url_name="orchestra:calendar_revoke",
    )


@requires(ACT_AS_GUARDIAN, obj=None)
@require_POST
def guardian_calendar_create(request):
    return _create(request, guardian_of(request.user), "orchestra:calendar")


@requires(ACT_AS_GUARDIAN, obj=None)
@require_POST
def guardian_calendar_revoke(request, pk):
    return _revoke(request, guardian_of(request.user), pk, "orchestra:calendar")


@requires(OWN_MEMBER_PAGES, obj=None)
@require_safe
def member_calendar(request):
    """A member's own calendar (with their own login, 13 or older)."""
    return _calendar_page(
        request,
        member_of(request.user),
        template="orchestra/calendars/member.html",
        create_url=reverse("orchestra:my_calendar_create"),
        revoke_url_name="orchestra:my_calendar_revoke",
    )


@requires(OWN_MEMBER_PAGES, obj=None)
@require_POST
def member_calendar_create(request):
    return _create(request, member_of(request.user), "orchestra:my_calendar")


@requires(OWN_MEMBER_PAGES, obj=None)
@require_POST
def member_calendar_revoke(request, pk):
    return _revoke(request, member_of(request.user), pk, "orchestra:my_calendar")


@requires(SEE_GROUP_CALENDARS, obj=None)
@require_safe
def group_calendars(request):
    """The groups' public calendars, to subscribe to without a login."""
    return render(request, "orchestra/calendars/groups.html", {"groups": public_groups()})


def programme_groups_panel(request, programme) -> str:
    """The groups' public feeds on the orchestra programme's page (events.panels)."""
    if programme.kind != programme.Kind.ORCHESTRA:
        return ""
    groups = public_groups().filter(season__programme=programme)
    return render_to_string(
        "orchestra/calendars/_programme_groups.html",
        {"groups": groups, "groups_url": reverse("orchestra:group_calendars")},
        request=request,
    )


urlpatterns = [
    path("calendar/private/<str:token>.ics", private_feed, name="private_feed"),
    path("calendar/group/<int:pk>.ics", group_feed, name="group_feed"),
    path("foresatt/kalender/", guardian_calendar, name="calendar"),
    path("foresatt/kalender/ny-lenke/", guardian_calendar_create, name="calendar_create"),
    path("foresatt/kalender/<int:pk>/stopp/", guardian_calendar_revoke, name="calendar_revoke"),
    path("meg/kalender/", member_calendar, name="my_calendar"),
    path("meg/kalender/ny-lenke/", member_calendar_create, name="my_calendar_create"),
    path("meg/kalender/<int:pk>/stopp/", member_calendar_revoke, name="my_calendar_revoke"),
    path("orkester/kalendere/", group_calendars, name="group_calendars"),
]
