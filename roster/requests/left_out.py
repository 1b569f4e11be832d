"""The experts a ranking left out, bounded: how many fail each hard rule, and one page of them
(by expert id) with their reasons, so that no answer grows with the roster.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roster.requests.excluded import EXCLUSION_CODES, Excluded, ExcludedList

PER_PAGE = 100
MAX_PER_PAGE = 1000


@dataclass(frozen=True, slots=True)
class LeftOut:
    """`summary`: reason code -> experts failing that rule (one expert counts under each rule
    they fail, so the counts may add up to more than `total`); `items`: page `page` of them."""

    summary: dict[str, int]
    total: int
    page: int
    per_page: int
    items: list[Excluded]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_of(excluded: Sequence[Excluded], page: int = 1, per_page: int = PER_PAGE) -> LeftOut:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError("page from 1, per_page from 1 to MAX_PER_PAGE")
    summary = _summary(excluded)
    start = (page - 1) * per_page
    return LeftOut(
        summary=summary,
        total=len(excluded),
        page=page,
        per_page=per_page,
        items=list(excluded[start : start + per_page]),
    )


def _summary(excluded: Sequence[Excluded]) -> dict[str, int]:
    if isinstance(excluded, ExcludedList):  # counted over the columns
        return excluded.counts()
    summary = dict.fromkeys(EXCLUSION_CODES, 0)
    by_pattern: dict[tuple[str, ...], int] = {}
    for e in excluded:
        by_pattern[e.reasons] = by_pattern.get(e.reasons, 0) + 1
    for reasons, count in by_pattern.items():
        for code in reasons:
            summary[code] += count
    return summary
