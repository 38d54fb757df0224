"""Template filters for dates, times, numbers and amounts: one filter each.

Loaded in every template (TEMPLATES' builtins). Use them instead of |date:"..." with a
hand-built format: {{ event.start|when }}, {{ offer.price|price }}, {{ sale.amount|amount }}.
"""

from django import template

from core import formats

register = template.Library()


def _or_empty(function, value, *args, **kwargs) -> str:
    if value in (None, ""):
        return ""
    try:
        return function(value, *args, **kwargs)
    except (TypeError, ValueError, AttributeError):
        return ""


@register.filter(expects_localtime=True)
def day(value) -> str:
    """{{ event.start|day }}: "søndag 13. desember" (year added when not this year)."""
    return _or_empty(formats.day, value)


@register.filter(expects_localtime=True)
def day_short(value) -> str:
    """{{ event.start|day_short }}: "søn 13. des"."""
    return _or_empty(formats.day, value, short=True)


@register.filter(expects_localtime=True)
def clock(value) -> str:
    """{{ event.start|clock }}: "18.00" in bokmål, "18:00" in English."""
    return _or_empty(formats.time, value)


@register.filter(expects_localtime=True)
def when(value) -> str:
    """{{ event.start|when }}: "søndag 13. desember kl. 18.00"."""
    return _or_empty(formats.when, value)


@register.filter(expects_localtime=True)
def when_short(value) -> str:
    """{{ event.start|when_short }}: "søn 13. des kl. 18.00"."""
    return _or_empty(formats.when, value, short=True)


@register.filter(expects_localtime=True)
def span(start, end) -> str:
    """{{ event.start|span:event.end }}: "søndag 13. desember kl. 18.00–20.00"."""
    return _or_empty(formats.span, start, end or None)


@register.filter(expects_localtime=True)
def span_short(start, end) -> str:
    """{{ event.start|span_short:event.end }}: "søn. 13. des. kl. 18.00–20.00"."""
    return _or_empty(formats.span, start, end or None, short=True)


@register.filter
def number(value, decimal_pos=None) -> str:
    """{{ count|number }}: "39 500"; {{ score|number:1 }}: "4,5"."""
    if decimal_pos not in (None, ""):
        decimal_pos = int(decimal_pos)
    return _or_empty(formats.number, value, decimal_pos)


@register.filter
def amount(value) -> str:
    """{{ sale.amount|amount }}: "kr 39 500", "kr 150,50"."""
    return _or_empty(formats.amount, value)


@register.filter
def price(value) -> str:
    """{{ offer.price|price }}: like amount, but "Gratis" when it costs nothing."""
    return _or_empty(formats.price, value)
