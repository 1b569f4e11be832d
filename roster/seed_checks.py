"""Checks on the demo data in `seeds/` before anything is loaded: codes, dates, uniqueness."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from roster.accounts.models import ROLES
from roster.experts.models import (
    AFFILIATION_KINDS,
    AVAILABILITY_KINDS,
    CATEGORIES,
    FOCAL_POINT_ROLES,
    GENDERS,
    VETTING_STATUSES,
)
from roster.reference.codes import CEFR_LEVELS, is_country, is_language

Raw = Mapping[str, Any]


@dataclass(frozen=True)
class Refs:
    """Codes the demo data may use, and command ids by code."""

    topics: frozenset[str]
    levels: frozenset[str]
    commands: dict[str, int]


def check_account(raw: Any, where: str, refs: Refs) -> None:
    require(isinstance(raw, dict), f"{where}: expected a mapping")
    require("@" in str(raw.get("email", "")), f"{where}: missing or bad email")
    require(bool(raw.get("full_name")), f"{where}: missing full_name")
    require(raw.get("role") in ROLES, f"{where}: role must be one of {ROLES}")
    if clearance := raw.get("clearance"):
        require(clearance.get("level") in refs.levels, f"{where}: unknown clearance level")
        check_date(clearance.get("expires_on"), where, "clearance.expires_on", required=True)
    command = raw.get("command")
    require(command is None or command in refs.commands, f"{where}: unknown command {command!r}")
    secret = raw.get("totp_secret")
    require(
        secret is None or bool(re.fullmatch(r"[A-Z2-7]{16,64}", str(secret))),
        f"{where}: totp_secret must be 16-64 base32 characters",
    )


def check_expert(raw: Any, where: str, refs: Refs) -> None:
    require(isinstance(raw, dict), f"{where}: expected a mapping")
    require(bool(raw.get("full_name")), f"{where}: missing full_name")
    require("@" in str(raw.get("email", "")), f"{where}: missing or bad email")
    require(raw.get("gender", "undisclosed") in GENDERS, f"{where}: gender not in {GENDERS}")
    for field in ("nationalities", "regions", "categories"):
        values = raw.get(field) or []
        require(len(set(values)) == len(values), f"{where}: a value repeats in {field}")
    for field in ("nationalities", "regions"):
        for cc in raw.get(field) or []:
            require(is_country(str(cc)), f"{where}: unknown country code {cc!r} in {field}")
    residence = raw.get("country_of_residence")
    require(residence is None or is_country(str(residence)), f"{where}: bad country_of_residence")
    kind = (raw.get("affiliation") or {}).get("kind", "independent")
    require(kind in AFFILIATION_KINDS, f"{where}: affiliation kind {kind!r} is not allowed")
    categories = raw.get("categories") or []
    for category in categories:
        require(category in CATEGORIES, f"{where}: unknown category {category!r}")
    topics = raw.get("topics") or []
    require(bool(topics), f"{where}: needs at least one topic")
    for topic in topics:
        code = topic.get("code")
        require(code in refs.topics, f"{where}: unknown topic code {code!r}")
        require(topic.get("level") in (1, 2, 3, 4), f"{where}: topic {code!r} level must be 1-4")
        require(as_count(topic.get("years", 0)) >= 0, f"{where}: topic {code!r} years must be >= 0")
    require(len({t["code"] for t in topics}) == len(topics), f"{where}: a topic appears twice")
    languages = [lang.get("code") for lang in raw.get("languages") or []]
    require(len(set(languages)) == len(languages), f"{where}: a language appears twice")
    for lang in raw.get("languages") or []:
        code = lang.get("code")
        require(is_language(str(code)), f"{where}: unknown language code {code!r}")
        require(lang.get("level") in CEFR_LEVELS, f"{where}: bad level for language {code!r}")
    require(as_count(raw.get("max_concurrent", 1)) >= 1, f"{where}: max_concurrent must be >= 1")
    require(as_count(raw.get("notice_days", 14)) >= 0, f"{where}: notice_days must be >= 0")
    vetting = raw.get("vetting") or {}
    require(vetting.get("status") in VETTING_STATUSES, f"{where}: bad vetting status")
    check_date(vetting.get("valid_until"), where, "vetting.valid_until")
    if clearance := raw.get("clearance"):
        require(clearance.get("level") in refs.levels, f"{where}: unknown clearance level")
        require(is_country(str(clearance.get("issued_by"))), f"{where}: bad clearance.issued_by")
        check_date(clearance.get("expires_on"), where, "clearance.expires_on", required=True)
    for window in raw.get("availability") or []:
        start = check_date(window.get("from"), where, "availability.from", required=True)
        end = check_date(window.get("to"), where, "availability.to", required=True)
        require(start <= end, f"{where}: availability window ends before it starts")
        require(
            window.get("kind", "unavailable") in AVAILABILITY_KINDS, f"{where}: bad window kind"
        )
    if csap := raw.get("csap"):
        require(isinstance(csap.get("cohort"), int), f"{where}: csap.cohort must be a year")
        check_date(csap.get("term_start"), where, "csap.term_start", required=True)
        check_date(csap.get("term_end"), where, "csap.term_end")
    if focal := raw.get("focal_point"):
        require(focal.get("command") in refs.commands, f"{where}: unknown focal_point command")
        require(focal.get("role") in FOCAL_POINT_ROLES, f"{where}: bad focal_point role")
        for code in focal.get("topics") or []:
            require(code in refs.topics, f"{where}: unknown focal_point topic {code!r}")
        require("focal-point" in categories, f"{where}: a focal point needs category focal-point")
    check_date(raw.get("last_engaged_on"), where, "last_engaged_on")


def check_unique(entries: list[Raw], source: str) -> None:
    seen: set[str] = set()
    for raw in entries:
        email = raw["email"].lower()
        require(email not in seen, f"{source}: email {raw['email']!r} appears twice")
        seen.add(email)


def check_date(value: Any, where: str, field: str, *, required: bool = False) -> date:
    if value is None and not required:
        return date.min
    try:
        parsed = as_date(value)
    except (TypeError, ValueError):
        parsed = None
    require(parsed is not None, f"{where}: {field} must be a date (YYYY-MM-DD)")
    assert parsed is not None
    return parsed


def as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value))


def as_day(value: Any) -> date:
    """A date the checks above have already found present and well formed."""
    day = as_date(value)
    if day is None:
        raise ValueError("a required date is missing")
    return day


def as_count(value: Any) -> int:
    """A whole number from the YAML, or -1 (always refused) for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def label(raw: Any, key: str = "email") -> str:
    return str(raw.get(key, "?")) if isinstance(raw, dict) else "?"


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
