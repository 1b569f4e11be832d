"""A deterministic synthetic roster of N experts for the search benchmark (no real people)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session
from tqdm import tqdm

from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.search.index import reindex_all

SEED = 20261123
TODAY = date(2026, 11, 23)
BATCH = 5000
FIRST = [
    "Amina",
    "Leila",
    "Marte",
    "Jonas",
    "Ingrid",
    "Pavel",
    "Sofia",
    "Tariq",
    "Yuki",
    "Chiara",
    "Omar",
    "Hanna",
    "Lucas",
    "Fatima",
    "Elif",
    "Dmitri",
    "Grace",
    "Nadia",
    "Kofi",
    "Mariam",
    "Anders",
    "Lucia",
    "Samir",
    "Olena",
    "Tomasz",
    "Aisha",
    "Pierre",
    "Zainab",
    "Erik",
]
LAST = [
    "Berg",
    "Marchetti",
    "Haddad",
    "Kowalski",
    "Novak",
    "Osei",
    "Lindqvist",
    "Rahman",
    "Dubois",
    "Petrov",
    "Silva",
    "Yilmaz",
    "Mensah",
    "Karimi",
    "Jansen",
    "Moreau",
    "Costa",
    "Nakamura",
    "Hoffmann",
    "Kovac",
    "Adeyemi",
    "Fischer",
    "Rossi",
    "Ivanova",
]
ORGS = [
    "Centre for Civilian Protection",
    "Institute for Peace Studies",
    "Women Mediators Network",
    "Human Security Lab",
    "Child Protection Alliance",
    "Heritage Watch",
    "Gender Justice Forum",
    "Resilience Research Group",
    "Policy Lab on WPS",
    "University Department of War Studies",
]
# Bio vocabulary in rank order: word k is drawn with weight 1/(k+1) (Zipf), so "gender" is in
# most bios and words in the tail are in about one bio in twenty, as in real profiles.
WORDS = [
    "gender",
    "security",
    "protection",
    "analysis",
    "policy",
    "training",
    "research",
    "community",
    "women",
    "peace",
    "humanitarian",
    "operations",
    "advisor",
    "conflict",
    "programmes",
    "survivors",
    "field",
    "mission",
    "civilians",
    "accountability",
    "participation",
    "monitoring",
    "reporting",
    "displacement",
    "leadership",
    "mediation",
    "prevention",
    "recovery",
    "justice",
    "violence",
    "exercises",
    "children",
    "resilience",
    "climate",
    "heritage",
    "trafficking",
    "sexual",
    "cultural",
    "negotiation",
    "refugees",
    "evaluation",
    "curriculum",
    "legal",
    "detention",
    "ceasefire",
    "elections",
    "governance",
    "livelihoods",
    "migration",
    "minorities",
    "disability",
    "youth",
    "health",
    "psychosocial",
    "documentation",
    "investigation",
    "sanctions",
    "reintegration",
    "demobilisation",
    "policing",
    "border",
    "maritime",
    "cyber",
    "disinformation",
    "propaganda",
    "radicalisation",
    "extremism",
    "terrorism",
    "landmines",
    "demining",
    "shelter",
    "water",
    "sanitation",
    "nutrition",
    "education",
    "schools",
    "hospitals",
    "journalism",
    "media",
    "archives",
    "museums",
    "religious",
    "indigenous",
    "rural",
    "urban",
    "coastal",
    "mountain",
    "drought",
    "floods",
    "famine",
    "epidemics",
    "vaccination",
    "logistics",
    "procurement",
    "finance",
    "budgeting",
    "statistics",
    "surveys",
    "interviews",
    "workshops",
    "mentoring",
    "coaching",
    "facilitation",
    "translation",
]
WORD_WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]
RARE_WORDS = ("ethnography", "cartography", "forensics", "hydrology")
TOPICS = [
    "poc",
    "crsv",
    "cthb",
    "caac",
    "cpp",
    "wps-participation",
    "wps-prevention",
    "wps-protection",
    "wps-relief-recovery",
    "gender-analysis",
    "tfgbv",
    "disinformation",
    "sea",
    "climate-security",
    "resilience",
    "counter-terrorism",
]
TOPIC_WEIGHTS = [16 - i for i in range(len(TOPICS))]
LANGS = ("en", "fr", "ar", "es", "ru", "uk", "de", "it", "pt", "sw", "fa", "tr")
LANG_LEVELS = ("A2", "B1", "B2", "C1", "C2", "native")
COUNTRIES = [
    "UA",
    "ML",
    "IQ",
    "SY",
    "LY",
    "CD",
    "CF",
    "BF",
    "NE",
    "SD",
    "SS",
    "SO",
    "YE",
    "AF",
    "BA",
    "XK",
    "GE",
    "AM",
    "AZ",
    "MD",
    "CO",
    "VE",
    "HT",
    "MM",
    "ET",
    "NG",
    "CM",
    "TD",
    "MZ",
    "LB",
    "PS",
    "JO",
    "TR",
    "PL",
    "RO",
    "LT",
    "LV",
    "EE",
    "FI",
    "NO",
]
CATS = ("csap", "independent", "focal-point", "genad", "wps-advisor", "hs-specialist")
LEVELS = ("NU", "NR", "NC", "NS", "CTS")
VERIFIED_AT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def _expert(rng: random.Random, eid: int) -> tuple[dict, list[tuple[str, dict]]]:
    """One expert row and its child rows, all decided by `rng`."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{eid}"
    words = list(dict.fromkeys(rng.choices(WORDS, WORD_WEIGHTS, k=14)))
    if rng.random() < 0.002:
        words.append(rng.choice(RARE_WORDS))
    status = rng.choices(("vetted", "pending", "suspended", "rejected"), (80, 10, 5, 5))[0]
    has_clearance = rng.random() < 0.7
    row = {
        "id": eid,
        "full_name": name,
        "gender": rng.choice(("woman", "man", "non-binary", "undisclosed")),
        "country_of_residence": rng.choice(COUNTRIES),
        "affiliation_name": rng.choice(ORGS),
        "affiliation_kind": rng.choice(("cso", "academia", "think-tank", "independent")),
        "deployable": rng.random() < 0.4,
        "notice_days": 14,
        "max_concurrent": rng.choice((1, 1, 2, 3)),
        "bio": " ".join(words).capitalize() + ".",
        "links": [],
        "vetting_status": status,
        "vetting_valid_until": TODAY + timedelta(days=rng.randint(-200, 1500)),
        "clearance_level": rng.choice(LEVELS) if has_clearance else None,
        "clearance_issued_by": "NO" if has_clearance else None,
        "clearance_expires_on": TODAY + timedelta(days=rng.randint(-100, 1500))
        if has_clearance
        else None,
        "clearance_verified_at": VERIFIED_AT if has_clearance and rng.random() < 0.85 else None,
        "active": rng.random() < 0.97,
        "last_engaged_on": TODAY - timedelta(days=rng.randint(1, 900))
        if rng.random() < 0.5
        else None,
        "created_at": VERIFIED_AT,
        "updated_at": VERIFIED_AT,
        "version": 1,
    }
    children: list[tuple[str, dict]] = []
    for code in set(rng.choices(TOPICS, TOPIC_WEIGHTS, k=rng.randint(1, 4))):
        level = rng.choices((1, 2, 3, 4), (30, 35, 25, 10))[0]
        children.append(
            ("topic", {"expert_id": eid, "topic_code": code, "level": level, "years": level * 3})
        )
    langs = {"en"} if rng.random() < 0.9 else set()
    langs |= set(rng.sample(LANGS, rng.randint(1, 2)))
    for code in langs:
        children.append(
            (
                "language",
                {"expert_id": eid, "language_code": code, "level": rng.choice(LANG_LEVELS)},
            )
        )
    for cc in rng.sample(COUNTRIES, rng.randint(1, 4)):
        children.append(("region", {"expert_id": eid, "country_code": cc}))
    children.append(("nationality", {"expert_id": eid, "country_code": rng.choice(COUNTRIES)}))
    for cat in rng.sample(CATS, rng.randint(1, 2)):
        children.append(("category", {"expert_id": eid, "category": cat}))
    if rng.random() < 0.3:
        start = TODAY + timedelta(days=rng.randint(-30, 300))
        kind = "unavailable" if rng.random() < 0.8 else "available"
        end = start + timedelta(days=rng.randint(3, 90))
        children.append(
            ("window", {"expert_id": eid, "starts_on": start, "ends_on": end, "kind": kind})
        )
    return row, children


TABLES = {
    "topic": ExpertTopic.__table__,
    "language": ExpertLanguage.__table__,
    "region": ExpertRegion.__table__,
    "nationality": ExpertNationality.__table__,
    "category": ExpertCategory.__table__,
    "window": AvailabilityWindow.__table__,
}


def _batches(n: int) -> Iterator[range]:
    for start in range(1, n + 1, BATCH):
        yield range(start, min(n, start + BATCH - 1) + 1)


def build_roster(session: Session, n: int) -> None:
    """Insert `n` experts (ids 1..n) with their topics, languages, regions and windows, then
    index them; the same `n` always gives the same roster."""
    rng = random.Random(SEED)
    with tqdm(total=n, desc="experts", unit="exp") as bar:
        for ids in _batches(n):
            experts: list[dict] = []
            children: dict[str, list[dict]] = {kind: [] for kind in TABLES}
            for eid in ids:
                row, kids = _expert(rng, eid)
                experts.append(row)
                for kind, child in kids:
                    children[kind].append(child)
            session.execute(sa.insert(Expert.__table__), experts)
            for kind, rows in children.items():
                if rows:
                    session.execute(sa.insert(TABLES[kind]), rows)
            session.commit()
            bar.update(len(ids))
    with tqdm(total=n, desc="index", unit="exp") as bar:
        reindex_all(session, progress=bar.update)
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT setval('expert_id_seq', (SELECT max(id) FROM expert))"))
        session.commit()
