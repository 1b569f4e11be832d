"""The admins' settings form, one field per setting of the catalogue, and the page's labels.

An empty field means the default. A setting the environment fixes has no field on the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FloatField, IntegerField
from wtforms.validators import Optional

from roster.forms import RosterForm
from roster.requests.labels import URGENCY_LABELS
from roster.settings.catalogue import DEFINITIONS, GROUPS, Definition
from roster.settings.store import Resolved

_COMPONENT = {
    "topic": _l("Topic fit"),
    "language": _l("Language"),
    "region": _l("Regional knowledge"),
    "availability": _l("Availability and notice"),
    "balance": _l("Team balance"),
    "rotation": _l("Rotation (spread the work)"),
}
GROUP_LABELS = {
    "response_targets": _l("Response targets (hours from submission to staffed)"),
    "reply_by": _l("Reply-by defaults (hours an expert has to answer an offer)"),
    "weights": _l("Matching weights (shares of the score; they add up to 1)"),
    "reports": _l("Reports"),
}
SOURCE_LABELS = {
    "default": _l("Default"),
    "app": _l("Set in the app"),
    "environment": _l("Fixed by the environment"),
}


def label_of(definition: Definition) -> Any:
    if definition.group in ("response_targets", "reply_by"):
        return URGENCY_LABELS[definition.key.rsplit("_", 1)[1]]
    if definition.group == "weights":
        return _COMPONENT[definition.key.removeprefix("weight_")]
    return _l("Smallest count shown in participation reports")


class SettingsForm(RosterForm):
    """Fields are added per setting by `settings_form`."""


def settings_form(resolved: Mapping[str, Resolved], **kwargs: Any) -> SettingsForm:
    """A form with a field for every setting the environment leaves editable, filled with the
    value set in the app (empty for a default)."""

    class Form(SettingsForm):
        pass

    for d in DEFINITIONS:
        if not resolved[d.key].editable:
            continue
        kind = IntegerField if d.type == "int" else FloatField
        setattr(Form, d.key, kind(label_of(d), validators=[Optional()]))
    data = {k: r.value for k, r in resolved.items() if r.source == "app"}
    return Form(data=data, **kwargs)


def submitted_values(form: SettingsForm) -> dict[str, float | None]:
    """What the admin asks for, by key: a number, or None for the default."""
    return {d.key: form[d.key].data for d in DEFINITIONS if d.key in form}


__all__ = ["GROUPS", "GROUP_LABELS", "SOURCE_LABELS", "SettingsForm", "label_of", "settings_form"]
