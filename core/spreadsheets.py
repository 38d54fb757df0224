"""Every CSV and XLSX file the site writes, written so that no cell runs as a formula.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some programs, one that begins with a tab or a carriage return before such a character) as
a formula: a registrant named ``=HYPERLINK("http://evil", "x")`` would become a live link
in the staff's export. Such text is written with a leading apostrophe, the spreadsheet's own
mark for "this is text"; numbers, dates and other values that are not text stay as they are
(a negative number is a number). Every export goes through ``write()`` (the pages) or the
formats below (the admin's django-import-export), so the rule is kept here only.

An import reads a cell written so back as the text it stood for (``unquote_cell``), so that
a file exported, edited and imported again does not gain an apostrophe.
"""

import tablib
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from import_export.formats import base_formats

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    """Return the value as a spreadsheet may show it: text a formula could start, marked as text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return TEXT_MARK + value
    return value


def unquote_cell(value):
    """Return an imported cell's text without the mark safe_cell() put before it."""
    if (
        isinstance(value, str)
        and value.startswith(TEXT_MARK)
        and value[1:].startswith(FORMULA_PREFIXES)
    ):
        return value[1:]
    return value


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """Return a copy of the dataset whose headers and cells went through safe_cell()."""
    safe = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = [safe_cell(header) for header in dataset.headers]
    for row in dataset:
        safe.append([safe_cell(cell) for cell in row])
    return safe


def write(dataset: tablib.Dataset, fmt: str) -> str | bytes:
    """Return the dataset as a CSV (text, with a BOM so Excel reads UTF-8) or XLSX file."""
    safe = safe_dataset(dataset)
    if fmt == "xlsx":
        return safe.export("xlsx")
    if fmt == "csv":
        return "\ufeff" + safe.export("csv")
    raise ValueError(f"unknown spreadsheet format: {fmt}")


def download(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """Answer with the dataset as a file to save, named filename.fmt."""
    response = HttpResponse(write(dataset, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


class CSV(base_formats.CSV):
    """The admin's CSV export, with formula cells marked as text."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(safe_dataset(dataset), **kwargs)


class XLSX(base_formats.XLSX):
    """The admin's XLSX export, with formula cells marked as text."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(safe_dataset(dataset), **kwargs)
