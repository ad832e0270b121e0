"""CSV files people open in Excel: UTF-8 with a byte-order mark, Vietnamese headers, safe cells.

Every CSV download of the API is written here, so that each one opens in Excel with its
Vietnamese intact (the BOM), ends lines as Excel expects (CRLF) and keeps text that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@`) as plain text.
"""

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> object:
    """Return a value as written to a cell: None empty, formula-like text quoted as text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Write a header row (Vietnamese labels) and the rows as Excel-friendly CSV bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return (BOM + out.getvalue()).encode("utf-8")


def attachment(filename: str) -> dict[str, str]:
    """Return the headers of a CSV download named `filename`."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
