"""Country and language codes from pycountry, never hand-typed lists; their names in English
from pycountry, in any other language from the CLDR data of Babel."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English name."""
    return countries_in("en")


def languages() -> dict[str, str]:
    """ISO 639-1 code -> English name (only languages that have a two-letter code)."""
    return languages_in("en")


@cache
def countries_in(language: str) -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> name in `language` (an ISO 639-1 code)."""
    english = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
    if language == "en":
        return english
    names = Locale.parse(language).territories
    return {code: names.get(code, name) for code, name in english.items()}


@cache
def languages_in(language: str) -> dict[str, str]:
    """ISO 639-1 code -> name in `language`, capitalised as a list shows it."""
    english = {lang.alpha_2: lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    if language == "en":
        return english
    names = Locale.parse(language).languages
    return {code: _capitalised(names.get(code, name)) for code, name in english.items()}


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def name_order(name: str) -> str:
    """Sort key for a name in a list: accents and case do not move it (Égypte after Danemark)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def is_country(code: str) -> bool:
    return code in countries()


def is_language(code: str) -> bool:
    return code in languages()


def cefr_rank(level: str) -> int:
    """Order of a CEFR level, native highest; raises ValueError for an unknown level."""
    return CEFR_LEVELS.index(level)
