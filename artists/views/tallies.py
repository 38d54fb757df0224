"""Pages for visitor tallies: the places a host counts at, a place's tally page made for a
phone, corrections and removals, the artist's art sales, and staff's completeness matrix.

The tally page works without its script (each tap is a form post with a nonce); with it,
taps go to the API and wait in the browser while the network is down (artists/tally.js).
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from artists.exceptions import ArtistsError
from artists.forms.tallies import CorrectionForm, RemoveForm, SaleForm, TapForm
from artists.models import Artist, ArtSale, Studio, VisitTally, Work
from artists.policies import ART_ROUND_STAFF, ART_SALE, ART_SALES, COUNT_AT_PLACE, COUNT_VISITORS
from artists.selectors.places import Place, open_days, place_edition, place_name
from artists.selectors.profiles import art_round_edition, artist_of
from artists.selectors.studios import current_edition_of, exhibitions, studios_with_details
from artists.selectors.tallies import (
    completeness,
    counting_places,
    current_art_round_edition,
    day_corrections,
    day_entries,
    day_totals,
    default_day,
    edition_sales,
    sales_total,
    tallies,
    tally_place,
)
from artists.services import tallies as services
from artists.services.tallies import tally_page_path
from core import formats
from core.policies import requires

LATEST_ENTRIES = 15


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


# The places a host counts at ------------------------------------------------------------


@requires(COUNT_VISITORS, obj=None)
def tally_index(request):
    """The places where the user counts visitors, the current edition first."""
    current = current_art_round_edition()
    groups = counting_places(request.user, current)
    return render(
        request,
        "artists/tallies/index.html",
        {
            "groups": [
                (
                    group.edition,
                    [
                        (place_name(place), tally_page_path(place), isinstance(place, Studio))
                        for place in group.places
                    ],
                )
                for group in groups
            ],
            "current": current,
            "is_staff": ART_ROUND_STAFF.admits(request.user),
        },
    )


# A place's tally page --------------------------------------------------------------------


def _chosen_day(request, place: Place, days: list[date]) -> date | None:
    wanted = request.GET.get("dag") or request.POST.get("dag") or ""
    try:
        day = date.fromisoformat(wanted)
    except ValueError:
        day = None
    if day in days:
        return day
    fallback = default_day(place)
    return fallback if fallback in days else None


def _tally_page(request, place: Place, kind: str):
    today = timezone.localdate()
    every_day = open_days(place)
    days = [day for day in every_day if day <= today]
    day = _chosen_day(request, place, days)
    form = TapForm(request.POST or None)
    if request.method == "POST":
        if day is None:
            raise Http404
        if form.is_valid():
            try:
                result = services.record_tally(
                    by=request.user, place=place, day=day, **form.tally_values()
                )
            except (ValidationError, ArtistsError) as exc:
                messages.error(request, _error_text(exc))
            else:
                if not result.replayed:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s visitor counted.",
                            "%(count)s visitors counted.",
                            result.tally.visitors,
                        )
                        % {"count": result.tally.visitors},
                    )
            return redirect(tally_page_path(place, day))
        messages.error(request, _("Check the number of visitors."))
    entries = day_entries(place, day, limit=LATEST_ENTRIES) if day else []
    labels = dict(VisitTally.Category.choices)
    return render(
        request,
        "artists/tallies/place.html",
        {
            "place": place,
            "kind": kind,
            "name": place_name(place),
            "edition": place_edition(place),
            "days": days,
            "first_day": every_day[0] if every_day else None,
            "day": day,
            "today": today,
            "form": form,
            "totals": day_totals(place, day) if day else None,
            "entries": [
                (tally, CorrectionForm.for_tally(tally), RemoveForm(prefix=f"r{tally.pk}"))
                for tally in entries
            ],
            "corrections": [
                (
                    change,
                    labels.get(change.before.get("category")),
                    labels.get(change.after.get("category")),
                )
                for change in (day_corrections(place, day) if day else [])
            ],
            "categories": VisitTally.Category.choices,
            "school_class": VisitTally.Category.SCHOOL_CLASS,
            "max_per_entry": services.max_per_entry(),
        },
        status=400 if form.errors else 200,
    )


@requires(COUNT_AT_PLACE)
def tally_studio(request, pk):
    queryset = studios_with_details().select_related("edition")
    return _tally_page(request, COUNT_AT_PLACE.get_object(request, queryset, pk=pk), "studio")


@requires(COUNT_AT_PLACE)
def tally_exhibition(request, pk):
    exhibition = COUNT_AT_PLACE.get_object(request, exhibitions(), pk=pk)
    return _tally_page(request, exhibition, "exhibition")


def _host_tally(request, pk) -> VisitTally:
    return COUNT_AT_PLACE.get_object(request, tallies(), pk=pk)


@requires(COUNT_AT_PLACE)
@require_POST
def tally_correct(request, pk):
    tally = _host_tally(request, pk)
    form = CorrectionForm(request.POST, prefix=f"t{tally.pk}")
    if form.is_valid():
        try:
            services.correct_tally(
                tally=tally, by=request.user, reason=form.cleaned_data["reason"], **form.changes()
            )
        except (ValidationError, ArtistsError) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The count was corrected."))
    else:
        messages.error(request, _("Give the new numbers and say why the count is corrected."))
    return redirect(tally_page_path(tally_place(tally), tally.date))


@requires(COUNT_AT_PLACE)
@require_POST
def tally_remove(request, pk):
    tally = _host_tally(request, pk)
    form = RemoveForm(request.POST, prefix=f"r{tally.pk}")
    if form.is_valid():
        services.void_tally(tally=tally, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The count was removed."))
    else:
        messages.error(request, _("Say why the count is removed."))
    return redirect(tally_page_path(tally_place(tally), tally.date))


# Art sales -------------------------------------------------------------------------------


def _sales_artist(request) -> Artist | None:
    """Return whose sales the page shows: the chosen artist's (?kunstner=, as ART_SALES
    lets: staff any, an artist themself), else the user's own (None for staff without an
    artist profile)."""
    chosen = request.GET.get("kunstner", "")
    if chosen.isdigit():
        return ART_SALES.get_object(request, Artist.objects.all(), pk=int(chosen))
    return artist_of(request.user)


def _sales_path(request, artist: Artist) -> str:
    path_ = reverse("artists:sales")
    if artist.user_id != request.user.pk:
        return f"{path_}?kunstner={artist.pk}"
    return path_


@requires(ART_SALES, obj=None)
def sales(request):
    """The artist's art sales in their newest edition: record one, see them, delete one."""
    artist = _sales_artist(request)
    if artist is None:
        # Staff without an artist profile: every sale of the current edition, to read.
        edition = current_art_round_edition()
        found = ART_SALES.filter(request.user, edition_sales(edition))
        return render(
            request,
            "artists/tallies/sales_staff.html",
            {"edition": edition, "sales": found, "total": sales_total(found)},
        )
    edition = current_edition_of(artist)
    works = Work.objects.filter(artist=artist, edition=edition) if edition else Work.objects.none()
    form = SaleForm(request.POST or None, works=works, initial={"sold_on": timezone.localdate()})
    if request.method == "POST" and edition is not None and form.is_valid():
        try:
            services.record_sale(
                by=request.user, artist=artist, edition=edition, **form.cleaned_data
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The sale was recorded."))
            return redirect(_sales_path(request, artist))
    found = (
        ArtSale.objects.filter(artist=artist, edition=edition)
        .select_related("work")
        .order_by("-sold_on", "-pk")
        if edition
        else ArtSale.objects.none()
    )
    return render(
        request,
        "artists/tallies/sales.html",
        {
            "artist": artist,
            "edition": edition,
            "form": form,
            "sales": found,
            "total": sales_total(found) if edition else 0,
            "artist_query": "" if artist.user_id == request.user.pk else f"?kunstner={artist.pk}",
        },
        status=400 if form.errors else 200,
    )


@requires(ART_SALE)
@require_POST
def sale_delete(request, pk):
    sale = ART_SALE.get_object(request, ArtSale.objects.select_related("artist"), pk=pk)
    services.delete_sale(by=request.user, sale=sale)
    messages.success(request, _("The sale was deleted."))
    return redirect(_sales_path(request, sale.artist))


# Completeness for staff ------------------------------------------------------------------


@requires(ART_ROUND_STAFF, obj=None)
def completeness_index(request):
    current = current_art_round_edition()
    if current is None:
        raise Http404
    return redirect("artists:tally_completeness", edition=current.slug)


def _chosen_cells(edition, values: list[str]) -> list[tuple[Place, date]]:
    """Return the (place, day) pairs of the ticked cells: "studio:<id>:<day>" and the like."""
    wanted = []
    for value in values:
        kind, _sep, rest = value.partition(":")
        pk, _sep, day = rest.partition(":")
        try:
            wanted.append((kind, int(pk), date.fromisoformat(day)))
        except ValueError:
            continue
    studios = studios_with_details().filter(
        edition=edition, pk__in=[pk for kind, pk, _day in wanted if kind == "studio"]
    )
    found = exhibitions().filter(
        event__period=edition, pk__in=[pk for kind, pk, _day in wanted if kind == "exhibition"]
    )
    places = {("studio", studio.pk): studio for studio in studios}
    places.update({("exhibition", exhibition.pk): exhibition for exhibition in found})
    return [(places[(kind, pk)], day) for kind, pk, day in wanted if (kind, pk) in places]


@requires(ART_ROUND_STAFF, obj=None)
def tally_completeness(request, edition):
    """Every place of the edition × every open day up to today: reported, missing, reminded."""
    period = art_round_edition(edition)
    if period is None:
        raise Http404
    if request.method == "POST":
        cells = _chosen_cells(period, request.POST.getlist("cell"))
        if not cells:
            messages.error(request, _("Choose the days to send reminders about."))
        else:
            try:
                sent = services.send_tally_reminders(by=request.user, edition=period, missing=cells)
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                _report_reminders(request, sent)
        return redirect("artists:tally_completeness", edition=period.slug)
    matrix = completeness(period)
    return render(
        request,
        "artists/tallies/completeness.html",
        {
            "edition": period,
            "matrix": matrix,
            "rows": [
                (row, place_name(row.place), tally_page_path(row.place)) for row in matrix.rows
            ],
        },
    )


def _report_reminders(request, sent) -> None:
    places = {(reminder.studio_id, reminder.exhibition_id) for reminder in sent.reminders}
    if sent.reminders:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(places)s place.",
                "Reminders sent to %(places)s places.",
                len(places),
            )
            % {"places": len(places)},
        )
    if sent.without_address:
        messages.warning(
            request,
            _("Nobody to remind (no email address): %(places)s")
            % {"places": ", ".join(place_name(place) for place in sent.without_address)},
        )
    if sent.already_reported:
        messages.info(
            request,
            _("Counted meanwhile, not reminded: %(days)s")
            % {
                "days": ", ".join(
                    f"{place_name(place)} {formats.day(day, short=True)}"
                    for place, day in sent.already_reported
                )
            },
        )


urlpatterns = [
    path("telling/", tally_index, name="tally_index"),
    path("telling/atelier/<int:pk>/", tally_studio, name="tally_studio"),
    path("telling/utstilling/<int:pk>/", tally_exhibition, name="tally_exhibition"),
    path("telling/oppforing/<int:pk>/korriger/", tally_correct, name="tally_correct"),
    path("telling/oppforing/<int:pk>/fjern/", tally_remove, name="tally_remove"),
    path("kunstner/salg/", sales, name="sales"),
    path("kunstner/salg/<int:pk>/slett/", sale_delete, name="sale_delete"),
    path("stab/telling/", completeness_index, name="tally_completeness_index"),
    path("stab/telling/<slug:edition>/", tally_completeness, name="tally_completeness"),
]
