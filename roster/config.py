"""Settings read from the environment; the embedded SQLite database is the default."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """The application cannot start with the settings it was given."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _pairs(value: str | None, name: str) -> dict[str, float]:
    """ "a=1,b=2.5" -> {"a": 1.0, "b": 2.5}; a malformed setting stops the start."""
    out: dict[str, float] = {}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        key, sep, number = part.partition("=")
        try:
            out[key.strip()] = float(number)
        except ValueError:
            sep = ""
        if not sep:
            raise ConfigError(f"{name}: expected name=number pairs, got {part!r}")
    return out


def _whole(value: str | None, name: str) -> int | None:
    """An optional whole number; a malformed one stops the start."""
    if value is None or not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {value!r}") from None


def _dev_secret_key(instance: Path) -> str:
    """Generate a secret key once per instance folder and keep it there."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass
class Settings:
    """Everything the app reads from the environment, in one place."""

    env: str = "development"
    instance_path: Path = DEFAULT_INSTANCE
    database_url: str = ""
    secret_key: str = ""
    secure_cookies: bool = False
    mail_sender: str = "roster@localhost"
    smtp_host: str = ""
    smtp_port: int = 25
    invitation_days: int = 7
    token_hours: int = 12
    base_url: str = "http://127.0.0.1:5000"
    trusted_proxies: int = 0
    ratelimit_storage: str = "memory://"
    ratelimit_per_account: str = "10 per 15 minutes"
    ratelimit_per_address: str = "50 per 15 minutes"
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    fresh_login_minutes: int = 10
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        instance = Path(env.get("ROSTER_INSTANCE_PATH") or DEFAULT_INSTANCE)
        mode = env.get("ROSTER_ENV", "development")
        secret = env.get("ROSTER_SECRET_KEY", "")
        if not secret:
            if mode == "production":
                raise ConfigError("ROSTER_SECRET_KEY must be set in production mode")
            secret = _dev_secret_key(instance)
        url = env.get("ROSTER_DATABASE_URL") or f"sqlite:///{instance / 'roster.db'}"
        return cls(
            env=mode,
            instance_path=instance,
            database_url=url,
            secret_key=secret,
            secure_cookies=_bool(env.get("ROSTER_SECURE_COOKIES"), default=mode == "production"),
            mail_sender=env.get("ROSTER_MAIL_SENDER", "roster@localhost"),
            smtp_host=env.get("ROSTER_SMTP_HOST", ""),
            smtp_port=int(env.get("ROSTER_SMTP_PORT", "25")),
            invitation_days=int(env.get("ROSTER_INVITATION_DAYS", "7")),
            token_hours=int(env.get("ROSTER_TOKEN_HOURS", "12")),
            base_url=env.get("ROSTER_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            trusted_proxies=int(env.get("ROSTER_TRUSTED_PROXIES") or "0"),
            ratelimit_storage=env.get("ROSTER_RATELIMIT_STORAGE") or "memory://",
            ratelimit_per_account=env.get("ROSTER_RATELIMIT_PER_ACCOUNT") or "10 per 15 minutes",
            ratelimit_per_address=env.get("ROSTER_RATELIMIT_PER_ADDRESS") or "50 per 15 minutes",
            session_idle_minutes=int(env.get("ROSTER_SESSION_IDLE_MINUTES") or "30"),
            session_max_hours=int(env.get("ROSTER_SESSION_MAX_HOURS") or "12"),
            fresh_login_minutes=int(env.get("ROSTER_FRESH_LOGIN_MINUTES") or "10"),
            extra={
                "ROSTER_RESPONSE_TARGET_HOURS": _pairs(
                    env.get("ROSTER_RESPONSE_TARGET_HOURS"), "ROSTER_RESPONSE_TARGET_HOURS"
                ),
                "ROSTER_REPLY_BY_HOURS": _pairs(
                    env.get("ROSTER_REPLY_BY_HOURS"), "ROSTER_REPLY_BY_HOURS"
                ),
                "ROSTER_MATCHING_WEIGHTS": _pairs(
                    env.get("ROSTER_MATCHING_WEIGHTS"), "ROSTER_MATCHING_WEIGHTS"
                ),
                "ROSTER_SUPPRESS_BELOW": _whole(
                    env.get("ROSTER_SUPPRESS_BELOW"), "ROSTER_SUPPRESS_BELOW"
                ),
            },
        )

    def flask_config(self) -> dict[str, Any]:
        """The Flask config keys these settings imply."""
        return {
            "SECRET_KEY": self.secret_key,
            "ROSTER_ENV": self.env,
            "ROSTER_DATABASE_URL": self.database_url,
            "ROSTER_MAIL_SENDER": self.mail_sender,
            "ROSTER_SMTP_HOST": self.smtp_host,
            "ROSTER_SMTP_PORT": self.smtp_port,
            "ROSTER_INVITATION_DAYS": self.invitation_days,
            "ROSTER_TOKEN_HOURS": self.token_hours,
            "ROSTER_BASE_URL": self.base_url,
            "ROSTER_TRUSTED_PROXIES": self.trusted_proxies,
            "ROSTER_RATELIMIT_STORAGE": self.ratelimit_storage,
            "ROSTER_RATELIMIT_PER_ACCOUNT": self.ratelimit_per_account,
            "ROSTER_RATELIMIT_PER_ADDRESS": self.ratelimit_per_address,
            "ROSTER_RATELIMIT_PREFIX": "roster",
            "ROSTER_SESSION_IDLE_MINUTES": self.session_idle_minutes,
            "ROSTER_SESSION_MAX_HOURS": self.session_max_hours,
            "ROSTER_FRESH_LOGIN_MINUTES": self.fresh_login_minutes,
            # Over HTTPS the __Host- prefix pins the cookie to this host, path / and Secure.
            "SESSION_COOKIE_NAME": "__Host-session" if self.secure_cookies else "session",
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            "PERMANENT_SESSION_LIFETIME": self.session_max_hours * 3600,
            "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
            "WTF_CSRF_TIME_LIMIT": None,
            "BABEL_DEFAULT_LOCALE": "en",
            "JSON_SORT_KEYS": False,
            **self.extra,
        }
