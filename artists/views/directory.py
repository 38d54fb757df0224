"""The public directory of an edition's artists, in Norwegian and English addresses."""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path

from artists.forms.profiles import DirectoryFilterForm
from artists.policies import SEE_PUBLIC_PAGES
from artists.selectors.profiles import (
    art_round_edition,
    directory,
    directory_disciplines,
    directory_municipalities,
    with_thumbnail_urls,
)
from artists.stamps import directory_stamps
from core.policies import requires
from core.stamps import cached_while_unchanged


@requires(SEE_PUBLIC_PAGES, obj=None)
def edition_directory(request, edition):
    period = art_round_edition(edition)
    if period is None:
        raise Http404
    form = DirectoryFilterForm(
        request.GET or None,
        municipalities=directory_municipalities(period),
        disciplines=directory_disciplines(period),
    )
    form.is_valid()
    # A stale choice in a bookmarked address is shown as an error; the other filters apply.
    filters = getattr(form, "cleaned_data", {})
    filtered = bool(request.GET)

    def listing():
        artists = with_thumbnail_urls(
            directory(
                period,
                municipality=filters.get("municipality"),
                discipline=filters.get("discipline"),
                search=filters.get("q", ""),
            )
        )
        return render_to_string(
            "artists/directory/_listing.html", {"artists": artists, "filtered": filtered}
        )

    # The list of artists is most of the page's cost (hundreds of cards): it is rendered
    # again only when a write bumps one of its change stamps (artists.stamps).
    key = (
        "artists:directory",
        request.path,
        period.pk,
        filters.get("municipality") and filters["municipality"].pk,
        filters.get("discipline") and filters["discipline"].pk,
        filters.get("q", ""),
        filtered,
    )
    return render(
        request,
        "artists/directory/directory.html",
        {
            "edition": period,
            "form": form,
            "listing": cached_while_unchanged(key, stamps=directory_stamps(period), build=listing),
            "filtered": filtered,
        },
    )


urlpatterns = [
    path("<slug:edition>/kunstnere/", edition_directory, name="directory"),
    path("<slug:edition>/artists/", edition_directory, name="directory_en"),
]
