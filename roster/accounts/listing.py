"""The users page's list: accounts found by name or e-mail, role and standing, a page at a time,
in the order the page shows them (role, then name), with how many accounts each role holds."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select

from roster.accounts.models import ROLES, User
from roster.db import one_page

PER_PAGE = 50
STANDINGS = ("active", "invited", "deactivated")


@dataclass(frozen=True)
class UserFilter:
    """`q`: part of a name or an e-mail address, any case; `role` and `standing` as listed."""

    q: str = ""
    role: str | None = None
    standing: str | None = None


@dataclass
class UserPage:
    users: list[User]
    total: int
    page: int
    pages: int
    by_role: dict[str, int] = field(default_factory=dict)


def _conditions(wanted: UserFilter) -> list[sa.ColumnElement[bool]]:
    found: list[sa.ColumnElement[bool]] = []
    if wanted.q.strip():
        words = wanted.q.strip().lower()
        found.append(
            sa.or_(
                sa.func.lower(col(User.full_name)).contains(words, autoescape=True),
                sa.func.lower(col(User.email)).contains(words, autoescape=True),
            )
        )
    if wanted.role:  # a filter on the data, not a decision: the form offers only ROLES
        found.append(col(User.role).in_([wanted.role]))
    if wanted.standing == "active":
        found += [col(User.active).is_(True), col(User.password_hash).is_not(None)]
    elif wanted.standing == "invited":
        found += [col(User.active).is_(True), col(User.password_hash).is_(None)]
    elif wanted.standing == "deactivated":
        found.append(col(User.active).is_(False))
    return found


def list_users(session: Session, wanted: UserFilter, *, page: int = 1) -> UserPage:
    """One page of the accounts `wanted` picks; a page past the last is the last."""
    query = (
        select(User)
        .where(*_conditions(wanted))
        .order_by(col(User.role), col(User.full_name), col(User.id))
    )
    users, total, page, pages = one_page(session, query, page=page, per_page=PER_PAGE)
    counted = session.exec(select(User.role, sa.func.count()).group_by(col(User.role))).all()
    counts: dict[str, int] = dict(counted)
    return UserPage(
        users=users,
        total=total,
        page=page,
        pages=pages,
        by_role={kind: counts[kind] for kind in ROLES if counts.get(kind)},
    )
