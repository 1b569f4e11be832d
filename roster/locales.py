"""The languages the Roster speaks, and writing in someone else's: mail and notifications are
composed in their recipient's locale, whatever the language of the request that caused them.
Dates and times are formatted for the current locale through Babel, always in UTC."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from babel import dates, numbers
from flask_babel import force_locale, get_locale

log = logging.getLogger(__name__)

LOCALES = ("en", "fr")
DEFAULT_LOCALE = "en"
COOKIE = "roster_locale"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def supported(value: object) -> str | None:
    """`value` when it names a language we speak, else None."""
    return value if isinstance(value, str) and value in LOCALES else None


def locale_of(person: object) -> str:
    """The language `person` (a user, or anything with a `locale`) reads, else the default."""
    return supported(getattr(person, "locale", None)) or DEFAULT_LOCALE


@contextmanager
def in_locale_of(person: object) -> Iterator[str]:
    """Compose inside this block in `person`'s language (a user, or a bare locale string)."""
    locale = supported(person) or locale_of(person)
    with force_locale(locale):
        yield locale


def current() -> str:
    """The locale of the request (or of the `in_locale_of` block) being served."""
    return str(get_locale() or DEFAULT_LOCALE)


def when(value: datetime | None) -> str:
    """A moment, day and minute, in UTC as everywhere on the site: "Dec 1, 2026 15:36"."""
    if value is None:
        return "—"
    # Babel's own functions, not Flask-Babel's: services format mail outside any app context.
    moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    locale = current()
    return (
        f"{dates.format_date(moment.date(), 'medium', locale=locale)} "
        f"{dates.format_time(moment, 'HH:mm', tzinfo=UTC, locale=locale)}"
    )


def day(value: date | datetime | None) -> str:
    """A day for the locale: "Dec 1, 2026", "1 déc. 2026"."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = (value.astimezone(UTC) if value.tzinfo else value).date()
    return dates.format_date(value, "medium", locale=current())


def cell(value: object) -> object:
    """A table cell for a page: a moment as `when`, a day as `day`, anything else as it is."""
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return day(value)
    return value


def number(value: float | int) -> str:
    return numbers.format_decimal(value, locale=current())


def missing_catalogues() -> list[str]:
    """The languages other than English whose compiled catalogue (.mo) is not there."""
    return [
        locale
        for locale in LOCALES
        if locale != DEFAULT_LOCALE
        and not (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").is_file()
    ]


_warned: list[str] = []


def warn_if_uncompiled() -> None:
    """Say once per process that pages will be in English: the build did not compile."""
    missing = missing_catalogues()
    if missing and not _warned:
        _warned.extend(missing)
        log.warning(
            "no compiled catalogue for %s: those pages fall back to English "
            "(run pybabel compile -d roster/translations)",
            ", ".join(missing),
        )
