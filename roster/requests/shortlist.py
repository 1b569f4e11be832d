"""The candidates of a request as the coordinator reads them: first the experts who meet every
requirement the requester stated, then the partial matches with what each lacks, reasons in
words, who already holds an open offer, and the experts pre-selected for the seats left."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import policy
from roster.errors import Forbidden
from roster.experts.models import Expert
from roster.reference.taxonomy import topic_names
from roster.requests import candidate_loader, pool_cache, settings
from roster.requests.matching import Excluded, ExcludedList, Ranked, rank_groups
from roster.requests.models import CrisisRequest, Offer
from roster.requests.reasons import Wording, asked, explain_candidate, meets_asked, shortfalls

# How many of each group the page lists (best first).
LIMIT = 50


def preselect_count(seats_open: int) -> int:
    """How many to offer for the seats still open: the seats plus half as many again (rounded
    up), since some experts decline or do not answer in time."""
    return seats_open + math.ceil(seats_open / 2)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One eligible expert: score, components, reasons in words (`fit`: one per requirement, in
    the order `Shortlist.asked` lists them; `reasons`: the rest) and what they lack (nothing for a
    full match), the facts the team balance counts, and an open offer's reply-by if any."""

    expert_id: int
    name: str
    score: float
    components: dict[str, float]
    fit: tuple[str, ...]
    reasons: tuple[str, ...]
    lacks: tuple[str, ...]
    gender: str
    affiliation_kind: str
    nationalities: tuple[str, ...]
    offered_until: datetime | None

    @property
    def full_match(self) -> bool:
        return not self.lacks


@dataclass(frozen=True, slots=True)
class Shortlist:
    """`full` and `partial` best first (at most `LIMIT` each, `*_total` counting them all);
    `asked`: the requirements in words; `preselected`: the first full matches without an open
    offer, for the seats left; `excluded` only when explained."""

    full: list[Candidate]
    partial: list[Candidate]
    full_total: int
    partial_total: int
    asked: tuple[str, ...]
    seats_open: int
    preselected: tuple[int, ...]
    excluded: Sequence[Excluded]

    @property
    def eligible(self) -> int:
        return self.full_total + self.partial_total

    def by_id(self) -> dict[int, Candidate]:
        return {c.expert_id: c for c in [*self.full, *self.partial]}


@dataclass(frozen=True, slots=True)
class Balance:
    """The make-up of a selection: how many of each gender, nationality and affiliation."""

    size: int
    genders: list[tuple[str, int]]
    nationalities: list[tuple[str, int]]
    affiliations: list[tuple[str, int]]


def shortlist(
    *,
    session: Session,
    actor: policy.Actor,
    request: CrisisRequest,
    today: date,
    explain: bool = False,
) -> Shortlist:
    if not policy.can_match(actor):
        raise Forbidden(_("Only coordinators see candidates."))
    spec = candidate_loader.request_spec(session, request)
    team = candidate_loader.team_so_far(session, request)
    wording = Wording(topics=topic_names(session))
    # The cached pool holds every active expert, vetted or not: ranking excludes the others
    # (and names them only when `explain`), so the answer is the one a fresh load gives.
    pool = pool_cache.candidate_pool(session, today=today)
    full_match = meets_asked(spec, pool)
    weights = settings.matching_weights()

    # Scores do not depend on who else is in the pool: ranking the groups apart keeps the order.
    full, partial = rank_groups(
        spec,
        pool,
        [full_match, ~full_match],
        today=today,
        team=team,
        weights=weights,
        limit=LIMIT,
        explain=explain,
    )
    shown = [r.expert_id for r in [*full.ranked, *partial.ranked]]
    names = _names(session, shown)
    offered = _open_offers(session, request)
    # Facts and shortfalls in words only for the experts shown.
    facts = {eid: pool.fact(i) for eid, i in zip(shown, pool.positions(shown), strict=True)}

    needs = len(asked(spec))

    def candidate(r: Ranked) -> Candidate:
        expert = facts[r.expert_id]
        why = explain_candidate(expert, spec, today, team, wording=wording)
        return Candidate(
            expert_id=r.expert_id,
            name=names.get(r.expert_id, ""),
            score=r.score,
            components=r.components,
            fit=why[:needs],
            reasons=why[needs:],
            lacks=shortfalls(expert, spec, wording),
            gender=expert.gender,
            affiliation_kind=expert.affiliation_kind,
            nationalities=tuple(sorted(wording.country(cc) for cc in expert.nationalities)),
            offered_until=offered.get(r.expert_id),
        )

    full_list = [candidate(r) for r in full.ranked]
    seats_open = max(request.seats - request.filled, 0)
    wanted = max(preselect_count(seats_open) - len(offered), 0)
    free = [c.expert_id for c in full_list if c.offered_until is None]
    return Shortlist(
        full=full_list,
        partial=[candidate(r) for r in partial.ranked],
        full_total=full.eligible,
        partial_total=partial.eligible,
        asked=asked(spec, wording),
        seats_open=seats_open,
        preselected=tuple(free[:wanted]),
        excluded=ExcludedList.merged(full.excluded, partial.excluded),
    )


def balance(candidates: Sequence[Candidate], chosen: Iterable[int]) -> Balance:
    """The make-up of the chosen experts among `candidates` (others are not counted)."""
    wanted = set(chosen)
    picked = [c for c in candidates if c.expert_id in wanted]

    def counted(values: Iterable[str]) -> list[tuple[str, int]]:
        return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))

    return Balance(
        size=len(picked),
        genders=counted(c.gender for c in picked),
        nationalities=counted(n for c in picked for n in c.nationalities),
        affiliations=counted(c.affiliation_kind for c in picked),
    )


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Expert.id, Expert.full_name).where(col(Expert.id).in_(ids))).all()
    return dict(rows)


def _open_offers(session: Session, request: CrisisRequest) -> dict[int, datetime]:
    """Expert id -> reply-by of their open offer on this request."""
    rows = session.exec(
        select(Offer.expert_id, Offer.respond_by).where(
            Offer.request_id == request.id, Offer.state == "open"
        )
    ).all()
    return dict(rows)
