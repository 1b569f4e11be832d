"""search version: one counter, bumped by triggers on every change a search can see

The per-process search read model (`roster.search.readmodel`) is rebuilt when this number moves.
Triggers bump it in the same transaction as the change: experts, their topics, languages, regions,
nationalities, categories, availability windows, search documents, and a user's `active` flag.
The table lives outside the SQLModel metadata (like the full-text objects of 0002).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "expert",
    "expert_topic",
    "expert_language",
    "expert_region",
    "expert_nationality",
    "expert_category",
    "availability_window",
    "expert_search",
)
BUMP = "UPDATE search_version SET n = n + 1 WHERE id = 1"


def _sqlite_up() -> list[str]:
    statements = []
    for table in TABLES:
        for event, short in (("INSERT", "ai"), ("UPDATE", "au"), ("DELETE", "ad")):
            statements.append(
                f"CREATE TRIGGER search_version_{table}_{short} AFTER {event} ON {table} "
                f"BEGIN {BUMP}; END"
            )
    statements.append(
        "CREATE TRIGGER search_version_user_account_au AFTER UPDATE OF active ON user_account "
        f"WHEN old.active IS NOT new.active BEGIN {BUMP}; END"
    )
    return statements


def _postgres_up() -> list[str]:
    # Once per transaction: a bulk load fires the trigger per statement, and updating one row
    # a million times in one transaction would chain a million row versions.
    statements = [
        "CREATE FUNCTION search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('roster.search_version_bumped', true) IS DISTINCT FROM 'y' THEN "
        f"{BUMP}; PERFORM set_config('roster.search_version_bumped', 'y', true); "
        "END IF; RETURN NULL; END $$"
    ]
    for table in TABLES:
        statements.append(
            f"CREATE TRIGGER search_version_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION search_version_bump()"
        )
    statements.append(
        "CREATE TRIGGER search_version_user_account AFTER UPDATE OF active ON user_account "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_version_bump()"
    )
    return statements


def upgrade() -> None:
    op.execute("CREATE TABLE search_version (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
    op.execute("INSERT INTO search_version (id, n) VALUES (1, 1)")
    for statement in _sqlite_up() if op.get_bind().dialect.name == "sqlite" else _postgres_up():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in (*TABLES, "user_account"):
            for short in ("ai", "au", "ad"):
                op.execute(f"DROP TRIGGER IF EXISTS search_version_{table}_{short}")
    else:
        for table in (*TABLES, "user_account"):
            op.execute(f"DROP TRIGGER IF EXISTS search_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS search_version_bump()")
    op.execute("DROP TABLE search_version")
