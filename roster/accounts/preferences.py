"""A user's own choices: the language of their pages and mail, and whether notifications are
mailed to them. Each change is audited (the values are not personal data)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from roster import audit
from roster.accounts.models import LOCALES, Locale, User
from roster.errors import ValidationFailed


def update_preferences(
    *,
    session: Session,
    user: User,
    locale: str | None = None,
    notify_by_email: bool | None = None,
) -> User:
    """Sets what is given and leaves the rest; an unknown locale is refused on its field."""
    changed: list[str] = []
    if locale is not None:
        if locale not in LOCALES:
            raise ValidationFailed(
                _("That language is not offered."),
                {"locale": [_("Choose one of: %(choices)s.", choices=", ".join(LOCALES))]},
            )
        if user.locale != locale:
            user.locale = _as_locale(locale)
            changed.append(f"locale={locale}")
    if notify_by_email is not None and user.notify_by_email != notify_by_email:
        user.notify_by_email = notify_by_email
        changed.append(f"notify_by_email={'on' if notify_by_email else 'off'}")
    if changed:
        audit.record(
            session,
            actor=f"user:{user.id}",
            action="user.preferences",
            subject=f"user:{user.id}",
            changes=", ".join(changed),
        )
        session.flush()
    return user


def _as_locale(value: str) -> Locale:
    return "fr" if value == "fr" else "en"
