"""The art round's reports from its visitor statistics: the tables staff read on the
statistics pages and export (CSV or XLSX, exactly as shown), their charts, and the
edition's part of the annual report in Norwegian sentences.

Every figure comes from artists.selectors.statistics; this module only arranges them.
The annual report is written in bokmål whatever the language of the pages, since the
report itself is. events.reports gathers these with the other programmes' parts for a year.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import tablib
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from artists.charts import Bar, bar_chart, column_chart, format_value
from artists.selectors import statistics as selectors
from core.numbers import nb_number, nb_percent
from events.reports import ReportSection

# Tables: shown on the pages and exported exactly as shown --------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    # Years and numbers on posters are written without a thousands separator.
    grouped: bool = True


@dataclass
class Row:
    cells: list
    marked: bool = False
    is_total: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    # Set by the page that shows the table.
    chart: str = ""
    legend: str = ""
    csv_url: str = ""
    xlsx_url: str = ""

    def add(self, *cells, marked: bool = False, is_total: bool = False) -> None:
        self.rows.append(Row(list(cells), marked=marked, is_total=is_total))

    def display_rows(self) -> list[tuple[Row, list[tuple[str, bool]]]]:
        """Each row with its cells as text for the page, and whether each is a number."""
        return [
            (
                row,
                [
                    (_cell_text(cell, grouped=column.grouped), column.numeric)
                    for cell, column in zip(row.cells, self.columns, strict=True)
                ],
            )
            for row in self.rows
        ]

    def dataset(self) -> tablib.Dataset:
        data = tablib.Dataset(
            headers=[str(column.label) for column in self.columns], title=str(self.title)[:31]
        )
        for row in self.rows:
            data.append([_cell_value(cell) for cell in row.cells])
        return data


def _cell_text(cell, *, grouped: bool = True) -> str:
    if cell is None or cell == "":
        return "–"
    if isinstance(cell, bool):
        return _("yes") if cell else _("no")
    if isinstance(cell, date):
        return date_format(cell, "SHORT_DATE_FORMAT")
    if isinstance(cell, int | Decimal):
        return format_value(cell) if grouped else str(cell)
    return str(cell)


def _cell_value(cell):
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return _("yes") if cell else _("no")
    if isinstance(cell, int | Decimal | date):
        return cell
    return str(cell)


SOURCE_LABELS = {
    selectors.COUNTED: gettext_lazy("Counted"),
    selectors.REPORTED: gettext_lazy("Reported"),
    selectors.NO_FIGURES: gettext_lazy("No figures"),
}


def year_on_year_table(comparison: selectors.YearOnYear) -> Table:
    table = Table(
        "year-on-year",
        _("Year on year"),
        [
            Column(_("Edition")),
            Column(_("Year"), numeric=True, grouped=False),
            Column(_("Figures")),
            Column(_("Joint exhibition"), numeric=True),
            Column(_("Of these pupils"), numeric=True),
            Column(_("Local exhibitions"), numeric=True),
            Column(_("Open studios"), numeric=True),
            Column(_("Studio visits"), numeric=True),
            Column(_("Total visits"), numeric=True),
            Column(_("Change"), numeric=True),
            Column(_("Change (%)"), numeric=True),
            Column(_("Cumulative visits"), numeric=True),
            Column(_("Artists"), numeric=True),
            Column(_("Applications"), numeric=True),
            Column(_("Art sales (NOK)"), numeric=True),
            Column(_("QR registrations"), numeric=True),
        ],
        note=_(
            "Counted: from the hosts' tallies. Reported: figures reported from outside "
            "Kulturvest for an edition without tallies. QR registrations are not part of "
            "the visits."
        ),
    )
    for row in comparison.editions:
        figures = row.has_figures
        table.add(
            row.edition.name,
            row.year,
            str(SOURCE_LABELS[row.source]),
            row.joint_visits if figures else None,
            row.joint_pupils if figures else None,
            row.local_visits if figures else None,
            row.open_studios if figures else None,
            row.studio_visits if figures else None,
            row.total_visits if figures else None,
            row.change,
            row.change_percent,
            row.cumulative_visits if figures else None,
            row.artists if figures else None,
            row.applications,
            row.art_sales if figures else None,
            row.qr,
            marked=row.fell,
        )
    total = comparison.all_time
    if total.editions:
        table.add(
            _("All time"),
            None,
            f"{total.first_year}–{total.last_year}",
            total.joint_visits,
            total.joint_pupils,
            total.local_visits,
            None,
            total.studio_visits,
            total.total_visits,
            None,
            None,
            total.total_visits,
            None,
            None,
            total.art_sales,
            total.qr,
            is_total=True,
        )
    return table


def edition_tables(stats: selectors.EditionStatistics) -> list[Table]:
    """Return the tables of an edition's page, in the order they are shown."""
    return [
        _summary_table(stats),
        _places_table(stats),
        _qr_table(stats),
        _exhibitions_table(stats),
        _days_table(stats),
        _weekends_table(stats),
        _municipalities_table(stats),
        _categories_table(stats),
        _studios_table(stats),
    ]


def _summary_table(stats) -> Table:
    table = Table("summary", _("Key figures"), [Column(_("Figure")), Column(_("Value"), True)])
    if stats.is_reported:
        table.note = _("This edition has no tallies: these are its reported figures.")
    table.add(_("Visits at the joint exhibition"), stats.joint_visits)
    table.add(_("Of these pupils"), stats.joint_pupils)
    table.add(_("Visits at local exhibitions"), stats.local_visits)
    table.add(_("Open studios"), stats.open_studios)
    table.add(_("Visits at open studios"), stats.studio_visits)
    table.add(_("Visits per open studio"), stats.visits_per_studio)
    table.add(_("Total visits"), stats.total_visits, is_total=True)
    table.add(_("QR registrations (not part of the visits)"), stats.qr.total)
    table.add(_("Art sold (NOK)"), stats.art_sales)
    table.add(_("Number of sales"), None if stats.is_reported else stats.sales_count)
    table.add(_("Artists"), stats.artists)
    table.add(_("Applications"), stats.applications)
    return table


def _place_label(kind: str) -> str:
    return {
        selectors.JOINT: _("Joint exhibition"),
        selectors.LOCAL: _("Local exhibitions"),
        selectors.STUDIOS: _("Open studios"),
    }[kind]


def _places_table(stats) -> Table:
    table = Table(
        "places",
        _("Visits by place type"),
        [
            Column(_("Place type")),
            Column(_("Places"), True),
            Column(_("Visits"), True),
            Column(_("Pupils"), True),
            Column(_("Visits per place"), True),
        ],
        note=_("Counted by the hosts; voided counts are left out."),
    )
    local_pupils = sum(figures.pupils for figures in stats.local_exhibitions)
    open_studios = sum(1 for figures in stats.studios if figures.is_open)
    per_studio = (
        (Decimal(stats.counted.studios) / open_studios).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if open_studios
        else None
    )
    table.add(
        _place_label(selectors.JOINT),
        len(stats.joint_exhibitions),
        stats.counted.joint,
        stats.counted_pupils,
        None,
    )
    table.add(
        _place_label(selectors.LOCAL),
        len(stats.local_exhibitions),
        stats.counted.local,
        local_pupils,
        None,
    )
    table.add(_place_label(selectors.STUDIOS), open_studios, stats.counted.studios, 0, per_studio)
    table.add(
        _("Total"),
        len(stats.joint_exhibitions) + len(stats.local_exhibitions) + open_studios,
        stats.counted.total,
        stats.counted_pupils + local_pupils,
        None,
        is_total=True,
    )
    return table


def _qr_table(stats) -> Table:
    table = Table(
        "qr",
        _("QR registrations"),
        [Column(_("Place type")), Column(_("QR registrations"), True)],
        note=_(
            "Visitors who scanned a poster: an engagement signal, kept apart from the "
            "visits and never added to them."
        ),
    )
    for kind in selectors.PLACE_KINDS:
        table.add(_place_label(kind), getattr(stats.qr, kind))
    table.add(_("Total"), stats.qr.total, is_total=True)
    return table


def _exhibitions_table(stats) -> Table:
    table = Table(
        "exhibitions",
        _("Exhibitions"),
        [
            Column(_("Exhibition")),
            Column(_("Role")),
            Column(_("Municipality")),
            Column(_("Visits"), True),
            Column(_("Pupils"), True),
            Column(_("QR registrations"), True),
        ],
    )
    for figures in [*stats.joint_exhibitions, *stats.local_exhibitions]:
        table.add(
            figures.title,
            figures.exhibition.get_role_display(),
            figures.municipality,
            figures.visits,
            figures.pupils,
            figures.qr,
        )
    return table


def _kind_columns() -> list[Column]:
    return [
        Column(_("Joint exhibition"), True),
        Column(_("Local exhibitions"), True),
        Column(_("Open studios"), True),
        Column(_("Total visits"), True),
    ]


def _kind_cells(counts: selectors.KindCounts) -> list[int]:
    return [counts.joint, counts.local, counts.studios, counts.total]


def _days_table(stats) -> Table:
    table = Table(
        "days",
        _("Visits by day"),
        [Column(_("Date")), *_kind_columns(), Column(_("QR registrations"), True)],
    )
    for day in stats.days:
        table.add(day.date, *_kind_cells(day.visits), day.qr)
    return table


def _weekends_table(stats) -> Table:
    table = Table(
        "weekends",
        _("Visits by open-studio weekend"),
        [
            Column(_("Weekend")),
            Column(_("From")),
            Column(_("To")),
            *_kind_columns(),
            Column(_("QR registrations"), True),
        ],
    )
    for weekend in stats.weekends:
        table.add(
            weekend.title,
            weekend.first_day,
            weekend.last_day,
            *_kind_cells(weekend.visits),
            weekend.qr,
        )
    return table


def _municipalities_table(stats) -> Table:
    table = Table(
        "municipalities",
        _("Visits by municipality"),
        [
            Column(_("Municipality")),
            Column(_("Visits"), True),
            Column(_("QR registrations"), True),
        ],
        note=_("The municipality of the venue where the visit was counted."),
    )
    for figures in stats.municipalities:
        table.add(figures.name or _("Unknown"), figures.visits, figures.qr)
    return table


def _categories_table(stats) -> Table:
    table = Table(
        "categories",
        _("Visits by category"),
        [
            Column(_("Category")),
            Column(_("Entries"), True),
            *_kind_columns(),
            Column(_("Pupils"), True),
        ],
    )
    for figures in stats.categories:
        table.add(figures.label, figures.entries, *_kind_cells(figures.visits), figures.pupils)
    return table


def _studios_table(stats) -> Table:
    table = Table(
        "studios",
        _("Visits per open studio"),
        [
            Column(_("Number"), numeric=True, grouped=False),
            Column(_("Studio")),
            Column(_("Municipality")),
            Column(_("Open")),
            Column(_("Visits"), True),
            Column(_("QR registrations"), True),
        ],
        note=_("Open: the studio has opening hours in the edition."),
    )
    for figures in stats.studios:
        table.add(
            figures.studio.number,
            figures.name,
            figures.municipality,
            figures.is_open,
            figures.visits,
            figures.qr,
        )
    return table


# Charts -----------------------------------------------------------------------------------


def year_on_year_chart(comparison: selectors.YearOnYear):
    bars = []
    for row in comparison.editions:
        if not row.has_figures:
            continue
        note = ""
        if row.change_percent is not None:
            note = _("%(percent)s %% from the edition before") % {
                "percent": format_value(row.change_percent)
            }
        if row.source == selectors.REPORTED:
            note = ", ".join(part for part in (note, _("reported")) if part)
        bars.append(
            Bar(
                str(row.year),
                row.total_visits,
                note=note,
                marked=row.fell,
                muted=row.source == selectors.REPORTED,
            )
        )
    return column_chart(
        bars,
        title=_("Visits per edition"),
        description=_(
            "Total visits per edition. An edition with fewer visits than the one before is "
            "hatched and marked ▼; lighter bars are reported figures."
        ),
    )


def edition_charts(stats: selectors.EditionStatistics) -> dict:
    places = [
        Bar(_place_label(kind), getattr(stats.counted, kind)) for kind in selectors.PLACE_KINDS
    ]
    qr = [Bar(_place_label(kind), getattr(stats.qr, kind)) for kind in selectors.PLACE_KINDS]
    return {
        "places": bar_chart(
            places,
            title=_("Visits by place type"),
            description=_("Counted visits at the joint exhibition, local exhibitions and studios."),
        ),
        "qr": bar_chart(
            qr,
            title=_("QR registrations"),
            description=_("Poster scans by place type; not part of the visits."),
        ),
        "days": column_chart(
            [Bar(date_format(day.date, "j.n."), day.visits.total) for day in stats.days],
            title=_("Visits by day"),
            description=_("Counted visits on each day, at all places."),
        ),
        "weekends": bar_chart(
            [Bar(weekend.title, weekend.visits.total) for weekend in stats.weekends],
            title=_("Visits by open-studio weekend"),
            description=_("Counted visits at all places on the days of each weekend."),
        ),
        "municipalities": bar_chart(
            [Bar(figures.name or _("Unknown"), figures.visits) for figures in stats.municipalities],
            title=_("Visits by municipality"),
            description=_("Counted visits by the municipality of the venue."),
        ),
        "categories": bar_chart(
            [Bar(figures.label, figures.visits.total) for figures in stats.categories],
            title=_("Visits by category"),
            description=_("Counted visits by category of visitor."),
        ),
        "studios": bar_chart(
            [
                Bar(f"{figures.studio.number or '–'}. {figures.name}", figures.visits)
                for figures in stats.studios
            ],
            title=_("Visits per open studio"),
            description=_("Counted visits at each open studio."),
        ),
    }


def all_time_facts(comparison: selectors.YearOnYear) -> list[tuple[str, str, str]]:
    """The few figures at the top of the year-on-year page: label, value and a remark."""
    all_time = comparison.all_time
    if not all_time.editions:
        return []
    years = f"{all_time.first_year}–{all_time.last_year}"
    return [
        (_("Visits, all time"), format_value(all_time.total_visits), years),
        (_("Editions with figures"), format_value(all_time.editions), ""),
        (_("Art sold, all time (NOK)"), format_value(all_time.art_sales), ""),
        (
            _("QR registrations, all time"),
            format_value(all_time.qr),
            _("not part of the visits"),
        ),
    ]


def edition_facts(stats: selectors.EditionStatistics) -> list[tuple[str, str, str]]:
    """The few figures at the top of an edition's page: label, value and a remark."""
    pupils = ""
    if stats.joint_pupils:
        pupils = _("of these %(pupils)s pupils") % {"pupils": format_value(stats.joint_pupils)}
    studios = ngettext(
        "in %(count)s open studio", "in %(count)s open studios", stats.open_studios
    ) % {"count": format_value(stats.open_studios)}
    return [
        (_("Total visits"), format_value(stats.total_visits), ""),
        (_("Joint exhibition"), format_value(stats.joint_visits), pupils),
        (_("Open studios"), format_value(stats.studio_visits), studios),
        (_("QR registrations"), format_value(stats.qr.total), _("not part of the visits")),
    ]


# The annual report -----------------------------------------------------------------------


def annual_report_sentences(
    stats: selectors.EditionStatistics, figures: selectors.YearFigures | None
) -> list[str]:
    """Return the sentences the annual report needs about an edition, in Norwegian bokmål."""
    sentences = []
    if stats.joint_visits:
        sentence = f"{nb_number(stats.joint_visits)} besøk i fellesutstillingen"
        if stats.joint_pupils:
            sentence += f", av disse {nb_number(stats.joint_pupils)} elever"
        sentences.append(sentence + ".")
    if stats.local_visits:
        sentence = f"{nb_number(stats.local_visits)} besøk i "
        counted = [figures for figures in stats.local_exhibitions if figures.visits]
        if stats.is_reported or not counted:
            sentence += "de lokale fellesutstillingene"
        elif len(stats.local_exhibitions) == 1:
            sentence += f"den lokale fellesutstillingen «{counted[0].title}»"
        else:
            places = [f"{figures.title}: {nb_number(figures.visits)}" for figures in counted]
            sentence += f"de lokale fellesutstillingene ({'; '.join(places)})"
        sentences.append(sentence + ".")
    if stats.studio_visits or stats.open_studios:
        open_studios = stats.open_studios
        studios = "åpent atelier" if open_studios == 1 else "åpne atelierer"
        if open_studios:
            studios = f"{nb_number(open_studios)} {studios}"
        sentence = f"{nb_number(stats.studio_visits)} besøk i {studios}"
        if open_studios > 1 and stats.visits_per_studio is not None:
            average = stats.visits_per_studio.quantize(Decimal("1"), ROUND_HALF_UP)
            sentence += f", i snitt {nb_number(average)} per atelier"
        sentences.append(sentence + ".")
    if stats.total_visits:
        sentences.append(f"Til sammen {nb_number(stats.total_visits)} besøk.")
    if figures is not None and figures.change is not None and figures.previous_year:
        more = "flere" if figures.change >= 0 else "færre"
        sentence = (
            f"Det er {nb_number(abs(figures.change))} {more} besøk enn i {figures.previous_year}"
        )
        if figures.change_percent is not None:
            sentence += f" ({nb_percent(figures.change_percent)})"
        sentences.append(sentence + ".")
    if stats.art_sales:
        sentence = f"Kunst for kr {nb_number(stats.art_sales)} ble solgt"
        if not stats.is_reported and stats.sales_count:
            sentence += f" ({nb_number(stats.sales_count)} salg)"
        sentences.append(sentence + ".")
    if stats.artists:
        sentence = f"{nb_number(stats.artists)} kunstnere deltok"
        if stats.applications:
            sentence += f", av {nb_number(stats.applications)} søkere"
        sentences.append(sentence + ".")
    if stats.qr.total:
        sentences.append(
            f"{nb_number(stats.qr.total)} besøkende registrerte seg med QR-kode "
            "(ikke regnet med i besøkstallene)."
        )
    if figures is not None and figures.cumulative_visits and figures.first_year:
        years = (
            f"{figures.first_year}–{figures.year}"
            if figures.first_year != figures.year
            else f"i {figures.year}"
        )
        sentences.append(f"Totalt {nb_number(figures.cumulative_visits)} besøk {years}.")
    return sentences


def annual_report_sections(year: int) -> list[ReportSection]:
    """Return one section per art-round edition held in the year."""
    sections = []
    for programme in selectors.art_round_programmes():
        comparison = selectors.year_on_year(programme)
        for figures in comparison.editions:
            if figures.year != year:
                continue
            stats = selectors.edition_statistics(figures.edition)
            sentences = annual_report_sentences(stats, figures)
            if sentences:
                sections.append(ReportSection(title=str(figures.edition), sentences=sentences))
    return sections
