"""WTForms for the directory filters, the coordinators' panel and directory edits and the admins'
command pages, and their display labels."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from roster import limits
from roster.experts.models import CSAP_ROLES, FOCAL_POINT_ROLES
from roster.forms import RosterForm
from roster.reference.models import COMMAND_KINDS

FOCAL_POINT_ROLE_LABELS = {
    "gfp": _l("Gender Focal Point (GFP)"),
    "wps-fp": _l("WPS Focal Point"),
    "hs-fp": _l("HS Focal Point"),
    "caac-fp": _l("CAAC Focal Point"),
    "hs-liaison": _l("HS liaison"),
    "functional-specialist": _l("HS functional specialist"),
    "genad": _l("Gender Advisor (GENAD)"),
    "wps-advisor": _l("WPS advisor"),
}
COMMAND_KIND_LABELS = {
    "strategic": _l("Strategic command"),
    "operational": _l("Operational command"),
    "tactical": _l("Tactical command"),
    "headquarters": _l("Headquarters"),
    "centre": _l("Centre"),
}
CSAP_ROLE_LABELS = {
    "chair": _l("Chair"),
    "vice-chair": _l("Vice-chair"),
    "member": _l("Member"),
}
VETTING_LABELS = {
    "pending": _l("Pending"),
    "vetted": _l("Vetted"),
    "rejected": lazy_pgettext("vetting", "Rejected"),
    "suspended": _l("Suspended"),
    "expired": lazy_pgettext("vetting", "Expired"),
}
assert set(FOCAL_POINT_ROLE_LABELS) == set(FOCAL_POINT_ROLES)
assert set(COMMAND_KIND_LABELS) == set(COMMAND_KINDS)
assert set(CSAP_ROLE_LABELS) == set(CSAP_ROLES)

ANY = SelectChoice("", _l("Any"))


class DirectoryFilterForm(RosterForm):
    """The GET form above the directory; choices of command and topic come from the database."""

    class Meta:
        csrf = False  # a GET search changes nothing

    command = SelectField(_l("Command or headquarters"), validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    role = SelectField(
        _l("Role"),
        choices=[ANY, *(SelectChoice(r, FOCAL_POINT_ROLE_LABELS[r]) for r in FOCAL_POINT_ROLES)],
        validators=[Optional()],
    )

    def set_choices(self, commands: list[tuple[str, str]], topics: dict[str, str]) -> None:
        self.command.choices = [ANY, *(SelectChoice(code, label) for code, label in commands)]
        self.topic.choices = [ANY, *(SelectChoice(code, name) for code, name in topics.items())]


KIND_CHOICES = [SelectChoice(k, COMMAND_KIND_LABELS[k]) for k in COMMAND_KINDS]


class CommandEditForm(RosterForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=limits.REFERENCE_NAME)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)


class CommandForm(CommandEditForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=limits.COMMAND_CODE),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9-]*$",
                message=_l("Use letters, digits and hyphens only."),
            ),
        ],
        description=_l("A short unique code, such as JFC-N. It cannot be changed later."),
    )


def id_or_none(value: Any) -> int | None:
    """A chosen id; anything else is None, which the service names as an unknown choice."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


CHOOSE = SelectChoice("", _l("Choose…"))


class TermForm(RosterForm):
    """A CSAP term. The person, role and dates are checked by `editing`, as for the API."""

    expert_id = SelectField(_l("Person"), coerce=id_or_none, validate_choice=False)
    cohort = IntegerField(
        _l("Cohort"), validators=[Optional()], description=_l("The year the cohort formed.")
    )
    role = SelectField(
        _l("Role on the panel"),
        choices=[SelectChoice(r, CSAP_ROLE_LABELS[r]) for r in CSAP_ROLES],
        default="member",
        validate_choice=False,
    )
    term_start = DateField(_l("Term starts"), validators=[Optional()])
    term_end = DateField(
        _l("Term ends (last day)"),
        validators=[Optional()],
        description=_l("Leave empty while the term is open."),
    )

    def set_people(self, people: list[tuple[int, str]]) -> None:
        self.expert_id.choices = [CHOOSE, *(SelectChoice(i, label) for i, label in people)]


class FocalPointForm(RosterForm):
    """A focal point's job in a command; the choices come from the database."""

    expert_id = SelectField(_l("Person"), coerce=id_or_none, validate_choice=False)
    command_id = SelectField(
        _l("Command or headquarters"), coerce=id_or_none, validate_choice=False
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r, FOCAL_POINT_ROLE_LABELS[r]) for r in FOCAL_POINT_ROLES],
        validate_choice=False,
    )
    topics = SelectMultipleField(_l("Topics"), validate_choice=False)
    since = DateField(_l("In the role since"), validators=[Optional()])
    until = DateField(
        _l("Until (last day)"),
        validators=[Optional()],
        description=_l("Leave empty while the role is held."),
    )

    def set_choices(
        self, people: list[tuple[int, str]], commands: list[tuple[int, str]], topics: dict[str, str]
    ) -> None:
        self.expert_id.choices = [CHOOSE, *(SelectChoice(i, label) for i, label in people)]
        self.command_id.choices = [CHOOSE, *(SelectChoice(i, label) for i, label in commands)]
        self.topics.choices = [SelectChoice(code, name) for code, name in topics.items()]


class EndForm(RosterForm):
    """The "End term" and "End role" buttons: the last day, today unless told otherwise."""

    on = DateField(_l("Last day"), validators=[DataRequired()])
