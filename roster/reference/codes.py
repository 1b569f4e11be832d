"""Country and language codes from pycountry, never hand-typed lists; their names in the
reader's language from Babel's locale data (CLDR), not from our catalogue."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale

from roster import locales

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


@cache
def _english_countries() -> dict[str, str]:
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@cache
def _english_languages() -> dict[str, str]:
    return {lang.alpha_2: lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")}


@cache
def _countries_in(locale: str) -> dict[str, str]:
    english = _english_countries()
    if locale == locales.DEFAULT_LOCALE:
        return english
    names = Locale.parse(locale).territories
    return {code: names.get(code, name) for code, name in english.items()}


@cache
def _languages_in(locale: str) -> dict[str, str]:
    english = _english_languages()
    if locale == locales.DEFAULT_LOCALE:
        return english
    names = Locale.parse(locale).languages
    # CLDR writes French language names in lower case ("allemand"); in a list they start a line.
    return {code: _capital(names.get(code, name)) for code, name in english.items()}


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> name in the current language ("DE": "Allemagne" in French)."""
    return _countries_in(locales.current())


def languages() -> dict[str, str]:
    """ISO 639-1 code -> name in the current language (only languages with a two-letter code)."""
    return _languages_in(locales.current())


def _name_order(name: str) -> str:
    """Sort key for a name in a list: accents and case do not move it (Égypte after Danemark)."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def by_name(names: dict[str, str]) -> list[tuple[str, str]]:
    """(code, name) pairs in alphabetical order of the names, accents aside ("Égypte" by E)."""
    return sorted(names.items(), key=lambda pair: _name_order(pair[1]))


def is_country(code: str) -> bool:
    return code in _english_countries()


def is_language(code: str) -> bool:
    return code in _english_languages()


def cefr_rank(level: str) -> int:
    """Order of a CEFR level, native highest; raises ValueError for an unknown level."""
    return CEFR_LEVELS.index(level)
