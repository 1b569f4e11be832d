"""Base classes for every form: typed text loses NUL and other control characters on the way in
(the rule in `roster.text`, which the bulk import applies to its cells too)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField

from roster.text import clean_text


class _CleaningMeta:
    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        # Lists and sub-forms take no filters; the fields inside them are cleaned instead.
        if not issubclass(unbound_field.field_class, FieldList | FormField):
            given = options.get("filters") or unbound_field.kwargs.get("filters") or ()
            options["filters"] = [clean_text, *given]
        return super().bind_field(form, unbound_field, options)  # type: ignore[misc]


class RosterForm(FlaskForm):
    """A CSRF-protected form for a POST."""

    class Meta(_CleaningMeta):
        pass


class PlainForm(Form):
    """A form without CSRF: GET filters and rows nested in a RosterForm."""

    class Meta(_CleaningMeta):
        pass
