"""Links an art-round edition adds to the programme page: artists, exhibitions, studios."""

from django.urls import reverse
from django.utils.translation import gettext as _

from artists.models import Call, Exhibition, Studio
from events.models import Programme


def edition_links(periods) -> dict[int, list[tuple[str, str]]]:
    """Return the public pages of each art-round edition that has something to show.

    Three queries, however many editions the page lists.
    """
    editions = {p.pk: p for p in periods if p.programme.kind == Programme.Kind.ART_ROUND}
    if not editions:
        return {}
    with_calls = set(Call.objects.filter(period__in=editions).values_list("period", flat=True))
    with_exhibitions = set(
        Exhibition.objects.filter(event__period__in=editions).values_list(
            "event__period", flat=True
        )
    )
    with_studios = set(
        Studio.objects.filter(edition__in=editions, is_published=True).values_list(
            "edition", flat=True
        )
    )
    links = {}
    for pk, edition in editions.items():
        found = []
        if pk in with_calls:
            found.append((_("Artists"), reverse("artists:directory", args=[edition.slug])))
        if pk in with_exhibitions:
            found.append((_("Exhibitions"), reverse("artists:exhibitions", args=[edition.slug])))
            found.append((_("Catalogue"), reverse("artists:catalogue", args=[edition.slug])))
        if pk in with_studios:
            found.append((_("Open studios"), reverse("artists:studios", args=[edition.slug])))
            found.append((_("Map"), reverse("artists:studio_map", args=[edition.slug])))
        if found:
            links[pk] = found
    return links
