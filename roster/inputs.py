"""What typed input may hold, for HTML forms and API schemas alike: link schemes, date ranges and
control characters. Pure: each boundary wraps these rules in its own validator."""

from __future__ import annotations

import re
from datetime import date
from typing import overload
from urllib.parse import urlsplit

from flask_babel import gettext as _

LINK_SCHEMES = frozenset({"http", "https"})
MAX_LINK_LENGTH = 500

# C0 controls and DEL, except tab, newline and carriage return.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Single-line text keeps no tab, newline or carriage return either.
LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")

# Dates about people and vetting (birth-like, clearance expiry, vetting validity, availability).
PERSON_DATES = (date(1900, 1, 1), date(2100, 12, 31))
# When a crisis request may start and end.
REQUEST_DATES = (date(2000, 1, 1), date(2100, 12, 31))


def link_problem(value: str) -> str | None:
    """Why `value` is not a link the roster shows as a live href, or None when it is one."""
    if len(value) > MAX_LINK_LENGTH:
        return _("A link is at most %(num)d characters.", num=MAX_LINK_LENGTH)
    if LINE_CONTROLS.search(value) or any(c.isspace() for c in value):
        return _("A link may not contain spaces or control characters.")
    try:
        parts = urlsplit(value)
    except ValueError:
        return _("Not a valid link.")
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.hostname:
        return _("Links must start with http:// or https:// and name a host.")
    return None


def is_safe_link(value: object) -> bool:
    return isinstance(value, str) and link_problem(value) is None


@overload
def clean_text(value: str) -> str: ...
@overload
def clean_text(value: object) -> object: ...
def clean_text(value: object) -> object:
    """Text without C0 controls and DEL (tab, newline and carriage return stay)."""
    if isinstance(value, str):
        return CONTROLS.sub("", value)
    if isinstance(value, list):
        return [clean_text(item) for item in value]
    return value


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None


def date_problem(value: date, bounds: tuple[date, date]) -> str | None:
    """Why `value` lies outside `bounds`, or None."""
    first, last = bounds
    if value < first or value > last:
        return _(
            "Enter a date between %(first)s and %(last)s.",
            first=first.isoformat(),
            last=last.isoformat(),
        )
    return None
