"""The dashboard's filter form (read from the URL) and the annual report's year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.fields import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from roster.forms import PlainForm
from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS
from roster.reports.coverage import DEFAULT_LANGUAGE_LEVEL, DEFAULT_TOPIC_LEVEL, CoverageQuery
from roster.reports.period import Period
from roster.reports.watchlist import HORIZONS

MAX_PERIOD = timedelta(days=366 * 5)


class ReportFilterForm(PlainForm):
    """What the dashboard shows; GET parameters, no CSRF (reading changes nothing)."""

    dimension = SelectField(
        _l("Coverage by"),
        choices=[SelectChoice("region", _l("Region")), SelectChoice("language", _l("Language"))],
        default="region",
    )
    clearance = SelectField(
        _l("Cleared at least"),
        choices=[SelectChoice("", _l("No clearance needed"))]
        + [SelectChoice(c, c) for c in CLEARANCE_RANK],
        default="",
    )
    topic_level = SelectField(
        _l("Topic level at least"),
        choices=[
            SelectChoice("1", _l("1 awareness")),
            SelectChoice("2", _l("2 practitioner")),
            SelectChoice("3", _l("3 expert")),
            SelectChoice("4", _l("4 leading authority")),
        ],
        default=str(DEFAULT_TOPIC_LEVEL),
    )
    language_level = SelectField(
        _l("Language level at least"),
        choices=[SelectChoice(lv, lv) for lv in CEFR_LEVELS],
        default=DEFAULT_LANGUAGE_LEVEL,
    )
    days = SelectField(
        _l("Expiring within"),
        choices=[SelectChoice(str(d), _l("%(n)s days", n=d)) for d in HORIZONS],
        default=str(HORIZONS[-1]),
    )
    start = DateField(_l("Period from"), validators=[Optional()])
    end = DateField(_l("Period to"), validators=[Optional()])

    def validate_end(self, field: Any) -> None:
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The period ends before it starts."))
            if field.data - self.start.data > MAX_PERIOD:
                raise ValidationError(_l("A period is at most five years."))

    def coverage_query(self) -> CoverageQuery:
        return CoverageQuery(
            dimension=self.dimension.data or "region",
            clearance=self.clearance.data or None,
            topic_level=int(self.topic_level.data or DEFAULT_TOPIC_LEVEL),
            language_level=self.language_level.data or DEFAULT_LANGUAGE_LEVEL,
        )

    def horizon(self) -> int:
        return int(self.days.data or HORIZONS[-1])

    def period(self, today: date) -> Period:
        """The chosen period; by default the twelve months up to today."""
        end = self.end.data or today
        start = self.start.data or Period.year_to(end).start
        return Period(start, end)


class AnnualForm(PlainForm):
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(2000, 2100)])
