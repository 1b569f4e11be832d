"""Matching: every hard rule at its boundaries, the scores' promises (depth, rotation, balance,
weights), determinism, and the vectorised rules agreeing with roster.experts.rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roster.experts.rules import available_over, cleared_over, is_vetted_on
from roster.requests.candidate_facts import (
    CandidateFacts,
    CandidatePool,
    Engagement,
    RequestSpec,
    TeamMember,
    TeamSoFar,
    Window,
)
from roster.requests.matching import COMPONENTS, EXCLUSION_CODES, exclusions, rank
from roster.requests.reasons import meets_asked, shortfalls
from roster.requests.weights import MatchingWeights

TODAY = date(2026, 6, 1)
START, END = date(2026, 7, 1), date(2026, 7, 14)
VERIFIED = datetime(2026, 1, 10, tzinfo=UTC)
DAY = timedelta(days=1)


def expert(expert_id: int = 1, **changes) -> CandidateFacts:
    """An expert who passes every hard rule for `request()` unless changed."""
    base = CandidateFacts(
        expert_id=expert_id,
        vetting_status="vetted",
        vetting_valid_until=date(2027, 6, 1),
        clearance_level="NS",
        clearance_verified_at=VERIFIED,
        clearance_expires_on=date(2028, 1, 1),
        topics={"crsv": 3},
        languages={"en": "C1"},
        regions=frozenset({"UA"}),
        nationalities=frozenset({"FR"}),
        gender="woman",
        affiliation_kind="cso",
        deployable=True,
        notice_days=7,
    )
    return replace(base, **changes)


def request(**changes) -> RequestSpec:
    base = RequestSpec(
        id=77,
        starts_on=START,
        ends_on=END,
        required_clearance="NC",
        topics={"crsv": 3},
        languages={"en": "B2"},
        regions=frozenset({"UA"}),
    )
    return replace(base, **changes)


def codes(facts: CandidateFacts, spec: RequestSpec | None = None) -> tuple[str, ...]:
    """The exclusion codes of one expert, () when they are ranked."""
    answer = rank(spec or request(), [facts], today=TODAY, explain=True)
    assert len(answer.ranked) + len(answer.excluded) == 1
    return answer.excluded[0].reasons if answer.excluded else ()


def order(candidates, spec=None, **options) -> list[int]:
    return [r.expert_id for r in rank(spec or request(), candidates, today=TODAY, **options).ranked]


def test_an_expert_who_passes_every_rule_is_ranked_with_components_and_reasons():
    answer = rank(request(), [expert()], today=TODAY, explain=True)
    assert answer.eligible == 1 and answer.excluded == []
    (only,) = answer.ranked
    assert set(only.components) == set(COMPONENTS)
    assert "crsv: expert (asked: expert or above)" in only.reasons


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"vetting_valid_until": TODAY}, ()),
        ({"vetting_valid_until": TODAY - DAY}, ("not_vetted",)),
        ({"vetting_status": "pending"}, ("not_vetted",)),
        ({"vetting_status": "suspended", "vetting_valid_until": None}, ("not_vetted",)),
        ({"clearance_expires_on": END}, ()),
        ({"clearance_expires_on": END - DAY}, ("clearance_expires",)),
        ({"clearance_expires_on": START - DAY}, ("clearance_expires",)),
        ({"clearance_level": "NC"}, ()),
        ({"clearance_level": "NR"}, ("clearance_too_low",)),
        ({"clearance_level": "NR", "clearance_expires_on": END - DAY}, ("clearance_too_low",)),
        ({"clearance_verified_at": None}, ("clearance_too_low",)),
        ({"clearance_level": None, "clearance_expires_on": None}, ("clearance_too_low",)),
    ],
)
def test_vetting_and_clearance_boundaries(changes, expected):
    assert codes(expert(**changes)) == expected


@pytest.mark.parametrize("required", [None, "NU"])
def test_unclassified_work_needs_no_clearance(required):
    uncleared = expert(clearance_level=None, clearance_verified_at=None, clearance_expires_on=None)
    assert codes(uncleared, request(required_clearance=required)) == ()


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        ([Window(START - 10 * DAY, START - DAY)], ()),
        ([Window(START - 10 * DAY, START)], ("unavailable",)),
        ([Window(END, END + 5 * DAY)], ("unavailable",)),
        ([Window(END + DAY, END + 5 * DAY)], ()),
        ([Window(START, END, "available")], ()),
        ([Window(START + DAY, END, "available")], ("unavailable",)),
        ([Window(START, END - DAY, "available")], ("unavailable",)),
        ([Window(START, START + 3 * DAY, "available"), Window(START + 4 * DAY, END, "available")],
         ()),
        ([Window(START, START + 3 * DAY, "available"), Window(START + 5 * DAY, END, "available")],
         ("unavailable",)),
        ([Window(END + DAY, END + 9 * DAY, "available")], ("unavailable",)),
        ([Window(START, END, "available"), Window(END, END, "unavailable")], ("unavailable",)),
    ],
)  # fmt: skip
def test_availability_windows_touching_the_first_and_last_day(windows, expected):
    assert codes(expert(windows=tuple(windows))) == expected


def _engaged(*spans, mode="remote", request_id=5, max_concurrent=2):
    held = tuple(Engagement(s, e, request_id, mode) for s, e in spans)
    return expert(engagements=held, max_concurrent=max_concurrent)


@pytest.mark.parametrize(
    ("facts", "spec", "expected"),
    [
        (_engaged((START, END)), request(), ()),
        (_engaged((START, END), (END, END)), request(), ("at_capacity",)),
        (_engaged((START, END), (START - 9 * DAY, START - DAY)), request(), ()),
        (_engaged((START, END), (END + DAY, END + 9 * DAY)), request(), ()),
        (_engaged((START - 9 * DAY, START), max_concurrent=1), request(), ("at_capacity",)),
        (_engaged((START - 9 * DAY, START - DAY), max_concurrent=1), request(), ()),
        (_engaged((START, START)), request(mode="deployed"), ("double_booked",)),
        (_engaged((END + DAY, END + DAY)), request(mode="deployed"), ()),
        (_engaged((START, END), mode="deployed"), request(), ("double_booked",)),
        (_engaged((END, END), mode="deployed", max_concurrent=1), request(),
         ("at_capacity", "double_booked")),
        (_engaged((START, END), request_id=77), request(), ("double_booked",)),
    ],
)  # fmt: skip
def test_capacity_and_double_booking_overlap_versus_adjacent(facts, spec, expected):
    assert codes(facts, spec) == expected


def test_explain_lists_every_failed_rule_in_contract_order_and_by_expert_id():
    hopeless = expert(
        expert_id=9,
        vetting_status="pending",
        clearance_verified_at=None,
        windows=(Window(START, END),),
        engagements=(Engagement(START, END, 77), Engagement(END, END, 5)),
    )
    answer = rank(
        request(), [hopeless, expert(3, vetting_status="expired")], today=TODAY, explain=True
    )
    assert [(e.expert_id, e.reasons) for e in answer.excluded] == [
        (3, ("not_vetted",)),
        (9, ("not_vetted", "clearance_too_low", "unavailable", "at_capacity", "double_booked")),
    ]
    assert rank(request(), [hopeless], today=TODAY).excluded == []
    assert set(EXCLUSION_CODES) >= {c for e in answer.excluded for c in e.reasons}


def test_a_non_deployable_expert_stays_eligible_for_a_deployed_request_but_scores_lower():
    spec = request(mode="deployed")
    answer = rank(spec, [expert(1, deployable=False), expert(2)], today=TODAY)
    assert [r.expert_id for r in answer.ranked] == [2, 1]
    assert answer.ranked[1].components["availability"] == pytest.approx(0.25)
    assert "not deployable: remote support only" in answer.ranked[1].reasons


@pytest.mark.parametrize(
    "asked", [{"crsv": 2}, dict.fromkeys(["crsv", "poc", "cthb", "caac", "cpp"], 2)]
)
def test_depth_beats_breadth(asked):
    specialist = expert(1, topics={"crsv": 4})
    generalist = expert(2, topics=dict.fromkeys(["crsv", "poc", "cthb", "caac", "cpp"], 2))
    assert order([generalist, specialist], request(topics=asked)) == [1, 2]


def test_rotation_lowers_a_heavily_and_recently_engaged_expert():
    fresh = expert(2)
    busy = expert(1, recent_engagements=5, last_engaged_on=TODAY - 10 * DAY)
    heavy = expert(3, recent_engagements=5, last_engaged_on=TODAY - 400 * DAY)
    recent = expert(4, recent_engagements=0, last_engaged_on=TODAY - 10 * DAY)
    answer = rank(request(), [busy, fresh, heavy, recent], today=TODAY)
    assert [r.expert_id for r in answer.ranked][0] == 2
    assert answer.ranked[-1].expert_id == 1
    rotation = {r.expert_id: r.components["rotation"] for r in answer.ranked}
    assert rotation[2] == 1.0 and rotation[1] < min(rotation[3], rotation[4]) < 1.0


def test_balance_favours_an_under_represented_gender_sector_and_origin():
    men = TeamSoFar((TeamMember("man", frozenset({"DE"}), "cso"),) * 2)
    assert order([expert(1, gender="man"), expert(2, gender="woman")], team=men) == [2, 1]
    military = TeamSoFar.of([expert(8, affiliation_kind="military", gender="woman")] * 2)
    two = [expert(1, affiliation_kind="military"), expert(2, affiliation_kind="academia")]
    assert order(two, team=military) == [2, 1]
    allied = TeamSoFar((TeamMember("woman", frozenset({"FR"}), "cso"),))
    origin = [
        expert(1, nationalities=frozenset({"FR"})),
        expert(2, nationalities=frozenset({"SS"})),
    ]
    assert order(origin, team=allied) == [2, 1]
    assert order(origin, team=allied, conflict_affected=frozenset()) == [2, 1]  # new nationality
    balanced = rank(request(), origin, today=TODAY).ranked
    assert [r.components["balance"] for r in balanced] == [1.0, 1.0]  # empty team: all equal


def test_undisclosed_gender_counts_neutral():
    men = TeamSoFar((TeamMember("man"),))
    answer = rank(
        request(), [expert(1, gender="undisclosed"), expert(2, gender="man")], today=TODAY, team=men
    )
    balance = {r.expert_id: r.components["balance"] for r in answer.ranked}
    assert balance[1] > balance[2]


def test_weights_change_the_order():
    topical = expert(1, topics={"crsv": 4}, languages={"en": "A2"})
    fluent = expert(2, topics={"crsv": 2}, languages={"en": "native"})
    assert order([topical, fluent]) == [1, 2]
    wordy = MatchingWeights.from_mapping({"topic": 0.05, "language": 0.9})
    assert order([topical, fluent], weights=wordy) == [2, 1]


def test_weights_from_a_mapping_are_checked():
    assert MatchingWeights.from_mapping({"rotation": 0}).rotation == 0.0
    with pytest.raises(ValueError, match="unknown matching weights: speed"):
        MatchingWeights.from_mapping({"speed": 1})
    with pytest.raises(ValueError, match=">= 0"):
        MatchingWeights.from_mapping({"topic": -1})
    with pytest.raises(ValueError, match="positive weight"):
        MatchingWeights.from_mapping(dict.fromkeys(COMPONENTS, 0))


def test_order_is_deterministic_ties_by_expert_id_and_limit_keeps_them():
    twins = [expert(i) for i in (5, 3, 9, 1)]
    assert order(twins) == [1, 3, 5, 9]
    assert order(list(reversed(twins))) == [1, 3, 5, 9]
    assert order(twins + [expert(7, topics={"crsv": 4})], limit=2) == [7, 1]
    answer = rank(request(), twins, today=TODAY, limit=0)
    assert answer.ranked == [] and answer.eligible == 4


def test_an_empty_pool_and_bad_input():
    assert rank(request(), [], today=TODAY, explain=True).ranked == []
    with pytest.raises(ValueError, match="only once"):
        CandidatePool([expert(1), expert(1)])
    with pytest.raises(ValueError, match="ends before"):
        request(ends_on=START - DAY)
    with pytest.raises(ValueError, match="CEFR"):
        request(languages={"en": "fluent"})


# --- Properties over random rosters ---------------------------------------------------------

days = st.integers(min_value=-40, max_value=40).map(lambda n: START + timedelta(days=n))


@st.composite
def windows(draw) -> Window:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(0, 30)))
    return Window(start, end, draw(st.sampled_from(["unavailable", "available"])))


cefr = st.sampled_from(["A1", "B2", "native"])
held = st.tuples(windows(), st.sampled_from([5, 77]), st.sampled_from(["remote", "deployed"]))


@st.composite
def random_experts(draw, expert_id: int) -> CandidateFacts:
    return expert(
        expert_id,
        vetting_status=draw(st.sampled_from(["vetted", "vetted", "pending", "expired"])),
        vetting_valid_until=draw(st.none() | st.just(TODAY - DAY) | days),
        clearance_level=draw(st.sampled_from([None, "NU", "NR", "NC", "NS", "CTS"])),
        clearance_verified_at=draw(st.sampled_from([None, VERIFIED])),
        clearance_expires_on=draw(st.none() | days),
        windows=tuple(draw(st.lists(windows(), max_size=4))),
        topics=draw(st.dictionaries(st.sampled_from(["crsv", "poc", "cpp"]), st.integers(1, 4))),
        languages=draw(st.dictionaries(st.sampled_from(["en", "fr"]), cefr)),
        regions=frozenset(draw(st.sets(st.sampled_from(["UA", "MD", "SS"])))),
        nationalities=frozenset(draw(st.sets(st.sampled_from(["UA", "FR", "SS"]), max_size=2))),
        gender=draw(st.sampled_from(["woman", "man", "non-binary", "undisclosed"])),
        affiliation_kind=draw(st.sampled_from(["cso", "military", "academia"])),
        deployable=draw(st.booleans()),
        notice_days=draw(st.integers(0, 60)),
        max_concurrent=draw(st.integers(1, 3)),
        engagements=tuple(
            Engagement(w.starts_on, w.ends_on, request_id, mode)
            for w, request_id, mode in draw(st.lists(held, max_size=3))
        ),
        recent_engagements=draw(st.integers(0, 9)),
        last_engaged_on=draw(st.none() | days),
    )


@st.composite
def rosters(draw) -> list[CandidateFacts]:
    size = draw(st.integers(0, 6))
    return [draw(random_experts(i)) for i in range(1, size + 1)]


@st.composite
def requests(draw) -> RequestSpec:
    start = draw(days)
    return request(
        starts_on=start,
        ends_on=start + timedelta(days=draw(st.integers(0, 20))),
        required_clearance=draw(st.sampled_from([None, "NU", "NR", "NC", "NS", "CTS"])),
        mode=draw(st.sampled_from(["remote", "deployed"])),
    )


@settings(max_examples=100, deadline=None)
@given(roster=rosters(), spec=requests())
def test_vectorised_rules_agree_with_the_expert_rules(roster, spec):
    found = exclusions(spec, CandidatePool(roster), TODAY)
    for i, facts in enumerate(roster):
        clearance_needed = spec.required_clearance not in (None, "NU")
        cleared = not clearance_needed or cleared_over(
            facts, spec.required_clearance, spec.starts_on, spec.ends_on
        )
        assert found["not_vetted"][i] == (not is_vetted_on(facts, TODAY))
        assert (found["clearance_too_low"][i] or found["clearance_expires"][i]) == (not cleared)
        assert found["unavailable"][i] == (
            not available_over(facts.windows, spec.starts_on, spec.ends_on)
        )
        overlapping = [
            e
            for e in facts.engagements
            if e.starts_on <= spec.ends_on and e.ends_on >= spec.starts_on
        ]
        others = [e for e in overlapping if e.request_id != spec.id]
        assert found["at_capacity"][i] == (len(others) >= facts.max_concurrent)
        clash = any(e.request_id == spec.id for e in facts.engagements) or any(
            "deployed" in (e.mode, spec.mode) for e in overlapping
        )
        assert found["double_booked"][i] == clash


teams = st.lists(
    st.builds(
        TeamMember,
        st.sampled_from(["woman", "man", "undisclosed"]),
        st.frozensets(st.sampled_from(["UA", "FR", "SS"]), max_size=2),
        st.sampled_from(["cso", "military"]),
    ),
    max_size=3,
)
weight_maps = st.dictionaries(
    st.sampled_from(COMPONENTS), st.floats(0, 5, allow_nan=False), min_size=1
).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=100, deadline=None)
@given(roster=rosters(), spec=requests(), team=teams, weights=weight_maps)
def test_scores_and_components_stay_in_unit_range_and_the_order_is_stable(
    roster, spec, team, weights
):
    chosen = MatchingWeights.from_mapping(dict.fromkeys(COMPONENTS, 0) | weights)
    options = {"today": TODAY, "team": TeamSoFar(tuple(team)), "weights": chosen, "explain": True}
    answer = rank(spec, roster, **options)
    assert len(answer.ranked) + len(answer.excluded) == len(roster) and answer.eligible == len(
        answer.ranked
    )
    for ranked in answer.ranked:
        assert 0.0 <= ranked.score <= 1.0
        assert all(0.0 <= value <= 1.0 for value in ranked.components.values())
    keys = [(-r.score, r.expert_id) for r in answer.ranked]
    assert keys == sorted(keys)
    assert rank(spec, list(reversed(roster)), **options) == answer


@settings(max_examples=100, deadline=None)
@given(
    roster=rosters(),
    spec=requests(),
    topics=st.dictionaries(st.sampled_from(["crsv", "poc", "cpp", "unheard"]), st.integers(1, 4)),
    languages=st.dictionaries(st.sampled_from(["en", "fr", "ar"]), st.sampled_from(["A2", "C1"])),
    regions=st.frozensets(st.sampled_from(["UA", "FR", "MD", "XK"]), max_size=2),
    picked=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_full_matches_and_ranking_among_some_agree_with_the_facts(
    roster, spec, topics, languages, regions, picked
):
    spec = replace(spec, topics=topics, languages=languages, regions=regions)
    pool = CandidatePool(roster)
    full = meets_asked(spec, pool)
    assert full.tolist() == [not shortfalls(f, spec) for f in roster]
    among = np.array(picked[: len(roster)], dtype=bool)
    some = [f for f, keep in zip(roster, among, strict=True) if keep]
    for limit in (None, 2):
        assert rank(spec, pool, today=TODAY, limit=limit, explain=True, among=among) == rank(
            spec, some, today=TODAY, limit=limit, explain=True
        )
    assert pool.positions([f.expert_id for f in reversed(roster)]) == list(
        reversed(range(len(roster)))
    )
    with pytest.raises(KeyError):
        pool.positions([99])
