"""`roster backup PATH` and `roster restore PATH`: a round trip gives back every row, exactly."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from roster import audit
from roster.accounts import services
from roster.ops.backup import table_checksums


def _cli(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=["roster", *args], input=input)


def test_backup_and_restore_round_trip(app, make_user, make_expert, tmp_path):
    engine = app.extensions["roster.engine"]
    admin = make_user("admin")
    make_expert(full_name="Ann Backup")
    with Session(engine) as session:
        for n in range(3):
            services.create_user(
                session=session,
                actor=admin,
                email=f"invited{n}@roster.example",
                full_name=f"Invited {n}",
                role="lno",
                base_url="http://roster.test",
            )
        session.commit()
    before = table_checksums(engine)
    assert before["outbox_message"][0] == 3
    assert before["audit_event"][0] >= 3

    path = tmp_path / "backups" / "roster.backup"
    made = _cli(app, "backup", str(path))
    assert made.exit_code == 0, made.output
    assert path.stat().st_size > 0

    make_user("lno")
    audit.record_separately(engine, actor="system", action="test.after_backup")
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM outbox_message"))
    assert table_checksums(engine) != before

    refused = _cli(app, "restore", str(path), input="n\n")
    assert refused.exit_code != 0
    restored = _cli(app, "restore", str(path), "--yes")
    assert restored.exit_code == 0, restored.output
    assert table_checksums(engine) == before
    verified = _cli(app, "audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_restore_of_a_missing_file_fails_cleanly(app, tmp_path):
    result = _cli(app, "restore", str(tmp_path / "nothing.backup"), "--yes")
    assert result.exit_code != 0
    assert "does not exist" in result.output
