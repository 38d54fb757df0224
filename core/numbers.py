"""Numbers as Norwegian writes them, for reports printed in bokmål whatever the UI language."""

from decimal import Decimal

NO_BREAK_SPACE = "\u00a0"


def nb_number(value: int | Decimal) -> str:
    """Return a number as Norwegian writes it: 4 250 (no-break space), 131,2."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        whole, fraction = f"{value:,.1f}".split(".")
        return whole.replace(",", NO_BREAK_SPACE) + "," + fraction
    return f"{int(value):,}".replace(",", NO_BREAK_SPACE)


def nb_percent(value: Decimal) -> str:
    """Return a change in per cent with its sign: −8,1 % or +3,0 %."""
    sign = "−" if value < 0 else "+"
    return f"{sign}{abs(value):.1f}".replace(".", ",") + NO_BREAK_SPACE + "%"
