"""CSV and XLSX writers for report tables and roster searches. Pure: tables in, bytes out.

Every text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) gets a leading apostrophe, in CSV and XLSX alike."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from openpyxl import Workbook

from roster.reports.tables import Table, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: Value) -> Value:
    """The value as a spreadsheet may hold it without running it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(neutralise(value))


def to_csv(tables: Iterable[Table]) -> bytes:
    """One table: header and rows. Several: each after a line with its caption, a blank line
    between them. UTF-8 with a byte-order mark so spreadsheet programs read accents right."""
    tables = list(tables)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([_text(table.caption)])
        writer.writerow([_text(h) for h in table.headers])
        writer.writerows([_text(v) for v in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(caption: str, key: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", key or caption)[:28] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        title, n = f"{base[:25]}-{n}", n + 1
    used.add(title.lower())
    return title


def _xlsx_cell(value: Value) -> Value:
    """Spreadsheets hold no time zones: an aware time is written as UTC wall time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return neutralise(value)


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """One sheet per table: its caption on the first row, then the header and the rows.
    Numbers and dates stay typed; text is neutralised like CSV cells."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.caption, table.key, used))
        sheet.append([neutralise(table.caption)])
        sheet.append([neutralise(h) for h in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_cell(v) for v in row])
    if not book.worksheets:
        book.create_sheet("empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write(tables: Iterable[Table], fmt: str) -> tuple[bytes, str]:
    """The file's bytes and mimetype for `fmt` "csv" or "xlsx"; ValueError for anything else."""
    if fmt == "csv":
        return to_csv(tables), CSV_MIMETYPE
    if fmt == "xlsx":
        return to_xlsx(tables), XLSX_MIMETYPE
    raise ValueError(f"unknown export format {fmt!r}")
