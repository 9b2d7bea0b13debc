"""CSV exports: every cell neutralised against spreadsheet formulas (CSV injection).

Spreadsheet programs run a cell that starts with one of `FORMULA_PREFIXES` as a formula;
such a cell is written with a leading apostrophe, which makes them show it as text. Every
CSV the hub hands out goes through `csv_response`, so no export can forget it.

Every file starts with a UTF-8 byte order mark: without it, spreadsheet programs open a CSV in
the computer's legacy code page and show Arabic, Chinese or accented text as mojibake.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object that hands each written row back (for streaming)."""

    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The header and rows as CSV text, one line at a time, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable], *, stream: bool = False) -> HttpResponse:
    """A CSV attachment. With `stream`, `rows` is read lazily while the response is sent
    (for exports too large to hold in memory)."""
    lines = itertools.chain([BOM], csv_lines(header, rows))
    if stream:
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
