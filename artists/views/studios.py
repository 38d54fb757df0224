"""Public pages of the open studios: the list of an edition's studios by municipality."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from artists.selectors.profiles import art_round_edition
from artists.selectors.studios import open_studio_weekends, studios_by_municipality


def studio_list(request, edition):
    period = art_round_edition(edition)
    if period is None:
        raise Http404
    return render(
        request,
        "artists/studios/list.html",
        {
            "edition": period,
            "municipalities": studios_by_municipality(period),
            "weekends": open_studio_weekends(period),
        },
    )


urlpatterns = [
    path("<slug:edition>/atelierer/", studio_list, name="studios"),
    path("<slug:edition>/studios/", studio_list, name="studios_en"),
]
