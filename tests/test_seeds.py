"""Reference data and the demo roster load from seeds/, twice without duplicates."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa
import yaml
from sqlmodel import select

from roster.accounts.models import User
from roster.experts.models import Expert
from roster.models_registry import metadata
from roster.reference.models import ClearanceLevel, Topic
from roster.seeding import SEEDS_DIR, load_demo

REQUIRED_TOPICS = {
    "poc",
    "crsv",
    "cthb",
    "caac",
    "cpp",
    "wps-participation",
    "wps-prevention",
    "wps-protection",
    "wps-relief-recovery",
    "gender-analysis",
    "tfgbv",
    "disinformation",
    "sea",
    "climate-security",
    "resilience",
    "counter-terrorism",
}


def row_counts(session) -> dict[str, int]:
    return {
        table.name: session.exec(select(sa.func.count()).select_from(table)).one()
        for table in metadata().sorted_tables
        if table.name != "audit_event"
    }


def test_seed_twice_adds_nothing_the_second_time(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["roster", "seed"])
    assert first.exit_code == 0, first.output
    counts = row_counts(db_session)
    assert counts["expert"] >= 140
    second = runner.invoke(args=["roster", "seed"])
    assert second.exit_code == 0, second.output
    assert "experts: 0" in second.output
    assert row_counts(db_session) == counts


def test_reference_data(app, db_session):
    topics = {t.code: t for t in db_session.exec(select(Topic))}
    assert set(topics) >= REQUIRED_TOPICS
    assert topics["crsv"].area == "human-security"
    assert topics["wps-protection"].area == "wps"
    levels = [
        (c.code, c.rank)
        for c in db_session.exec(select(ClearanceLevel).order_by(ClearanceLevel.rank))
    ]
    assert levels == [("NU", 0), ("NR", 1), ("NC", 2), ("NS", 3), ("CTS", 4)]


def test_reference_only_loads_no_people(app, db_session):
    result = app.test_cli_runner().invoke(args=["roster", "seed", "--reference-only"])
    assert result.exit_code == 0, result.output
    assert db_session.exec(select(sa.func.count()).select_from(Expert)).one() == 0
    assert db_session.exec(select(sa.func.count()).select_from(User)).one() == 0


def test_demo_has_every_role_and_varied_experts(app, db_session):
    load_demo(db_session)
    db_session.commit()
    roles = {u.role for u in db_session.exec(select(User))}
    assert roles == {"expert", "lno", "coordinator", "admin"}
    statuses = {e.vetting_status for e in db_session.exec(select(Expert))}
    assert {"vetted", "pending"} <= statuses
    # Every demo expert signs in with their own demo account.
    unlinked = db_session.exec(select(Expert).where(Expert.user_id.is_(None))).all()
    assert unlinked == []


def test_bad_seed_data_is_refused_with_the_entry_named(app, db_session, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    experts = yaml.safe_load((seeds / "demo_experts.yaml").read_text())
    entries = experts["experts"] if isinstance(experts, dict) else experts
    entries[0]["regions"] = ["QQ"]
    (seeds / "demo_experts.yaml").write_text(yaml.safe_dump(experts))
    with pytest.raises(ValueError, match="QQ"):
        load_demo(db_session, seeds_dir=seeds)
    db_session.rollback()
    assert db_session.exec(select(sa.func.count()).select_from(Expert)).one() == 0


def test_migrate_command(app):
    result = app.test_cli_runner().invoke(args=["roster", "migrate"])
    assert result.exit_code == 0, result.output


def test_create_admin_reads_the_password_and_prints_nothing_secret(app, db_session):
    secret = "the first admin passphrase"
    result = app.test_cli_runner().invoke(
        args=["roster", "create-admin", "first.admin@roster.example"], input=secret + "\n"
    )
    assert result.exit_code == 0, result.output
    assert secret not in result.output
    admin = db_session.exec(select(User).where(User.email == "first.admin@roster.example")).one()
    assert admin.role == "admin"
    assert admin.password_hash.startswith("$argon2id$")
    weak = app.test_cli_runner().invoke(
        args=["roster", "create-admin", "second@roster.example"], input="short\n"
    )
    assert weak.exit_code != 0
