"""Visitor statistics of the art round: per edition, year on year and all time.

Tallies are the official count and voided tallies never count. QR registrations are an
engagement signal and are reported beside the tallies, never added to them. Art sales
appear as totals only, never per artist. An edition without tallies is represented by
its ReportedFigures (editions counted before Kulturvest existed).

Everything is aggregated in the database: each function runs a fixed number of GROUP BY
queries, however many tallies, studios or editions there are.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from artists.models import (
    Application,
    ArtSale,
    Decision,
    Exhibition,
    QrVisit,
    ReportedFigures,
    Studio,
    StudioHours,
    VisitTally,
)
from artists.weekends import open_studio_weekends
from events.models import Event, Period, Programme

# The three kinds of place where visits are counted.
JOINT = "joint"
LOCAL = "local"
STUDIOS = "studios"
PLACE_KINDS = (JOINT, LOCAL, STUDIOS)

# Where an edition's figures come from.
COUNTED = "counted"
REPORTED = "reported"
NO_FIGURES = "none"


def _place_kind() -> Case:
    """The kind of place a tally or QR registration belongs to, as an SQL expression."""
    return Case(
        When(studio__isnull=False, then=Value(STUDIOS)),
        When(exhibition__role=Exhibition.Role.JOINT, then=Value(JOINT)),
        default=Value(LOCAL),
        output_field=CharField(),
    )


def counted_tallies() -> QuerySet[VisitTally]:
    """Return the tallies that count: every one that was not voided."""
    return VisitTally.objects.filter(voided_at__isnull=True)


def _sum(name: str) -> Coalesce:
    return Coalesce(Sum(name), 0)


def percent_change(before: int, after: int) -> Decimal | None:
    """Return the change from before to after in per cent, one decimal (None from zero)."""
    if not before:
        return None
    return (Decimal(after - before) * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP)


def edition_year(edition: Period) -> int:
    return edition.start.year


# Per edition -----------------------------------------------------------------------------


@dataclass
class KindCounts:
    """Visits (tallies) at the joint exhibition, the local exhibitions and the studios."""

    joint: int = 0
    local: int = 0
    studios: int = 0

    @property
    def total(self) -> int:
        return self.joint + self.local + self.studios

    def add(self, kind: str, value: int) -> None:
        setattr(self, kind, getattr(self, kind) + (value or 0))


@dataclass
class ExhibitionFigures:
    exhibition: Exhibition
    visits: int = 0
    pupils: int = 0
    qr: int = 0

    @property
    def title(self) -> str:
        return str(self.exhibition.event)

    @property
    def municipality(self) -> str:
        venue = self.exhibition.event.venue
        return venue.municipality.name if venue else ""


@dataclass
class StudioFigures:
    studio: Studio
    is_open: bool
    visits: int = 0
    qr: int = 0

    @property
    def name(self) -> str:
        return self.studio.venue.name

    @property
    def municipality(self) -> str:
        return self.studio.venue.municipality.name


@dataclass
class DayFigures:
    date: date
    visits: KindCounts = field(default_factory=KindCounts)
    qr: int = 0


@dataclass
class WeekendFigures:
    weekend: Event
    first_day: date
    last_day: date
    visits: KindCounts = field(default_factory=KindCounts)
    qr: int = 0

    @property
    def title(self) -> str:
        return str(self.weekend)


@dataclass
class MunicipalityFigures:
    municipality_id: int | None
    name: str
    visits: int = 0
    qr: int = 0


@dataclass
class CategoryFigures:
    category: str
    label: str
    entries: int = 0
    pupils: int = 0
    visits: KindCounts = field(default_factory=KindCounts)


@dataclass
class EditionStatistics:
    """An edition's figures. The headline figures follow ``source``; the tables are counted."""

    edition: Period
    source: str
    reported: ReportedFigures | None
    joint_exhibitions: list[ExhibitionFigures]
    local_exhibitions: list[ExhibitionFigures]
    studios: list[StudioFigures]
    days: list[DayFigures]
    weekends: list[WeekendFigures]
    municipalities: list[MunicipalityFigures]
    categories: list[CategoryFigures]
    counted: KindCounts
    counted_pupils: int
    qr: KindCounts
    sales_total: int
    sales_count: int
    accepted_artists: int
    applications: int

    @property
    def year(self) -> int:
        return edition_year(self.edition)

    @property
    def is_reported(self) -> bool:
        return self.source == REPORTED

    @property
    def joint_visits(self) -> int:
        return self.reported.joint_exhibition_visits if self.is_reported else self.counted.joint

    @property
    def joint_pupils(self) -> int:
        return self.reported.joint_exhibition_pupils if self.is_reported else self.counted_pupils

    @property
    def local_visits(self) -> int:
        return self.reported.local_exhibition_visits if self.is_reported else self.counted.local

    @property
    def studio_visits(self) -> int:
        return self.reported.studio_visits if self.is_reported else self.counted.studios

    @property
    def total_visits(self) -> int:
        return self.joint_visits + self.local_visits + self.studio_visits

    @property
    def open_studios(self) -> int:
        if self.is_reported:
            return self.reported.open_studios
        return sum(1 for figures in self.studios if figures.is_open)

    @property
    def visits_per_studio(self) -> Decimal | None:
        if not self.open_studios:
            return None
        return (Decimal(self.studio_visits) / self.open_studios).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def artists(self) -> int:
        return self.reported.artists if self.is_reported else self.accepted_artists

    @property
    def art_sales(self) -> int:
        return self.reported.art_sales if self.is_reported else self.sales_total


def _source(has_tallies: bool, reported: ReportedFigures | None) -> str:
    if has_tallies:
        return COUNTED
    return REPORTED if reported is not None else NO_FIGURES


def _reported_figures(edition: Period) -> ReportedFigures | None:
    return ReportedFigures.objects.filter(edition=edition).first()


def _place_key(row: dict) -> tuple[str, int]:
    if row["studio_id"]:
        return ("studio", row["studio_id"])
    return ("exhibition", row["exhibition_id"])


def _edition_places(edition: Period) -> tuple[list[Exhibition], list[tuple[Studio, bool]]]:
    found = list(
        Exhibition.objects.filter(event__period=edition)
        .select_related("event__venue__municipality")
        .order_by("event__start", "pk")
    )
    studios = (
        Studio.objects.filter(edition=edition)
        .select_related("venue__municipality")
        .annotate(is_open=Exists(StudioHours.objects.filter(studio=OuterRef("pk"))))
        .order_by("number", "venue__name", "pk")
    )
    return found, [(studio, studio.is_open) for studio in studios]


def _weekend_days(weekend: Event) -> tuple[date, date]:
    return timezone.localtime(weekend.start).date(), timezone.localtime(weekend.end).date()


def _artists_and_applications(editions: QuerySet[Period]) -> dict[int, dict]:
    """Per edition: accepted artists (released decisions) and submitted applications."""
    accepted = Q(decision__outcome=Decision.Outcome.ACCEPTED, decision__released_at__isnull=False)
    rows = (
        Application.objects.filter(call__period__in=editions)
        .values("call__period_id")
        .annotate(
            artists=Count("artist", filter=accepted, distinct=True),
            applications=Count("pk", filter=Q(state=Application.State.SUBMITTED), distinct=True),
        )
        .order_by()
    )
    return {row["call__period_id"]: row for row in rows}


def edition_statistics(edition: Period) -> EditionStatistics:
    """Return an edition's visitor figures by place, day, weekend, municipality and category."""
    exhibitions, studios = _edition_places(edition)
    tallies = counted_tallies().filter(edition=edition)
    qr_visits = QrVisit.objects.filter(edition=edition)

    by_place = {
        _place_key(row): row
        for row in tallies.values("studio_id", "exhibition_id")
        .annotate(visitors=_sum("visitors"), pupils=_sum("pupils"))
        .order_by()
    }
    qr_by_place = {
        _place_key(row): row["registrations"]
        for row in qr_visits.values("studio_id", "exhibition_id")
        .annotate(registrations=Count("pk"))
        .order_by()
    }

    joint, local = [], []
    counted, qr = KindCounts(), KindCounts()
    counted_pupils = 0
    for exhibition in exhibitions:
        row = by_place.get(("exhibition", exhibition.pk), {})
        figures = ExhibitionFigures(
            exhibition,
            visits=row.get("visitors", 0),
            pupils=row.get("pupils", 0),
            qr=qr_by_place.get(("exhibition", exhibition.pk), 0),
        )
        kind = JOINT if exhibition.role == Exhibition.Role.JOINT else LOCAL
        (joint if kind == JOINT else local).append(figures)
        counted.add(kind, figures.visits)
        qr.add(kind, figures.qr)
        if kind == JOINT:
            counted_pupils += figures.pupils
    studio_figures = []
    for studio, is_open in studios:
        figures = StudioFigures(
            studio,
            is_open=is_open,
            visits=by_place.get(("studio", studio.pk), {}).get("visitors", 0),
            qr=qr_by_place.get(("studio", studio.pk), 0),
        )
        if figures.is_open or figures.visits or figures.qr:
            studio_figures.append(figures)
        counted.add(STUDIOS, figures.visits)
        qr.add(STUDIOS, figures.qr)

    days = _days(tallies, qr_visits)
    reported = _reported_figures(edition)
    people = _artists_and_applications(Period.objects.filter(pk=edition.pk)).get(edition.pk, {})
    sales = ArtSale.objects.filter(edition=edition).aggregate(
        total=_sum("amount"), count=Count("pk")
    )
    return EditionStatistics(
        edition=edition,
        source=_source(bool(by_place), reported),
        reported=reported,
        joint_exhibitions=joint,
        local_exhibitions=local,
        studios=studio_figures,
        days=days,
        weekends=_weekends(edition, days),
        municipalities=_municipalities(tallies, qr_visits),
        categories=_categories(tallies),
        counted=counted,
        counted_pupils=counted_pupils,
        qr=qr,
        sales_total=sales["total"],
        sales_count=sales["count"],
        accepted_artists=people.get("artists", 0),
        applications=people.get("applications", 0),
    )


def _days(tallies: QuerySet[VisitTally], qr_visits: QuerySet[QrVisit]) -> list[DayFigures]:
    days: dict[date, DayFigures] = {}
    rows = (
        tallies.annotate(kind=_place_kind())
        .values("date", "kind")
        .annotate(visitors=_sum("visitors"))
        .order_by()
    )
    for row in rows:
        days.setdefault(row["date"], DayFigures(row["date"])).visits.add(
            row["kind"], row["visitors"]
        )
    for row in qr_visits.values("date").annotate(registrations=Count("pk")).order_by():
        days.setdefault(row["date"], DayFigures(row["date"])).qr = row["registrations"]
    return [days[day] for day in sorted(days)]


def _weekends(edition: Period, days: list[DayFigures]) -> list[WeekendFigures]:
    weekends = []
    for weekend in open_studio_weekends(edition):
        first, last = _weekend_days(weekend)
        figures = WeekendFigures(weekend, first, last)
        for day in days:
            if first <= day.date <= last:
                for kind in PLACE_KINDS:
                    figures.visits.add(kind, getattr(day.visits, kind))
                figures.qr += day.qr
        weekends.append(figures)
    return weekends


def _municipality_columns():
    return {
        "municipality_id": Coalesce(
            "studio__venue__municipality_id", "exhibition__event__venue__municipality_id"
        ),
        "municipality_name": Coalesce(
            "studio__venue__municipality__name",
            "exhibition__event__venue__municipality__name",
            Value(""),
        ),
    }


def _municipalities(
    tallies: QuerySet[VisitTally], qr_visits: QuerySet[QrVisit]
) -> list[MunicipalityFigures]:
    found: dict[int | None, MunicipalityFigures] = {}
    columns = _municipality_columns()
    rows = (
        tallies.annotate(**columns).values(*columns).annotate(visitors=_sum("visitors")).order_by()
    )
    for row in rows:
        key = row["municipality_id"]
        found.setdefault(key, MunicipalityFigures(key, row["municipality_name"]))
        found[key].visits += row["visitors"]
    qr_rows = qr_visits.annotate(**columns).values(*columns).annotate(n=Count("pk")).order_by()
    for row in qr_rows:
        key = row["municipality_id"]
        found.setdefault(key, MunicipalityFigures(key, row["municipality_name"]))
        found[key].qr += row["n"]
    return sorted(found.values(), key=lambda figures: (-figures.visits, figures.name))


def _categories(tallies: QuerySet[VisitTally]) -> list[CategoryFigures]:
    categories = {
        value: CategoryFigures(value, str(label)) for value, label in VisitTally.Category.choices
    }
    rows = (
        tallies.annotate(kind=_place_kind())
        .values("category", "kind")
        .annotate(entries=Count("pk"), visitors=_sum("visitors"), pupils=_sum("pupils"))
        .order_by()
    )
    for row in rows:
        figures = categories.setdefault(
            row["category"], CategoryFigures(row["category"], row["category"])
        )
        figures.entries += row["entries"]
        figures.pupils += row["pupils"]
        figures.visits.add(row["kind"], row["visitors"])
    return list(categories.values())


# Year on year ----------------------------------------------------------------------------


@dataclass
class YearFigures:
    """One edition in the year-on-year comparison."""

    edition: Period
    source: str
    joint_visits: int = 0
    joint_pupils: int = 0
    local_visits: int = 0
    studio_visits: int = 0
    open_studios: int = 0
    artists: int = 0
    applications: int = 0
    art_sales: int = 0
    qr: int = 0
    change: int | None = None
    change_percent: Decimal | None = None
    # The year of the edition the change is measured from.
    previous_year: int | None = None
    cumulative_visits: int = 0
    # The year of the first edition with figures, for "153 000 besøk 2007–2016".
    first_year: int | None = None

    @property
    def year(self) -> int:
        return edition_year(self.edition)

    @property
    def has_figures(self) -> bool:
        return self.source != NO_FIGURES

    @property
    def total_visits(self) -> int:
        return self.joint_visits + self.local_visits + self.studio_visits

    @property
    def fell(self) -> bool:
        return self.change is not None and self.change < 0


@dataclass
class AllTime:
    editions: int = 0
    first_year: int | None = None
    last_year: int | None = None
    joint_visits: int = 0
    joint_pupils: int = 0
    local_visits: int = 0
    studio_visits: int = 0
    art_sales: int = 0
    qr: int = 0

    @property
    def total_visits(self) -> int:
        return self.joint_visits + self.local_visits + self.studio_visits


@dataclass
class YearOnYear:
    programme: Programme | None
    editions: list[YearFigures]
    all_time: AllTime

    def figures_of(self, edition: Period) -> YearFigures | None:
        return next((row for row in self.editions if row.edition.pk == edition.pk), None)


SUMMED = ("joint_visits", "joint_pupils", "local_visits", "studio_visits", "art_sales", "qr")


def art_round_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(kind=Programme.Kind.ART_ROUND).order_by("name", "pk")


def year_on_year(programme: Programme | None) -> YearOnYear:
    """Return every edition of a programme with its figures, the change and the totals.

    An edition with tallies shows its counted figures; one without shows its reported
    figures; one with neither is listed without figures and skipped by the comparison.
    """
    if programme is None:
        return YearOnYear(None, [], AllTime())
    editions = (
        Period.objects.filter(programme=programme)
        .select_related("reported_figures", "programme")
        .order_by("start", "pk")
    )
    counted: dict[int, dict[str, int]] = {}
    tally_rows = (
        counted_tallies()
        .filter(edition__programme=programme)
        .annotate(kind=_place_kind())
        .values("edition_id", "kind")
        .annotate(visitors=_sum("visitors"), pupils=_sum("pupils"))
        .order_by()
    )
    for row in tally_rows:
        values = counted.setdefault(row["edition_id"], {})
        values[row["kind"]] = row["visitors"]
        if row["kind"] == JOINT:
            values["pupils"] = row["pupils"]
    qr = dict(
        QrVisit.objects.filter(edition__programme=programme)
        .values("edition_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("edition_id", "n")
    )
    open_studios = dict(
        Studio.objects.filter(edition__programme=programme, hours__isnull=False)
        .values("edition_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("edition_id", "n")
    )
    sales = dict(
        ArtSale.objects.filter(edition__programme=programme)
        .values("edition_id")
        .annotate(total=_sum("amount"))
        .order_by()
        .values_list("edition_id", "total")
    )
    people = _artists_and_applications(editions)

    rows = []
    for edition in editions:
        reported = getattr(edition, "reported_figures", None)
        source = _source(edition.pk in counted, reported)
        row = YearFigures(edition, source, qr=qr.get(edition.pk, 0))
        row.applications = people.get(edition.pk, {}).get("applications", 0)
        if source == COUNTED:
            values = counted[edition.pk]
            row.joint_visits = values.get(JOINT, 0)
            row.joint_pupils = values.get("pupils", 0)
            row.local_visits = values.get(LOCAL, 0)
            row.studio_visits = values.get(STUDIOS, 0)
            row.open_studios = open_studios.get(edition.pk, 0)
            row.artists = people.get(edition.pk, {}).get("artists", 0)
            row.art_sales = sales.get(edition.pk, 0)
        elif source == REPORTED:
            row.joint_visits = reported.joint_exhibition_visits
            row.joint_pupils = reported.joint_exhibition_pupils
            row.local_visits = reported.local_exhibition_visits
            row.studio_visits = reported.studio_visits
            row.open_studios = reported.open_studios
            row.artists = reported.artists
            row.art_sales = reported.art_sales
        rows.append(row)
    return YearOnYear(programme, rows, _compare(rows))


def _compare(rows: list[YearFigures]) -> AllTime:
    """Fill in each row's change and running total, and return the all-time totals."""
    all_time = AllTime()
    previous = None
    for row in rows:
        if not row.has_figures:
            continue
        if previous is not None:
            row.change = row.total_visits - previous.total_visits
            row.change_percent = percent_change(previous.total_visits, row.total_visits)
            row.previous_year = previous.year
        all_time.editions += 1
        all_time.first_year = all_time.first_year or row.year
        all_time.last_year = row.year
        for name in SUMMED:
            setattr(all_time, name, getattr(all_time, name) + getattr(row, name))
        row.cumulative_visits = all_time.total_visits
        row.first_year = all_time.first_year
        previous = row
    return all_time
