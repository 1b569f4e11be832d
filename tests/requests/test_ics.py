"""The calendar file is RFC 5545: escaped text, lines folded at 75 octets without splitting a
character, CRLF line ends, all-day dates with an exclusive end."""

from __future__ import annotations

from datetime import UTC, date, datetime

from roster.requests import ics


def event(**overrides) -> ics.CalendarEvent:
    values = {
        "uid": "engagement-7@roster",
        "summary": "CRSV advice",
        "description": "",
        "starts_on": date(2027, 3, 1),
        "ends_on": date(2027, 3, 14),
        "stamp": datetime(2026, 12, 1, 9, 5, 7, tzinfo=UTC),
    }
    return ics.CalendarEvent(**(values | overrides))


def test_text_is_escaped():
    assert ics.escape_text("a,b;c\\d\nnext\r\nlast") == "a\\,b\\;c\\\\d\\nnext\\nlast"


def test_long_lines_fold_at_75_octets_and_keep_characters_whole():
    line = "SUMMARY:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_the_calendar_is_one_all_day_event_with_crlf_lines():
    text = ics.calendar(event(summary="Mentor; staff, then report", description="Line 1\nLine 2"))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20270301" in lines
    assert "DTEND;VALUE=DATE:20270315" in lines
    assert "DTSTAMP:20261201T090507Z" in lines
    assert "SUMMARY:Mentor\\; staff\\, then report" in lines
    assert "DESCRIPTION:Line 1\\nLine 2" in lines
