"""The setting table: one row per value an admin set in the app (no row: the default)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from roster.db import UTCDateTime, one_of, utcnow

SETTING_TYPES = ("int", "float")


class Setting(SQLModel, table=True):
    """A value set in the app; `value` is the number as text, read back as `type`."""

    __tablename__ = "setting"
    __table_args__ = (one_of("type", SETTING_TYPES),)

    key: str = Field(primary_key=True, max_length=60)
    type: str = Field(max_length=10)
    value: str = Field(max_length=40)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
