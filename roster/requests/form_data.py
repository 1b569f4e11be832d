"""Between the request form and the service's plain data: offer the choices this user has, fill
a form, read it back, put the service's errors beside their fields and list them all for the
error summary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from roster.errors import DomainError
from roster.experts.forms import choices
from roster.requests.forms import RequestForm
from roster.requests.models import CrisisRequest
from roster.requests.services import SCALARS

TOPIC_ROWS = 3
LANGUAGE_ROWS = 3


def prepare(form: RequestForm, topics: dict[str, str], classifications: list[str]) -> None:
    """The choices this user has, and room to add: at least three rows each of topics and
    languages, one of them blank. Called before validation and again before drawing."""
    for rows, least in ((form.topics, TOPIC_ROWS), (form.languages, LANGUAGE_ROWS)):
        blank = [row for row in rows if not row.code.data and not row.level.data]
        if not blank or len(rows) < least:
            for _ in range(max(least - len(rows), 1 if not blank else 0)):
                rows.append_entry({"code": "", "level": ""})
    for row in form.topics:
        row.form.offer(topics)
    current = form.classification.data
    offered = [*classifications]
    if current and current not in offered and form.classification.errors:
        offered.append(current)  # a refused level stays shown beside its message
    form.classification.choices = choices([(c, c) for c in offered])


def fill(form: RequestForm, request: CrisisRequest, needs: dict[str, Any]) -> None:
    """Put a stored draft into a fresh (GET) form: its topics and languages as rows."""
    for name in SCALARS:
        getattr(form, name).data = getattr(request, name)
    for rows, stored in ((form.topics, needs["topics"]), (form.languages, needs["languages"])):
        while rows.entries:
            rows.pop_entry()
        for need in stored:
            rows.append_entry({"code": need["code"], "level": need["min_level"]})
    form.regions.data = needs["regions"]


def read(form: RequestForm, known_topics: Iterable[str]) -> dict[str, Any]:
    """The plain data a submitted request form asks for, in the service's shape; "same as the
    classification" is the classification."""
    known = set(known_topics)
    data: dict[str, Any] = {name: getattr(form, name).data for name in SCALARS}
    data["title"] = data["title"].strip()
    data["description"] = (data["description"] or "").strip()
    data["required_clearance"] = data["required_clearance"] or data["classification"]
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


def row_labels(name: str, n: int) -> tuple[str, str]:
    """The labels of the two selects of row `n` (from 1) of the topics or languages."""
    if name == "topics":
        return _("Topic %(n)s", n=n), _("Minimum level of topic %(n)s", n=n)
    return _("Language %(n)s", n=n), _("Minimum level of language %(n)s", n=n)


def error_list(form: RequestForm, problems: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every message on the page as (id of the field to go to, message), in the form's order,
    for the error summary; "" for a message about no one field."""
    found = [("", m) for m in problems.get("form", [])]
    for field in form:
        if field.name in ("topics", "languages"):
            found.extend((f"{field.name}-legend", m) for m in problems.get(field.name, []))
            for n, row in enumerate(field, start=1):
                labels = row_labels(field.name, n)
                for part, label in zip((row.code, row.level), labels, strict=True):
                    found.extend(
                        (part.id, _("%(label)s: %(message)s", label=label, message=m))
                        for m in part.errors
                    )
        else:
            target = "" if field.type in ("CSRFTokenField", "HiddenField") else field.id
            found.extend(
                (target, _("%(label)s: %(message)s", label=field.label.text, message=m))
                for m in field.errors
            )
    return found
