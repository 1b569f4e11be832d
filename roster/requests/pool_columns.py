"""A `CandidatePool` laid out straight from columns (numpy arrays, as `pool_loader` reads them),
without a `CandidateFacts` object per expert; the facts of one candidate are put back together
from the columns only when asked (`pool.fact(i)`: the few ranked, shown or explained).

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

import numpy as np

from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS
from roster.requests.candidate_facts import (
    FAR_FUTURE,
    GENDERS,
    LONG_AGO,
    UNDISCLOSED,
    CandidateFacts,
    CandidatePool,
    Codes,
    Engagement,
    Window,
    _Flat,
)
from roster.requests.weights import STATE_AFFILIATIONS


class Coded(NamedTuple):
    """A column of codes as small integers: `codes[i]` is the position in `names` (-1: none)."""

    codes: np.ndarray
    names: tuple[str, ...]

    def name(self, i: int) -> str | None:
        at = int(self.codes[i])
        return None if at < 0 else self.names[at]


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolColumns:
    """Every candidate's facts as columns. Per expert (one entry each, any order): days are
    ordinals (`date.toordinal`) with 0 for none; `clearance_verified` whether the clearance was
    verified, `clearance_verified_at` when (ISO text), for those experts only, in their order.
    Child entries (`_Flat`) name their expert by position in `expert_id`; `recent_engagements`
    and `last_engaged_on` are already folded in from the seats, as the facts define them."""

    expert_id: np.ndarray
    vetting_status: Coded
    vetting_valid_until: np.ndarray
    clearance_level: Coded
    clearance_verified: np.ndarray
    clearance_verified_at: Sequence[str]
    clearance_expires_on: np.ndarray
    gender: Coded
    affiliation_kind: Coded
    deployable: np.ndarray
    notice_days: np.ndarray
    max_concurrent: np.ndarray
    recent_engagements: np.ndarray
    last_engaged_on: np.ndarray
    topics: _Flat  # code (into topic_codes), level
    topic_codes: Codes
    languages: _Flat  # code (into language_codes), rank (into CEFR_LEVELS)
    language_codes: Codes
    regions: _Flat  # code (into country_codes)
    nationalities: _Flat  # code (into country_codes)
    country_codes: Codes
    windows: _Flat  # start, end, kind (into window_kinds)
    window_kinds: tuple[str, ...]
    engagements: _Flat  # start, end, request, mode (into engagement_modes)
    engagement_modes: tuple[str, ...]


def _by_row(flat: _Flat, order: np.ndarray) -> _Flat:
    """The entries renumbered to the pool's positions (`order`: old position -> new) and sorted
    by them, so that one candidate's entries are one slice."""
    rows = order[flat.row]
    by = np.argsort(rows, kind="stable")
    return _Flat(rows[by].astype(np.int32), {k: v[by] for k, v in flat.columns.items()})


def _day(ordinal: int) -> date | None:
    return date.fromordinal(ordinal) if ordinal > 0 else None


def _stamp(text: str) -> datetime:
    found = datetime.fromisoformat(text)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def pool_from_columns(c: PoolColumns) -> CandidatePool:
    """The pool `CandidatePool(facts)` would build from the same facts (positions by expert id)."""
    by_id = np.argsort(c.expert_id, kind="stable")
    if np.any(np.diff(c.expert_id[by_id]) == 0):
        raise ValueError("each expert may appear only once in a pool")
    order = np.empty_like(by_id)
    order[by_id] = np.arange(by_id.size)
    pool = CandidatePool.__new__(CandidatePool)
    pool.size = int(c.expert_id.size)
    pool.expert_id = c.expert_id[by_id].astype(np.int64)
    vetted = np.array([s == "vetted" for s in c.vetting_status.names] + [False], dtype=bool)
    pool.vetted = vetted[c.vetting_status.codes[by_id]]
    valid = c.vetting_valid_until[by_id].astype(np.int64)
    pool.vetted_until = np.where(valid > 0, valid, FAR_FUTURE)
    verified = c.clearance_verified[by_id]
    ranks = np.array(
        [CLEARANCE_RANK.get(code, -1) for code in c.clearance_level.names] + [-1], dtype=np.int8
    )
    pool.clearance_rank = np.where(verified, ranks[c.clearance_level.codes[by_id]], -1).astype(
        np.int8
    )
    expires = c.clearance_expires_on[by_id].astype(np.int64)
    pool.clearance_until = np.where(expires > 0, expires, FAR_FUTURE)
    genders = np.array([GENDERS.index(g) if g in GENDERS else UNDISCLOSED for g in c.gender.names])
    pool.gender = np.append(genders, UNDISCLOSED).astype(np.int8)[c.gender.codes[by_id]]
    state = np.array([k in STATE_AFFILIATIONS for k in c.affiliation_kind.names] + [False])
    pool.state_sector = state[c.affiliation_kind.codes[by_id]]
    pool.deployable = c.deployable[by_id].astype(bool)
    pool.notice_days = c.notice_days[by_id].astype(np.int64)
    pool.max_concurrent = c.max_concurrent[by_id].astype(np.int64)
    pool.recent = c.recent_engagements[by_id].astype(np.float64)
    last = c.last_engaged_on[by_id].astype(np.int64)
    pool.last_engaged = np.where(last > 0, last, LONG_AGO)
    pool.topic_codes, pool.language_codes = c.topic_codes, c.language_codes
    pool.country_codes = c.country_codes
    pool.topics, pool.languages = _by_row(c.topics, order), _by_row(c.languages, order)
    pool.regions = _by_row(c.regions, order)
    pool.nationalities = _by_row(c.nationalities, order)
    windows, held = _by_row(c.windows, order), _by_row(c.engagements, order)
    kinds, modes = np.array(c.window_kinds), np.array(c.engagement_modes)
    pool.windows = _Flat(
        windows.row,
        {
            "start": windows.columns["start"].astype(np.int64),
            "end": windows.columns["end"].astype(np.int64),
            "unavailable": kinds[windows.columns["kind"]] == "unavailable",
            "kind": windows.columns["kind"],
        },
    )
    pool.engagements = _Flat(
        held.row,
        {
            "start": held.columns["start"].astype(np.int64),
            "end": held.columns["end"].astype(np.int64),
            "request": held.columns["request"].astype(np.int64),
            "deployed": modes[held.columns["mode"]] == "deployed",
            "mode": held.columns["mode"],
        },
    )
    pool.facts = ()
    pool.recall = _Recall(pool, c, by_id, valid, expires, last)
    return pool


class _Recall:
    """Puts one candidate's `CandidateFacts` back together from the pool's columns."""

    def __init__(
        self,
        pool: CandidatePool,
        c: PoolColumns,
        by_id: np.ndarray,
        valid: np.ndarray,
        expires: np.ndarray,
        last: np.ndarray,
    ) -> None:
        self.pool, self.c, self.by_id = pool, c, by_id
        self.valid, self.expires, self.last = valid, expires, last
        self.stamp_at = np.cumsum(c.clearance_verified) - 1  # source position -> its stamp
        if len(c.clearance_verified_at) != np.count_nonzero(c.clearance_verified):
            raise ValueError("one verification time per verified clearance")
        self.topics, self.languages = pool.topic_codes.names, pool.language_codes.names
        self.countries = pool.country_codes.names
        self.bounds = {
            name: np.searchsorted(flat.row, np.arange(pool.size + 1))
            for name, flat in (
                ("topics", pool.topics),
                ("languages", pool.languages),
                ("regions", pool.regions),
                ("nationalities", pool.nationalities),
                ("windows", pool.windows),
                ("engagements", pool.engagements),
            )
        }

    def _slice(self, name: str, i: int, *columns: str) -> list[tuple]:
        lo, hi = self.bounds[name][i], self.bounds[name][i + 1]
        flat: _Flat = getattr(self.pool, name)
        return list(zip(*(flat.columns[k][lo:hi].tolist() for k in columns), strict=True))

    def __call__(self, i: int) -> CandidateFacts:
        c, source = self.c, int(self.by_id[i])
        kinds, modes = self.c.window_kinds, self.c.engagement_modes
        return CandidateFacts(
            expert_id=int(self.pool.expert_id[i]),
            vetting_status=c.vetting_status.name(source) or "",
            vetting_valid_until=_day(int(self.valid[i])),
            clearance_level=c.clearance_level.name(source),
            clearance_verified_at=(
                _stamp(c.clearance_verified_at[int(self.stamp_at[source])])
                if c.clearance_verified[source]
                else None
            ),
            clearance_expires_on=_day(int(self.expires[i])),
            windows=tuple(
                Window(date.fromordinal(s), date.fromordinal(e), kinds[k])
                for s, e, k in self._slice("windows", i, "start", "end", "kind")
            ),
            topics={
                self.topics[code]: level
                for code, level in self._slice("topics", i, "code", "level")
            },
            languages={
                self.languages[code]: CEFR_LEVELS[rank]
                for code, rank in self._slice("languages", i, "code", "rank")
            },
            regions=frozenset(self.countries[k] for (k,) in self._slice("regions", i, "code")),
            nationalities=frozenset(
                self.countries[k] for (k,) in self._slice("nationalities", i, "code")
            ),
            gender=c.gender.name(source) or "undisclosed",
            affiliation_kind=c.affiliation_kind.name(source) or "independent",
            deployable=bool(self.pool.deployable[i]),
            notice_days=int(self.pool.notice_days[i]),
            max_concurrent=int(self.pool.max_concurrent[i]),
            engagements=tuple(
                Engagement(date.fromordinal(s), date.fromordinal(e), None if r < 0 else r, modes[m])
                for s, e, r, m in self._slice("engagements", i, "start", "end", "request", "mode")
            ),
            recent_engagements=int(self.pool.recent[i]),
            last_engaged_on=_day(int(self.last[i])),
        )
