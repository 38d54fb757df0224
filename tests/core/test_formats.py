"""The format filters (core/templatetags/kv.py) in bokmål and English."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

NBSP = "\xa0"
THIS_YEAR = timezone.localdate().year
# A Sunday in December: 13 December 2026, or the Sunday nearest it in this year's December.
SUNDAY = date(THIS_YEAR, 12, 13 - (date(THIS_YEAR, 12, 13).isoweekday() % 7))


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context)).replace(NBSP, " ")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.mark.parametrize(
    ("source", "nb", "en"),
    [
        ("{{ v|day }}", f"søndag {SUNDAY.day}. desember", f"Sunday {SUNDAY.day} December"),
        ("{{ v|day_short }}", f"søn {SUNDAY.day}. des", f"Sun {SUNDAY.day} Dec"),
        ("{{ v|clock }}", "18.00", "18:00"),
        (
            "{{ v|when }}",
            f"søndag {SUNDAY.day}. desember kl. 18.00",
            f"Sunday {SUNDAY.day} December, 18:00",
        ),
        ("{{ v|when_short }}", f"søn {SUNDAY.day}. des kl. 18.00", f"Sun {SUNDAY.day} Dec, 18:00"),
        (
            "{{ v|span:end }}",
            f"søndag {SUNDAY.day}. desember kl. 18.00–20.30",
            f"Sunday {SUNDAY.day} December, 18:00–20:30",
        ),
    ],
)
def test_days_and_times(source, nb, en):
    context = {"v": at(SUNDAY, 18), "end": at(SUNDAY, 20, 30)}
    assert render(source, "nb", **context) == nb
    assert render(source, "en", **context) == en


def test_a_day_in_another_year_names_the_year():
    day = date(2016, 9, 18)
    assert render("{{ v|day }}", "nb", v=day) == "søndag 18. september 2016"
    assert render("{{ v|day }}", "en", v=day) == "Sunday 18 September 2016"
    assert render("{{ v|date }}", "nb", v=day) == "18. september 2016"
    assert render("{{ v|date }}", "en", v=day) == "18 September 2016"


def test_a_span_over_several_days_names_both():
    start, end = at(SUNDAY, 18), at(date(THIS_YEAR, 12, SUNDAY.day + 1), 9)
    assert render("{{ v|span:end }}", "nb", v=start, end=end) == (
        f"søndag {SUNDAY.day}. desember kl. 18.00 – mandag {SUNDAY.day + 1}. desember kl. 09.00"
    )
    first, last = date(2016, 9, 10), date(2016, 9, 25)
    assert render("{{ v|span:end }}", "en", v=first, end=last) == (
        "Saturday 10 September 2016 – Sunday 25 September 2016"
    )


def test_times_are_local():
    """An aware datetime in UTC is written in Oslo's time."""
    utc = datetime(THIS_YEAR, 12, SUNDAY.day, 17, tzinfo=UTC)
    assert render("{{ v|clock }}", "nb", v=utc) == "18.00"


@pytest.mark.parametrize(
    ("value", "nb", "en"),
    [
        (39500, "kr 39 500", "NOK 39,500"),
        (150, "kr 150", "NOK 150"),
        (Decimal("150.00"), "kr 150", "NOK 150"),
        (Decimal("150.50"), "kr 150,50", "NOK 150.50"),
        (0, "kr 0", "NOK 0"),
    ],
)
def test_amounts(value, nb, en):
    assert render("{{ v|amount }}", "nb", v=value) == nb
    assert render("{{ v|amount }}", "en", v=value) == en


def test_a_price_of_nothing_is_free():
    assert render("{{ v|price }}", "nb", v=Decimal("0.00")) == "Gratis"
    assert render("{{ v|price }}", "en", v=0) == "Free"
    assert render("{{ v|price }}", "nb", v=Decimal("39500")) == "kr 39 500"


def test_numbers():
    assert render("{{ v|number }}", "nb", v=1234567) == "1 234 567"
    assert render("{{ v|number }}", "en", v=1234567) == "1,234,567"
    assert render("{{ v|number:1 }}", "nb", v=Decimal("4.26")) == "4,3"
    assert render("{{ v|number:1 }}", "en", v=Decimal("4.26")) == "4.3"


def test_nothing_gives_nothing():
    for name in ("day", "day_short", "clock", "when", "when_short", "amount", "price", "number"):
        assert render(f"{{{{ v|{name} }}}}", "nb", v=None) == ""
