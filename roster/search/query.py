"""The one query builder behind the search page and GET /api/v1/experts: visibility, filters, sort.

A search is one statement: the filtered set ("hits") is computed once as a materialized CTE; the
requested page and the facet counts are read from it and returned together (see `facets.py`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from roster.accounts.models import User
from roster.db import table_of
from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.policy import CLEARANCE_RANK
from roster.search.criteria import SearchCriteria
from roster.search.facets import FACET_NAMES, facet_selects
from roster.search.fulltext import binary_order, fts5_query, next_day, text_match, tsquery_text
from roster.search.models import ExpertSearch

expert = table_of(Expert)
topic_t = table_of(ExpertTopic)
language_t = table_of(ExpertLanguage)
window_t = table_of(AvailabilityWindow)
search_t = table_of(ExpertSearch)
user_t = table_of(User)


@dataclass
class SearchResult:
    """The ids of one page in order, their relevance, the total and the facet counts."""

    ids: list[int]
    total: int
    facets: dict[str, dict[str, int]]
    scores: dict[int, float] = field(default_factory=dict)
    # The committed roster version the answer was read at (fast path only): cards may be kept
    # under it. None: read from the SQL path, possibly with this transaction's own writes.
    version: Hashable | None = None


TODAY = sa.bindparam("today", type_=sa.Date)


def _p(name: str, *, expanding: bool = False, type_: Any = None) -> sa.BindParameter:
    return sa.bindparam(name, expanding=expanding, type_=type_)


def visible(scope: str) -> ColumnElement[bool]:
    """Who a scope may find. Erased experts hold no data and are found by no one."""
    not_erased = expert.c.pseudonym.is_(None)
    if scope == "all":
        return not_erased
    if scope != "vetted":
        return sa.false()
    inactive_account = sa.exists().where(
        user_t.c.id == expert.c.user_id, user_t.c.active.is_(False)
    )
    return sa.and_(
        expert.c.vetting_status == "vetted",
        sa.or_(expert.c.vetting_valid_until.is_(None), expert.c.vetting_valid_until >= TODAY),
        expert.c.active.is_(True),
        not_erased,
        ~inactive_account,
    )


def vetting_is(status: str) -> ColumnElement[bool]:
    """The effective vetting status, as `rules.effective_vetting_status` computes it."""
    status_col, until = expert.c.vetting_status, expert.c.vetting_valid_until
    if status == "vetted":
        return sa.and_(status_col == "vetted", sa.or_(until.is_(None), until >= TODAY))
    if status == "expired":
        return sa.or_(status_col == "expired", sa.and_(status_col == "vetted", until < TODAY))
    return status_col == status


def verified_clearance(codes: sa.BindParameter | None = None) -> ColumnElement[bool]:
    """A clearance verified by a coordinator and not expired today (of one of `codes`, if given)."""
    cond = sa.and_(
        expert.c.clearance_level.is_not(None),
        expert.c.clearance_verified_at.is_not(None),
        sa.or_(expert.c.clearance_expires_on.is_(None), expert.c.clearance_expires_on >= TODAY),
    )
    return sa.and_(cond, expert.c.clearance_level.in_(codes)) if codes is not None else cond


def _has(table: sa.Table, *conds: ColumnElement[bool]) -> ColumnElement[bool]:
    """The expert has a row in `table` meeting `conds`. A correlated EXISTS: one primary-key probe
    per candidate, where an IN list would first collect every matching row of the whole table."""
    return sa.exists().where(table.c.expert_id == expert.c.id, *conds)


def available_over(dialect: str) -> ColumnElement[bool]:
    """Exactly `rules.available_over` in SQL, for [:window_from, :window_to]: no unavailable
    window touches it; and if the expert declared available windows, they cover it. A gap exists
    iff the first day is uncovered or the day after some available window's end (inside the
    range) is uncovered."""
    start, end = _p("window_from", type_=sa.Date), _p("window_to", type_=sa.Date)
    blocked, declared, cover, edge, cover2 = (
        window_t.alias(f"aw_{name}") for name in ("u", "d", "c", "e", "c2")
    )
    is_available = "available"
    no_block = ~sa.exists().where(
        blocked.c.expert_id == expert.c.id,
        blocked.c.kind == "unavailable",
        blocked.c.starts_on <= end,
        blocked.c.ends_on >= start,
    )
    none_declared = ~sa.exists().where(
        declared.c.expert_id == expert.c.id, declared.c.kind == is_available
    )
    start_covered = sa.exists().where(
        cover.c.expert_id == expert.c.id,
        cover.c.kind == is_available,
        cover.c.starts_on <= start,
        cover.c.ends_on >= start,
    )
    gap_after_edge = sa.exists().where(
        edge.c.expert_id == expert.c.id,
        edge.c.kind == is_available,
        edge.c.ends_on >= start,
        edge.c.ends_on < end,
        ~sa.exists().where(
            cover2.c.expert_id == edge.c.expert_id,  # the nearest enclosing query's table
            cover2.c.kind == is_available,
            cover2.c.starts_on <= next_day(dialect, edge.c.ends_on),
            cover2.c.ends_on > edge.c.ends_on,
        ),
    )
    return sa.and_(no_block, sa.or_(none_declared, sa.and_(start_covered, ~gap_after_edge)))


@dataclass(frozen=True)
class Shape:
    """What decides the SQL text of a search; the values travel as parameters (see `params`).
    Searches of one shape share one statement object, so SQLAlchemy compiles it once."""

    dialect: str
    scope: str
    text: bool
    topics: int
    topic_mode: str
    languages: int
    regions: bool
    nationalities: bool
    categories: bool
    clearance: bool
    window: bool
    deployable: bool
    vetting: tuple[str, ...]
    sort: str

    @classmethod
    def of(cls, criteria: SearchCriteria, *, scope: str, dialect: str) -> Shape:
        return cls(
            dialect=dialect,
            scope=scope,
            text=bool(criteria.terms),
            topics=len(criteria.topics),
            topic_mode=criteria.topic_mode,
            languages=len(criteria.languages),
            regions=bool(criteria.regions),
            nationalities=bool(criteria.nationalities),
            categories=bool(criteria.categories),
            clearance=criteria.clearance is not None,
            window=criteria.available_from is not None and criteria.available_to is not None,
            deployable=criteria.deployable is not None,
            vetting=tuple(sorted(set(criteria.vetting))),
            sort=criteria.sort,
        )


def params(criteria: SearchCriteria, *, today: date) -> dict[str, Any]:
    """The parameter values of a search, for the statement of its `Shape`."""
    values: dict[str, Any] = {
        "today": today,
        "limit": criteria.per_page,
        "offset": criteria.offset,
        "fts_query": fts5_query(criteria.terms),
        "ts_query": tsquery_text(criteria.terms),
        "regions": list(criteria.regions),
        "nationalities": list(criteria.nationalities),
        "categories": list(criteria.categories),
        "window_from": criteria.available_from,
        "window_to": criteria.available_to,
        "deployable": criteria.deployable,
    }
    for i, need in enumerate(criteria.topics):
        values[f"topic_{i}"], values[f"topic_level_{i}"] = need.code, need.min_level
    for i, lang in enumerate(criteria.languages):
        values[f"language_{i}"], values[f"language_levels_{i}"] = lang.code, list(lang.levels())
    if criteria.clearance is not None:
        wanted = CLEARANCE_RANK[criteria.clearance]
        values["clearance_codes"] = [c for c, rank in CLEARANCE_RANK.items() if rank >= wanted]
    return values


def filters(shape: Shape) -> list[ColumnElement[bool]]:
    """Every condition of the search on `expert`, visibility first."""
    conds: list[ColumnElement[bool]] = [visible(shape.scope)]
    if shape.vetting:
        conds.append(sa.or_(*(vetting_is(v) for v in shape.vetting)))
    if shape.topics:
        needs = [
            sa.and_(
                topic_t.c.topic_code == _p(f"topic_{i}"),
                topic_t.c.level >= _p(f"topic_level_{i}", type_=sa.Integer),
            )
            for i in range(shape.topics)
        ]
        if shape.topic_mode == "any":
            conds.append(_has(topic_t, sa.or_(*needs)))
        elif shape.dialect == "sqlite" and not shape.text:
            # SQLite never turns EXISTS into a join, so without words to drive the search it
            # walks every visible expert; as IN, the first topic drives it from the (topic, level)
            # index. With words, the full-text index drives better (measured: 12 ms against 20).
            first = sa.select(topic_t.c.expert_id).where(needs[0])
            conds.append(expert.c.id.in_(first))
            conds.extend(_has(topic_t, need) for need in needs[1:])
        else:
            conds.extend(_has(topic_t, need) for need in needs)
    for i in range(shape.languages):
        conds.append(
            _has(
                language_t,
                language_t.c.language_code == _p(f"language_{i}"),
                language_t.c.level.in_(_p(f"language_levels_{i}", expanding=True)),
            )
        )
    for wanted, model, name, column in (
        (shape.regions, ExpertRegion, "regions", "country_code"),
        (shape.nationalities, ExpertNationality, "nationalities", "country_code"),
        (shape.categories, ExpertCategory, "categories", "category"),
    ):
        if wanted:
            table = table_of(model)
            conds.append(_has(table, table.c[column].in_(_p(name, expanding=True))))
    if shape.clearance:
        conds.append(verified_clearance(_p("clearance_codes", expanding=True)))
    if shape.window:
        conds.append(available_over(shape.dialect))
    if shape.deployable:
        conds.append(expert.c.deployable == _p("deployable", type_=sa.Boolean))
    return conds


def hits_cte(shape: Shape) -> sa.CTE:
    """The filtered set with what sorting and facets need: id, relevance, name key, last engaged,
    verified clearance (NULL if none is valid today)."""
    sort_name = sa.func.coalesce(search_t.c.sort_name, sa.func.lower(expert.c.full_name))
    conds = filters(shape)
    if shape.text:
        match = text_match(shape.dialect, expert.c.id)
        source = expert.join(match.join_target, match.on)
        if match.join_target is not search_t:
            source = source.outerjoin(search_t, search_t.c.expert_id == expert.c.id)
        conds.append(match.where)
        relevance = match.relevance
    else:
        source = expert.outerjoin(search_t, search_t.c.expert_id == expert.c.id)
        relevance = sa.literal_column("0.0", sa.Float)
    # The verified clearance rides along, so the clearance facet needs no second visit to `expert`.
    clearance = sa.case((verified_clearance(), expert.c.clearance_level), else_=sa.null())
    stmt = sa.select(
        expert.c.id.label("id"),
        relevance.label("relevance"),
        sort_name.label("sort_name"),
        expert.c.last_engaged_on.label("last_engaged_on"),
        clearance.label("clearance"),
    ).select_from(source)
    return stmt.where(*conds).cte("hits").prefix_with("MATERIALIZED")


def ordering(hits: sa.FromClause, sort: str, dialect: str) -> list:
    name = (binary_order(dialect, hits.c.sort_name), hits.c.id)
    if sort == "relevance":
        return [hits.c.relevance.desc(), *name]
    if sort == "last_engaged":  # never engaged first, then longest ago: spreads the work
        engaged = hits.c.last_engaged_on
        return [engaged.is_not(None), engaged, *name]
    return list(name)


@lru_cache(maxsize=512)
def search_statement(shape: Shape) -> sa.CompoundSelect:
    """One statement: rows ("page", id, position, relevance), ("total", "", n, NULL) and
    (facet, key, count, NULL) for every facet."""
    hits = hits_cte(shape)
    # ORDER BY .. LIMIT straight on the hits lets both engines keep only the best offset + limit
    # rows (a bounded top-N sort); numbering the rows there would sort every hit first.
    best = (
        sa.select(hits.c.id, hits.c.relevance, hits.c.sort_name, hits.c.last_engaged_on)
        .order_by(*ordering(hits, shape.sort, shape.dialect))
        .limit(_p("limit", type_=sa.Integer))
        .offset(_p("offset", type_=sa.Integer))
        .subquery("best")
    )
    page = sa.select(
        best.c.id,
        best.c.relevance,
        sa.func.row_number()
        .over(order_by=ordering(best, shape.sort, shape.dialect))
        .label("position"),
    ).cte("page")
    no_score = sa.cast(sa.null(), sa.Float)
    parts = [
        sa.select(
            sa.literal_column("'page'", sa.String).label("kind"),
            sa.cast(page.c.id, sa.String).label("key"),
            page.c.position.label("n"),
            sa.cast(page.c.relevance, sa.Float).label("score"),
        ),
        sa.select(
            sa.literal_column("'total'", sa.String),
            sa.literal_column("''", sa.String),
            sa.func.count(),
            no_score,
        ).select_from(hits),
        *(part.add_columns(no_score) for part in facet_selects(hits)),
    ]
    return sa.union_all(*parts)


def run_search(
    session: Session, criteria: SearchCriteria, *, scope: str | None, today: date
) -> SearchResult:
    """Run a search for a user of the given `policy.roster_scope`; None finds nothing."""
    if scope is None:
        return SearchResult(ids=[], total=0, facets={name: {} for name in FACET_NAMES})
    dialect = session.get_bind().dialect.name
    stmt = search_statement(Shape.of(criteria, scope=scope, dialect=dialect))
    return split_rows(session.execute(stmt, params(criteria, today=today)).all())


def split_rows(rows: Sequence[Any]) -> SearchResult:
    """Split the rows of `search_statement` into page, total and facets."""
    page: list[tuple[int, int, float]] = []
    total = 0
    facets: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    for kind, key, n, score in rows:
        if kind == "page":
            page.append((n, int(key), score or 0.0))
        elif kind == "total":
            total = n
        else:
            facets[kind][key] = n
    page.sort()
    for name, counts in facets.items():
        facets[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return SearchResult(
        ids=[eid for _, eid, _ in page],
        total=total,
        facets=facets,
        scores={eid: round(float(score), 6) for _, eid, score in page},
    )
