"""Reasons and shortfalls in words: topic, language and country names instead of codes, what a
partial match lacks, and what the request asked (pure, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from roster.requests.candidate_facts import CandidateFacts, RequestSpec
from roster.requests.reasons import Wording, asked, explain_candidate, shortfalls

TODAY = date(2027, 1, 4)
WORDING = Wording(topics={"crsv": "Conflict-Related Sexual Violence"})
SPEC = RequestSpec(
    id=1,
    starts_on=date(2027, 2, 1),
    ends_on=date(2027, 2, 10),
    topics={"crsv": 3},
    languages={"fr": "B2"},
    regions=frozenset({"ML"}),
    seats=2,
)


def expert(**facts: Any) -> CandidateFacts:
    values: dict[str, Any] = {
        "expert_id": 7,
        "topics": {"crsv": 4},
        "languages": {"fr": "C1"},
        "regions": frozenset({"ML"}),
    }
    return CandidateFacts(**(values | facts))


def test_reasons_name_topics_levels_languages_and_countries():
    reasons = explain_candidate(expert(), SPEC, TODAY, wording=WORDING)
    assert reasons[:3] == (
        "Conflict-Related Sexual Violence: leading authority (asked: expert or above)",
        "French: C1 (asked: B2 or above)",
        "knows Mali",
    )
    assert not any("crsv" in r or " fr" in r or "ML" in r for r in reasons)


def test_a_full_match_lacks_nothing_and_a_national_knows_the_country():
    assert shortfalls(expert(), SPEC, WORDING) == ()
    national = expert(regions=frozenset(), nationalities=frozenset({"ML"}))
    assert shortfalls(national, SPEC, WORDING) == ()
    assert "national of Mali, not listed as a region of knowledge" in explain_candidate(
        national, SPEC, TODAY, wording=WORDING
    )


def test_a_partial_match_says_what_it_lacks():
    weak = expert(topics={"crsv": 2}, languages={"fr": "B1"}, regions=frozenset({"NE"}))
    assert shortfalls(weak, SPEC, WORDING) == (
        "Conflict-Related Sexual Violence: practitioner, asked expert",
        "French: B1, asked B2",
        "Mali: no knowledge listed",
    )
    absent = expert(topics={}, languages={"en": "C2"})
    assert shortfalls(absent, SPEC, WORDING) == (
        "Conflict-Related Sexual Violence: not listed, asked expert",
        "French: not spoken, asked B2",
    )
    assert shortfalls(expert(languages={"fr": "native"}), SPEC, WORDING) == ()


def test_the_request_asks_in_words():
    assert asked(SPEC, WORDING) == (
        "Conflict-Related Sexual Violence: expert or above",
        "French: B2 or above",
        "knowledge of Mali",
    )


def test_an_unnamed_code_is_shown_as_it_is():
    assert shortfalls(expert(topics={}), SPEC)[0] == "crsv: not listed, asked expert"


def test_a_request_about_several_countries_is_met_by_knowing_one_of_them():
    border = replace(SPEC, regions=frozenset({"SD", "TD"}))
    assert shortfalls(expert(regions=frozenset({"TD"})), border, WORDING) == ()
    assert shortfalls(expert(regions=frozenset({"ML"})), border, WORDING) == (
        "Sudan or Chad: no knowledge listed",
    )
    assert asked(border, WORDING)[-1] == "knowledge of Sudan or Chad"
