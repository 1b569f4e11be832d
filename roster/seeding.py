"""Loaders that put the reference data and the demo data kept as YAML in `seeds/` into the database.

Both loaders are idempotent: reference rows are keyed on their code, demo rows on email, so running
them again adds nothing. They only flush; the caller commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlmodel import Session, SQLModel, select

from roster.accounts.models import User
from roster.accounts.passwords import hash_password
from roster.db import utcnow
from roster.demo import dates
from roster.demo.accounts import link_expert_accounts
from roster.demo.history import HISTORY_KINDS, load_history
from roster.demo.stories import parse_stories
from roster.experts.models import (
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
from roster.reference.models import COMMAND_KINDS, TOPIC_AREAS, ClearanceLevel, Command, Topic
from roster.search.index import reindex_experts
from roster.seed_checks import (
    Refs,
    as_date,
    as_day,
    check_account,
    check_expert,
    check_unique,
    label,
    require,
)

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_NOTE = "Seeded demo data"
# When seeded clearances count as verified, as seen from the seed files' anchor day (moved with
# every other date): before the demo history starts, so every seated expert was cleared in time.
SEED_VERIFIED_AT = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)

# What `load_demo` counts, in the order it reports them.
DEMO_KINDS = (
    "users",
    "experts",
    "vetting_decisions",
    "csap_memberships",
    "focal_points",
    "availability_windows",
    "expert_accounts",
    *HISTORY_KINDS,
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
        require(row.get("area") in TOPIC_AREAS, f"topics.yaml {row['code']!r}: bad area")
        row["position"] = i
    for row in commands:
        require(row.get("kind") in COMMAND_KINDS, f"commands.yaml {row['code']!r}: bad kind")
    return {
        "topics": _upsert(session, Topic, topics, ("name", "area", "position")),
        "clearance_levels": _upsert(session, ClearanceLevel, levels, ("name", "rank")),
        "commands": _upsert(session, Command, commands, ("name", "kind")),
    }


def _entries(name: str, seeds_dir: Path | None) -> list[dict[str, Any]]:
    """The entries of one reference file, each with a unique code and a name."""
    source = f"{name}.yaml"
    data = read_seed(source, seeds_dir=seeds_dir)
    require(isinstance(data, list), f"{source}: expected a list of entries")
    seen: set[str] = set()
    for row in data:
        code = row.get("code") if isinstance(row, dict) else None
        require(isinstance(code, str) and bool(code), f"{source}: entry without a code: {row!r}")
        assert isinstance(code, str)
        require(code not in seen, f"{source}: code {code!r} appears twice")
        require(bool(row.get("name")), f"{source} entry {code!r}: missing name")
        seen.add(code)
    return [dict(row) for row in data]


_Coded = TypeVar("_Coded", Topic, ClearanceLevel, Command)


def _upsert(
    session: Session,
    model: type[_Coded],
    rows: list[dict[str, Any]],
    fields: tuple[str, ...],
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


def load_demo(
    session: Session, *, seeds_dir: Path | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Load demo logins, fictional experts with an account each and the request history (needs
    `load_reference` first); returns rows added. The seed files' dates move to `now`'s day."""
    now = now or utcnow()
    shift = dates.offset(now.date())
    refs = _demo_refs(session, seeds_dir)
    accounts_file = dates.shift(read_seed("demo_accounts.yaml", seeds_dir=seeds_dir), shift)
    require(isinstance(accounts_file, dict), "demo_accounts.yaml: expected a mapping")
    password = accounts_file.get("password")
    require(isinstance(password, str) and bool(password), "demo_accounts.yaml: missing password")
    accounts = accounts_file.get("accounts") or []
    experts = dates.shift(read_seed("demo_experts.yaml", seeds_dir=seeds_dir) or [], shift)
    require(isinstance(experts, list), "demo_experts.yaml: expected a list of experts")

    # Check everything before adding anything, so bad data never leaves half a load behind.
    for i, raw in enumerate(accounts):
        check_account(raw, f"demo_accounts.yaml entry {i} ({label(raw)})", refs)
    check_unique(accounts, "demo_accounts.yaml")
    for i, raw in enumerate(experts):
        check_expert(raw, f"demo_experts.yaml entry {i} ({label(raw, 'full_name')})", refs)
    check_unique(experts, "demo_experts.yaml")
    stories = parse_stories(read_seed("demo_requests.yaml", seeds_dir=seeds_dir), refs.topics)
    expert_emails = {raw["email"].lower() for raw in experts}
    for raw in accounts:
        if raw["role"] == "expert":
            require(
                raw["email"].lower() in expert_emails,
                f"demo_accounts.yaml: expert login {raw['email']!r} matches no demo expert",
            )

    counts: Counter[str] = Counter(dict.fromkeys(DEMO_KINDS, 0))
    users = {u.email.lower(): u for u in session.exec(select(User)).all()}
    password_hash: str | None = None  # hashed once, and only when an account is added
    for raw in accounts:
        if raw["email"].lower() not in users:
            password_hash = password_hash or hash_password(password)
            user = _new_user(raw, password_hash, refs)
            session.add(user)
            users[raw["email"].lower()] = user
            counts["users"] += 1
    session.flush()

    known = {e.email.lower(): e for e in session.exec(select(Expert)).all() if e.email}
    added: list[Expert] = []
    for raw in experts:
        if raw["email"].lower() not in known:
            known[raw["email"].lower()] = _add_expert(session, raw, refs, counts, shift)
            added.append(known[raw["email"].lower()])
            counts["experts"] += 1

    for raw in accounts:
        if raw["role"] == "expert":
            expert, user = known[raw["email"].lower()], users[raw["email"].lower()]
            if expert.user_id is None:
                expert.user_id = user.id
                session.add(expert)
    session.flush()
    counts["expert_accounts"] = link_expert_accounts(
        session, expert_emails, password, password_hash=password_hash
    )
    counts.update(load_history(session, stories, now=now))
    reindex_experts(session, [e.id for e in added if e.id is not None])
    return dict(counts)


def _demo_refs(session: Session, seeds_dir: Path | None) -> Refs:
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
        require(not missing, f"{kind} {missing[:3]} missing; run load_reference first")
    command_ids = {c.code: c.id for c in session.exec(select(Command)).all() if c.id is not None}
    return Refs(topic_codes, level_codes, command_ids)


def _new_user(raw: Raw, password_hash: str, refs: Refs) -> User:
    clearance = raw.get("clearance") or {}
    command = raw.get("command")
    return User(
        email=raw["email"],
        full_name=raw["full_name"],
        role=raw["role"],
        password_hash=password_hash,
        active=True,
        clearance_level=clearance.get("level"),
        clearance_expires_on=as_date(clearance.get("expires_on")),
        command_id=refs.commands[command] if command else None,
        # A demo-only authenticator secret, public in the seed file: enrolled from the start.
        totp_secret=raw.get("totp_secret"),
        totp_enabled_at=utcnow() if raw.get("totp_secret") else None,
    )


def _add_expert(
    session: Session, raw: Raw, refs: Refs, counts: Counter[str], shift: timedelta
) -> Expert:
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
        vetting_valid_until=as_date(vetting.get("valid_until")),
        clearance_level=clearance.get("level"),
        clearance_issued_by=clearance.get("issued_by"),
        clearance_expires_on=as_date(clearance.get("expires_on")),
        clearance_verified_at=SEED_VERIFIED_AT + shift if clearance.get("verified") else None,
        last_engaged_on=as_date(raw.get("last_engaged_on")),
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
            valid_until=as_date(vetting.get("valid_until")),
            note=SEED_NOTE,
        )
    )
    counts["vetting_decisions"] += 1
    for window in raw.get("availability") or []:
        children.append(
            AvailabilityWindow(
                expert_id=eid,
                starts_on=as_day(window["from"]),
                ends_on=as_day(window["to"]),
                kind=window.get("kind", "unavailable"),
            )
        )
        counts["availability_windows"] += 1
    if csap := raw.get("csap"):
        children.append(
            CsapMembership(
                expert_id=eid,
                cohort=csap["cohort"],
                term_start=as_day(csap["term_start"]),
                term_end=as_date(csap.get("term_end")),
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
