"""Pages of the open studios: the public list by municipality, the map and the visitor's
favourites, all filtered the same way, and the artist's own page where they register their
exhibited work, their studio and its opening hours.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from artists.exceptions import ArtistsError
from artists.forms.studios import (
    HoursForm,
    JoinStudioForm,
    StudioFilterForm,
    StudioForm,
    WorkForm,
)
from artists.models import Work
from artists.policies import OWN_STUDIO, SEE_PUBLIC_PAGES
from artists.selectors.profiles import art_round_edition
from artists.selectors.studios import (
    current_edition_of,
    open_studios,
    studio_municipalities,
    studio_of,
    studios_by_municipality,
)
from artists.services import exhibitions as work_services
from artists.services import studios as studio_services
from artists.views.profiles import _form_error, own_artist
from artists.weekends import days_of, open_studio_days, open_studio_weekends
from core.policies import requires


def _edition(slug):
    period = art_round_edition(slug)
    if period is None:
        raise Http404
    return period


def _filtered_context(request, period) -> dict:
    """The filter form, the filtered studios, the query string that filtered them, and
    the edition's open-studio weekends."""
    weekends = list(open_studio_weekends(period))
    form = StudioFilterForm(
        request.GET or None,
        days=days_of(weekends),
        municipalities=studio_municipalities(period),
    )
    filters = form.filters() if form.is_bound else {}
    query = urlencode(
        {
            name: value.isoformat() if name == "day" else "on" if value is True else value.pk
            for name, value in filters.items()
        }
    )
    return {
        "edition": period,
        "weekends": weekends,
        "filter_form": form,
        "filtered": bool(filters) or bool(form.is_bound and form.errors),
        "query": query,
        "municipalities": studios_by_municipality(period, **filters),
    }


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def studio_list(request, edition):
    """The edition's published studios by municipality, filtered by day, municipality and
    step-free access."""
    period = _edition(edition)
    context = _filtered_context(request, period)
    context["map_url"] = _with_query(reverse("artists:studio_map", args=[period.slug]), context)
    return render(request, "artists/studios/list.html", context)


def _with_query(url: str, context: dict) -> str:
    return f"{url}?{context['query']}" if context["query"] else url


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def studio_map(request, edition):
    """The map of the studios, filtered as the list is, with the list beside it: the
    map's text alternative, and all there is where tiles or scripts do not load."""
    period = _edition(edition)
    context = _filtered_context(request, period)
    geojson = f"{reverse('studio-geojson')}?edition={period.pk}"
    context["geojson_url"] = f"{geojson}&{context['query']}" if context["query"] else geojson
    context["list_url"] = _with_query(reverse("artists:studios", args=[period.slug]), context)
    context["feed_url"] = reverse("artists:studio_feed", args=[period.slug])
    return render(request, "artists/studios/map.html", context)


@requires(SEE_PUBLIC_PAGES, obj=None)
@require_safe
def studio_favourites(request, edition):
    """The visitor's favourite studios: kept in their browser, shown from the GeoJSON, and
    for a chosen day put in the order of a route (route.js)."""
    period = _edition(edition)
    open_days = open_studio_days(period)
    days = [day.isoformat() for day in open_days]
    today = timezone.localdate().isoformat()
    # The day asked for, else today during the weekends, else the first open day.
    asked = request.GET.get("day")
    chosen = asked if asked in days else today if today in days else days[0] if days else ""
    return render(
        request,
        "artists/studios/favourites.html",
        {
            "edition": period,
            "geojson_url": f"{reverse('studio-geojson')}?edition={period.pk}",
            "days": open_days,
            "chosen_day": chosen,
        },
    )


STUDIO_FIELDS = ("name", "address", "postcode", "place", "municipality", "latitude", "longitude")


def _save_work(request, form, artist, edition, work):
    values = form.work_values()
    upload = form.cleaned_data.get("image")
    if work is None:
        work_services.register_work(
            artist=artist, edition=edition, by=request.user, upload=upload, **values
        )
    else:
        work_services.update_work(work=work, by=request.user, values=values, upload=upload)


def _save_studio(request, form, artist, edition, studio):
    values = {name: form.cleaned_data[name] for name in STUDIO_FIELDS}
    values["accessibility"] = form.cleaned_data["accessibility"]
    values["step_free"] = form.cleaned_data["step_free"]
    if studio is None:
        studio_services.register_studio(artist=artist, edition=edition, by=request.user, **values)
    else:
        studio_services.update_studio_venue(studio=studio, by=request.user, values=values)


@requires(OWN_STUDIO, obj=None)
def own_studio(request):
    """The artist's work, studio and opening hours for their newest accepted edition."""
    artist = own_artist(request)
    edition = current_edition_of(artist)
    if edition is None:
        return render(request, "artists/studios/own.html", {"artist": artist, "edition": None})
    work = Work.objects.filter(artist=artist, edition=edition).first()
    studio = studio_of(artist, edition)
    days = open_studio_days(edition)
    hours = {entry.date: entry for entry in studio.hours.all()} if studio else {}
    posted = request.POST.get("part") if request.method == "POST" else None

    def bound(part, form_class, **kwargs):
        if posted == part:
            return form_class(request.POST, request.FILES or None, **kwargs)
        return form_class(**kwargs)

    work_form = bound("work", WorkForm, initial=_work_initial(work))
    studio_form = bound("studio", StudioForm, initial=_studio_initial(studio))
    hours_form = bound("hours", HoursForm, days=days, hours=hours) if studio else None
    join_form = None if studio else bound("join", JoinStudioForm, studios=open_studios(edition))
    forms = {"work": work_form, "studio": studio_form, "hours": hours_form, "join": join_form}
    form = forms.get(posted)
    if form is not None and form.is_valid():
        try:
            if posted == "work":
                _save_work(request, form, artist, edition, work)
            elif posted == "studio":
                _save_studio(request, form, artist, edition, studio)
            elif posted == "join":
                studio_services.join_studio(
                    artist=artist, studio=form.cleaned_data["studio"], by=request.user
                )
            else:
                studio_services.set_studio_week_hours(
                    studio=studio, by=request.user, hours=form.day_values()
                )
        except (ValidationError, ArtistsError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("artists:own_studio")
    return render(
        request,
        "artists/studios/own.html",
        {
            "artist": artist,
            "edition": edition,
            "work": work,
            "studio": studio,
            "work_form": work_form,
            "studio_form": studio_form,
            "hours_form": hours_form,
            "join_form": join_form,
            "days": days,
            "section": "studio",
        },
        status=400 if form is not None and form.errors else 200,
    )


def _work_initial(work) -> dict:
    if work is None:
        return {}
    names = ("title", "year", "technique", "dimensions", "for_sale", "price")
    return {name: getattr(work, name) for name in names}


def _studio_initial(studio) -> dict:
    if studio is None:
        return {}
    venue = studio.venue
    initial = {name: getattr(venue, name) for name in STUDIO_FIELDS}
    initial["accessibility"] = venue.accessibility
    initial["step_free"] = studio.step_free
    return initial


urlpatterns = [
    path("kunstner/atelier/", own_studio, name="own_studio"),
    path("<slug:edition>/atelierer/", studio_list, name="studios"),
    path("<slug:edition>/studios/", studio_list, name="studios_en"),
    path("<slug:edition>/atelierer/kart/", studio_map, name="studio_map"),
    path("<slug:edition>/studios/map/", studio_map, name="studio_map_en"),
    path("<slug:edition>/atelierer/favoritter/", studio_favourites, name="studio_favourites"),
    path("<slug:edition>/studios/favourites/", studio_favourites, name="studio_favourites_en"),
]
