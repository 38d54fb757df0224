"""Helpers for tests that look at the SQL a page or feed sends."""

import re


def tables_read(queries) -> set[str]:
    """Return the tables named after FROM or JOIN in captured queries."""
    found = set()
    for query in queries:
        found.update(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]))
    return found
