"""Between the request form and the service's plain data: fill a form, read it back, and put the
service's errors beside their fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from roster.errors import DomainError
from roster.requests.forms import RequestForm
from roster.requests.models import CrisisRequest
from roster.requests.services import SCALARS

LANGUAGE_ROWS = 3


def fill(form: RequestForm, request: CrisisRequest, needs: dict[str, Any]) -> None:
    """Put a stored draft into a fresh (GET) form."""
    for name in SCALARS:
        getattr(form, name).data = getattr(request, name)
    levels = {t["code"]: t["min_level"] for t in needs["topics"]}
    for row in form.topics:
        row.level.data = levels.get(row.code.data, 0)
    while form.languages.entries:
        form.languages.pop_entry()
    for lang in needs["languages"]:
        form.languages.append_entry({"code": lang["code"], "level": lang["min_level"]})
    form.languages.append_entry({"code": "", "level": ""})
    form.regions.data = needs["regions"]


def prepare(form: RequestForm, topics: dict[str, str]) -> None:
    """One row per topic of the taxonomy, and room for a few more languages."""
    if not form.topics.entries:
        for code in topics:
            form.topics.append_entry({"code": code, "level": 0})
    while len(form.languages.entries) < LANGUAGE_ROWS:
        form.languages.append_entry({"code": "", "level": ""})


def read(form: RequestForm, known_topics: Iterable[str]) -> dict[str, Any]:
    """The plain data a submitted request form asks for, in the service's shape."""
    known = set(known_topics)
    data: dict[str, Any] = {name: getattr(form, name).data for name in SCALARS}
    data["title"] = data["title"].strip()
    data["description"] = (data["description"] or "").strip()
    data["topics"] = [
        {"code": row.code.data, "min_level": row.level.data}
        for row in form.topics
        if row.code.data in known and row.level.data
    ]
    data["languages"] = [
        {"code": row.code.data, "min_level": row.level.data}
        for row in form.languages
        if row.code.data and row.level.data
    ]
    data["regions"] = form.regions.data or []
    return data


def attach_errors(form: RequestForm, error: DomainError) -> dict[str, list[str]]:
    """Put a service error's messages beside their fields; the topic and language lists' errors
    and the rest come back grouped as {"topics": [...], "languages": [...], "form": [...]}."""
    groups: dict[str, list[str]] = {}
    if not error.fields:
        groups["form"] = [error.message]
    for name, messages in error.fields.items():
        head = name.split(".")[0]
        if head in ("topics", "languages"):
            groups.setdefault(head, []).extend(messages)
            continue
        target = getattr(form, head, None) if head in (*SCALARS, "regions") else None
        if target is None:
            groups.setdefault("form", []).extend(messages)
        else:
            target.errors = [*target.errors, *messages]
    return groups
