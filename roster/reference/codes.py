"""Country and language codes from pycountry, never hand-typed lists."""

from __future__ import annotations

from functools import cache

import pycountry

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English name."""
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@cache
def languages() -> dict[str, str]:
    """ISO 639-1 code -> English name (only languages that have a two-letter code)."""
    return {lang.alpha_2: lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")}


def is_country(code: str) -> bool:
    return code in countries()


def is_language(code: str) -> bool:
    return code in languages()


def cefr_rank(level: str) -> int:
    """Order of a CEFR level, native highest; raises ValueError for an unknown level."""
    return CEFR_LEVELS.index(level)
