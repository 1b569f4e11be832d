"""search index: the expert_search documents and the engine's full-text index over them

SQLite gets an FTS5 table with `expert_search` as its external content, kept in step by triggers.
PostgreSQL gets a generated, weighted tsvector column with a GIN index. Existing experts are
backfilled with plain lower-casing; `roster.search.index.reindex_all` refines (folds accents).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_COLUMNS = "name, affiliation, topics, bio"

SQLITE_UP = [
    f"""CREATE VIRTUAL TABLE expert_fts USING fts5({FTS_COLUMNS},
        content='expert_search', content_rowid='expert_id', tokenize='unicode61')""",
    """CREATE TRIGGER expert_search_ai AFTER INSERT ON expert_search BEGIN
        INSERT INTO expert_fts(rowid, name, affiliation, topics, bio)
        VALUES (new.expert_id, new.name, new.affiliation, new.topics, new.bio);
    END""",
    """CREATE TRIGGER expert_search_ad AFTER DELETE ON expert_search BEGIN
        INSERT INTO expert_fts(expert_fts, rowid, name, affiliation, topics, bio)
        VALUES ('delete', old.expert_id, old.name, old.affiliation, old.topics, old.bio);
    END""",
    """CREATE TRIGGER expert_search_au AFTER UPDATE ON expert_search BEGIN
        INSERT INTO expert_fts(expert_fts, rowid, name, affiliation, topics, bio)
        VALUES ('delete', old.expert_id, old.name, old.affiliation, old.topics, old.bio);
        INSERT INTO expert_fts(rowid, name, affiliation, topics, bio)
        VALUES (new.expert_id, new.name, new.affiliation, new.topics, new.bio);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS expert_search_au",
    "DROP TRIGGER IF EXISTS expert_search_ad",
    "DROP TRIGGER IF EXISTS expert_search_ai",
    "DROP TABLE IF EXISTS expert_fts",
]
POSTGRES_UP = [
    """ALTER TABLE expert_search ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name), 'A')
        || setweight(to_tsvector('simple', affiliation), 'B')
        || setweight(to_tsvector('simple', topics), 'B')
        || setweight(to_tsvector('simple', bio), 'D')
    ) STORED""",
    "CREATE INDEX ix_expert_search_document ON expert_search USING gin (document)",
]
TOPICS_OF = {
    "sqlite": "group_concat(t.name || ' ' || t.code, ' ')",
    "postgresql": "string_agg(t.name || ' ' || t.code, ' ' ORDER BY t.position)",
}
BACKFILL = """
INSERT INTO expert_search (expert_id, name, affiliation, topics, bio, sort_name)
SELECT e.id, lower(e.full_name), lower(coalesce(e.affiliation_name, '')),
       lower(coalesce((SELECT {topics} FROM expert_topic et JOIN topic t ON t.code = et.topic_code
                       WHERE et.expert_id = e.id), '')),
       lower(e.bio), lower(e.full_name)
FROM expert e WHERE e.pseudonym IS NULL
"""


def upgrade() -> None:
    op.create_table(
        "expert_search",
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("affiliation", sa.Text(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("sort_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["expert.id"],
            name=op.f("fk_expert_search_expert_id_expert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("expert_id", name=op.f("pk_expert_search")),
    )
    with op.batch_alter_table("expert_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_search_sort_name"), ["sort_name"], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)
    op.execute(BACKFILL.format(topics=TOPICS_OF[dialect]))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_expert_search_document")
    with op.batch_alter_table("expert_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_search_sort_name"))
    op.drop_table("expert_search")
