"""Times `roster.requests.matching.rank` over synthetic rosters (`python -m bench.ranking`).

Builds deterministic candidates (seeded), ranks a few representative requests against 10k, 100k and
1M of them, and writes the "ranking" section of BENCHMARKS.md. The target: <= 100 ms at 100,000.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bench import machine, percentiles, write_section
from roster.reference.codes import CEFR_LEVELS
from roster.requests.candidate_facts import (
    GENDERS,
    CandidateFacts,
    CandidatePool,
    Engagement,
    RequestSpec,
    TeamMember,
    TeamSoFar,
    Window,
)
from roster.requests.matching import rank

TODAY = date(2026, 11, 23)
SEED = 2026
RUNS = 25
LIMIT = 50
# fmt: off
TOPICS = [
    "poc", "crsv", "cthb", "caac", "cpp", "wps-participation", "wps-prevention", "wps-protection",
    "wps-relief-recovery", "gender-analysis", "tfgbv", "disinformation", "sea", "climate-security",
    "resilience", "counter-terrorism",
]
LANGUAGES = [
    "en", "fr", "es", "ar", "ru", "uk", "pt", "de", "it", "pl", "tr", "fa", "ps", "sw", "am", "so",
    "ku", "ro", "ka", "hy",
]
COUNTRIES = [
    "UA", "MD", "GE", "AM", "AZ", "BY", "PL", "RO", "BG", "RS", "BA", "XK", "MK", "AL", "ME", "HR",
    "SI", "SK", "CZ", "HU", "LT", "LV", "EE", "FI", "SE", "NO", "DK", "IS", "DE", "FR", "BE", "NL",
    "LU", "GB", "IE", "ES", "PT", "IT", "GR", "TR", "CY", "MT", "AF", "IQ", "SY", "LB", "JO", "PS",
    "IL", "EG", "LY", "TN", "DZ", "MA", "ML", "NE", "BF", "NG", "CD", "CF", "SS", "SD", "SO", "ET",
    "YE",
]
# fmt: on
AFFILIATIONS = (
    "cso",
    "independent",
    "academia",
    "think-tank",
    "international-org",
    "government",
    "military",
)  # fmt: skip
CLEARANCES = ("NU", "NR", "NC", "NS", "CTS")
VERIFIED_AT = datetime(2026, 1, 15, tzinfo=UTC)


def _day(rng: random.Random, low: int, high: int) -> date:
    return TODAY + timedelta(days=rng.randint(low, high))


def _span(rng: random.Random, low: int, high: int, longest: int) -> tuple[date, date]:
    start = _day(rng, low, high)
    return start, start + timedelta(days=rng.randint(0, longest))


def synthetic_expert(rng: random.Random, expert_id: int) -> CandidateFacts:
    """One plausible expert: the mix of statuses, clearances and commitments a roster might have."""
    status = rng.choices(["vetted", "pending", "suspended", "expired"], [75, 10, 5, 10])[0]
    level = rng.choices([None, *CLEARANCES], [20, 10, 25, 15, 25, 5])[0]
    windows = [
        Window(*_span(rng, -30, 330, 40)) for _ in range(rng.choices([0, 1, 2], [70, 20, 10])[0])
    ]
    if rng.random() < 0.05:
        windows.append(Window(*_span(rng, -10, 200, 200), kind="available"))
    engagements = [
        Engagement(
            *_span(rng, -120, 120, 60), rng.randint(1, 5000), rng.choice(["remote", "deployed"])
        )
        for _ in range(rng.choices([0, 1, 2], [60, 30, 10])[0])
    ]
    return CandidateFacts(
        expert_id=expert_id,
        vetting_status=status,
        vetting_valid_until=_day(rng, -60, 900) if status == "vetted" else None,
        clearance_level=level,
        clearance_verified_at=VERIFIED_AT if level and rng.random() < 0.85 else None,
        clearance_expires_on=_day(rng, -100, 1500) if level else None,
        windows=tuple(windows),
        topics={
            topic: rng.choices([1, 2, 3, 4], [20, 35, 30, 15])[0]
            for topic in rng.sample(TOPICS, rng.randint(1, 5))
        },
        languages={
            code: rng.choice(CEFR_LEVELS)
            for code in ["en", *rng.sample(LANGUAGES[1:], rng.randint(0, 2))]
        },
        regions=frozenset(rng.sample(COUNTRIES, rng.randint(0, 4))),
        nationalities=frozenset(rng.sample(COUNTRIES, rng.choices([1, 2], [85, 15])[0])),
        gender=rng.choices(GENDERS, [48, 44, 2, 1, 5])[0],
        affiliation_kind=rng.choice(AFFILIATIONS),
        deployable=rng.random() < 0.4,
        notice_days=rng.choice([0, 3, 7, 14, 30]),
        max_concurrent=rng.choice([1, 1, 2, 3]),
        engagements=tuple(engagements),
        recent_engagements=rng.choices(range(7), [40, 20, 15, 10, 7, 5, 3])[0],
        last_engaged_on=_day(rng, -700, -1) if rng.random() < 0.6 else None,
    )


def synthetic_roster(size: int, seed: int = SEED) -> list[CandidateFacts]:
    rng = random.Random(seed)
    return [synthetic_expert(rng, expert_id) for expert_id in range(1, size + 1)]


def grown(roster: list[CandidateFacts], size: int) -> list[CandidateFacts]:
    """`size` candidates: copies of `roster` under new ids (shared sub-objects keep memory low)."""
    return [
        replace(roster[i % len(roster)], expert_id=i + 1) if i >= len(roster) else roster[i]
        for i in range(size)
    ]


REQUESTS: dict[str, tuple[RequestSpec, TeamSoFar]] = {
    "crisis, deployed, NS, 1 topic": (
        RequestSpec(
            id=9001,
            starts_on=TODAY + timedelta(days=5),
            ends_on=TODAY + timedelta(days=35),
            required_clearance="NS",
            topics={"crsv": 3},
            languages={"fr": "B2"},
            regions=frozenset({"CD"}),
            mode="deployed",
            seats=3,
        ),
        TeamSoFar(),
    ),
    "consultation, remote, no clearance, 3 topics": (
        RequestSpec(
            id=9002,
            starts_on=TODAY + timedelta(days=30),
            ends_on=TODAY + timedelta(days=35),
            topics={"wps-participation": 2, "gender-analysis": 2, "tfgbv": 3},
            languages={"en": "C1"},
            seats=4,
        ),
        TeamSoFar((TeamMember("man", frozenset({"DE"}), "military"),) * 2),
    ),
    "exercise, remote, NR, 2 topics, 2 regions": (
        RequestSpec(
            id=9003,
            starts_on=TODAY + timedelta(days=60),
            ends_on=TODAY + timedelta(days=74),
            required_clearance="NR",
            topics={"poc": 3, "caac": 3},
            languages={"en": "B2", "uk": "B1"},
            regions=frozenset({"UA", "MD"}),
            seats=2,
        ),
        TeamSoFar((TeamMember("woman", frozenset({"UA"}), "cso"),)),
    ),
}


def _time(call: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return percentiles(samples)


def _row(size: int, pool: CandidatePool, name: str, build_ms: float) -> str:
    request, team = REQUESTS[name]
    runs = RUNS if size <= 100_000 else RUNS // 5

    def ranked() -> object:
        return rank(request, pool, today=TODAY, team=team, limit=LIMIT)

    def explained() -> object:
        return rank(request, pool, today=TODAY, team=team, limit=LIMIT, explain=True)

    eligible = rank(request, pool, today=TODAY, team=team, limit=0).eligible
    p50, p95 = _time(ranked, runs)
    e50, e95 = _time(explained, runs)
    return (
        f"| {size:,} | {name} | {eligible:,} | {p50:.1f} | {p95:.1f} | {e50:.0f} | {e95:.0f} "
        f"| {build_ms:,.0f} |"
    )


def measure(sizes: list[int]) -> list[str]:
    rows = []
    base = synthetic_roster(min(max(sizes), 100_000))
    for size in sizes:
        facts = grown(base, size)
        began = time.perf_counter()
        pool = CandidatePool(facts)
        build_ms = (time.perf_counter() - began) * 1000
        # A long-lived server keeps its roster in the oldest generation; without this the cyclic
        # collector walks every fact object while the explained runs allocate.
        gc.collect()
        gc.freeze()
        for name in REQUESTS:
            row = _row(size, pool, name, build_ms)
            print(row, flush=True)
            rows.append(row)
    return rows


def main(argv: list[str]) -> None:
    sizes = [int(arg) for arg in argv] or [10_000, 100_000, 1_000_000]
    header = [
        "## Ranking candidates for a request",
        "",
        f"Machine: {machine()}.",
        "Command: `make bench` (or `.venv/bin/python -m bench.ranking`). Synthetic roster: "
        f"{len(REQUESTS)} requests, seeded candidates (seed {SEED}; sizes past 100,000 repeat the "
        f"first 100,000 under new ids). `rank` over a prepared `CandidatePool`, best {LIMIT} with "
        f"reasons: p50/p95 over {RUNS} runs ({RUNS // 5} past 100,000). Explained: the same plus "
        "every excluded candidate with its codes (`explain=True`). Pool build: "
        "`CandidatePool(facts)`, once per roster version (the service may cache it). Target: "
        "<= 100 ms per request at 100,000 candidates. Timed after `gc.freeze()`: the roster's "
        "objects leave the cyclic collector's young generations, as in a warmed-up server.",
        "",
        "| candidates | request | eligible | rank p50 ms | rank p95 ms | explained p50 ms "
        "| explained p95 ms | pool build ms |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    print("\n".join(header), flush=True)
    rows = measure(sizes)
    write_section("ranking", "\n".join(header + rows))


if __name__ == "__main__":
    main(sys.argv[1:])
