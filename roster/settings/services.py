"""Changing settings in the app: check the admin, the ranges and how the values fit together,
write the rows and audit each change with its old and new value. Flushes, never commits.

A submitted value of None puts the setting back to its default (its row goes). A value the
environment fixes cannot be changed here. The checks that tie values together (weights that
add up to 1, reply-by inside the response target, targets in order of urgency) run on the
values that would be in force, and name only the fields the admin changed: a deployment's
fixed values are its own business."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlmodel import Session

from roster import audit, policy
from roster.db import utcnow
from roster.errors import Forbidden, ValidationFailed
from roster.requests.weights import COMPONENTS
from roster.settings import store
from roster.settings.catalogue import (
    BY_KEY,
    URGENCIES,
    WEIGHTS_TOTAL_TOLERANCE,
    Definition,
    reply_by_key,
    response_target_key,
)
from roster.settings.models import Setting

Problems = dict[str, list[str]]


def _number(value: float) -> str:
    return f"{value:g}"


def _range_problems(submitted: Mapping[str, float | None]) -> Problems:
    problems: Problems = {}
    for key, value in submitted.items():
        definition = BY_KEY.get(key)
        if definition is None:
            problems[key] = [_("Unknown setting.")]
        elif store.fixed_by_environment(definition) is not None:
            problems[key] = [
                _(
                    "Fixed by the environment (%(name)s): change it there.",
                    name=definition.env_variable,
                )
            ]
        elif value is not None and definition.out_of_range(value):
            problems[key] = [_range_message(definition)]
    return problems


def _range_message(definition: Definition) -> str:
    low, high = _number(definition.minimum), _number(definition.maximum)
    if definition.type == "int":
        return _("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)
    return _("Enter a number from %(low)s to %(high)s.", low=low, high=high)


def _in_force(submitted: Mapping[str, float | None]) -> dict[str, float]:
    """Every value as it would be after the change."""
    values = {key: r.value for key, r in store.resolve_all().items()}
    for key, value in submitted.items():
        values[key] = BY_KEY[key].default if value is None else value
    return values


def _fit_problems(values: Mapping[str, float], changed: set[str]) -> Problems:
    problems: Problems = {}

    def add(keys: list[str], message: str) -> None:
        for key in keys:
            if key in changed:
                problems.setdefault(key, []).append(message)

    weights = [f"weight_{c}" for c in COMPONENTS]
    total = sum(values[k] for k in weights)
    if abs(total - 1) > WEIGHTS_TOTAL_TOLERANCE:
        add(
            weights,
            _(
                "The six weights add up to %(total)s; they must add up to 1.",
                total=_number(round(total, 3)),
            ),
        )
    for urgency in URGENCIES:
        reply, target = reply_by_key(urgency), response_target_key(urgency)
        if values[reply] > values[target]:
            add(
                [reply, target],
                _(
                    "The reply-by default (%(reply)s h) is longer than the response target "
                    "(%(target)s h).",
                    reply=_number(values[reply]),
                    target=_number(values[target]),
                ),
            )
    targets = [response_target_key(u) for u in URGENCIES]
    for sooner, later in zip(targets, targets[1:], strict=False):
        if values[sooner] > values[later]:
            add(
                [sooner, later],
                _("A more urgent request cannot have a longer response target."),
            )
    return problems


def save(
    *, session: Session, actor: policy.Actor | None, submitted: Mapping[str, float | None]
) -> list[str]:
    """Apply the submitted values (None: back to the default); the keys that changed."""
    if not policy.can_change_settings(actor):
        raise Forbidden(_("Only administrators may change settings."))
    problems = _range_problems(submitted)
    if problems:
        raise ValidationFailed(_("Please correct the marked fields."), problems)
    before = store.resolve_all()
    stored = store.set_in_app()
    changed = {
        key
        for key, value in submitted.items()
        if stored.get(key) != value and not (value is None and key not in stored)
    }
    problems = _fit_problems(_in_force(submitted), changed)
    if problems:
        raise ValidationFailed(_("Please correct the marked fields."), problems)
    for key in sorted(changed):
        _write(session, actor, key, submitted[key])
    session.flush()
    store.forget()
    for key in sorted(changed):
        after = store.resolve(key)
        audit.record(
            session,
            actor=audit.actor_label(actor),
            action="setting.change",
            subject=f"setting:{key}",
            old=before[key].value,
            new=after.value,
            old_source=before[key].source,
            new_source=after.source,
        )
    return sorted(changed)


def _write(session: Session, actor: policy.Actor | None, key: str, value: float | None) -> None:
    row = session.get(Setting, key)
    if value is None:
        if row is not None:
            session.delete(row)
        return
    definition = BY_KEY[key]
    text = str(int(value)) if definition.type == "int" else repr(float(value))
    row = row or Setting(key=key, type=definition.type, value=text)
    row.value, row.updated_by_id, row.updated_at = text, getattr(actor, "id", None), utcnow()
    session.add(row)
