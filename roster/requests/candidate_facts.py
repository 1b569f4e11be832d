"""What matching reads: the facts about a request, its team so far and each candidate expert, and
`CandidatePool`, the same candidates laid out column by column so a request ranks in milliseconds.

Pure: no Flask, no database. `candidate_loader` builds these from rows; `CandidatePool(facts)` is
the one slow step (Python over every fact) and can be cached until the roster changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NamedTuple

import numpy as np

from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS
from roster.requests.weights import STATE_AFFILIATIONS

GENDERS: tuple[str, ...] = ("woman", "man", "non-binary", "self-described", "undisclosed")
UNDISCLOSED = GENDERS.index("undisclosed")
MODES = ("remote", "deployed")
Mode = Literal["remote", "deployed"]
FAR_FUTURE = date.max.toordinal()  # "never expires"
LONG_AGO = date.min.toordinal()  # "never engaged"


class Window(NamedTuple):
    """A span of days an expert declared `unavailable` (or `available`), both ends included."""

    starts_on: date
    ends_on: date
    kind: str = "unavailable"


class Engagement(NamedTuple):
    """An engagement the expert holds a seat on (accepted offer), both ends included."""

    starts_on: date
    ends_on: date
    request_id: int | None = None
    mode: str = "remote"


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateFacts:
    """Everything matching needs to know about one expert; field names follow `Expert`.

    `topics`: topic code -> level 1..4. `languages`: ISO 639-1 code -> CEFR level or "native".
    `regions`, `nationalities`: ISO 3166-1 alpha-2 codes. `engagements`: the engagements the expert
    currently holds (any dates); `recent_engagements`: how many they took in the last 12 months.
    """

    expert_id: int
    vetting_status: str = "pending"
    vetting_valid_until: date | None = None
    clearance_level: str | None = None
    clearance_verified_at: datetime | None = None
    clearance_expires_on: date | None = None
    windows: tuple[Window, ...] = ()
    topics: Mapping[str, int] = field(default_factory=dict)
    languages: Mapping[str, str] = field(default_factory=dict)
    regions: frozenset[str] = frozenset()
    nationalities: frozenset[str] = frozenset()
    gender: str = "undisclosed"
    affiliation_kind: str = "independent"
    deployable: bool = False
    notice_days: int = 14
    max_concurrent: int = 1
    engagements: tuple[Engagement, ...] = ()
    recent_engagements: int = 0
    last_engaged_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSpec:
    """What a crisis request asks for. `topics`: code -> minimum level 1..4; `languages`: code ->
    minimum CEFR level; `required_clearance`: a clearance code, None (or "NU") when none is
    needed."""

    id: int
    starts_on: date
    ends_on: date
    required_clearance: str | None = None
    topics: Mapping[str, int] = field(default_factory=dict)
    languages: Mapping[str, str] = field(default_factory=dict)
    regions: frozenset[str] = frozenset()
    mode: Mode = "remote"
    seats: int = 1

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError("request ends before it starts")
        if self.required_clearance is not None and self.required_clearance not in CLEARANCE_RANK:
            raise ValueError(f"unknown clearance level {self.required_clearance!r}")
        if any(not 1 <= level <= 4 for level in self.topics.values()):
            raise ValueError("topic levels run from 1 to 4")
        if any(level not in CEFR_LEVELS for level in self.languages.values()):
            raise ValueError("language levels are CEFR A1..C2 or native")
        if self.mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        if self.seats < 1:
            raise ValueError("a request needs at least one seat")

    @property
    def clearance_rank(self) -> int:
        """The rank a candidate's clearance must reach; 0 (NU) needs no clearance at all."""
        return CLEARANCE_RANK[self.required_clearance] if self.required_clearance else 0


@dataclass(frozen=True, slots=True)
class TeamMember:
    """What team balance needs to know about an expert who already accepted a seat."""

    gender: str = "undisclosed"
    nationalities: frozenset[str] = frozenset()
    affiliation_kind: str = "independent"


@dataclass(frozen=True, slots=True)
class TeamSoFar:
    """The experts already on a request's team, for the balance score."""

    members: tuple[TeamMember, ...] = ()

    @classmethod
    def of(cls, experts: Iterable[CandidateFacts | TeamMember]) -> TeamSoFar:
        return cls(
            tuple(
                TeamMember(e.gender, frozenset(e.nationalities), e.affiliation_kind)
                for e in experts
            )
        )


class _Flat(NamedTuple):
    """A one-to-many fact as flat columns: `row` is each entry's candidate position in the pool."""

    row: np.ndarray
    columns: dict[str, np.ndarray]


def _flat(counts: list[int], **columns: np.ndarray) -> _Flat:
    rows = np.repeat(np.arange(len(counts), dtype=np.int32), np.array(counts, dtype=np.int64))
    return _Flat(rows, columns)


class Codes:
    """Small integers for codes (topics, languages, countries), assigned as the pool meets them."""

    def __init__(self, codes: Iterable[str] = ()) -> None:
        self.index: dict[str, int] = {}
        for code in codes:
            self.add(code)

    @property
    def names(self) -> list[str]:
        """The codes in the order of their integers."""
        return list(self.index)

    def add(self, code: str) -> int:
        return self.index.setdefault(code, len(self.index))

    def get(self, code: str) -> int:
        """The code's integer, or -1 (which matches no entry) when no candidate has it."""
        return self.index.get(code, -1)


def _ordinal(day: date | None, missing: int) -> int:
    return missing if day is None else day.toordinal()


class CandidatePool:
    """Candidates as numpy columns: one entry per candidate, or flat entries (`_Flat`) per topic,
    language, region, nationality, window and engagement.

    `fact(i)` is the candidate in position i, for the reasons text of the few returned: kept as
    given (`facts`) by this constructor, put back together from the columns by a pool laid out
    from them (`pool_columns.pool_from_columns`, which keeps no object per candidate).
    """

    recall: Callable[[int], CandidateFacts]

    def __init__(self, facts: Sequence[CandidateFacts]) -> None:
        f = self.facts = tuple(facts)
        self.recall = f.__getitem__
        self.size = len(f)
        self.expert_id = np.array([c.expert_id for c in f], dtype=np.int64)
        if len(np.unique(self.expert_id)) != self.size:
            raise ValueError("each expert may appear only once in a pool")
        self.vetted = np.array([c.vetting_status == "vetted" for c in f], dtype=bool)
        self.vetted_until = np.array(
            [_ordinal(c.vetting_valid_until, FAR_FUTURE) for c in f], dtype=np.int64
        )
        self.clearance_rank = np.array(
            [
                CLEARANCE_RANK.get(c.clearance_level or "", -1) if c.clearance_verified_at else -1
                for c in f
            ],
            dtype=np.int8,
        )
        self.clearance_until = np.array(
            [_ordinal(c.clearance_expires_on, FAR_FUTURE) for c in f], dtype=np.int64
        )
        gender_code = {g: i for i, g in enumerate(GENDERS)}
        self.gender = np.array([gender_code.get(c.gender, UNDISCLOSED) for c in f], np.int8)
        self.state_sector = np.array([c.affiliation_kind in STATE_AFFILIATIONS for c in f], bool)
        self.deployable = np.array([c.deployable for c in f], dtype=bool)
        self.notice_days = np.array([c.notice_days for c in f], dtype=np.int64)
        self.max_concurrent = np.array([c.max_concurrent for c in f], dtype=np.int64)
        self.recent = np.array([c.recent_engagements for c in f], dtype=np.float64)
        self.last_engaged = np.array(
            [_ordinal(c.last_engaged_on, LONG_AGO) for c in f], dtype=np.int64
        )
        self._add_profile_entries(f)
        self._add_calendar_entries(f)

    def _add_profile_entries(self, f: tuple[CandidateFacts, ...]) -> None:
        self.topic_codes, self.language_codes, self.country_codes = Codes(), Codes(), Codes()
        topic, language, country = (
            self.topic_codes.add,
            self.language_codes.add,
            self.country_codes.add,
        )
        cefr = {level: i for i, level in enumerate(CEFR_LEVELS)}
        self.topics = _flat(
            [len(c.topics) for c in f],
            code=np.array([topic(t) for c in f for t in c.topics], dtype=np.int32),
            level=np.array([lv for c in f for lv in c.topics.values()], dtype=np.int8),
        )
        self.languages = _flat(
            [len(c.languages) for c in f],
            code=np.array([language(code) for c in f for code in c.languages], dtype=np.int32),
            rank=np.array([cefr[lv] for c in f for lv in c.languages.values()], dtype=np.int8),
        )
        self.regions = _flat(
            [len(c.regions) for c in f],
            code=np.array([country(cc) for c in f for cc in c.regions], dtype=np.int32),
        )
        self.nationalities = _flat(
            [len(c.nationalities) for c in f],
            code=np.array([country(cc) for c in f for cc in c.nationalities], dtype=np.int32),
        )

    def _add_calendar_entries(self, f: tuple[CandidateFacts, ...]) -> None:
        windows = [w for c in f for w in c.windows]
        self.windows = _flat(
            [len(c.windows) for c in f],
            start=np.array([w.starts_on.toordinal() for w in windows], dtype=np.int64),
            end=np.array([w.ends_on.toordinal() for w in windows], dtype=np.int64),
            unavailable=np.array([w.kind == "unavailable" for w in windows], dtype=bool),
        )
        held = [e for c in f for e in c.engagements]
        self.engagements = _flat(
            [len(c.engagements) for c in f],
            start=np.array([e.starts_on.toordinal() for e in held], dtype=np.int64),
            end=np.array([e.ends_on.toordinal() for e in held], dtype=np.int64),
            request=np.array(
                [-1 if e.request_id is None else e.request_id for e in held], np.int64
            ),
            deployed=np.array([e.mode == "deployed" for e in held], dtype=bool),
        )

    def fact(self, i: int) -> CandidateFacts:
        """The facts of the candidate in position `i`."""
        return self.recall(i)

    def positions(self, expert_ids: Sequence[int]) -> list[int]:
        """The positions of these experts (each must be in the pool)."""
        wanted = np.asarray(expert_ids, dtype=np.int64)
        if not wanted.size:
            return []
        if not self.size:
            raise KeyError("an expert is not in the pool")
        by_id = self.__dict__.get("_by_id")
        if by_id is None:  # worked out once per pool
            by_id = self.__dict__["_by_id"] = np.argsort(self.expert_id, kind="stable")
        at = np.searchsorted(self.expert_id, wanted, sorter=by_id)
        found = by_id[np.minimum(at, self.size - 1)]
        if not np.array_equal(self.expert_id[found], wanted):
            raise KeyError("an expert is not in the pool")
        return [int(i) for i in found]

    @classmethod
    def from_facts(cls, facts: Iterable[CandidateFacts]) -> CandidatePool:
        return cls(tuple(facts))

    def per_candidate(
        self, flat: _Flat, mask: np.ndarray, values: np.ndarray | None = None
    ) -> np.ndarray:
        """One value per candidate from the flat entries selected by `mask`: True/False when
        `values` is None, else the entry's value (0 where the candidate has none)."""
        if values is None:
            out = np.zeros(self.size, dtype=bool)
            out[flat.row[mask]] = True
            return out
        out = np.zeros(self.size, dtype=values.dtype)
        out[flat.row[mask]] = values[mask]
        return out
