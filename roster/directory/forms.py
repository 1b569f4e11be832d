"""WTForms for the directory filters and the admins' command pages, and their display labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from roster import limits
from roster.experts.models import FOCAL_POINT_ROLES
from roster.forms import RosterForm
from roster.reference.models import COMMAND_KINDS

FOCAL_POINT_ROLE_LABELS = {
    "gfp": _l("Gender Focal Point (GFP)"),
    "wps-fp": _l("WPS Focal Point"),
    "hs-fp": _l("HS Focal Point"),
    "caac-fp": _l("CAAC Focal Point"),
    "hs-liaison": _l("HS liaison"),
    "functional-specialist": _l("HS functional specialist"),
}
COMMAND_KIND_LABELS = {
    "strategic": _l("Strategic command"),
    "operational": _l("Operational command"),
    "tactical": _l("Tactical command"),
    "headquarters": _l("Headquarters"),
    "centre": _l("Centre"),
}
VETTING_LABELS = {
    "pending": _l("Pending"),
    "vetted": _l("Vetted"),
    "rejected": _l("Rejected"),
    "suspended": _l("Suspended"),
    "expired": _l("Expired"),
}
assert set(FOCAL_POINT_ROLE_LABELS) == set(FOCAL_POINT_ROLES)
assert set(COMMAND_KIND_LABELS) == set(COMMAND_KINDS)

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
