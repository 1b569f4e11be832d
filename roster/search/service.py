"""The search as the page and the API call it: policy scope, one query, the page's cards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from roster import policy
from roster.search.cards import load_cards
from roster.search.criteria import SearchCriteria
from roster.search.fast import run_fast
from roster.search.query import SearchResult, run_search


@dataclass
class SearchPage:
    """One page of results as the viewer may see them, with the total and the facets."""

    criteria: SearchCriteria
    result: SearchResult
    cards: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.result.total // self.criteria.per_page))


def search_roster(
    *, session: Session, viewer: policy.Actor, criteria: SearchCriteria, today: date
) -> SearchPage:
    """Search the roster as `viewer`; callers check `policy.roster_scope` first (None: refused)."""
    scope = policy.roster_scope(viewer)
    result = run_fast(session, criteria, scope=scope, today=today)
    if result is None:
        result = run_search(session, criteria, scope=scope, today=today)
    cards = load_cards(session, result.ids, viewer=viewer, today=today, version=result.version)
    for card in cards:
        card["score"] = result.scores.get(card["id"], 0.0)
    return SearchPage(criteria=criteria, result=result, cards=cards)
