"""The orchestra's part of the annual report: Norwegian sentences with the year's figures.

Written in bokmål whatever the language of the pages, since the report itself is;
events.reports gathers it with the other programmes' parts. Counts only: no names.
"""

from datetime import date

from core.numbers import nb_number
from events.models import Event, Programme
from events.reports import ReportSection
from orchestra.models import Member, StatusChange
from orchestra.selectors.figures import OrchestraFigures, orchestra_figures

LEFT_BECAUSE = {
    StatusChange.Reason.AGE_LIMIT: "nådde øvre aldersgrense",
    StatusChange.Reason.TALENT_PROGRAMME: "gikk videre til et nasjonalt talentprogram",
    StatusChange.Reason.MUSIC_LINE: "begynte på musikklinje i videregående skole",
    StatusChange.Reason.HIGHER_EDUCATION: "begynte på høyere musikkutdanning",
    StatusChange.Reason.OTHER: "sluttet av andre grunner",
}
COMES_FROM = {
    Member.Origin.MUSIC_SCHOOL: "kulturskoler",
    Member.Origin.SCHOOL_ORCHESTRA: "skoleorkestre",
    Member.Origin.SCHOOL_BAND: "skolekorps",
    Member.Origin.UPPER_SECONDARY: "videregående skoler",
    Member.Origin.OTHER: "andre steder",
}
EVENT_WORDS = [
    (Event.Kind.REHEARSAL_WEEKEND, "helgesamling", "helgesamlinger"),
    (Event.Kind.SESSION, "økt", "økter"),
    (Event.Kind.MASTER_CLASS, "mesterklasse", "mesterklasser"),
    (Event.Kind.CONCERT, "konsert", "konserter"),
    (Event.Kind.TOUR, "turné", "turneer"),
]


TOUR_ROLE_WORDS = [
    ("player", "spiller", "spillere"),
    ("conductor", "dirigent", "dirigenter"),
    ("teacher", "lærer", "lærere"),
    ("tour_leader", "turleder", "turledere"),
    ("companion", "ledsager", "ledsagere"),
    ("guest", "gjestemusiker", "gjestemusikere"),
]


def counted(number: int, one: str, many: str) -> str:
    return f"{nb_number(number)} {one if number == 1 else many}"


def listed(parts: list[str]) -> str:
    """Join parts the Norwegian way: a, b og c."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def year_sentences(figures: OrchestraFigures, at: str | None = None) -> list[str]:
    """Return the sentences the annual report needs about the orchestra's year.

    ``at`` says when the groups were counted; by default at the end of the last day's year.
    """
    at = at or f"ved utgangen av {figures.last_day.year}"
    sentences = []
    groups = [g for g in figures.groups if g.members]
    if groups:
        first, *rest = groups
        sizes = [f"{first.group.name} hadde {counted(first.members, 'medlem', 'medlemmer')}"]
        sizes += [f"{g.group.name} {nb_number(g.members)}" for g in rest]
        sentences.append(f"{listed(sizes)} {at}.")
    if figures.joined:
        sentences.append(f"{counted(figures.joined, 'nytt medlem', 'nye medlemmer')} begynte.")
    if figures.left_total:
        reasons = [
            f"{nb_number(number)} {LEFT_BECAUSE.get(reason, LEFT_BECAUSE['other'])}"
            for reason, number in sorted(figures.left.items(), key=lambda item: -item[1])
        ]
        left = counted(figures.left_total, "medlem", "medlemmer")
        sentences.append(f"{left} sluttet: {listed(reasons)}.")
    if figures.origins:
        origins = [
            f"{COMES_FROM.get(origin, 'andre steder')} ({nb_number(number)})"
            for origin, number in sorted(figures.origins.items(), key=lambda item: -item[1])
        ]
        sentences.append(f"Medlemmene kommer fra {listed(origins)}.")
    events = [
        counted(figures.events[kind], one, many)
        for kind, one, many in EVENT_WORDS
        if figures.events.get(kind)
    ]
    if events:
        sentences.append(f"{listed(events)}.".capitalize())
    if figures.tour_participants:
        total = sum(figures.tour_participants.values())
        roles = [
            counted(figures.tour_participants[role], one, many)
            for role, one, many in TOUR_ROLE_WORDS
            if figures.tour_participants.get(role)
        ]
        sentences.append(f"{counted(total, 'deltaker', 'deltakere')} på turné: {listed(roles)}.")
    return sentences


def annual_report_sections(year: int) -> list[ReportSection]:
    """Return one section per orchestra programme with figures for the year."""
    sections = []
    for programme in Programme.objects.filter(kind=Programme.Kind.ORCHESTRA).order_by("name"):
        figures = orchestra_figures(programme, date(year, 1, 1), date(year, 12, 31))
        sentences = year_sentences(figures)
        if sentences:
            sections.append(ReportSection(title=f"{programme.name} {year}", sentences=sentences))
    return sections
