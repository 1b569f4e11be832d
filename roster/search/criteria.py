"""What a roster search asks for, as one immutable value the page and the API both build."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from roster.reference.codes import CEFR_LEVELS

TOPIC_MODES = ("all", "any")
SORTS = ("relevance", "name", "last_engaged")
VETTING_FILTERS = ("pending", "vetted", "rejected", "suspended", "expired")
TOPIC_LEVELS = (1, 2, 3, 4)
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000
MAX_TERMS = 8

_WORD = re.compile(r"([^\W_]+)(\*?)")
_CODE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class TopicNeed:
    code: str
    min_level: int = 1


@dataclass(frozen=True)
class LanguageNeed:
    code: str
    min_level: str = "A1"

    def levels(self) -> tuple[str, ...]:
        """The CEFR levels at or above the minimum."""
        return CEFR_LEVELS[CEFR_LEVELS.index(self.min_level) :]


@dataclass(frozen=True)
class SearchCriteria:
    """A whole search: words, filters, sort and page. Validated before it is built."""

    q: str = ""
    topics: tuple[TopicNeed, ...] = ()
    topic_mode: str = "all"
    languages: tuple[LanguageNeed, ...] = ()
    regions: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    clearance: str | None = None
    available_from: date | None = None
    available_to: date | None = None
    deployable: bool | None = None
    vetting: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def terms(self) -> tuple[str, ...]:
        return search_terms(self.q)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def fold(text: str) -> str:
    """Lower-case ASCII-ish text: accents dropped, so "Hélène" and "helene" find each other."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@functools.lru_cache(maxsize=1024)
def search_terms(q: str) -> tuple[str, ...]:
    """The words of a query, folded; a word typed with a trailing `*` keeps it (prefix match).
    Every other character is dropped, so no operator ever reaches the engine."""
    words = (word + star for word, star in _WORD.findall(fold(q)))
    return tuple(dict.fromkeys(words))[:MAX_TERMS]


def parse_topic(raw: str) -> TopicNeed:
    """`crsv` or `crsv:3` -> TopicNeed; ValueError with a message users can read."""
    code, _colon, level = raw.strip().partition(":")
    if not _CODE.match(code):
        raise ValueError(_("%(raw)s is not a topic code.", raw=repr(raw)))
    if not level:
        return TopicNeed(code)
    if not level.isdigit() or int(level) not in TOPIC_LEVELS:
        raise ValueError(_("Topic level in %(raw)s must be 1 to 4.", raw=repr(raw)))
    return TopicNeed(code, int(level))


def parse_language(raw: str) -> LanguageNeed:
    """`fr` or `fr:B2` -> LanguageNeed; ValueError with a message users can read."""
    code, _colon, level = raw.strip().partition(":")
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ValueError(_("%(raw)s is not a two-letter language code.", raw=repr(raw)))
    if not level:
        return LanguageNeed(code)
    if level not in CEFR_LEVELS:
        raise ValueError(
            _(
                "Language level in %(raw)s must be one of %(levels)s.",
                raw=repr(raw),
                levels=", ".join(CEFR_LEVELS),
            )
        )
    return LanguageNeed(code, level)
