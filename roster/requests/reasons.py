"""Plain-language reasons behind an eligible candidate's scores, shown to the coordinator.

Pure: no Flask, no database. Built only for the candidates `matching.rank` returns.
"""

from __future__ import annotations

from datetime import date

from roster.requests.candidate_facts import CandidateFacts, RequestSpec, TeamSoFar
from roster.requests.weights import CONFLICT_AFFECTED, STATE_AFFILIATIONS


def explain_candidate(
    expert: CandidateFacts,
    request: RequestSpec,
    today: date,
    team: TeamSoFar = TeamSoFar(),
    conflict_affected: frozenset[str] = CONFLICT_AFFECTED,
) -> tuple[str, ...]:
    """Plain-language reasons behind an eligible expert's scores, for the coordinator."""
    reasons = []
    for code, min_level in request.topics.items():
        level = expert.topics.get(code)
        held = f"level {level}" if level else "not listed"
        reasons.append(f"topic {code}: {held} (asked {min_level} or more)")
    for code, asked in request.languages.items():
        spoken = expert.languages.get(code, "not spoken")
        reasons.append(f"language {code}: {spoken} (asked {asked} or more)")
    for country in sorted(request.regions):
        if country in expert.regions:
            reasons.append(f"knows {country}")
        elif country in expert.nationalities:
            reasons.append(f"national of {country}, not listed as a region of knowledge")
        else:
            reasons.append(f"no knowledge of {country} listed")
    lead = max((request.starts_on - today).days, 0)
    reasons.append(f"notice {expert.notice_days} days; the request starts in {lead} days")
    if request.mode == "deployed" and not expert.deployable:
        reasons.append("not deployable: remote support only")
    count = expert.recent_engagements
    engaged = f"{count} engagement{'' if count == 1 else 's'} in the last 12 months"
    if expert.last_engaged_on:
        engaged += f", the last on {expert.last_engaged_on.isoformat()}"
    reasons.append(engaged)
    reasons.extend(_team_reasons(expert, team, conflict_affected))
    if expert.vetting_valid_until and expert.vetting_valid_until < request.ends_on:
        reasons.append(
            f"vetting lapses on {expert.vetting_valid_until.isoformat()}, before the end"
        )
    return tuple(reasons)


def _team_reasons(
    expert: CandidateFacts, team: TeamSoFar, conflict_affected: frozenset[str]
) -> list[str]:
    members = team.members
    if not members:
        return ["first member of the team"]
    size = len(members)
    same_gender = sum(m.gender == expert.gender for m in members)
    state = expert.affiliation_kind in STATE_AFFILIATIONS
    same_sector = sum((m.affiliation_kind in STATE_AFFILIATIONS) == state for m in members)
    sector = "government or military" if state else "civil society"
    reasons = [
        f"gender {expert.gender}: {same_gender} of {size} on the team so far",
        f"{sector}: {same_sector} of {size} on the team so far",
    ]
    if expert.nationalities & conflict_affected:
        countries = ", ".join(sorted(expert.nationalities & conflict_affected))
        reasons.append(f"from a conflict-affected country ({countries})")
    return reasons
