"""The notifications page's forms: mark read, mark all read, and the mail choice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from roster.forms import RosterForm


class MarkReadForm(RosterForm):
    """CSRF only: one button per notification, and the one that marks them all read."""


class MailChoiceForm(RosterForm):
    notify_by_email = BooleanField(_l("Mail me my notifications"))
