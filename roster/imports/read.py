"""Reading an uploaded expert file (CSV or XLSX) into lines of text, within fixed bounds.

A small file can unpack or parse into something huge (an XLSX is a zip: one shared string of
400 MB compresses to 400 KB, ten million empty rows to 2 MB). So every bound is checked while
reading and the reader stops at the first one passed: the upload's size, the members' declared
and actually unpacked sizes, rows, columns and the length of one cell. Nothing here touches the
database; `check` checks the lines it returns."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from xml.parsers import expat

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

MiB = 1024 * 1024
MAX_BYTES = 16 * MiB  # the upload as sent: the page says it, the check and the body limit use it
MAX_UNPACKED = 3 * MAX_BYTES  # all members of an XLSX once unpacked, declared and actually read
MAX_MEMBERS = 500
MAX_ROWS = 20_000  # rows of experts, the header not counted
MAX_LINES = 2 * MAX_ROWS  # every line read, empty ones included
MAX_COLUMNS = 50
MAX_CELL = 10_000  # characters in one cell; the longest field (bio) allows 5,000
CHUNK = 64 * 1024
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

MESSAGES = {
    "too_big": _l("The file is larger than %(mib)s MiB."),
    "unpacks": _l("The workbook unpacks to more than %(mib)s MiB."),
    "rows": _l("At most %(rows)s rows per file (and %(lines)s lines, counting empty ones)."),
    "columns": _l("At most %(columns)s columns per file."),
    "cell": _l("Line %(line)s: a cell is longer than %(chars)s characters."),
    "shared_cell": _l("A cell is longer than %(chars)s characters."),
    "csv": _l("Line %(line)s of the CSV file cannot be read."),
    "xlsx": _l("This is not a readable XLSX workbook."),
    "encoding": _l("The CSV file must be UTF-8 encoded."),
}
# What openpyxl raises for a workbook it cannot make sense of (SyntaxError: XML parse errors).
UNREADABLE = (zipfile.BadZipFile, KeyError, IndexError, TypeError, ValueError, OSError, SyntaxError)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, no header, missing columns, too big)."""


def refuse(code: str, line: int | None = None) -> ImportFileError:
    """The error for a bound passed (`code` keys MESSAGES), in the user's language."""
    return ImportFileError(
        str(MESSAGES[code])
        % {
            "mib": (MAX_UNPACKED if code == "unpacks" else MAX_BYTES) // MiB,
            "rows": MAX_ROWS,
            "lines": MAX_LINES,
            "columns": MAX_COLUMNS,
            "chars": MAX_CELL,
            "line": line,
        }
    )


def read_lines(content: bytes, kind: str) -> list[list[str]]:
    """The non-empty lines of the file, header first, each cell stripped text."""
    if len(content) > MAX_BYTES:
        raise refuse("too_big")
    source = _xlsx_lines(content) if kind == "xlsx" else _csv_lines(content)
    lines: list[list[str]] = []
    for number, line in enumerate(source, start=1):
        if number > MAX_LINES + 1:
            raise refuse("rows")
        if len(line) > MAX_COLUMNS and any(line[MAX_COLUMNS:]):
            raise refuse("columns")
        if any(len(cell) > MAX_CELL for cell in line):
            raise refuse("cell", number)
        if any(line):
            lines.append(line[:MAX_COLUMNS])
            if len(lines) > MAX_ROWS + 1:
                raise refuse("rows")
    return lines


def _csv_lines(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse("encoding") from exc
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The csv module's own field limit (131,072 characters) is past ours.
            code = "cell" if "field limit" in str(exc) else "csv"
            raise refuse(code, reader.line_num) from exc
        yield [c.strip() for c in row]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_lines(content: bytes) -> Iterator[list[str]]:
    _scan_workbook(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UNREADABLE as exc:
        raise refuse("xlsx") from exc
    try:
        # The bounds, not the sheet's declared dimension, say how far to read.
        rows = book.worksheets[0].iter_rows(
            max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True
        )
        for row in rows:
            yield [_cell(v) for v in row]
    except UNREADABLE as exc:
        raise refuse("xlsx") from exc
    finally:
        book.close()


def _scan_workbook(content: bytes) -> None:
    """Unpack every member once, counting what comes out, and parse its XML just far enough
    to count rows, cells and characters: the first bound passed refuses the file, before
    openpyxl holds anything (it reads the whole shared strings table into memory)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
            raise refuse("unpacks")
        budget = MAX_UNPACKED
        for member in members:
            scan = _XmlScan()
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        raise refuse("unpacks")
                    scan.feed(chunk)
    except ImportFileError:
        raise
    except (*UNREADABLE, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise refuse("xlsx") from exc


class _XmlScan:
    """Counts the sheet rows, cells and characters of one member as it streams past. A member
    that is not XML (an image) is only counted; openpyxl could not read it as a sheet either."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.xml = True
        self.rows = self.cells = self.chars = 0
        self.in_text = False

    def feed(self, chunk: bytes) -> None:
        if self.xml:
            try:
                self.parser.Parse(chunk, False)
            except expat.ExpatError:
                self.xml = False

    def _doctype(self, *_args: object) -> None:
        raise refuse("xlsx")  # no DTDs, hence no entities to expand

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        if ns != SHEET_NS:
            return
        if local == "row":
            self.rows, self.cells = self.rows + 1, 0
            if self.rows > MAX_LINES + 1 or _number(attrs.get("r", "")) > MAX_LINES + 1:
                raise refuse("rows")
        elif local == "c":
            self.cells += 1
            if self.cells > MAX_COLUMNS or _column(attrs.get("r", "")) > MAX_COLUMNS:
                raise refuse("columns")
            self.chars, self.in_text = 0, True
        elif local == "si":
            self.chars, self.in_text = 0, True

    def _end(self, name: str) -> None:
        if name.rpartition(" ")[2] in ("c", "si"):
            self.in_text = False

    def _text(self, data: str) -> None:
        if self.in_text:
            self.chars += len(data)
            if self.chars > MAX_CELL:
                raise refuse("cell", self.rows) if self.rows else refuse("shared_cell")


def _column(reference: str) -> int:
    """The column number of a cell reference ("B7" is 2); 0 when there is none."""
    number = 0
    for char in reference:
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - 64
    return number


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0
