"""Where each setting's value comes from now: the environment, the setting table or the default.

Readers call this per request, so the table is read at most once per request and kept on
`flask.g` (a write drops the copy, so the same request reads its own change); the next
request, in any worker process, reads the table afresh. Without an app context (pure tests,
imports) every value is its default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, g, has_app_context
from sqlmodel import select

from roster import db
from roster.settings.catalogue import BY_KEY, DEFINITIONS, Definition, Source
from roster.settings.models import Setting

CACHE = "roster_settings"


@dataclass(frozen=True)
class Resolved:
    definition: Definition
    value: float
    source: Source

    @property
    def editable(self) -> bool:
        return self.source != "environment"


def set_in_app() -> Mapping[str, float]:
    """The values admins set in the app, by key (a row with an unknown key is ignored)."""
    if not has_app_context():
        return {}
    cached: dict[str, float] | None = g.get(CACHE)
    if cached is None:
        rows = db.session().exec(select(Setting)).all()
        cached = {r.key: BY_KEY[r.key].parse(r.value) for r in rows if r.key in BY_KEY}
        setattr(g, CACHE, cached)
    return cached


def forget() -> None:
    """Drop this request's copy after a write."""
    if has_app_context():
        g.pop(CACHE, None)


def fixed_by_environment(definition: Definition) -> float | None:
    """The value the deployment's environment fixes, or None."""
    if not has_app_context():
        return None
    name, item = definition.env
    found = current_app.config.get(name)
    if item is not None:
        found = (found or {}).get(item)
    return None if found is None else definition.parse(str(found))


def resolve(key: str) -> Resolved:
    definition = BY_KEY[key]
    fixed = fixed_by_environment(definition)
    if fixed is not None:
        return Resolved(definition, fixed, "environment")
    stored = set_in_app().get(key)
    if stored is not None:
        return Resolved(definition, stored, "app")
    return Resolved(definition, definition.default, "default")


def value(key: str) -> float:
    return resolve(key).value


def resolve_all() -> dict[str, Resolved]:
    return {d.key: resolve(d.key) for d in DEFINITIONS}
