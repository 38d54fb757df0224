"""Helpers for tests that look at the SQL a page or feed sends."""

import re


def tables_read(queries) -> set[str]:
    """Return the tables named after FROM or JOIN in captured queries."""
    found = set()
    for query in queries:
        found.update(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]))
    return found


def tables_with_stamps() -> set[str]:
    """Return the tables whose writes bump change stamps (core.stamps.register)."""
    from core.stamps import registered

    return {model._meta.db_table for model in registered()}
