"""Loaders that put the reference data and the demo data kept as YAML in `seeds/` into the database.

Both loaders are idempotent: reference rows are keyed on their code, demo rows on email, so running
them again adds nothing. They only flush; the caller commits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, SQLModel, select

from roster.accounts.models import ROLES, User
from roster.accounts.passwords import hash_password
from roster.db import utcnow
from roster.experts.models import (
    AFFILIATION_KINDS,
    AVAILABILITY_KINDS,
    CATEGORIES,
    FOCAL_POINT_ROLES,
    GENDERS,
    VETTING_STATUSES,
    AvailabilityWindow,
    CsapMembership,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
    FocalPoint,
    VettingDecision,
)
from roster.reference.codes import CEFR_LEVELS, is_country, is_language
from roster.reference.models import COMMAND_KINDS, TOPIC_AREAS, ClearanceLevel, Command, Topic
from roster.search.index import reindex_experts

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_NOTE = "Seeded demo data"
# When seeded clearances count as verified: a fixed moment, so every load gives the same data.
SEED_VERIFIED_AT = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

# What `load_demo` counts, in the order it reports them.
DEMO_KINDS = (
    "users",
    "experts",
    "vetting_decisions",
    "csap_memberships",
    "focal_points",
    "availability_windows",
)

Raw = Mapping[str, Any]


def read_seed(name: str, *, seeds_dir: Path | None = None) -> Any:
    """The parsed content of one YAML file in the seeds directory."""
    path = (seeds_dir or SEEDS_DIR) / name
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --- reference data ---------------------------------------------------------------------------


def load_reference(session: Session, *, seeds_dir: Path | None = None) -> dict[str, int]:
    """Upsert topics, clearance levels and commands; returns how many rows of each were added."""
    topics, levels, commands = (
        _entries(name, seeds_dir) for name in ("topics", "clearance_levels", "commands")
    )
    for i, row in enumerate(topics):
        _require(row.get("area") in TOPIC_AREAS, f"topics.yaml {row['code']!r}: bad area")
        row["position"] = i
    for row in commands:
        _require(row.get("kind") in COMMAND_KINDS, f"commands.yaml {row['code']!r}: bad kind")
    return {
        "topics": _upsert(session, Topic, topics, ("name", "area", "position")),
        "clearance_levels": _upsert(session, ClearanceLevel, levels, ("name", "rank")),
        "commands": _upsert(session, Command, commands, ("name", "kind")),
    }


def _entries(name: str, seeds_dir: Path | None) -> list[dict[str, Any]]:
    """The entries of one reference file, each with a unique code and a name."""
    source = f"{name}.yaml"
    data = read_seed(source, seeds_dir=seeds_dir)
    _require(isinstance(data, list), f"{source}: expected a list of entries")
    seen: set[str] = set()
    for row in data:
        code = row.get("code") if isinstance(row, dict) else None
        _require(isinstance(code, str) and bool(code), f"{source}: entry without a code: {row!r}")
        _require(code not in seen, f"{source}: code {code!r} appears twice")
        _require(bool(row.get("name")), f"{source} entry {code!r}: missing name")
        seen.add(code)
    return [dict(row) for row in data]


def _upsert(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], fields: tuple[str, ...]
) -> int:
    existing = {obj.code: obj for obj in session.exec(select(model)).all()}
    added = 0
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            session.add(model(code=row["code"], **{f: row[f] for f in fields}))
            added += 1
            continue
        for field in fields:
            if getattr(obj, field) != row[field]:
                setattr(obj, field, row[field])
    session.flush()
    return added


# --- demo data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refs:
    """Codes the demo data may use, and command ids by code."""

    topics: frozenset[str]
    levels: frozenset[str]
    commands: dict[str, int]


def load_demo(session: Session, *, seeds_dir: Path | None = None) -> dict[str, int]:
    """Load demo logins and fictional experts (needs `load_reference` first); returns rows added."""
    refs = _demo_refs(session, seeds_dir)
    accounts_file = read_seed("demo_accounts.yaml", seeds_dir=seeds_dir)
    _require(isinstance(accounts_file, dict), "demo_accounts.yaml: expected a mapping")
    password = accounts_file.get("password")
    _require(isinstance(password, str) and bool(password), "demo_accounts.yaml: missing password")
    accounts = accounts_file.get("accounts") or []
    experts = read_seed("demo_experts.yaml", seeds_dir=seeds_dir) or []
    _require(isinstance(experts, list), "demo_experts.yaml: expected a list of experts")

    # Check everything before adding anything, so bad data never leaves half a load behind.
    for i, raw in enumerate(accounts):
        _check_account(raw, f"demo_accounts.yaml entry {i} ({_label(raw)})", refs)
    _check_unique(accounts, "demo_accounts.yaml")
    for i, raw in enumerate(experts):
        _check_expert(raw, f"demo_experts.yaml entry {i} ({_label(raw, 'full_name')})", refs)
    _check_unique(experts, "demo_experts.yaml")
    expert_emails = {raw["email"].lower() for raw in experts}
    for raw in accounts:
        if raw["role"] == "expert":
            _require(
                raw["email"].lower() in expert_emails,
                f"demo_accounts.yaml: expert login {raw['email']!r} matches no demo expert",
            )

    counts: Counter[str] = Counter(dict.fromkeys(DEMO_KINDS, 0))
    users = {u.email.lower(): u for u in session.exec(select(User)).all()}
    for raw in accounts:
        if raw["email"].lower() not in users:
            user = _new_user(raw, password, refs)
            session.add(user)
            users[raw["email"].lower()] = user
            counts["users"] += 1
    session.flush()

    known = {e.email.lower(): e for e in session.exec(select(Expert)).all() if e.email}
    added: list[Expert] = []
    for raw in experts:
        if raw["email"].lower() not in known:
            known[raw["email"].lower()] = _add_expert(session, raw, refs, counts)
            added.append(known[raw["email"].lower()])
            counts["experts"] += 1

    for raw in accounts:
        if raw["role"] == "expert":
            expert, user = known[raw["email"].lower()], users[raw["email"].lower()]
            if expert.user_id is None:
                expert.user_id = user.id
                session.add(expert)
    session.flush()
    reindex_experts(session, [e.id for e in added if e.id is not None])
    return dict(counts)


def _demo_refs(session: Session, seeds_dir: Path | None) -> _Refs:
    topics, levels, commands = (
        _entries(name, seeds_dir) for name in ("topics", "clearance_levels", "commands")
    )
    topic_codes = frozenset(row["code"] for row in topics)
    level_codes = frozenset(row["code"] for row in levels)
    in_db = {
        "topics": set(session.exec(select(Topic.code)).all()),
        "clearance levels": set(session.exec(select(ClearanceLevel.code)).all()),
        "commands": set(session.exec(select(Command.code)).all()),
    }
    wanted = {
        "topics": topic_codes,
        "clearance levels": level_codes,
        "commands": {row["code"] for row in commands},
    }
    for kind, codes in wanted.items():
        missing = sorted(codes - in_db[kind])
        _require(not missing, f"{kind} {missing[:3]} missing; run load_reference first")
    command_ids = {c.code: c.id for c in session.exec(select(Command)).all() if c.id is not None}
    return _Refs(topic_codes, level_codes, command_ids)


def _new_user(raw: Raw, password: str, refs: _Refs) -> User:
    clearance = raw.get("clearance") or {}
    command = raw.get("command")
    return User(
        email=raw["email"],
        full_name=raw["full_name"],
        role=raw["role"],
        password_hash=hash_password(password),
        active=True,
        clearance_level=clearance.get("level"),
        clearance_expires_on=_date(clearance.get("expires_on")),
        command_id=refs.commands[command] if command else None,
        # A demo-only authenticator secret, public in the seed file: enrolled from the start.
        totp_secret=raw.get("totp_secret"),
        totp_enabled_at=utcnow() if raw.get("totp_secret") else None,
    )


def _add_expert(session: Session, raw: Raw, refs: _Refs, counts: Counter[str]) -> Expert:
    affiliation = raw.get("affiliation") or {}
    vetting = raw["vetting"]
    clearance = raw.get("clearance") or {}
    expert = Expert(
        full_name=raw["full_name"],
        email=raw["email"],
        phone=str(raw["phone"]) if raw.get("phone") else None,
        gender=raw.get("gender", "undisclosed"),
        country_of_residence=raw.get("country_of_residence"),
        affiliation_name=affiliation.get("name"),
        affiliation_kind=affiliation.get("kind", "independent"),
        deployable=bool(raw.get("deployable", False)),
        notice_days=raw.get("notice_days", 14),
        max_concurrent=raw.get("max_concurrent", 1),
        bio=raw.get("bio") or "",
        vetting_status=vetting["status"],
        vetting_valid_until=_date(vetting.get("valid_until")),
        clearance_level=clearance.get("level"),
        clearance_issued_by=clearance.get("issued_by"),
        clearance_expires_on=_date(clearance.get("expires_on")),
        clearance_verified_at=SEED_VERIFIED_AT if clearance.get("verified") else None,
        last_engaged_on=_date(raw.get("last_engaged_on")),
    )
    session.add(expert)
    session.flush()
    eid = expert.id
    assert eid is not None
    children: list[SQLModel] = [
        ExpertNationality(expert_id=eid, country_code=cc) for cc in raw.get("nationalities", [])
    ]
    children += [ExpertRegion(expert_id=eid, country_code=cc) for cc in raw.get("regions", [])]
    children += [ExpertCategory(expert_id=eid, category=c) for c in raw.get("categories", [])]
    children += [
        # A pending expert's high levels still wait for a coordinator's confirmation.
        ExpertTopic(
            expert_id=eid,
            topic_code=t["code"],
            level=t["level"],
            years=t.get("years", 0),
            verified=t["level"] < 3 or (raw.get("vetting") or {}).get("status") != "pending",
        )
        for t in raw.get("topics", [])
    ]
    children += [
        ExpertLanguage(expert_id=eid, language_code=lang["code"], level=lang["level"])
        for lang in raw.get("languages", [])
    ]
    children.append(
        VettingDecision(
            expert_id=eid,
            from_status="pending",
            to_status=vetting["status"],
            valid_until=_date(vetting.get("valid_until")),
            note=SEED_NOTE,
        )
    )
    counts["vetting_decisions"] += 1
    for window in raw.get("availability") or []:
        children.append(
            AvailabilityWindow(
                expert_id=eid,
                starts_on=_date(window["from"]),
                ends_on=_date(window["to"]),
                kind=window.get("kind", "unavailable"),
            )
        )
        counts["availability_windows"] += 1
    if csap := raw.get("csap"):
        children.append(
            CsapMembership(
                expert_id=eid,
                cohort=csap["cohort"],
                term_start=_date(csap["term_start"]),
                term_end=_date(csap.get("term_end")),
            )
        )
        counts["csap_memberships"] += 1
    if focal := raw.get("focal_point"):
        children.append(
            FocalPoint(
                expert_id=eid,
                command_id=refs.commands[focal["command"]],
                role=focal["role"],
                topics=list(focal.get("topics") or []),
            )
        )
        counts["focal_points"] += 1
    session.add_all(children)
    return expert


# --- validation -------------------------------------------------------------------------------


def _check_account(raw: Any, where: str, refs: _Refs) -> None:
    _require(isinstance(raw, dict), f"{where}: expected a mapping")
    _require("@" in str(raw.get("email", "")), f"{where}: missing or bad email")
    _require(bool(raw.get("full_name")), f"{where}: missing full_name")
    _require(raw.get("role") in ROLES, f"{where}: role must be one of {ROLES}")
    if clearance := raw.get("clearance"):
        _require(clearance.get("level") in refs.levels, f"{where}: unknown clearance level")
        _check_date(clearance.get("expires_on"), where, "clearance.expires_on", required=True)
    command = raw.get("command")
    _require(command is None or command in refs.commands, f"{where}: unknown command {command!r}")
    secret = raw.get("totp_secret")
    _require(
        secret is None or bool(re.fullmatch(r"[A-Z2-7]{16,64}", str(secret))),
        f"{where}: totp_secret must be 16-64 base32 characters",
    )


def _check_expert(raw: Any, where: str, refs: _Refs) -> None:
    _require(isinstance(raw, dict), f"{where}: expected a mapping")
    _require(bool(raw.get("full_name")), f"{where}: missing full_name")
    _require("@" in str(raw.get("email", "")), f"{where}: missing or bad email")
    _require(raw.get("gender", "undisclosed") in GENDERS, f"{where}: gender not in {GENDERS}")
    for field in ("nationalities", "regions", "categories"):
        values = raw.get(field) or []
        _require(len(set(values)) == len(values), f"{where}: a value repeats in {field}")
    for field in ("nationalities", "regions"):
        for cc in raw.get(field) or []:
            _require(is_country(str(cc)), f"{where}: unknown country code {cc!r} in {field}")
    residence = raw.get("country_of_residence")
    _require(residence is None or is_country(str(residence)), f"{where}: bad country_of_residence")
    kind = (raw.get("affiliation") or {}).get("kind", "independent")
    _require(kind in AFFILIATION_KINDS, f"{where}: affiliation kind {kind!r} is not allowed")
    categories = raw.get("categories") or []
    for category in categories:
        _require(category in CATEGORIES, f"{where}: unknown category {category!r}")
    topics = raw.get("topics") or []
    _require(bool(topics), f"{where}: needs at least one topic")
    for topic in topics:
        code = topic.get("code")
        _require(code in refs.topics, f"{where}: unknown topic code {code!r}")
        _require(topic.get("level") in (1, 2, 3, 4), f"{where}: topic {code!r} level must be 1-4")
        _require(_count(topic.get("years", 0)) >= 0, f"{where}: topic {code!r} years must be >= 0")
    _require(len({t["code"] for t in topics}) == len(topics), f"{where}: a topic appears twice")
    languages = [lang.get("code") for lang in raw.get("languages") or []]
    _require(len(set(languages)) == len(languages), f"{where}: a language appears twice")
    for lang in raw.get("languages") or []:
        code = lang.get("code")
        _require(is_language(str(code)), f"{where}: unknown language code {code!r}")
        _require(lang.get("level") in CEFR_LEVELS, f"{where}: bad level for language {code!r}")
    _require(_count(raw.get("max_concurrent", 1)) >= 1, f"{where}: max_concurrent must be >= 1")
    _require(_count(raw.get("notice_days", 14)) >= 0, f"{where}: notice_days must be >= 0")
    vetting = raw.get("vetting") or {}
    _require(vetting.get("status") in VETTING_STATUSES, f"{where}: bad vetting status")
    _check_date(vetting.get("valid_until"), where, "vetting.valid_until")
    if clearance := raw.get("clearance"):
        _require(clearance.get("level") in refs.levels, f"{where}: unknown clearance level")
        _require(is_country(str(clearance.get("issued_by"))), f"{where}: bad clearance.issued_by")
        _check_date(clearance.get("expires_on"), where, "clearance.expires_on", required=True)
    for window in raw.get("availability") or []:
        start = _check_date(window.get("from"), where, "availability.from", required=True)
        end = _check_date(window.get("to"), where, "availability.to", required=True)
        _require(start <= end, f"{where}: availability window ends before it starts")
        _require(
            window.get("kind", "unavailable") in AVAILABILITY_KINDS, f"{where}: bad window kind"
        )
    if csap := raw.get("csap"):
        _require(isinstance(csap.get("cohort"), int), f"{where}: csap.cohort must be a year")
        _check_date(csap.get("term_start"), where, "csap.term_start", required=True)
        _check_date(csap.get("term_end"), where, "csap.term_end")
    if focal := raw.get("focal_point"):
        _require(focal.get("command") in refs.commands, f"{where}: unknown focal_point command")
        _require(focal.get("role") in FOCAL_POINT_ROLES, f"{where}: bad focal_point role")
        for code in focal.get("topics") or []:
            _require(code in refs.topics, f"{where}: unknown focal_point topic {code!r}")
        _require("focal-point" in categories, f"{where}: a focal point needs category focal-point")
    _check_date(raw.get("last_engaged_on"), where, "last_engaged_on")


def _check_unique(entries: list[Raw], source: str) -> None:
    seen: set[str] = set()
    for raw in entries:
        email = raw["email"].lower()
        _require(email not in seen, f"{source}: email {raw['email']!r} appears twice")
        seen.add(email)


def _check_date(value: Any, where: str, field: str, *, required: bool = False) -> date:
    if value is None and not required:
        return date.min
    try:
        parsed = _date(value)
    except (TypeError, ValueError):
        parsed = None
    _require(parsed is not None, f"{where}: {field} must be a date (YYYY-MM-DD)")
    assert parsed is not None
    return parsed


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value))


def _count(value: Any) -> int:
    """A whole number from the YAML, or -1 (always refused) for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _label(raw: Any, key: str = "email") -> str:
    return str(raw.get(key, "?")) if isinstance(raw, dict) else "?"


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
