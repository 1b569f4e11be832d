"""Ranking experts for a crisis request: hard rules first (each exclusion with its API reason code),
then six explained scores in [0, 1] combined by `MatchingWeights`, best first.

Pure and vectorised with numpy over a `CandidatePool`: no Flask, no database. Entry point: `rank`.

Hard rules (an expert failing any is excluded; `explain=True` lists every rule they fail):

- `not_vetted`: vetting is not `vetted`, or its valid-until date is before `today`.
- `clearance_too_low`: no verified clearance, or its level is below the required one. A request
  that requires none (or NU, unclassified) needs no clearance.
- `clearance_expires`: the level is enough but the clearance expires before the request's last day
  (already expired included), i.e. it is not valid on every day (`rules.cleared_over`).
- `unavailable`: an unavailable window touches the request's days, or the expert declared
  availability windows that do not cover them all (`rules.available_over`).
- `at_capacity`: engagements overlapping the request (on other requests) number `max_concurrent`.
- `double_booked`: the expert already holds a seat on this request, or an overlapping engagement
  where either side is deployed (a deployed expert cannot be in two places; remote work may run
  concurrently up to capacity).

Non-deployable experts stay eligible for deployed requests (they can support remotely): their
availability score is multiplied by `weights.not_deployable` and a reason says so. No code is
added to the contract's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from roster.reference.codes import CEFR_LEVELS
from roster.requests.candidate_facts import (
    GENDERS,
    UNDISCLOSED,
    CandidateFacts,
    CandidatePool,
    RequestSpec,
    TeamSoFar,
)
from roster.requests.excluded import EXCLUSION_CODES, Excluded, ExcludedList
from roster.requests.reasons import explain_candidate
from roster.requests.weights import (
    COMPONENTS,
    CONFLICT_AFFECTED,
    DEFAULT_WEIGHTS,
    STATE_AFFILIATIONS,
    MatchingWeights,
)

__all__ = [
    "EXCLUSION_CODES",
    "Excluded",
    "ExcludedList",
    "Ranked",
    "Ranking",
    "rank",
    "rank_groups",
]


@dataclass(frozen=True, slots=True)
class Ranked:
    """An eligible expert: total score and its components (each in [0, 1]), and why."""

    expert_id: int
    score: float
    components: dict[str, float]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ranking:
    """The answer to one request: `ranked` best first (ties by expert id), cut to the limit asked;
    `eligible`: how many passed the hard rules; `excluded` (by expert id) only when explained."""

    ranked: list[Ranked]
    eligible: int
    excluded: Sequence[Excluded]


def rank(
    request: RequestSpec,
    candidates: CandidatePool | Sequence[CandidateFacts],
    *,
    today: date,
    team: TeamSoFar = TeamSoFar(),
    weights: MatchingWeights = DEFAULT_WEIGHTS,
    conflict_affected: frozenset[str] = CONFLICT_AFFECTED,
    limit: int | None = None,
    explain: bool = False,
    among: np.ndarray | None = None,
) -> Ranking:
    """Rank the candidates for `request` as of `today`.

    `team`: the experts already on the request, for balance. `conflict_affected`: ISO alpha-2
    codes for the origin dimension of balance. `limit`: return only the best so many (reasons are
    built only for those). `explain`: also list the excluded experts and every rule each fails.
    `among`: rank only the candidates it marks (a bool per pool position), as if the pool held
    no others (scores do not depend on who else is in it).
    """
    pool = candidates if isinstance(candidates, CandidatePool) else CandidatePool(candidates)
    everyone = np.ones(pool.size, dtype=bool) if among is None else among
    (found,) = rank_groups(
        request,
        pool,
        [everyone],
        today=today,
        team=team,
        weights=weights,
        conflict_affected=conflict_affected,
        limit=limit,
        explain=explain,
    )
    return found


def rank_groups(
    request: RequestSpec,
    pool: CandidatePool,
    groups: Sequence[np.ndarray],
    *,
    today: date,
    team: TeamSoFar = TeamSoFar(),
    weights: MatchingWeights = DEFAULT_WEIGHTS,
    conflict_affected: frozenset[str] = CONFLICT_AFFECTED,
    limit: int | None = None,
    explain: bool = False,
) -> list[Ranking]:
    """`rank(..., among=group)` for each group, the rules and scores worked out once."""
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    rules = exclusions(request, pool, today)
    eligible = ~np.logical_or.reduce(list(rules.values()))
    components = component_scores(request, pool, today, team, weights, conflict_affected)
    # Rounded before sorting so that equal scores as shown are exactly the ties broken by id.
    total = np.round(weighted_total(components, weights), 4)

    def one(considered: np.ndarray) -> Ranking:
        chosen = np.flatnonzero(eligible & considered)
        scores = total[chosen]
        if limit is not None and 0 < limit < chosen.size:
            cutoff = np.partition(scores, chosen.size - limit)[chosen.size - limit]
            keep = scores >= cutoff  # ties at the cut-off stay until the id tie-break below
            chosen, scores = chosen[keep], scores[keep]
        chosen = chosen[np.lexsort((pool.expert_id[chosen], -scores))][:limit]
        ranked = [
            Ranked(
                expert_id=int(pool.expert_id[i]),
                score=float(total[i]),
                components={name: round(float(components[name][i]), 4) for name in COMPONENTS},
                reasons=explain_candidate(pool.fact(i), request, today, team, conflict_affected),
            )
            for i in chosen.tolist()
        ]
        left = ~eligible & considered
        return Ranking(
            ranked=ranked,
            eligible=int(np.count_nonzero(eligible & considered)),
            excluded=_explain_exclusions(pool, rules, left) if explain else [],
        )

    return [one(group) for group in groups]


def _explain_exclusions(
    pool: CandidatePool, rules: dict[str, np.ndarray], left: np.ndarray
) -> ExcludedList:
    left_out = np.flatnonzero(left)
    left_out = left_out[np.argsort(pool.expert_id[left_out], kind="stable")]
    bits = np.zeros(left_out.size, dtype=np.int64)
    for bit, code in enumerate(EXCLUSION_CODES):
        bits |= rules[code][left_out].astype(np.int64) << bit
    return ExcludedList(pool.expert_id[left_out], bits)


# --- Hard rules ----------------------------------------------------------------------------


def exclusions(request: RequestSpec, pool: CandidatePool, today: date) -> dict[str, np.ndarray]:
    """For each reason code, which candidates fail that rule (a bool per candidate)."""
    start, end, now = request.starts_on.toordinal(), request.ends_on.toordinal(), today.toordinal()
    not_vetted = ~(pool.vetted & (pool.vetted_until >= now))

    if request.clearance_rank == 0:
        too_low = expires = np.zeros(pool.size, dtype=bool)
    else:
        enough = pool.clearance_rank >= request.clearance_rank
        too_low, expires = ~enough, enough & (pool.clearance_until < end)

    windows = pool.windows.columns
    touches = windows["unavailable"] & (windows["start"] <= end) & (windows["end"] >= start)
    unavailable = pool.per_candidate(pool.windows, touches) | _declared_gaps(pool, start, end)

    held = pool.engagements.columns
    overlap = (held["start"] <= end) & (held["end"] >= start)
    this_request = held["request"] == request.id
    busy = np.bincount(pool.engagements.row[overlap & ~this_request], minlength=pool.size)
    clash = this_request | (overlap & (held["deployed"] | (request.mode == "deployed")))
    return {
        "not_vetted": not_vetted,
        "clearance_too_low": too_low,
        "clearance_expires": expires,
        "unavailable": unavailable,
        "at_capacity": busy >= pool.max_concurrent,
        "double_booked": pool.per_candidate(pool.engagements, clash),
    }


def _declared_gaps(pool: CandidatePool, start: int, end: int) -> np.ndarray:
    """Candidates who declared availability windows that leave a day of [start, end] uncovered
    (`rules.available_over`, vectorised: sort the clipped windows per candidate and look for a gap
    with the running maximum of their ends)."""
    columns = pool.windows.columns
    declared = ~columns["unavailable"]
    declares = pool.per_candidate(pool.windows, declared)
    useful = declared & (columns["start"] <= end) & (columns["end"] >= start)
    rows = pool.windows.row[useful].astype(np.int64)
    low = np.maximum(columns["start"][useful], start) - start
    high = np.minimum(columns["end"][useful], end) - start
    order = np.lexsort((low, rows))
    rows, low, high = rows[order], low[order], high[order]
    # Offsetting each candidate's days by row * span keeps one running maximum from leaking into
    # the next candidate's windows.
    offset = rows * (end - start + 2)
    reach = np.maximum.accumulate(high + offset)
    first = np.r_[True, rows[1:] != rows[:-1]]
    last = np.r_[rows[1:] != rows[:-1], True]
    before = np.r_[0, reach[:-1]]
    gap = np.where(first, low > 0, low + offset > before + 1) | (
        last & (reach - offset < end - start)
    )
    uncovered = declares.copy()
    uncovered[rows] = False
    uncovered[rows[gap]] = True
    return uncovered


# --- Scores --------------------------------------------------------------------------------


def component_scores(
    request: RequestSpec,
    pool: CandidatePool,
    today: date,
    team: TeamSoFar = TeamSoFar(),
    weights: MatchingWeights = DEFAULT_WEIGHTS,
    conflict_affected: frozenset[str] = CONFLICT_AFFECTED,
) -> dict[str, np.ndarray]:
    """Each component, in [0, 1], for every candidate (eligible or not)."""
    return {
        "topic": _topic(request, pool, weights),
        "language": _language(request, pool, weights),
        "region": _region(request, pool, weights),
        "availability": _availability(request, pool, today, weights),
        "balance": _balance(pool, team, weights, conflict_affected),
        "rotation": _rotation(pool, today, weights),
    }


def weighted_total(components: dict[str, np.ndarray], weights: MatchingWeights) -> np.ndarray:
    """The weighted mean of the components: in [0, 1] whatever the (non-negative) weights."""
    by_name = weights.component_weights()
    weighted = sum(by_name[name] * components[name] for name in COMPONENTS)
    return np.asarray(weighted / sum(by_name.values()))


def _ones(pool: CandidatePool) -> np.ndarray:
    return np.ones(pool.size, dtype=np.float64)


def _topic(request: RequestSpec, pool: CandidatePool, weights: MatchingWeights) -> np.ndarray:
    """Per requested topic (level / 4) ** 2, cut by `below_min_level` under the asked level; then
    `topic_best_share` of the best topic plus the rest of the mean. Squaring and the best-topic
    share make a level-4 specialist in one asked topic outrank a level-2 generalist in all of
    them."""
    if not request.topics:
        return _ones(pool)
    flat = pool.topics
    per_topic = []
    for code, min_level in request.topics.items():
        wanted = flat.columns["code"] == pool.topic_codes.get(code)
        level = pool.per_candidate(flat, wanted, flat.columns["level"]).astype(np.float64)
        per_topic.append(
            (level / 4) ** 2 * np.where(level >= min_level, 1.0, weights.below_min_level)
        )
    stacked = np.vstack(per_topic)
    share = weights.topic_best_share
    return share * stacked.max(axis=0) + (1 - share) * stacked.mean(axis=0)


def _language(request: RequestSpec, pool: CandidatePool, weights: MatchingWeights) -> np.ndarray:
    """Mean over requested languages: 1 at or above the asked CEFR level; below it, the share of the
    way up (A1 of an asked B2 is 1/4) times `below_min_level`; 0 when not spoken. 1 for everyone
    when the request names no language (likewise for topics and regions)."""
    if not request.languages:
        return _ones(pool)
    flat = pool.languages
    total = np.zeros(pool.size)
    for code, min_level in request.languages.items():
        wanted = flat.columns["code"] == pool.language_codes.get(code)
        steps = pool.per_candidate(flat, wanted, flat.columns["rank"] + 1).astype(np.float64)
        needed = CEFR_LEVELS.index(min_level) + 1
        total += np.where(steps >= needed, 1.0, weights.below_min_level * steps / needed)
    return total / len(request.languages)


def _region(request: RequestSpec, pool: CandidatePool, weights: MatchingWeights) -> np.ndarray:
    """Mean over requested countries: 1 when the expert lists it as a region they know,
    `nationality_as_region` when they only hold its nationality, else 0."""
    if not request.regions:
        return _ones(pool)
    total = np.zeros(pool.size)
    for country in sorted(request.regions):
        code = pool.country_codes.get(country)
        knows = pool.per_candidate(pool.regions, pool.regions.columns["code"] == code)
        national = pool.per_candidate(
            pool.nationalities, pool.nationalities.columns["code"] == code
        )
        total += np.where(knows, 1.0, np.where(national, weights.nationality_as_region, 0.0))
    return total / len(request.regions)


def _availability(
    request: RequestSpec, pool: CandidatePool, today: date, weights: MatchingWeights
) -> np.ndarray:
    """1 when the expert's notice fits the lead time to the start, else lead / notice; times
    `not_deployable` for a non-deployable expert on a deployed request."""
    lead = max((request.starts_on - today).days, 0)
    notice = pool.notice_days
    fits = np.where(notice <= lead, 1.0, lead / np.maximum(notice, 1))
    if request.mode == "deployed":
        fits = fits * np.where(pool.deployable, 1.0, weights.not_deployable)
    return fits


def _rotation(pool: CandidatePool, today: date, weights: MatchingWeights) -> np.ndarray:
    """Half load (1 / (1 + engagements in 12 months / `rotation_half_load`)), half rest (days since
    the last engagement / `rotation_rest_days`, capped at 1; never engaged counts as rested)."""
    load = 1 / (1 + pool.recent / weights.rotation_half_load)
    days_since = (today.toordinal() - pool.last_engaged).astype(np.float64)
    rest = np.clip(days_since / weights.rotation_rest_days, 0.0, 1.0)
    return (load + rest) / 2


def _balance(
    pool: CandidatePool,
    team: TeamSoFar,
    weights: MatchingWeights,
    conflict_affected: frozenset[str],
) -> np.ndarray:
    """How much the expert would even out the team so far: per dimension 1 - the share of the team
    already like them. Gender (undisclosed counts neutral, 0.5), sector (civil society vs government
    and military) and origin (half conflict-affected or not, half sharing no nationality). An empty
    team scores 1 for everyone."""
    members = team.members
    if not members:
        return _ones(pool)
    size = len(members)

    known = [GENDERS.index(m.gender) for m in members if m.gender in GENDERS[:UNDISCLOSED]]
    by_gender = np.ones(len(GENDERS))
    if known:
        by_gender -= np.bincount(known, minlength=len(GENDERS)) / len(known)
        by_gender[UNDISCLOSED] = 0.5
    gender = by_gender[pool.gender]

    state_share = sum(m.affiliation_kind in STATE_AFFILIATIONS for m in members) / size
    sector = np.where(pool.state_sector, 1 - state_share, state_share)

    nationals = pool.nationalities
    codes = nationals.columns["code"]
    conflict_codes = [pool.country_codes.get(cc) for cc in conflict_affected]
    from_conflict = pool.per_candidate(nationals, np.isin(codes, conflict_codes))
    conflict_share = sum(bool(m.nationalities & conflict_affected) for m in members) / size
    conflict = np.where(from_conflict, 1 - conflict_share, conflict_share)
    sharing = np.zeros(pool.size)
    for member in members:
        member_codes = [pool.country_codes.get(cc) for cc in member.nationalities]
        sharing += pool.per_candidate(nationals, np.isin(codes, member_codes))
    origin = (conflict + 1 - sharing / size) / 2

    parts = (weights.balance_gender, weights.balance_sector, weights.balance_origin)
    return (parts[0] * gender + parts[1] * sector + parts[2] * origin) / sum(parts)
