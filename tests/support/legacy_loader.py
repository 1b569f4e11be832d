"""The candidate loader as it was before tuple queries (ORM objects per child row, IN lists of
every expert id), kept to prove the new one equal (tests) and to time it beside it (bench)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TypeVar

from sqlmodel import Session, col, select

from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.requests.candidate_facts import CandidateFacts, Engagement, Window
from roster.requests.models import Assignment

_Row = TypeVar(
    "_Row", ExpertTopic, ExpertLanguage, ExpertRegion, ExpertNationality, AvailabilityWindow
)


def candidate_facts(
    session: Session, *, today: date, expert_ids: list[int] | None = None, vetted_only: bool = True
) -> list[CandidateFacts]:
    """Facts for active, not-erased experts (only vetted ones unless `vetted_only` is False)."""
    query = select(Expert).where(Expert.active, col(Expert.pseudonym).is_(None))
    if vetted_only:
        query = query.where(Expert.vetting_status == "vetted")
    if expert_ids is not None:
        query = query.where(col(Expert.id).in_(expert_ids))
    experts = session.exec(query.order_by(col(Expert.id))).all()
    ids = [e.id for e in experts]
    if not ids:
        return []

    def grouped(model: type[_Row]) -> dict[int, list[_Row]]:
        out: dict[int, list[_Row]] = defaultdict(list)
        for row in session.exec(select(model).where(col(model.expert_id).in_(ids))):
            out[row.expert_id].append(row)
        return out

    topics, languages = grouped(ExpertTopic), grouped(ExpertLanguage)
    regions, nationalities = grouped(ExpertRegion), grouped(ExpertNationality)
    windows = grouped(AvailabilityWindow)
    year_ago = today - timedelta(days=365)
    seats: dict[int, list[Assignment]] = defaultdict(list)
    for seat in session.exec(
        select(Assignment).where(col(Assignment.expert_id).in_(ids), Assignment.ends_on >= year_ago)
    ):
        seats[seat.expert_id].append(seat)
    facts = []
    for e in experts:
        held = seats[e.id]
        past = [s for s in held if s.starts_on <= today]
        last = max(
            [s.ends_on for s in past if s.ends_on <= today]
            + ([e.last_engaged_on] if e.last_engaged_on else []),
            default=None,
        )
        facts.append(
            CandidateFacts(
                expert_id=e.id,
                vetting_status=e.vetting_status,
                vetting_valid_until=e.vetting_valid_until,
                clearance_level=e.clearance_level,
                clearance_verified_at=e.clearance_verified_at,
                clearance_expires_on=e.clearance_expires_on,
                windows=tuple(Window(w.starts_on, w.ends_on, w.kind) for w in windows[e.id]),
                topics={t.topic_code: t.level for t in topics[e.id]},
                languages={lang.language_code: lang.level for lang in languages[e.id]},
                regions=frozenset(r.country_code for r in regions[e.id]),
                nationalities=frozenset(n.country_code for n in nationalities[e.id]),
                gender=e.gender,
                affiliation_kind=e.affiliation_kind,
                deployable=e.deployable,
                notice_days=e.notice_days,
                max_concurrent=e.max_concurrent,
                engagements=tuple(
                    Engagement(s.starts_on, s.ends_on, s.request_id, s.mode)
                    for s in held
                    if s.ends_on >= today
                ),
                recent_engagements=len(past),
                last_engaged_on=last,
            )
        )
    return facts
