"""A report's numbers as plain tables: the page shows them beside each chart and the exports write
exactly these, so a download always equals the page (the page writes days and moments in the
reader's language, the exports as ISO 8601). Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

Value = str | int | float | date | datetime | None


@dataclass(frozen=True)
class Table:
    """One table: `key` names it in URLs and sheet names, `caption` says what it counts."""

    key: str
    caption: str
    headers: list[str]
    rows: list[list[Value]] = field(default_factory=list)
    # Header cells that label rows (th scope="row") rather than hold numbers: the first column.
    row_header: bool = True


def pick(tables: list[Table], key: str | None) -> list[Table]:
    """All tables, or the one named `key` (none when no table has that key)."""
    if not key:
        return tables
    return [t for t in tables if t.key == key]
