"""Dates, times, numbers and amounts as the reader's language writes them.

The formats live in config/formats/<language>/formats.py; these functions pick them for the
active language, and core/templatetags/kv.py offers each one as a template filter. Exports
(CSV, spreadsheets, feeds) keep ISO dates and plain numbers and do not come through here.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, pgettext

from config.formats.en import formats as english_formats

NO_BREAK_SPACE = "\u00a0"
EN_DASH = "\u2013"


def named_format(name: str) -> str:
    """Return one of our own named formats (DAY_FORMAT, DAY_TIME_JOIN...) for the language."""
    for module in formats.get_format_modules(get_language()):
        if hasattr(module, name):
            return getattr(module, name)
    # A language without a module of ours writes as English does.
    return getattr(english_formats, name)


def _local(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day_of(value: datetime.date | datetime.datetime) -> datetime.date:
    value = _local(value)
    return value.date() if isinstance(value, datetime.datetime) else value


def day(value: datetime.date | datetime.datetime, *, short: bool = False) -> str:
    """Return the day with its weekday: "søndag 13. desember", the year when not this one."""
    value = _local(value)
    other_year = _day_of(value).year != timezone.localdate().year
    name = ("SHORT_" if short else "") + ("DAY_YEAR_FORMAT" if other_year else "DAY_FORMAT")
    return formats.date_format(value, named_format(name))


def time(value: datetime.time | datetime.datetime) -> str:
    """Return the time of day: 18.00 in bokmål, 18:00 in English."""
    return formats.time_format(_local(value), "TIME_FORMAT")


def when(value: datetime.datetime, *, short: bool = False) -> str:
    """Return day and time: "søndag 13. desember kl. 18.00", "Sunday 13 December, 18:00"."""
    return named_format("DAY_TIME_JOIN").format(day=day(value, short=short), time=time(value))


def span(
    start: datetime.date | datetime.datetime,
    end: datetime.date | datetime.datetime | None,
    *,
    short: bool = False,
) -> str:
    """Return a start–end range, naming the day once when both are on the same day."""
    if end is None:
        return when(start, short=short) if isinstance(start, datetime.datetime) else day(start)
    if not isinstance(start, datetime.datetime):
        if start == end:
            return day(start, short=short)
        return f"{day(start, short=short)} {EN_DASH} {day(end, short=short)}"
    if _day_of(start) == _day_of(end):
        return f"{when(start, short=short)}{EN_DASH}{time(end)}"
    return f"{when(start, short=short)} {EN_DASH} {when(end, short=short)}"


def number(value: int | float | Decimal, decimal_pos: int | None = None) -> str:
    """Return a number grouped as the language groups it: 39 500 (no-break space), 39,500."""
    if decimal_pos is not None:
        # Django's number_format cuts the decimals it does not show; round them instead.
        value = Decimal(value).quantize(Decimal(1).scaleb(-decimal_pos), ROUND_HALF_UP)
    return formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)


def amount(value: int | Decimal | None) -> str:
    """Return an amount of kroner: "kr 39 500", "kr 150,50"; whole kroner without ",00"."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    decimal_pos = 0 if value == value.to_integral_value() else 2
    currency = pgettext("currency before an amount of Norwegian kroner", "NOK")
    return f"{currency}{NO_BREAK_SPACE}{number(value, decimal_pos)}"


def price(value: int | Decimal | None) -> str:
    """Return what something costs: an amount, or "Free" when it costs nothing."""
    if value is not None and value != "" and Decimal(value) == 0:
        return gettext("Free")
    return amount(value)
