"""Between the profile form and the service's plain data: fill a form, read it back."""

from __future__ import annotations

from typing import Any

from roster.errors import DomainError
from roster.experts.forms import ProfileForm
from roster.experts.profiles import Loaded

ERROR_TARGETS = {
    "clearance.expires_on": "clearance_expires_on",
    "clearance.issued_by": "clearance_issued_by",
    "affiliation": "affiliation_kind",
}


def fill(form: ProfileForm, loaded: Loaded, topics: list[tuple[str, str]]) -> None:
    """Put a stored profile into a fresh (GET) form."""
    expert = loaded.expert
    form.version.data = str(expert.version)
    for name in (
        "full_name",
        "phone",
        "gender",
        "country_of_residence",
        "affiliation_name",
        "affiliation_kind",
        "deployable",
        "notice_days",
        "max_concurrent",
        "bio",
        "clearance_level",
        "clearance_issued_by",
        "clearance_expires_on",
    ):
        getattr(form, name).data = getattr(expert, name)
    form.nationalities.data = loaded.nationalities
    form.regions.data = loaded.regions
    form.categories.data = loaded.categories
    form.links.data = "\n".join(expert.links or [])
    form.consent.data = expert.consent_at is not None
    levels = {t.topic_code: t for t in loaded.topics}
    while form.topics.entries:
        form.topics.pop_entry()
    for code, _name in topics:
        row = levels.get(code)
        form.topics.append_entry(
            {"code": code, "level": row.level if row else 0, "years": row.years if row else 0}
        )
    while form.languages.entries:
        form.languages.pop_entry()
    for lang in loaded.languages:
        form.languages.append_entry({"code": lang.language_code, "level": lang.level})
    for _ in range(2):
        form.languages.append_entry({"code": "", "level": ""})


def prepare_topics(form: ProfileForm, topics: list[tuple[str, str]]) -> None:
    """Give a blank form one row per topic of the taxonomy."""
    if not form.topics.entries:
        for code, _name in topics:
            form.topics.append_entry({"code": code, "level": 0, "years": 0})
    if len(form.languages.entries) < 3:
        for _ in range(3 - len(form.languages.entries)):
            form.languages.append_entry({"code": "", "level": ""})


def read(form: ProfileForm, known_topics: set[str]) -> dict[str, Any]:
    """The plain data a submitted form asks for, in the service's shape."""
    clearance = None
    if form.clearance_level.data:
        clearance = {
            "level": form.clearance_level.data,
            "issued_by": form.clearance_issued_by.data or None,
            "expires_on": form.clearance_expires_on.data,
        }
    topics = [
        {"code": row.code.data, "level": row.level.data, "years": row.years.data or 0}
        for row in form.topics
        if row.code.data in known_topics and row.level.data
    ]
    languages = [
        {"code": row.code.data, "level": row.level.data}
        for row in form.languages
        if row.code.data and row.level.data
    ]
    data: dict[str, Any] = {
        "full_name": form.full_name.data.strip(),
        "phone": (form.phone.data or "").strip() or None,
        "gender": form.gender.data,
        "nationalities": form.nationalities.data or [],
        "country_of_residence": form.country_of_residence.data or None,
        "affiliation": {
            "name": (form.affiliation_name.data or "").strip() or None,
            "kind": form.affiliation_kind.data,
        },
        "categories": form.categories.data or [],
        "topics": topics,
        "languages": languages,
        "regions": form.regions.data or [],
        "deployable": bool(form.deployable.data),
        "notice_days": form.notice_days.data,
        "max_concurrent": form.max_concurrent.data,
        "bio": form.bio.data or "",
        "links": [line.strip() for line in (form.links.data or "").splitlines() if line.strip()],
        "clearance": clearance,
    }
    if form.consent.data:
        data["consent"] = True
    return data


def attach_errors(form: ProfileForm, error: DomainError) -> dict[str, list[str]]:
    """Put a service error's messages beside their fields. Errors of the topic and language
    lists, and the rest, come back grouped as {"topics": [...], "languages": [...], "form": [...]}.
    """
    groups: dict[str, list[str]] = {}
    if not error.fields or "version" in error.fields:
        groups["form"] = [error.message]
    for name, messages in error.fields.items():
        if name == "version":
            continue
        head = name.split(".")[0]
        if head in ("topics", "languages"):
            groups.setdefault(head, []).extend(messages)
            continue
        target = getattr(form, ERROR_TARGETS.get(name, head), None)
        if target is None:
            groups.setdefault("form", []).extend(messages)
        else:
            target.errors = [*target.errors, *messages]
    return groups
