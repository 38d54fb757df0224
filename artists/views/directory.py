"""The public directory of an edition's artists, in Norwegian and English addresses."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from artists.forms.profiles import DirectoryFilterForm
from artists.selectors.profiles import (
    art_round_edition,
    directory,
    directory_disciplines,
    directory_municipalities,
    with_thumbnail_urls,
)


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
    artists = with_thumbnail_urls(
        directory(
            period,
            municipality=filters.get("municipality"),
            discipline=filters.get("discipline"),
            search=filters.get("q", ""),
        )
    )
    return render(
        request,
        "artists/directory/directory.html",
        {
            "edition": period,
            "form": form,
            "artists": artists,
            "filtered": bool(request.GET),
        },
    )


urlpatterns = [
    path("<slug:edition>/kunstnere/", edition_directory, name="directory"),
    path("<slug:edition>/artists/", edition_directory, name="directory_en"),
]
