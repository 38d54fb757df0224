"""Staff pages of visitor statistics: year on year, per edition, the annual report, exports.

The tables, charts and sentences come from artists.reports; each page picks an edition or
a programme, asks for them, and renders (or exports a table exactly as shown).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from artists.policies import ART_ROUND_STAFF
from artists.reports import (
    Table,
    all_time_facts,
    annual_report_sentences,
    edition_charts,
    edition_facts,
    edition_tables,
    year_on_year_chart,
    year_on_year_table,
)
from artists.selectors import statistics as selectors
from artists.selectors.profiles import art_round_edition
from core import spreadsheets
from core.policies import requires


def _programme(request):
    programmes = selectors.art_round_programmes()
    slug = request.GET.get("programme")
    if slug:
        return get_object_or_404(programmes, slug=slug), programmes
    return programmes.first(), programmes


def _edition(slug: str):
    edition = art_round_edition(slug)
    if edition is None:
        raise Http404
    return edition


def _export(table: Table, fmt: str, filename: str) -> HttpResponse:
    return spreadsheets.download(table.dataset(), fmt, filename)


@requires(ART_ROUND_STAFF, obj=None)
def statistics_index(request):
    """Every edition of the art round, year on year, with the all-time totals."""
    programme, programmes = _programme(request)
    comparison = selectors.year_on_year(programme)
    table = year_on_year_table(comparison)
    table.chart = year_on_year_chart(comparison)
    table.legend = _(
        "▼ and hatched: fewer visits than the edition before. Lighter: reported figures."
    )
    query = f"?programme={programme.slug}" if programme else ""
    table.csv_url = reverse("artists:statistics_export_csv") + query
    table.xlsx_url = reverse("artists:statistics_export_xlsx") + query
    return render(
        request,
        "artists/statistics/index.html",
        {
            "programme": programme,
            "programmes": programmes,
            "comparison": comparison,
            "table": table,
            "facts": all_time_facts(comparison),
        },
    )


@requires(ART_ROUND_STAFF, obj=None)
def statistics_index_export(request, fmt):
    programme, _programmes = _programme(request)
    table = year_on_year_table(selectors.year_on_year(programme))
    name = slugify(programme.slug if programme else "kunstrunde")
    return _export(table, fmt, f"{name}-{table.key}")


@requires(ART_ROUND_STAFF, obj=None)
def edition_page(request, edition):
    """An edition's visitor figures in tables and charts."""
    period = _edition(edition)
    stats = selectors.edition_statistics(period)
    tables = edition_tables(stats)
    charts = edition_charts(stats)
    for table in tables:
        table.chart = charts.get(table.key, "")
        table.csv_url = reverse(
            "artists:edition_statistics_export_csv", args=[period.slug, table.key]
        )
        table.xlsx_url = reverse(
            "artists:edition_statistics_export_xlsx", args=[period.slug, table.key]
        )
    return render(
        request,
        "artists/statistics/edition.html",
        {"edition": period, "stats": stats, "tables": tables, "facts": edition_facts(stats)},
    )


@requires(ART_ROUND_STAFF, obj=None)
def edition_export(request, edition, table, fmt):
    period = _edition(edition)
    found = next(
        (
            candidate
            for candidate in edition_tables(selectors.edition_statistics(period))
            if candidate.key == table
        ),
        None,
    )
    if found is None:
        raise Http404
    return _export(found, fmt, f"{period.slug}-{found.key}")


@requires(ART_ROUND_STAFF, obj=None)
def annual_report(request, edition):
    """The sentences and figures of an edition for the annual report, ready to print."""
    period = _edition(edition)
    stats = selectors.edition_statistics(period)
    figures = selectors.year_on_year(period.programme).figures_of(period)
    return render(
        request,
        "artists/statistics/annual_report.html",
        {
            "edition": period,
            "stats": stats,
            "sentences": annual_report_sentences(stats, figures),
        },
    )


urlpatterns = [
    path("stab/statistikk/", statistics_index, name="statistics"),
    *[
        path(
            f"stab/statistikk/aar-for-aar.{fmt}",
            statistics_index_export,
            {"fmt": fmt},
            name=f"statistics_export_{fmt}",
        )
        for fmt in spreadsheets.CONTENT_TYPES
    ],
    path("stab/statistikk/<slug:edition>/", edition_page, name="edition_statistics"),
    path("stab/statistikk/<slug:edition>/arsrapport/", annual_report, name="annual_report"),
    *[
        path(
            f"stab/statistikk/<slug:edition>/<slug:table>.{fmt}",
            edition_export,
            {"fmt": fmt},
            name=f"edition_statistics_export_{fmt}",
        )
        for fmt in spreadsheets.CONTENT_TYPES
    ],
]
