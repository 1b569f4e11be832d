"""The app factory and configuration from the environment."""

from __future__ import annotations

import pytest

from roster.app import create_app
from roster.config import ConfigError, Settings


def test_development_generates_a_secret_key_once(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("ROSTER_SECRET_KEY", raising=False)
    monkeypatch.delenv("ROSTER_ENV", raising=False)
    first = Settings.from_env().secret_key
    second = Settings.from_env().secret_key
    assert len(first) == 64
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ROSTER_ENV", "production")
    monkeypatch.delenv("ROSTER_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()
    assert not (tmp_path / "secret_key").exists()


def test_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ROSTER_SECRET_KEY", "from-env")
    monkeypatch.setenv("ROSTER_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.db"))
    monkeypatch.setenv("ROSTER_SECURE_COOKIES", "1")
    monkeypatch.setenv("ROSTER_INVITATION_DAYS", "3")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["ROSTER_DATABASE_URL"].endswith("x.db")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["ROSTER_INVITATION_DAYS"] == 3


def test_default_database_is_the_embedded_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("ROSTER_DATABASE_URL", raising=False)
    assert Settings.from_env().database_url == f"sqlite:///{tmp_path / 'roster.db'}"


def test_config_argument_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "ROSTER_INVITATION_DAYS": 9})
    assert app.testing
    assert app.config["ROSTER_INVITATION_DAYS"] == 9


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    engine = create_app().extensions["roster.engine"]
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
