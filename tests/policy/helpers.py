"""Stand-in users for policy tables: the policy reads attributes, never the database."""

from __future__ import annotations

from types import SimpleNamespace

ROLES = ("expert", "lno", "coordinator", "admin")


def user(role: str, *, id: int = 1, active: bool = True, **extra: object) -> SimpleNamespace:
    values = {"clearance_level": None, "clearance_expires_on": None, "command_id": None, **extra}
    return SimpleNamespace(id=id, role=role, active=active, **values)
