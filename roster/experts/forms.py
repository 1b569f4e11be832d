"""WTForms for expert profiles, availability windows and vetting decisions."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from roster import limits
from roster.forms import DateWithin, LinkLines, PlainForm, RosterForm
from roster.inputs import PERSON_DATES
from roster.reference.codes import CEFR_LEVELS, by_name, countries, languages

GENDER_LABELS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "non-binary": _l("Non-binary"),
    "self-described": _l("Self-described"),
    "undisclosed": _l("Prefer not to say"),
}
AFFILIATION_LABELS = {
    "cso": _l("Civil-society organisation"),
    "independent": _l("Independent"),
    "academia": _l("Academia"),
    "think-tank": _l("Think tank"),
    "international-org": _l("International organisation"),
    "government": _l("Government"),
    "military": _l("Military"),
}
CATEGORY_LABELS = {
    "csap": _l("CSAP member"),
    "independent": _l("Independent expert"),
    "focal-point": _l("Focal point"),
    "genad": _l("Gender advisor (GENAD)"),
    "wps-advisor": _l("WPS advisor"),
    "hs-specialist": _l("HS specialist"),
}
# Vetting statuses as a page shows them (lower case: they sit inside sentences and table cells).
VETTING_LABELS = {
    "pending": _l("pending"),
    "vetted": _l("vetted"),
    "rejected": _l("rejected"),
    "suspended": _l("suspended"),
    "expired": _l("expired"),
}
LEVEL_LABELS = {
    0: _l("None"),
    1: _l("1 — awareness"),
    2: _l("2 — practitioner"),
    3: _l("3 — expert"),
    4: _l("4 — leading authority"),
}
CLEARANCES = ["NU", "NR", "NC", "NS", "CTS"]


def choices(pairs: Any, blank: str | None = None) -> list[SelectChoice]:
    items = [SelectChoice("", blank)] if blank is not None else []
    return items + [SelectChoice(str(value), label) for value, label in pairs]


def country_choices(blank: str | None = None) -> list[SelectChoice]:
    return choices(by_name(countries()), blank)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TopicRow(PlainForm):
    code = HiddenField()
    level = SelectField(_l("Level"), coerce=int, choices=choices(LEVEL_LABELS.items()))
    years = IntegerField(
        _l("Years"), default=0, validators=[Optional(), NumberRange(min=0, max=80)]
    )


class LanguageRow(PlainForm):
    code = SelectField(_l("Language"), choices=[])
    level = SelectField(_l("Level"), choices=choices([(lv, lv) for lv in CEFR_LEVELS], "—"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code.choices = choices(by_name(languages()), "—")


class ProfileForm(RosterForm):
    version = HiddenField()
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=limits.PERSON_NAME)]
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=limits.PHONE)])
    gender = SelectField(
        _l("Gender"),
        choices=choices(GENDER_LABELS.items()),
        description=_l("Optional; used only for balance statistics."),
    )
    nationalities = SelectMultipleField(_l("Nationalities"), choices=country_choices)
    country_of_residence = SelectField(
        _l("Country of residence"), choices=lambda: country_choices("—"), validators=[Optional()]
    )
    affiliation_name = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=limits.ORGANISATION_NAME)]
    )
    affiliation_kind = SelectField(
        _l("Kind of organisation"), choices=choices(AFFILIATION_LABELS.items())
    )
    categories = MultiCheckboxField(
        _l("Roster categories"), choices=choices(CATEGORY_LABELS.items())
    )
    topics = FieldList(FormField(TopicRow))
    languages = FieldList(FormField(LanguageRow), min_entries=1)
    regions = SelectMultipleField(
        _l("Countries and regions you know well"), choices=country_choices
    )
    deployable = BooleanField(_l("I can deploy (not only work remotely)"))
    notice_days = IntegerField(
        _l("Notice needed (days)"),
        default=14,
        validators=[InputRequired(), NumberRange(min=0, max=365)],
    )
    max_concurrent = IntegerField(
        _l("Most engagements at once"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=10)],
    )
    bio = TextAreaField(_l("Short biography"), validators=[Optional(), Length(max=limits.BIO)])
    links = TextAreaField(
        _l("Links (one per line)"),
        validators=[Optional(), Length(max=limits.LINKS_TEXT), LinkLines()],
    )
    clearance_level = SelectField(
        _l("Clearance level"),
        choices=choices([(c, c) for c in CLEARANCES], "—"),
        validators=[Optional()],
    )
    clearance_issued_by = SelectField(
        _l("Clearance issued by"), choices=lambda: country_choices("—"), validators=[Optional()]
    )
    clearance_expires_on = DateField(
        _l("Clearance expires on"), validators=[Optional(), DateWithin(PERSON_DATES)]
    )
    consent = BooleanField(
        _l("I agree to the processing of my data as the roster's privacy notice describes")
    )


class NewExpertForm(ProfileForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=limits.EMAIL)])


class WindowForm(RosterForm):
    starts_on = DateField(_l("From"), validators=[DataRequired(), DateWithin(PERSON_DATES)])
    ends_on = DateField(_l("To"), validators=[DataRequired(), DateWithin(PERSON_DATES)])
    kind = SelectField(
        _l("Kind"),
        choices=choices([("unavailable", _l("Unavailable")), ("available", _l("Available"))]),
    )


class VettingForm(RosterForm):
    status = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("vetted", _l("Vetted")),
                ("rejected", lazy_pgettext("vetting", "Rejected")),
                ("suspended", _l("Suspended")),
                ("pending", _l("Back to pending")),
            ]
        ),
    )
    valid_until = DateField(
        _l("Valid until"),
        validators=[Optional(), DateWithin(PERSON_DATES)],
        description=_l("Default: 24 months from today."),
    )
    note = TextAreaField(
        _l("Note (coordinators only)"), validators=[Optional(), Length(max=limits.NOTE)]
    )


class ActionForm(RosterForm):
    """Only a CSRF token, for one-button actions."""


class InviteSelectedForm(RosterForm):
    """The profiles ticked in a list (the vetting queue, an import) whose owners to invite."""

    expert_ids = SelectMultipleField(
        _l("Experts"),
        coerce=int,
        validate_choice=False,  # each id is checked by the invitation service, per profile
        validators=[DataRequired(_l("Tick at least one expert to invite."))],
    )
