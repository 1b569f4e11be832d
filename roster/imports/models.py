"""The table holding an uploaded expert file between its preview and the coordinator's confirm."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from roster.db import UTCDateTime, one_of, utcnow

BATCH_STATES = ("preview", "applied", "discarded")
FILE_KINDS = ("csv", "xlsx")


class ImportBatch(SQLModel, table=True):
    """An uploaded file kept server-side: the confirm step re-reads these bytes (checked against
    `sha256`) and never anything the browser sends back, so a preview cannot be tampered with."""

    __tablename__ = "import_batch"
    __table_args__ = (one_of("state", BATCH_STATES), one_of("kind", FILE_KINDS))

    id: int = Field(default=None, primary_key=True)  # assigned when the insert is flushed
    created_by_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    filename: str = Field(max_length=200)
    kind: str = Field(max_length=4)
    sha256: str = Field(max_length=64, index=True)
    content: bytes = Field(sa_type=sa.LargeBinary)
    rows_total: int = Field(default=0)
    rows_new: int = Field(default=0)
    state: str = Field(default="preview", max_length=10)
    applied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    imported: int = Field(default=0)
