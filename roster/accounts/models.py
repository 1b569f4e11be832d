"""Users and the secrets that let them in: invitations, API tokens and recovery codes (hashed)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import attributes
from sqlmodel import Field, SQLModel

from roster import limits
from roster.db import UTCDateTime, one_of, utcnow

ROLES = ("expert", "lno", "coordinator", "admin")
Role = Literal["expert", "lno", "coordinator", "admin"]
STAFF_ROLES = ("lno", "coordinator", "admin")
# Roles that may not use the roster without a second factor.
TWO_FACTOR_ROLES = ("coordinator", "admin")
TOKEN_SCOPES = ("full", "enrolment")
LOCALES = ("en", "fr")
Locale = Literal["en", "fr"]


def new_nonce() -> str:
    return secrets.token_hex(8)


class User(SQLModel, table=True):
    """A person who can sign in. Staff carry their own clearance: it decides what they may see."""

    __tablename__ = "user_account"
    __table_args__ = (one_of("role", ROLES), one_of("locale", LOCALES))

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    email: str = Field(unique=True, max_length=limits.EMAIL)
    full_name: str = Field(max_length=limits.PERSON_NAME)
    role: Role = Field(sa_type=sa.String(20))
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = Field(default=True)
    clearance_level: str | None = Field(default=None, foreign_key="clearance_level.code")
    clearance_expires_on: date | None = None
    command_id: int | None = Field(default=None, foreign_key="command.id")
    # Changing the nonce ends every live session of the user at once.
    session_nonce: str = Field(default_factory=new_nonce, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The TOTP seed must stay readable to verify codes: never exported, shown again or logged.
    totp_secret: str | None = Field(default=None, max_length=64, exclude=True)
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The last accepted TOTP time step: a code from it or an earlier step is a replay.
    totp_last_step: int | None = Field(default=None, sa_type=sa.BigInteger)
    # The user's own choices: the language of pages and mail, and whether notifications are mailed.
    locale: Locale = Field(
        default="en", sa_type=sa.String(5), sa_column_kwargs={"server_default": "en"}
    )
    notify_by_email: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})

    # Flask-Login protocol, kept here so the user object is all a view needs.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def two_factor_required(self) -> bool:
        return self.role in TWO_FACTOR_ROLES

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None and self.totp_enabled_at is not None

    def __repr__(self) -> str:  # keeps the TOTP seed, hashes and email out of logs and tracebacks
        return f"<User {self.id} {self.role}>"

    __str__ = __repr__


@sa.event.listens_for(User.role, "set", active_history=True)
@sa.event.listens_for(User.active, "set", active_history=True)
@sa.event.listens_for(User.password_hash, "set", active_history=True)
def _end_sessions_on_change(target: User, value: object, old: object, _initiator: object) -> None:
    """A changed role, activity or password ends the user's live browser sessions at once,
    whichever code path makes the change."""
    if old in (attributes.NO_VALUE, attributes.NEVER_SET) or old == value:
        return
    target.session_nonce = new_nonce()


class Invitation(SQLModel, table=True):
    """A one-time link with which an invited user sets their password."""

    __tablename__ = "invitation"

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    __table_args__ = (one_of("scope", TOKEN_SCOPES),)

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "enrolment" tokens only open the two-factor enrolment routes.
    scope: str = Field(default="full", max_length=12, sa_column_kwargs={"server_default": "full"})


class RecoveryCode(SQLModel, table=True):
    """A one-time recovery code for a lost authenticator; only its SHA-256 is stored."""

    __tablename__ = "recovery_code"

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    user_id: int = Field(foreign_key="user_account.id", index=True)
    code_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PasswordReset(SQLModel, table=True):
    """A single-use link that lets the owner of an address choose a new password."""

    __tablename__ = "password_reset"

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    # Who sent it: None when the owner asked for it, an admin's id from the users page.
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EmailChange(SQLModel, table=True):
    """A requested new address, waiting for its owner to confirm it through a mailed link."""

    __tablename__ = "email_change"

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    user_id: int = Field(foreign_key="user_account.id", index=True)
    new_email: str = Field(max_length=limits.EMAIL)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserSession(SQLModel, table=True):
    """One browser sign-in, so its owner can see and end it. The cookie carries a random key;
    only its SHA-256 is stored. A session lives while it is not ended and was opened under the
    user's current session nonce (rotating the nonce ends them all)."""

    __tablename__ = "user_session"

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    user_id: int = Field(foreign_key="user_account.id", index=True)
    key_hash: str = Field(unique=True, max_length=64)
    nonce: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Updated at most every few minutes: enough to recognise a session, not a trail of visits.
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # "Firefox on Linux": a summary of the User-Agent, never the raw header.
    device: str = Field(default="", max_length=80)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
