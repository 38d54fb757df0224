"""The art round's part of the annual report: Norwegian sentences with the edition's figures.

The report is written in bokmål whatever the language of the pages, since the report
itself is. events.reports gathers these with the other programmes' parts for a year.
"""

from decimal import ROUND_HALF_UP, Decimal

from artists.selectors import statistics as selectors
from core.numbers import nb_number, nb_percent
from events.reports import ReportSection


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
        sentence = f"Kunst for {nb_number(stats.art_sales)} kr ble solgt"
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
