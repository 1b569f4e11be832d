"""WTForms for the liaison workflow: raising a request, moving it along, the engagement log,
feedback, choosing candidates and answering offers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from roster import limits
from roster.experts.forms import CLEARANCES, LEVEL_LABELS, choices, country_choices
from roster.forms import DateWithin, PlainForm, RosterForm
from roster.inputs import REQUEST_DATES
from roster.reference.codes import CEFR_LEVELS, by_name, languages
from roster.requests.labels import STATE_LABELS, URGENCY_LABELS

KIND_LABELS = {
    "crisis": _l("Crisis"),
    "exercise": _l("Exercise"),
    "training": _l("Training"),
    "consultation": _l("Consultation"),
}
MODE_LABELS = {"remote": _l("Remote"), "deployed": _l("Deployed")}
ACTION_LABELS = {
    "submit": _l("Submit"),
    "triage": _l("Accept for matching"),
    "reject": _l("Reject"),
    "return": _l("Return for changes"),
    "start": _l("Start the engagement"),
    "complete": _l("Complete the engagement"),
    "cancel": _l("Cancel the request"),
    "create": _l("Created"),
    "staff": _l("Staffed"),
    "reopen": _l("Reopened"),
}
LOG_KIND_LABELS = {
    "consultation": _l("Consultation"),
    "deliverable": _l("Deliverable"),
    "exercise": _l("Exercise"),
    "note": _l("Note"),
}
OFFER_STATE_LABELS = {
    "open": _l("Open"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
EXCLUSION_LABELS = {
    "not_vetted": _l("not vetted, or vetting expired"),
    "clearance_too_low": _l("clearance too low"),
    "clearance_expires": _l("clearance expires before the request ends"),
    "unavailable": _l("unavailable over the dates"),
    "at_capacity": _l("already at the most engagements at once"),
    "double_booked": _l("already booked over the dates"),
}
COMPONENT_LABELS = {
    "topic": _l("Topic"),
    "language": _l("Language"),
    "region": _l("Region"),
    "availability": _l("Availability"),
    "balance": _l("Balance"),
    "rotation": _l("Rotation"),
}
RATINGS = choices([(n, str(n)) for n in range(1, 6)], "—")


def _clearance_choices() -> list:
    return choices([(c, c) for c in CLEARANCES])


TOPIC_LEVELS = choices([(n, label) for n, label in LEVEL_LABELS.items() if n], "—")
LANGUAGE_LEVELS = choices([(lv, lv) for lv in CEFR_LEVELS], "—")
TOPIC_ROWS_MAX = 40
LANGUAGE_ROWS_MAX = 20


def _level_or_none(value: Any) -> int | None:
    return None if value in ("", None) else int(value)


def _paired(row: Any, what: str, level: str) -> None:
    """A row asks for both halves or neither: a topic (or language) and its minimum level."""
    if row.code.data and not row.level.data:
        row.level.errors.append(level)
    elif row.level.data and not row.code.data:
        row.code.errors.append(what)


class TopicNeed(PlainForm):
    """One "choose a topic, then its level" row; the topics come from the taxonomy (`offer`)."""

    code = SelectField(_l("Topic"), choices=[])
    level = SelectField(_l("Minimum level"), coerce=_level_or_none, choices=TOPIC_LEVELS)

    def offer(self, topics: dict[str, str]) -> None:
        self.code.choices = choices(sorted(topics.items(), key=lambda kv: str(kv[1])), "—")


class LanguageNeed(PlainForm):
    code = SelectField(_l("Language"), choices=[], render_kw={"data-typeahead": "1"})
    level = SelectField(_l("Minimum level"), choices=LANGUAGE_LEVELS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code.choices = choices(by_name(languages()), "—")


def _twice(rows: Any, message: str) -> bool:
    """Mark the rows that repeat an earlier row's choice; True when there were none."""
    seen: set[str] = set()
    clean = True
    for row in rows:
        code = row.code.data
        if code and code in seen:
            row.code.errors.append(message)
            clean = False
        seen.add(code)
    return clean


class RequestForm(RosterForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=limits.REQUEST_TITLE)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=limits.REQUEST_DESCRIPTION)]
    )
    kind = SelectField(
        _l("Kind of request"), choices=choices(KIND_LABELS.items()), default="crisis"
    )
    # The choices stop at the user's own clearance (`form_data.offer`); a level above it that is
    # posted all the same is refused by the service, beside this field.
    classification = SelectField(
        _l("Classification of the request"),
        choices=_clearance_choices(),
        default="NU",
        validate_choice=False,
        validators=[AnyOf(CLEARANCES)],
        description=_l("No higher than your own clearance."),
    )
    required_clearance = SelectField(
        _l("Clearance the experts need"),
        choices=choices([(c, c) for c in CLEARANCES], _l("Same as the classification")),
        default="",
        description=_l("At least the request's classification."),
    )
    topics = FieldList(FormField(TopicNeed), max_entries=TOPIC_ROWS_MAX)
    languages = FieldList(FormField(LanguageNeed), max_entries=LANGUAGE_ROWS_MAX)
    regions = SelectMultipleField(
        _l("Countries concerned"),
        choices=country_choices,
        render_kw={
            "data-chips": "1",
            "data-chosen-label": _l("Chosen countries"),
            "data-remove-label": _l("%(name)s, remove"),
            "data-added-label": _l("%(name)s added"),
            "data-removed-label": _l("%(name)s removed"),
        },
    )
    urgency = SelectField(_l("Urgency"), choices=choices(URGENCY_LABELS.items()), default="routine")
    starts_on = DateField(_l("Starts on"), validators=[DataRequired(), DateWithin(REQUEST_DATES)])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired(), DateWithin(REQUEST_DATES)])
    mode = SelectField(_l("Mode"), choices=choices(MODE_LABELS.items()), default="remote")
    seats = IntegerField(
        _l("Experts needed"), default=1, validators=[InputRequired(), NumberRange(min=1, max=50)]
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for row in self.topics:
            _paired(row, _l("Choose the topic of this level."), _l("Choose a minimum level."))
        for row in self.languages:
            _paired(row, _l("Choose the language of this level."), _l("Choose a minimum level."))
        valid = _twice(self.topics, _l("This topic is already in another row.")) and valid
        valid = _twice(self.languages, _l("This language is already in another row.")) and valid
        rows = [*self.topics, *self.languages]
        return valid and not any(r.code.errors or r.level.errors for r in rows)


class StateFilterForm(PlainForm):
    """The GET filter of the request list (no CSRF: it changes nothing)."""

    state = SelectField(
        _l("State"), choices=choices(STATE_LABELS.items(), _l("All")), validators=[Optional()]
    )


class ActionForm(RosterForm):
    """A workflow action with an optional note; also the CSRF-only form of one-button posts."""

    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=limits.NOTE)])


class AcceptForm(RosterForm):
    """Taking a seat: the expert confirms both, or nothing is written."""

    no_conflict = BooleanField(
        _l("I have no conflict of interest with this request."),
        validators=[DataRequired(_l("Confirm that you have no conflict of interest."))],
    )
    share_contact = BooleanField(
        _l("I agree that my e-mail address and phone number go to the requesting command."),
        validators=[DataRequired(_l("Agree to share your contact details, or decline."))],
    )


class LogForm(RosterForm):
    kind = SelectField(_l("Kind of entry"), choices=choices(LOG_KIND_LABELS.items()))
    summary = TextAreaField(
        _l("Summary"), validators=[DataRequired(), Length(max=limits.LOG_SUMMARY)]
    )


class ExpertFeedbackForm(RosterForm):
    """The requesting LNO rates one expert of the team (rendered with a per-expert prefix)."""

    rating = SelectField(
        _l("Rating (1 poor, 5 excellent)"), choices=RATINGS, validators=[DataRequired()]
    )
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), Length(max=limits.FEEDBACK_COMMENT)]
    )


class RequestFeedbackForm(RosterForm):
    """An assigned expert rates the request."""

    clarity = SelectField(
        _l("Clarity of the request (1 poor, 5 excellent)"),
        choices=RATINGS,
        validators=[DataRequired()],
    )
    usefulness = SelectField(
        _l("Usefulness of the engagement (1 poor, 5 excellent)"),
        choices=RATINGS,
        validators=[DataRequired()],
    )
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), Length(max=limits.FEEDBACK_COMMENT)]
    )


class OffersForm(RosterForm):
    """The coordinator's choice of candidates; the checkboxes are drawn in the ranking table."""

    expert_ids = SelectMultipleField(
        _l("Selected experts"), coerce=int, choices=[], validate_choice=False
    )
    respond_by = DateTimeLocalField(
        _l("Respond by (UTC)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )


class DeclineForm(RosterForm):
    reason = TextAreaField(
        _l("Reason for declining"), validators=[DataRequired(), Length(max=limits.DECLINE_REASON)]
    )
