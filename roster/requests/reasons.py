"""Plain-language reasons behind an eligible candidate's scores, and what a candidate lacks of
what the request asked, shown to the coordinator (`meets_asked`: the same test as `shortfalls`,
vectorised over a pool, for sorting full matches from partial ones).

Pure: no Flask, no database. Codes are worded by a `Wording` (topic, language and country names);
a code it does not name is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from roster.reference.codes import CEFR_LEVELS, countries, languages
from roster.requests.candidate_facts import CandidateFacts, CandidatePool, RequestSpec, TeamSoFar
from roster.requests.weights import CONFLICT_AFFECTED, STATE_AFFILIATIONS

TOPIC_LEVELS = {1: "awareness", 2: "practitioner", 3: "expert", 4: "leading authority"}
GENDER_WORDS = {
    "woman": "a woman",
    "man": "a man",
    "non-binary": "non-binary",
    "self-described": "gender self-described",
    "undisclosed": "gender not disclosed",
}


@dataclass(frozen=True, slots=True)
class Wording:
    """Names for the codes that reasons mention. Languages and countries come from the reference
    codes; topic names live in the database, so the caller passes them."""

    topics: Mapping[str, str] = field(default_factory=dict)
    languages: Mapping[str, str] = field(default_factory=languages)
    countries: Mapping[str, str] = field(default_factory=countries)

    def topic(self, code: str) -> str:
        return self.topics.get(code, code)

    def language(self, code: str) -> str:
        return self.languages.get(code, code)

    def country(self, code: str) -> str:
        return self.countries.get(code, code)


PLAIN = Wording()


def topic_level(level: int) -> str:
    return TOPIC_LEVELS.get(level, f"level {level}")


def asked(request: RequestSpec, wording: Wording = PLAIN) -> tuple[str, ...]:
    """What the request asks for, in words: each topic and language minimum, each country."""
    return (
        *(
            f"{wording.topic(code)}: {topic_level(level)} or above"
            for code, level in request.topics.items()
        ),
        *(
            f"{wording.language(code)}: {level} or above"
            for code, level in request.languages.items()
        ),
        *(
            (f"knowledge of {' or '.join(wording.country(cc) for cc in sorted(request.regions))}",)
            if request.regions
            else ()
        ),
    )


def shortfalls(
    expert: CandidateFacts, request: RequestSpec, wording: Wording = PLAIN
) -> tuple[str, ...]:
    """What the expert lacks of what the request asked (empty: they meet every requirement):
    a topic below its minimum, a language below its CEFR level, a country they neither list as
    a region of knowledge nor hold the nationality of. A request about several countries (a
    border, a region) is met by knowing any one of them."""
    lacks = []
    for code, minimum in request.topics.items():
        level = expert.topics.get(code, 0)
        if level < minimum:
            held = topic_level(level) if level else "not listed"
            lacks.append(f"{wording.topic(code)}: {held}, asked {topic_level(minimum)}")
    for code, cefr in request.languages.items():
        spoken = expert.languages.get(code)
        if spoken is None or CEFR_LEVELS.index(spoken) < CEFR_LEVELS.index(cefr):
            lacks.append(f"{wording.language(code)}: {spoken or 'not spoken'}, asked {cefr}")
    known = set(expert.regions) | set(expert.nationalities)
    if request.regions and not known & set(request.regions):
        names = " or ".join(wording.country(cc) for cc in sorted(request.regions))
        lacks.append(f"{names}: no knowledge listed")
    return tuple(lacks)


def meets_asked(request: RequestSpec, pool: CandidatePool) -> np.ndarray:
    """Which candidates meet every requirement the request states, i.e. lack nothing by
    `reasons.shortfalls` (vectorised: a topic at its minimum level, a language at its CEFR
    level, one of the countries as a region of knowledge or a nationality)."""
    full = np.ones(pool.size, dtype=bool)
    flat = pool.topics
    for code, minimum in request.topics.items():
        wanted = flat.columns["code"] == pool.topic_codes.get(code)
        full &= pool.per_candidate(flat, wanted, flat.columns["level"]) >= minimum
    flat = pool.languages
    for code, cefr in request.languages.items():
        wanted = flat.columns["code"] == pool.language_codes.get(code)
        steps = pool.per_candidate(flat, wanted, flat.columns["rank"] + 1)
        full &= steps >= CEFR_LEVELS.index(cefr) + 1
    if request.regions:
        codes = [pool.country_codes.get(cc) for cc in request.regions]
        full &= pool.per_candidate(
            pool.regions, np.isin(pool.regions.columns["code"], codes)
        ) | pool.per_candidate(
            pool.nationalities, np.isin(pool.nationalities.columns["code"], codes)
        )
    return full


def explain_candidate(
    expert: CandidateFacts,
    request: RequestSpec,
    today: date,
    team: TeamSoFar = TeamSoFar(),
    conflict_affected: frozenset[str] = CONFLICT_AFFECTED,
    wording: Wording = PLAIN,
) -> tuple[str, ...]:
    """Plain-language reasons behind an eligible expert's scores, for the coordinator: first one
    per requirement, in the order `asked` lists them, then notice, rotation and team balance."""
    reasons = []
    for code, min_level in request.topics.items():
        level = expert.topics.get(code)
        held = topic_level(level) if level else "not listed"
        reasons.append(f"{wording.topic(code)}: {held} (asked: {topic_level(min_level)} or above)")
    for code, cefr in request.languages.items():
        spoken = expert.languages.get(code, "not spoken")
        reasons.append(f"{wording.language(code)}: {spoken} (asked: {cefr} or above)")
    for country in sorted(request.regions):
        name = wording.country(country)
        if country in expert.regions:
            reasons.append(f"knows {name}")
        elif country in expert.nationalities:
            reasons.append(f"national of {name}, not listed as a region of knowledge")
        else:
            reasons.append(f"no knowledge of {name} listed")
    lead = max((request.starts_on - today).days, 0)
    reasons.append(f"needs {expert.notice_days} days' notice; the request starts in {lead} days")
    if request.mode == "deployed" and not expert.deployable:
        reasons.append("not deployable: remote support only")
    count = expert.recent_engagements
    engaged = f"{count} engagement{'' if count == 1 else 's'} in the last 12 months"
    if expert.last_engaged_on:
        engaged += f", the last on {expert.last_engaged_on.isoformat()}"
    reasons.append(engaged)
    reasons.extend(_team_reasons(expert, team, conflict_affected, wording))
    if expert.vetting_valid_until and expert.vetting_valid_until < request.ends_on:
        reasons.append(
            f"vetting lapses on {expert.vetting_valid_until.isoformat()}, before the end"
        )
    return tuple(reasons)


def _team_reasons(
    expert: CandidateFacts, team: TeamSoFar, conflict_affected: frozenset[str], wording: Wording
) -> list[str]:
    members = team.members
    if not members:
        return ["first member of the team"]
    size = len(members)
    same_gender = sum(m.gender == expert.gender for m in members)
    state = expert.affiliation_kind in STATE_AFFILIATIONS
    same_sector = sum((m.affiliation_kind in STATE_AFFILIATIONS) == state for m in members)
    sector = "government or military" if state else "civil society"
    gender = GENDER_WORDS.get(expert.gender, expert.gender)
    reasons = [
        f"{gender}; the team so far has {same_gender} of {size} alike",
        f"{sector}; the team so far has {same_sector} of {size} alike",
    ]
    if expert.nationalities & conflict_affected:
        names = ", ".join(
            sorted(wording.country(cc) for cc in expert.nationalities & conflict_affected)
        )
        reasons.append(f"from a conflict-affected country ({names})")
    return reasons
