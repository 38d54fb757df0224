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
    disciplines_among,
    municipalities_among,
    with_thumbnail_urls,
)
from artists.stamps import directory_stamps
from core.policies import requires
from core.stamps import Unchanged


@requires(SEE_PUBLIC_PAGES, obj=None)
def edition_directory(request, edition):
    period = art_round_edition(edition)
    if period is None:
        raise Http404
    # The filters' choices and the list of artists are read from the data of all the
    # edition's artists (hundreds of cards): they are cached while no write bumps one of
    # the directory's change stamps (artists.stamps).
    unchanged = Unchanged(directory_stamps(period))
    municipalities, disciplines = unchanged.get(
        ("artists:directory:filters", period.pk),
        build=lambda: (
            list(directory_municipalities(period).values_list("pk", flat=True)),
            list(directory_disciplines(period).values_list("pk", flat=True)),
        ),
    )
    form = DirectoryFilterForm(
        request.GET or None,
        municipalities=municipalities_among(municipalities),
        disciplines=disciplines_among(disciplines),
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
            "listing": unchanged.get(key, build=listing),
            "filtered": filtered,
        },
    )


urlpatterns = [
    path("<slug:edition>/kunstnere/", edition_directory, name="directory"),
    path("<slug:edition>/artists/", edition_directory, name="directory_en"),
]
