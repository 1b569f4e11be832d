"""An accepted engagement as an iCalendar file (RFC 5545): one all-day VEVENT, written by hand
with the standard's escaping, line folding and CRLF line ends. Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

CRLF = "\r\n"
FOLD_AT = 75  # octets per line, the line break excluded (RFC 5545 3.1)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    description: str
    starts_on: date
    ends_on: date  # the last day of the engagement, inclusive
    stamp: datetime  # when the file was made, UTC
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line
    break written as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with a
    space, never inside a multi-byte character."""
    pieces: list[str] = []
    current, size, limit = "", 0, FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, FOLD_AT - 1  # the leading space takes one octet
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def calendar(event: CalendarEvent) -> str:
    """The whole VCALENDAR text. All-day: DTEND is the day after the last day (exclusive)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Roster//Engagements//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{event.stamp.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{_day(event.starts_on)}",
        f"DTEND;VALUE=DATE:{_day(event.ends_on + timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
