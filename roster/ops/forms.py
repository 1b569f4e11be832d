"""The audit page's GET filter form: the same parameters as GET /api/v1/audit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields import DateField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from roster import limits
from roster.forms import PlainForm
from roster.ops.trail import TrailFilter

REFERENCE = r"^([a-z_]+:[A-Za-z0-9_/<>:.\-]+|anonymous|system)?$"


class AuditFilterForm(PlainForm):
    """Read from the query string; no CSRF token since it changes nothing."""

    action = SelectField(_l("Action"), choices=[], validators=[Optional()], validate_choice=False)
    actor = StringField(
        _l("Actor"),
        validators=[Optional(), Length(max=limits.AUDIT_REFERENCE), Regexp(REFERENCE)],
        description=_l("For example user:12, anonymous or system."),
    )
    subject = StringField(
        _l("Subject"),
        validators=[Optional(), Length(max=limits.AUDIT_REFERENCE), Regexp(REFERENCE)],
        description=_l("For example expert:7, user:12 or request:3."),
    )
    since = DateField(_l("From (UTC day)"), validators=[Optional()])
    until = DateField(_l("Until (UTC day, inclusive)"), validators=[Optional()])
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(min=1)])

    def set_actions(self, actions: list[str]) -> None:
        self.action.choices = [("", _l("Any action")), *((a, a) for a in actions)]

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end day comes before the start day."))

    def trail_filter(self) -> TrailFilter:
        return TrailFilter(
            action=self.action.data or "",
            actor=(self.actor.data or "").strip(),
            subject=(self.subject.data or "").strip(),
            since=self.since.data,
            until=self.until.data,
        )
