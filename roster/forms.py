"""Base classes for every form: typed text loses NUL and other control characters on the way in
(the rule in `roster.inputs`, which the bulk import applies to its cells too)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Field, FieldList, Form, FormField
from wtforms.validators import ValidationError

from roster.inputs import clean_text, date_problem, link_problem


class DateWithin:
    """A date inside `bounds` (roster/inputs.py), the range the API schemas keep too."""

    def __init__(self, bounds: tuple[date, date]) -> None:
        self.bounds = bounds

    def __call__(self, form: Any, field: Field) -> None:
        problem = date_problem(field.data, self.bounds) if field.data else None
        if problem:
            raise ValidationError(problem)


class LinkLines:
    """A textarea of links, one per line: each must be http or https (as the API requires)."""

    def __call__(self, form: Any, field: Field) -> None:
        for line in (field.data or "").splitlines():
            problem = link_problem(line.strip()) if line.strip() else None
            if problem:
                raise ValidationError(
                    _("%(link)s: %(problem)s", link=line.strip()[:80], problem=problem)
                )


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
    """A form without CSRF: GET filters and rows nested in a RosterForm. WTForms' own messages
    ("This field is required.") follow the page's locale, as in a RosterForm."""

    class Meta(_CleaningMeta):
        def get_translations(self, form: Any) -> Any:
            if not has_app_context() or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return wtforms_translations
