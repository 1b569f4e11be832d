"""The load test's roster and accounts: LNOs, coordinators (enrolled in two-factor), experts with
accounts who answer offers, and a synthetic roster around them for the searches."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

import pyotp
from alembic import command
from sqlmodel import Session

from bench.search_data import build_roster
from roster.accounts import totp
from roster.accounts.models import User
from roster.accounts.passwords import hash_password
from roster.cli import alembic_config
from roster.db import make_engine
from roster.experts.models import Expert, ExpertLanguage, ExpertTopic
from roster.search.index import reindex_experts
from roster.seeding import load_reference

PASSWORD = "load-test-password-2026"  # noqa: S105 - a throwaway database's accounts
SPECIALTIES = ("tfgbv", "sea")  # what the load's requests ask for, held high by the experts


def arrange(url: str, *, lnos: int, coordinators: int, experts: int, filler: int) -> dict:
    """Migrate and fill the database; the accounts' emails by role (and the coordinators'
    two-factor secrets, which `sign_in` needs)."""
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    digest = hash_password(PASSWORD)
    world: dict = {"lno": [], "coordinator": [], "expert": [], "secrets": {}}
    with Session(engine) as session:
        load_reference(session)
        session.commit()
        if filler:
            build_roster(session, filler)  # ids 1..filler, indexed
        for n in range(lnos):
            email = f"load.lno{n}@roster.example"
            session.add(
                User(
                    email=email,
                    full_name=f"Load LNO {n}",
                    role="lno",
                    password_hash=digest,
                    clearance_level="NS",
                )
            )
            world["lno"].append(email)
        for n in range(coordinators):
            email = f"load.coordinator{n}@roster.example"
            secret = pyotp.random_base32(length=32)
            session.add(
                User(
                    email=email,
                    full_name=f"Load Coordinator {n}",
                    role="coordinator",
                    password_hash=digest,
                    clearance_level="CTS",
                    totp_secret=secret,
                    totp_enabled_at=datetime.now(UTC),
                )
            )
            world["coordinator"].append(email)
            world["secrets"][email] = secret
        session.flush()
        made = []
        for n in range(experts):
            email = f"load.expert{n}@roster.example"
            user = User(
                email=email, full_name=f"Load Expert {n}", role="expert", password_hash=digest
            )
            session.add(user)
            session.flush()
            expert = Expert(
                user_id=user.id,
                full_name=f"Load Expert {n}",
                email=email,
                vetting_status="vetted",
                vetting_valid_until=date(2031, 1, 1),
                clearance_level="NS",
                clearance_issued_by="BE",
                clearance_expires_on=date(2031, 1, 1),
                clearance_verified_at=datetime.now(UTC),
                deployable=True,
                notice_days=0,
                max_concurrent=1 + n % 2,
                gender=("woman", "man", "non-binary")[n % 3],
            )
            session.add(expert)
            session.flush()
            made.append(expert.id)
            for code in SPECIALTIES:
                session.add(ExpertTopic(expert_id=expert.id, topic_code=code, level=3 + n % 2))
            session.add(ExpertLanguage(expert_id=expert.id, language_code="uk", level="native"))
            world["expert"].append(email)
        session.flush()
        reindex_experts(session, made)
        session.commit()
    engine.dispose()
    return world


def sign_in(base: str, world: dict) -> dict[str, list[str]]:
    """A bearer token per account from POST /api/v1/tokens (coordinators with a TOTP code)."""
    tokens: dict[str, list[str]] = {"lno": [], "coordinator": [], "expert": []}
    for role in tokens:
        for email in world[role]:
            body: dict[str, str] = {"email": email, "password": PASSWORD}
            if email in world["secrets"]:
                body["otp"] = totp.code_at_step(world["secrets"][email], totp.time_step())
            request = urllib.request.Request(  # noqa: S310 - http to 127.0.0.1 only
                f"{base}/api/v1/tokens",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                tokens[role].append(json.loads(response.read())["token"])
    return tokens


def save(path: Path, tokens: dict[str, list[str]], hosts: list[str]) -> None:
    path.write_text(json.dumps({"tokens": tokens, "hosts": hosts}))
