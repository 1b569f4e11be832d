"""Participation and balance: engagements (seats taken) by gender, origin, affiliation kind and
topic over a period, with counts and shares, small counts suppressed so no one can be singled out.

An engagement is an `Assignment` whose start falls in the period, on a request the viewer may see
(`services.visible_clause`): counts never reveal a request the viewer could not open."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from roster.experts.models import AFFILIATION_KINDS, GENDERS, Expert, ExpertNationality
from roster.reports.period import Period
from roster.requests.models import Assignment, CrisisRequest, RequestTopic
from roster.requests.services import Viewer, visible_clause
from roster.requests.weights import CONFLICT_AFFECTED
from roster.settings import catalogue, store

# The default threshold; `suppress_below()` reads the one in force (see roster.settings).
SUPPRESS_BELOW = catalogue.SUPPRESS_BELOW
DIMENSIONS = ("gender", "origin", "nationality", "affiliation", "topic")
ORIGINS = ("conflict-affected", "other", "not-recorded")


@dataclass(frozen=True)
class Share:
    """One row of a breakdown; `count` and `share` are None when suppressed."""

    key: str
    count: int | None
    share: float | None

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Breakdown:
    """Engagements by one dimension. `total` is None when it is itself too small to show.
    `overlapping`: one engagement may count under several keys (nationalities, topics)."""

    dimension: str
    total: int | None
    rows: tuple[Share, ...]
    overlapping: bool = False


def suppress_below() -> int:
    """The small-count threshold in force: the environment's, else the app's, else 5."""
    return int(store.value("suppress_below"))


def suppress(counts: Mapping[str, int], total: int, below: int = SUPPRESS_BELOW) -> Breakdown:
    """Hide counts from 1 to `below` - 1. When only one count is hidden, the next smallest is
    hidden too, or the total minus the others would give it back; a total under `below` is
    hidden as well. Zeros stay: they single no one out. Pure; the dimension is left blank."""
    hidden = {k for k, n in counts.items() if 0 < n < below}
    if len(hidden) == 1:
        others = sorted((n, k) for k, n in counts.items() if n > 0 and k not in hidden)
        if others:
            hidden.add(others[0][1])
    shown_total = None if 0 < total < below else total
    rows = tuple(
        Share(
            key=key,
            count=None if key in hidden else n,
            share=None if key in hidden or not total else n / total,
        )
        for key, n in counts.items()
    )
    return Breakdown(dimension="", total=shown_total, rows=rows)


def _breakdown(
    dimension: str, counts: Mapping[str, int], total: int, *, overlapping: bool = False
) -> Breakdown:
    raw = suppress(counts, total, suppress_below())
    return Breakdown(dimension, raw.total, raw.rows, overlapping)


def participation(session: Session, viewer: Viewer, *, period: Period) -> dict[str, Breakdown]:
    """Every breakdown of engagements in `period` that the viewer may count."""
    engaged = (
        sa.select(
            col(Assignment.id).label("assignment_id"),
            col(Assignment.request_id),
            col(Assignment.expert_id),
        )
        .join(CrisisRequest, col(CrisisRequest.id) == col(Assignment.request_id))
        .where(
            visible_clause(viewer),
            col(Assignment.starts_on) >= period.start,
            col(Assignment.starts_on) <= period.end,
        )
        .cte("engaged")
    )
    people = session.execute(
        sa.select(engaged.c.assignment_id, col(Expert.gender), col(Expert.affiliation_kind)).join(
            Expert, col(Expert.id) == engaged.c.expert_id
        )
    ).all()
    total = len(people)
    nationalities: dict[int, list[str]] = {}
    for aid, code in session.execute(
        sa.select(engaged.c.assignment_id, col(ExpertNationality.country_code)).join(
            ExpertNationality, col(ExpertNationality.expert_id) == engaged.c.expert_id
        )
    ).all():
        nationalities.setdefault(aid, []).append(code)
    topics = Counter(
        session.execute(
            sa.select(col(RequestTopic.topic_code)).join(
                engaged, engaged.c.request_id == RequestTopic.request_id
            )
        ).scalars()
    )
    gender = Counter(g for _, g, _ in people)
    kinds = Counter(k for _, _, k in people)
    origin: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    for aid, _, _ in people:
        codes = nationalities.get(aid, [])
        by_country.update(codes)
        if not codes:
            origin["not-recorded"] += 1
        elif CONFLICT_AFFECTED.intersection(codes):
            origin["conflict-affected"] += 1
        else:
            origin["other"] += 1
    return {
        "gender": _breakdown("gender", {g: gender.get(g, 0) for g in GENDERS}, total),
        "origin": _breakdown("origin", {o: origin.get(o, 0) for o in ORIGINS}, total),
        "nationality": _breakdown(
            "nationality", dict(sorted(by_country.items())), total, overlapping=True
        ),
        "affiliation": _breakdown(
            "affiliation", {k: kinds.get(k, 0) for k in AFFILIATION_KINDS}, total
        ),
        "topic": _breakdown("topic", dict(sorted(topics.items())), total, overlapping=True),
    }
