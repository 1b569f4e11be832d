"""Users and the secrets that let them in: invitations and API tokens (stored hashed)."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from roster.db import UTCDateTime, one_of, utcnow

ROLES = ("expert", "lno", "coordinator", "admin")
STAFF_ROLES = ("lno", "coordinator", "admin")


def new_nonce() -> str:
    return secrets.token_hex(8)


class User(SQLModel, table=True):
    """A person who can sign in. Staff carry their own clearance: it decides what they may see."""

    __tablename__ = "user_account"
    __table_args__ = (one_of("role", ROLES),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, max_length=254)
    full_name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = Field(default=True)
    clearance_level: str | None = Field(default=None, foreign_key="clearance_level.code")
    clearance_expires_on: date | None = None
    command_id: int | None = Field(default=None, foreign_key="command.id")
    # Changing the nonce ends every live session of the user at once.
    session_nonce: str = Field(default_factory=new_nonce, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

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


class Invitation(SQLModel, table=True):
    """A one-time link with which an invited user sets their password."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
