"""Roles are compared in the policy only: no module and no template decides by a role name."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A role compared with ==, != or `in`, on an object, a mapping or a bare name.
ROLE_CHECK = re.compile(
    r"""("role", None\)|\.role|\brole\b["']?\)?|\["role"\])\s*(==|!=|\bin\b|\bnot in\b)"""
)
ALLOWED = {
    # The policy decides; the accounts model declares the role constants and two properties
    # derived from them; the seed loader and its checks read the seed files' own role column.
    "roster/policy",
    "roster/accounts/models.py",
    "roster/seed_checks.py",
    "roster/seeding.py",
}
# Not decisions about a user: whether a role name exists (the model's constants) and a focal
# point's job in a command (a directory filter), which is not an account role.
NOT_A_DECISION = re.compile(r"role not in (ROLES|STAFF_ROLES)\b|FocalPoint\.role")


def offenders(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        if any(rel == a or rel.startswith(a + "/") for a in ALLOWED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_CHECK.search(line) and not NOT_A_DECISION.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def test_no_role_check_in_python_outside_the_policy():
    assert offenders(sorted((ROOT / "roster").rglob("*.py"))) == []


def test_no_role_check_in_templates():
    assert offenders(sorted((ROOT / "templates").rglob("*.html"))) == []
