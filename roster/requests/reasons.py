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
from functools import reduce

import numpy as np
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from roster.reference.codes import CEFR_LEVELS, countries, languages
from roster.requests.candidate_facts import CandidateFacts, CandidatePool, RequestSpec, TeamSoFar
from roster.requests.weights import CONFLICT_AFFECTED, STATE_AFFILIATIONS

TOPIC_LEVELS = {
    1: _l("awareness"),
    2: _l("practitioner"),
    3: _l("expert"),
    4: _l("leading authority"),
}
GENDER_WORDS = {
    "woman": _l("a woman"),
    "man": _l("a man"),
    "non-binary": _l("non-binary"),
    "self-described": _l("gender self-described"),
    "undisclosed": _l("gender not disclosed"),
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
    word = TOPIC_LEVELS.get(level)
    return str(word) if word is not None else _("level %(level)s", level=level)


def either(names: list[str]) -> str:
    """'A', 'A or B', 'A or B or C'."""
    return reduce(lambda a, b: _("%(a)s or %(b)s", a=a, b=b), names) if names else ""


def asked(request: RequestSpec, wording: Wording = PLAIN) -> tuple[str, ...]:
    """What the request asks for, in words: each topic and language minimum, each country."""
    return (
        *(
            _("%(topic)s: %(level)s or above", topic=wording.topic(code), level=topic_level(level))
            for code, level in request.topics.items()
        ),
        *(
            _("%(language)s: %(level)s or above", language=wording.language(code), level=level)
            for code, level in request.languages.items()
        ),
        *(
            (
                _(
                    "knowledge of %(countries)s",
                    countries=either([wording.country(cc) for cc in sorted(request.regions)]),
                ),
            )
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
            held = topic_level(level) if level else _("not listed")
            lacks.append(
                _(
                    "%(topic)s: %(held)s, asked %(asked)s",
                    topic=wording.topic(code),
                    held=held,
                    asked=topic_level(minimum),
                )
            )
    for code, cefr in request.languages.items():
        spoken = expert.languages.get(code)
        if spoken is None or CEFR_LEVELS.index(spoken) < CEFR_LEVELS.index(cefr):
            lacks.append(
                _(
                    "%(language)s: %(held)s, asked %(asked)s",
                    language=wording.language(code),
                    held=spoken or _("not spoken"),
                    asked=cefr,
                )
            )
    known = set(expert.regions) | set(expert.nationalities)
    if request.regions and not known & set(request.regions):
        names = either([wording.country(cc) for cc in sorted(request.regions)])
        lacks.append(_("%(countries)s: no knowledge listed", countries=names))
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
        held = topic_level(level) if level else _("not listed")
        reasons.append(
            _(
                "%(topic)s: %(held)s (asked: %(asked)s or above)",
                topic=wording.topic(code),
                held=held,
                asked=topic_level(min_level),
            )
        )
    for code, cefr in request.languages.items():
        spoken = expert.languages.get(code) or _("not spoken")
        reasons.append(
            _(
                "%(language)s: %(held)s (asked: %(asked)s or above)",
                language=wording.language(code),
                held=spoken,
                asked=cefr,
            )
        )
    for country in sorted(request.regions):
        name = wording.country(country)
        if country in expert.regions:
            reasons.append(_("knows %(country)s", country=name))
        elif country in expert.nationalities:
            reasons.append(
                _("national of %(country)s, not listed as a region of knowledge", country=name)
            )
        else:
            reasons.append(_("no knowledge of %(country)s listed", country=name))
    lead = max((request.starts_on - today).days, 0)
    reasons.append(
        _(
            "%(notice)s; %(lead)s",
            notice=ngettext(
                "needs %(num)d day's notice", "needs %(num)d days' notice", expert.notice_days
            ),
            lead=ngettext(
                "the request starts in %(num)d day", "the request starts in %(num)d days", lead
            ),
        )
    )
    if request.mode == "deployed" and not expert.deployable:
        reasons.append(_("not deployable: remote support only"))
    count = expert.recent_engagements
    engaged = ngettext(
        "%(num)d engagement in the last 12 months",
        "%(num)d engagements in the last 12 months",
        count,
    )
    if expert.last_engaged_on:
        engaged = _(
            "%(engaged)s, the last on %(day)s",
            engaged=engaged,
            day=expert.last_engaged_on.isoformat(),
        )
    reasons.append(engaged)
    reasons.extend(_team_reasons(expert, team, conflict_affected, wording))
    if expert.vetting_valid_until and expert.vetting_valid_until < request.ends_on:
        reasons.append(
            _(
                "vetting lapses on %(day)s, before the end",
                day=expert.vetting_valid_until.isoformat(),
            )
        )
    return tuple(reasons)


def _team_reasons(
    expert: CandidateFacts, team: TeamSoFar, conflict_affected: frozenset[str], wording: Wording
) -> list[str]:
    members = team.members
    if not members:
        return [_("first member of the team")]
    size = len(members)
    same_gender = sum(m.gender == expert.gender for m in members)
    state = expert.affiliation_kind in STATE_AFFILIATIONS
    same_sector = sum((m.affiliation_kind in STATE_AFFILIATIONS) == state for m in members)
    sector = _("government or military") if state else _("civil society")
    gender = str(GENDER_WORDS.get(expert.gender, expert.gender))
    reasons = [
        _(
            "%(who)s; the team so far has %(alike)s of %(size)s alike",
            who=gender,
            alike=same_gender,
            size=size,
        ),
        _(
            "%(who)s; the team so far has %(alike)s of %(size)s alike",
            who=sector,
            alike=same_sector,
            size=size,
        ),
    ]
    if expert.nationalities & conflict_affected:
        names = ", ".join(
            sorted(wording.country(cc) for cc in expert.nationalities & conflict_affected)
        )
        reasons.append(_("from a conflict-affected country (%(countries)s)", countries=names))
    return reasons
