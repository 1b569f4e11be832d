"""WTForms for signing in (password and second factor), passwords, inviting and changing users,
and a user's own settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional

from roster import limits
from roster.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from roster.forms import PlainForm, RosterForm

ROLE_CHOICES = [
    SelectChoice("expert", _l("Expert")),
    SelectChoice("lno", _l("Liaison officer (LNO)")),
    SelectChoice("coordinator", _l("Coordinator")),
    SelectChoice("admin", _l("Administrator")),
]
STANDING_CHOICES = [
    SelectChoice("", _l("Any standing")),
    SelectChoice("active", _l("Signs in")),
    SelectChoice("invited", _l("Invited, no password yet")),
    SelectChoice("deactivated", _l("Deactivated")),
]


class UserFilterForm(PlainForm):
    """The users page's filters, read from the query string (they change nothing)."""

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=limits.EMAIL)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("All roles")), *ROLE_CHOICES],
        validators=[Optional()],
    )
    standing = SelectField(_l("Standing"), choices=STANDING_CHOICES, validators=[Optional()])
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(min=1)])


CLEARANCE_CHOICES = [
    SelectChoice("", _l("None")),
    SelectChoice("NU", _l("NATO UNCLASSIFIED")),
    SelectChoice("NR", _l("NATO RESTRICTED")),
    SelectChoice("NC", _l("NATO CONFIDENTIAL")),
    SelectChoice("NS", _l("NATO SECRET")),
    SelectChoice("CTS", _l("COSMIC TOP SECRET")),
]


class LoginForm(RosterForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=limits.EMAIL)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class SetPasswordForm(RosterForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l("At least 12 characters. A long passphrase is best."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(RosterForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l("At least 12 characters. A long passphrase is best."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class InviteForm(RosterForm):
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(), Length(max=limits.PERSON_NAME)]
    )
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=limits.EMAIL)])
    role = SelectField(
        _l("Role"),
        choices=ROLE_CHOICES,
        description=_l(
            "An expert's account is linked to the expert profile with this e-mail; when no "
            "profile has it, a pending profile is made for a coordinator to complete and vet."
        ),
    )
    clearance_level = SelectField(
        _l("Clearance (staff only)"), choices=CLEARANCE_CHOICES, validators=[Optional()]
    )
    clearance_expires_on = DateField(_l("Clearance expires on"), validators=[Optional()])


class ConfirmForm(RosterForm):
    """A form with only its CSRF token, for one-button actions."""


class CodeForm(RosterForm):
    """The second step of signing in: a code from the authenticator app or a recovery code."""

    code = StringField(
        _l("Authentication code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l(
            "The 6-digit code from your authenticator app, or one of your recovery codes."
        ),
    )


class EnrolForm(RosterForm):
    """Confirms a new authenticator app with the code it shows."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(max=10)],
        description=_l("Enter the 6-digit code the app shows for the Roster."),
    )


class ForgotPasswordForm(RosterForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=limits.EMAIL)])


class UserChangeForm(RosterForm):
    """An admin changes an account's role and its own clearance (staff only)."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    clearance_level = SelectField(
        _l("Clearance (staff only)"), choices=CLEARANCE_CHOICES, validators=[Optional()]
    )
    clearance_expires_on = DateField(_l("Clearance expires on"), validators=[Optional()])


LOCALE_CHOICES = [SelectChoice("en", "English"), SelectChoice("fr", "Français")]


class PreferencesForm(RosterForm):
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    notify_by_email = BooleanField(_l("Send me notifications by e-mail"))


class EmailChangeForm(RosterForm):
    new_email = EmailField(
        _l("New e-mail address"), validators=[DataRequired(), Length(max=limits.EMAIL)]
    )
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
