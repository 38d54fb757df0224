"""What people may do in Kunst rett vest (core.policies).

Who is whose: an artist is the login of an ``Artist`` profile; a juror is on a call's jury
(``Call.jurors``) and never reaches an application they are in conflict with (a
``Conflict``), not even as staff; a host counts at the exhibitions whose event they host
(``Event.hosts``) and an artist at their own studio; staff (core.roles.is_staff_member)
reach everything of the round. The pages (artists/views) and the API (artists/api) both
read these names.

A policy with a scope filters querysets of the models it names (a studio, an exhibition,
a tally...), so that a list and its detail pages agree.
"""

from django.db.models import Q

from artists.models import Application, Artist, Exhibition, Studio, VisitTally
from core.policies import PUBLIC, STAFF, Policy, holds, role
from core.roles import Role, is_staff_member, user_roles
from events.models import Event


def _own_artist(user) -> Artist | None:
    """Return the artist profile of a login (or None), kept on the user object: a request
    asks more than once (the menu, the view's policy, the view)."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_artists_own_artist"):
        user._artists_own_artist = Artist.objects.filter(user=user).first()
    return user._artists_own_artist


def _has_artist_profile(user) -> bool:
    """Return True for a login with an artist profile. Only logins in the artist group are
    asked (the group comes with the profile: artists.services.profiles), so that the menu
    costs the other logins no query. A superuser is not an artist here: the superusers'
    logins are the site's own (and a superuser holds every role without the group)."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    return Role.ARTIST in user_roles(user) and _own_artist(user) is not None


# Public pages -------------------------------------------------------------------------------

# An edition's directory, studios, exhibitions, catalogue, map, favourites and calendar
# feeds; an artist's public page; the places' pages behind the posters' QR codes.
SEE_PUBLIC_PAGES = PUBLIC
# Signing up as an artist, and confirming the address.
SIGN_UP = PUBLIC

# An exhibition's page: the public exhibitions (of public events), for everyone.
SEE_EXHIBITION = Policy(
    "artists.see_exhibition",
    login=False,
    scope=lambda user, exhibitions: exhibitions.filter(event__visibility=Event.Visibility.PUBLIC),
    hide=True,
    description="An exhibition's page: the exhibitions of public events, for everyone.",
)

# A studio's calendar feed: the published studios (an unpublished one may be a home).
SEE_PUBLISHED_STUDIO = Policy(
    "artists.see_published_studio",
    login=False,
    scope=lambda user, studios: studios.filter(is_published=True),
    hide=True,
    description="A studio's public calendar: published studios, for everyone.",
)


def _hosts_place(user) -> dict[type, Q]:
    """Return, per model, the condition for the places (and their rows) a login hosts."""
    return {
        Studio: Q(artists__user=user),
        Exhibition: Q(event__hosts=user),
        VisitTally: Q(studio__artists__user=user) | Q(exhibition__event__hosts=user),
    }


def _visible_places(user, places):
    """Keep the places a user may open: published studios and the exhibitions of public
    events for everyone; every place for staff; their own places for their hosts."""
    if is_staff_member(user):
        return places
    public = {
        Studio: Q(is_published=True),
        Exhibition: Q(event__visibility=Event.Visibility.PUBLIC),
    }[places.model]
    if user is not None and user.is_authenticated:
        own = places.model.objects.filter(_hosts_place(user)[places.model]).values("pk")
        public |= Q(pk__in=own)
    return places.filter(public)


def _place_visible(user, place) -> bool:
    from artists.selectors.visits import place_visible_to

    return place_visible_to(user, place)


# A place's page (a studio or an exhibition), where its poster's QR code leads. An
# unpublished studio is often an artist's home: who may not see it learns nothing (404).
SEE_PLACE = Policy(
    "artists.see_place",
    login=False,
    rule=_place_visible,
    scope=_visible_places,
    hide=True,
    description=(
        "A place's page: published studios and public exhibitions for everyone; every "
        "place for staff and its own hosts."
    ),
)


# An artist's own pages -------------------------------------------------------------------

# An artist's own pages: their profile, gallery, applications, studio and sales. A login
# with the artist role but no profile (yet) has no such pages; nor has a superuser.
OWN_ARTIST_PAGES = Policy(
    "artists.own_pages",
    who=_has_artist_profile,
    description="An artist's own pages: a login with an artist profile.",
)
# Applying to a call and following one's applications and their outcomes.
APPLY = OWN_ARTIST_PAGES
# The artist's own work, studio and opening hours in their current edition.
OWN_STUDIO = OWN_ARTIST_PAGES

# One image of the artist's own gallery (public or not). Another artist's is not found.
OWN_WORK_IMAGE = Policy(
    "artists.own_work_image",
    who=_has_artist_profile,
    scope=lambda user, images: images.filter(artist__user=user),
    hide=True,
    description="An image of the artist's own gallery: its artist only.",
)

# One of the artist's own applications (drafts included): its artist only.
OWN_APPLICATION = Policy(
    "artists.own_application",
    who=_has_artist_profile,
    scope=lambda user, applications: applications.filter(artist__user=user),
    hide=True,
    description="An artist's own application, drafts included: its artist only.",
)


def _sales_scope(user, queryset):
    if is_staff_member(user):
        return queryset
    if queryset.model is Artist:
        return queryset.filter(user=user)
    return queryset.filter(artist__user=user)


def _sells_art(user) -> bool:
    return is_staff_member(user) or _has_artist_profile(user)


# Art sales: an artist records and reads their own; staff read everyone's (and may choose
# an artist). Another artist's sales are refused (403).
ART_SALES = Policy(
    "artists.art_sales",
    who=_sells_art,
    scope=_sales_scope,
    description="Art sales: the artist's own; staff everyone's.",
)
# One sale (to delete it): its artist and staff. Another's sale is not found (404).
ART_SALE = Policy(
    "artists.art_sale",
    who=_sells_art,
    scope=_sales_scope,
    hide=True,
    description="One art sale: its artist and staff.",
)


# The jury --------------------------------------------------------------------------------

# The jury's start page: the calls a juror reviews, and staff.
JURY = role("artists.jury", Role.JUROR, description="Jurors and staff.")


def _jury_calls(user, calls):
    if is_staff_member(user):
        return calls
    return calls.filter(jurors=user)


# A call's jury pages (the juror's list): the call's jurors and staff.
SEE_JURY_CALL = Policy(
    "artists.see_jury_call",
    who=holds(Role.JUROR),
    scope=_jury_calls,
    description="A call's jury pages: its jurors and staff.",
)


def _reviewable(user, applications):
    """Keep the submitted applications the user may review: a juror those of their calls,
    staff all; never one the user is in conflict with."""
    found = applications.filter(state=Application.State.SUBMITTED).exclude(conflicts__juror=user)
    if is_staff_member(user):
        return found
    return found.filter(call__jurors=user)


# Reviewing an application (blind): the call's jurors and staff. A juror in conflict with
# it never learns it exists (404), whatever else they are.
REVIEW_APPLICATION = Policy(
    "artists.review_application",
    who=holds(Role.JUROR),
    scope=_reviewable,
    hide=True,
    description=(
        "An application as the jury reviews it (blind): the call's jurors and staff, never "
        "a juror in conflict with it."
    ),
)


# Staff of the round -----------------------------------------------------------------------

# The round's statistics, posters, wall labels, completeness of the counts, decisions and
# letters.
ART_ROUND_STAFF = STAFF
# A call's ranking and conflicts of interest, with their exports.
MANAGE_JURY = ART_ROUND_STAFF
# Deciding on a call's applications, releasing the decisions, sending the letters.
DECIDE_ON_APPLICATIONS = ART_ROUND_STAFF
# An edition's studios: publish their numbers, change any of them.
MANAGE_STUDIOS = ART_ROUND_STAFF
# Every place's poster at once, and the wall labels of the works.
PRINT_FOR_EDITION = ART_ROUND_STAFF


# Counting visitors -----------------------------------------------------------------------

# Counting visitors at a place: hosts at their exhibitions, artists at their studios.
COUNT_VISITORS = role(
    "artists.count_visitors",
    Role.VENUE_HOST,
    Role.ARTIST,
    description="Venue hosts, artists and staff count visitors at their own places.",
)


def _hosted_places(user, queryset):
    if is_staff_member(user):
        return queryset
    return queryset.filter(_hosts_place(user)[queryset.model]).distinct()


# Counting at one place, and correcting or removing its counts (a VisitTally): staff
# anywhere; an exhibition's event's hosts there; a studio's artists there. Anyone else
# is refused (403), as a host at another venue's exhibition.
COUNT_AT_PLACE = Policy(
    "artists.count_at_place",
    scope=_hosted_places,
    description=(
        "Count visitors at a place and correct its counts: staff; the hosts of an "
        "exhibition's event; the artists of a studio."
    ),
)
# A place's poster: the same people as count there.
PRINT_POSTER = COUNT_AT_PLACE


# API (artists/api) -------------------------------------------------------------------------
# The API's own policies go below this line.
