"""Loading what matching reads from the database: the `candidate_facts` of candidates, the
request and its team so far."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.requests.candidate_facts import (
    CandidateFacts,
    Engagement,
    RequestSpec,
    TeamMember,
    TeamSoFar,
    Window,
)
from roster.requests.models import Assignment, CrisisRequest
from roster.requests.services import needs


def request_spec(session: Session, request: CrisisRequest) -> RequestSpec:
    wanted = needs(session, request)
    return RequestSpec(
        id=request.id,
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        required_clearance=request.required_clearance,
        topics={t["code"]: t["min_level"] for t in wanted["topics"]},
        languages={lang["code"]: lang["min_level"] for lang in wanted["languages"]},
        regions=frozenset(wanted["regions"]),
        # Held to MODES by its check constraint; RequestSpec checks it again.
        mode=request.mode,
        seats=request.seats,
    )


def candidate_facts(
    session: Session, *, today: date, expert_ids: list[int] | None = None, vetted_only: bool = True
) -> list[CandidateFacts]:
    """Facts for active, not-erased experts (only vetted ones unless `vetted_only` is False),
    by expert id.

    Tuple queries only: one for the experts' own columns, one per child table joined to the same
    filter in SQL (no ORM object per row, no list of every expert id sent back)."""
    chosen = [col(Expert.active), col(Expert.pseudonym).is_(None)]
    if vetted_only:
        chosen.append(col(Expert.vetting_status) == "vetted")
    if expert_ids is not None:
        chosen.append(col(Expert.id).in_(expert_ids))
    where = sa.and_(*chosen)
    # Core rows on the session's connection (its transaction), past the ORM's row loading.
    connection = session.connection()
    experts = connection.execute(
        sa.select(
            col(Expert.id),
            col(Expert.vetting_status),
            col(Expert.vetting_valid_until),
            col(Expert.clearance_level),
            col(Expert.clearance_verified_at),
            col(Expert.clearance_expires_on),
            col(Expert.gender),
            col(Expert.affiliation_kind),
            col(Expert.deployable),
            col(Expert.notice_days),
            col(Expert.max_concurrent),
            col(Expert.last_engaged_on),
        )
        .where(where)
        .order_by(col(Expert.id))
    ).all()
    if not experts:
        return []

    def grouped(*columns: Any, extra: Any = None, dated: int = 0) -> dict[int, list[Any]]:
        """Rows of one child table for the chosen experts: expert id -> [(values...)].

        The driver's own tuples (these columns are ids, codes, levels and days, none needing the
        ORM's result processing); the first `dated` values are days, which SQLite returns as ISO
        text."""
        owner = columns[0]
        query = sa.select(*columns).join(Expert, col(Expert.id) == owner).where(where)
        if extra is not None:
            query = query.where(extra)
        result = connection.execute(query)
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
        out: dict[int, list[Any]] = defaultdict(list)
        if dated and rows and isinstance(rows[0][1], str):
            day = date.fromisoformat
            for row in rows:
                out[row[0]].append(
                    tuple(day(v) for v in row[1 : 1 + dated]) + tuple(row[1 + dated :])
                )
            return out
        if len(columns) == 2:  # one value per row: keep the value itself
            for owner_id, value in rows:
                out[owner_id].append(value)
            return out
        for row in rows:
            out[row[0]].append(row[1:])
        return out

    topics = grouped(
        col(ExpertTopic.expert_id), col(ExpertTopic.topic_code), col(ExpertTopic.level)
    )
    languages = grouped(
        col(ExpertLanguage.expert_id), col(ExpertLanguage.language_code), col(ExpertLanguage.level)
    )
    regions = grouped(col(ExpertRegion.expert_id), col(ExpertRegion.country_code))
    nationalities = grouped(col(ExpertNationality.expert_id), col(ExpertNationality.country_code))
    windows = grouped(
        col(AvailabilityWindow.expert_id),
        col(AvailabilityWindow.starts_on),
        col(AvailabilityWindow.ends_on),
        col(AvailabilityWindow.kind),
        dated=2,
    )
    year_ago = today - timedelta(days=365)
    seats = grouped(
        col(Assignment.expert_id),
        col(Assignment.starts_on),
        col(Assignment.ends_on),
        col(Assignment.request_id),
        col(Assignment.mode),
        extra=col(Assignment.ends_on) >= year_ago,
        dated=2,
    )
    none: list[Any] = []
    facts = []
    for e in experts:
        expert_id = e[0]
        held = seats.get(expert_id, none)
        if held:
            past = [s for s in held if s[0] <= today]
            last = max(
                [s[1] for s in past if s[1] <= today] + ([e[11]] if e[11] else []), default=None
            )
        else:
            past, last = none, e[11] or None
        facts.append(
            CandidateFacts(
                expert_id=expert_id,
                vetting_status=e[1],
                vetting_valid_until=e[2],
                clearance_level=e[3],
                clearance_verified_at=e[4],
                clearance_expires_on=e[5],
                windows=tuple(Window(*w) for w in windows.get(expert_id, none)),
                topics=dict(topics.get(expert_id, none)),
                languages=dict(languages.get(expert_id, none)),
                regions=frozenset(regions.get(expert_id, none)),
                nationalities=frozenset(nationalities.get(expert_id, none)),
                gender=e[6],
                affiliation_kind=e[7],
                deployable=e[8],
                notice_days=e[9],
                max_concurrent=e[10],
                engagements=tuple(Engagement(*s) for s in held if s[1] >= today),
                recent_engagements=len(past),
                last_engaged_on=last,
            )
        )
    return facts


def team_so_far(session: Session, request: CrisisRequest) -> TeamSoFar:
    seated = session.exec(
        select(Expert)
        .join(Assignment, col(Assignment.expert_id) == col(Expert.id))
        .where(Assignment.request_id == request.id)
    ).all()
    members = []
    for expert in seated:
        codes = frozenset(
            session.exec(
                select(ExpertNationality.country_code).where(
                    ExpertNationality.expert_id == expert.id
                )
            ).all()
        )
        members.append(
            TeamMember(
                gender=expert.gender, nationalities=codes, affiliation_kind=expert.affiliation_kind
            )
        )
    return TeamSoFar(members=tuple(members))
