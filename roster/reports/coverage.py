"""Coverage gaps: how many listed, cleared, currently available experts know each topic, by region
or by language. The set counted is the roster search's own (`roster.search.query.filters` with
the LNO scope), so a cell's number equals what the matching roster search finds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlmodel import Session

from roster.db import table_of
from roster.experts.models import ExpertLanguage, ExpertRegion, ExpertTopic
from roster.reference import taxonomy
from roster.requests.weights import CONFLICT_AFFECTED
from roster.search.criteria import LanguageNeed, SearchCriteria
from roster.search.query import Shape, expert, filters, params

DIMENSIONS = ("region", "language")
THIN_BELOW = 3  # fewer than three experts: one absence or one refusal leaves a gap
DEFAULT_TOPIC_LEVEL = 2  # practitioner; awareness alone does not cover a topic
DEFAULT_LANGUAGE_LEVEL = "B2"  # working proficiency

_topic = table_of(ExpertTopic)
_region = table_of(ExpertRegion)
_language = table_of(ExpertLanguage)


@dataclass(frozen=True)
class CoverageQuery:
    """What the coverage report counts: by which dimension, at which clearance and levels."""

    dimension: str = "region"
    clearance: str | None = None
    topic_level: int = DEFAULT_TOPIC_LEVEL
    language_level: str = DEFAULT_LANGUAGE_LEVEL


@dataclass
class Coverage:
    """Counts per (topic, column); columns are countries or languages."""

    query: CoverageQuery
    today: date
    topics: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    topic_totals: dict[str, int] = field(default_factory=dict)

    def count(self, topic: str, column: str) -> int:
        return self.counts.get((topic, column), 0)

    def gaps(self) -> list[tuple[str, str, int]]:
        """Every empty or thin cell as (topic, column, count), emptiest first."""
        cells = [
            (t, c, self.count(t, c))
            for t, _ in self.topics
            for c, _ in self.columns
            if self.count(t, c) < THIN_BELOW
        ]
        return sorted(cells, key=lambda cell: (cell[2], cell[0], cell[1]))


def ranked_gaps(
    gaps: list[tuple[str, str, int]], asked: dict[tuple[str, str], int], regions: set[str]
) -> list[tuple[str, str, int, int]]:
    """Gaps by need, as (topic, column, count, requests asking for the cell): the cells requests
    asked for first (the most asked first), then the other cells of the regions asked for, then
    the rest; within each, the emptiest first. Pure."""
    ranked = [(t, c, n, asked.get((t, c), 0)) for t, c, n in gaps]
    return sorted(ranked, key=lambda g: (-g[3], g[1] not in regions, g[2], g[0], g[1]))


def _criteria(query: CoverageQuery, today: date) -> SearchCriteria:
    return SearchCriteria(clearance=query.clearance, available_from=today, available_to=today)


def search_args(query: CoverageQuery, today: date, topic: str, column: str) -> dict[str, str]:
    """The roster search (URL parameters) that finds the experts of one cell."""
    args = {
        "topic": f"{topic}:{query.topic_level}",
        "available_from": today.isoformat(),
        "available_to": today.isoformat(),
    }
    if query.dimension == "region":
        args["region"] = column
    else:
        args["language"] = f"{column}:{query.language_level}"
    if query.clearance:
        args["clearance"] = query.clearance
    return args


def search_query_string(query: CoverageQuery, today: date, topic: str, column: str) -> str:
    return urlencode(search_args(query, today, topic, column))


def coverage(session: Session, query: CoverageQuery, *, today: date) -> Coverage:
    """Count listed (vetted, unexpired, active), cleared and available-today experts."""
    if query.dimension not in DIMENSIONS:
        raise ValueError(f"unknown coverage dimension {query.dimension!r}")
    criteria = _criteria(query, today)
    dialect = session.get_bind().dialect.name
    covered = (
        sa.select(expert.c.id.label("id"))
        .where(*filters(Shape.of(criteria, scope="vetted", dialect=dialect)))
        .cte("covered")
    )
    values = params(criteria, today=today) | {
        "topic_level": query.topic_level,
        "language_levels": list(LanguageNeed("xx", query.language_level).levels()),
    }
    level_ok = _topic.c.level >= sa.bindparam("topic_level", type_=sa.Integer)
    extra: sa.ColumnElement[bool]
    if query.dimension == "region":
        column, source, extra = _region.c.country_code, _region, sa.true()
    else:
        column, source = _language.c.language_code, _language
        extra = _language.c.level.in_(sa.bindparam("language_levels", expanding=True))
    by_cell = (
        sa.select(_topic.c.topic_code, column, sa.func.count(sa.distinct(covered.c.id)))
        .select_from(
            covered.join(_topic, _topic.c.expert_id == covered.c.id).join(
                source, source.c.expert_id == covered.c.id
            )
        )
        .where(level_ok, extra)
        .group_by(_topic.c.topic_code, column)
    )
    totals = (
        sa.select(_topic.c.topic_code, sa.func.count(sa.distinct(covered.c.id)))
        .select_from(covered.join(_topic, _topic.c.expert_id == covered.c.id))
        .where(level_ok)
        .group_by(_topic.c.topic_code)
    )
    counts = {(t, c): n for t, c, n in session.execute(by_cell, values).all()}
    topic_totals = dict(session.execute(totals, values).all())
    topics = list(taxonomy.topic_names(session).items())
    return Coverage(
        query=query,
        today=today,
        topics=topics,
        columns=_columns(session, query, today),
        counts=counts,
        topic_totals=topic_totals,
    )


def _columns(session: Session, query: CoverageQuery, today: date) -> list[tuple[str, str]]:
    """Countries any listed expert knows, plus the conflict-affected ones (a gap there matters
    even when nobody knows them); or languages any listed expert speaks at the chosen level."""
    dialect = session.get_bind().dialect.name
    listed = sa.select(expert.c.id).where(
        *filters(Shape.of(SearchCriteria(), scope="vetted", dialect=dialect))
    )
    values = {"today": today}
    if query.dimension == "region":
        known = session.execute(
            sa.select(_region.c.country_code).distinct().where(_region.c.expert_id.in_(listed)),
            values,
        ).scalars()
        names = taxonomy.country_names()
        codes = sorted((set(known) | CONFLICT_AFFECTED) & set(names))
        return [(code, names[code]) for code in codes]
    levels = list(LanguageNeed("xx", query.language_level).levels())
    known = session.execute(
        sa.select(_language.c.language_code)
        .distinct()
        .where(_language.c.expert_id.in_(listed), _language.c.level.in_(levels)),
        values,
    ).scalars()
    names = taxonomy.language_names()
    return [(code, names.get(code, code)) for code in sorted(set(known))]
