"""The search document table, and the engine-specific index objects kept outside the metadata."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Objects the 0002 migration creates per dialect that SQLModel cannot describe: SQLite's FTS5
# virtual table (plus its shadow tables and sync triggers) and PostgreSQL's generated tsvector
# column with its GIN index. Schema comparison ignores exactly these names, nothing else.
FTS_TABLE = "expert_fts"
FTS_SHADOW_SUFFIXES = ("", "_data", "_idx", "_content", "_docsize", "_config")
TSVECTOR_COLUMN = "document"
TSVECTOR_INDEX = "ix_expert_search_document"
# The counter of migration 0016, bumped by triggers; read by `roster.search.version`.
VERSION_TABLE = "search_version"


class ExpertSearch(SQLModel, table=True):
    """One expert's searchable text, folded to lower-case ASCII; rebuilt by `reindex_experts`.

    Only the words live here. Who may be found is always read from the live `expert` rows, so a
    stale document can at worst mis-rank an expert, never show a hidden one.
    """

    __tablename__ = "expert_search"

    expert_id: int = Field(foreign_key="expert.id", primary_key=True, ondelete="CASCADE")
    name: str = Field(default="", sa_type=sa.Text)
    affiliation: str = Field(default="", sa_type=sa.Text)
    topics: str = Field(default="", sa_type=sa.Text)
    bio: str = Field(default="", sa_type=sa.Text)
    sort_name: str = Field(default="", max_length=200, index=True)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic filter: skip the dialect-specific full-text objects, compare everything else."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "table":
        return name not in {FTS_TABLE + suffix for suffix in FTS_SHADOW_SUFFIXES} | {VERSION_TABLE}
    if type_ == "column":
        return not (name == TSVECTOR_COLUMN and obj.table.name == ExpertSearch.__tablename__)
    if type_ == "index":
        return name != TSVECTOR_INDEX
    return True
