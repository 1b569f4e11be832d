"""A demo account for every demo expert: role expert, the demo password, linked by `user_id`.

The password is hashed once and the hash shared, so the ~150 accounts take one argon2 run."""

from __future__ import annotations

from sqlmodel import Session, col, select

from roster import policy
from roster.accounts.models import User
from roster.accounts.passwords import hash_password
from roster.experts.models import Expert


def link_expert_accounts(
    session: Session, emails: set[str], password: str, *, password_hash: str | None = None
) -> int:
    """Give each demo expert (by email, lower case) without an account one; returns how many
    accounts were added. An existing account of the same email is linked, not duplicated;
    an expert already linked is left alone. `password_hash`, when given, is the password's hash
    already computed. Only flushes."""
    experts = [
        e
        for e in session.exec(select(Expert).where(col(Expert.user_id).is_(None))).all()
        if e.email and e.email.lower() in emails
    ]
    if not experts:
        return 0
    users = {u.email.lower(): u for u in session.exec(select(User)).all()}
    taken = {uid for uid in session.exec(select(Expert.user_id)).all() if uid is not None}
    added: list[tuple[Expert, User]] = []
    for expert in sorted(experts, key=lambda e: (e.email or "").lower()):
        email = (expert.email or "").lower()
        user = users.get(email)
        if user is not None:
            if policy.answers_offers(user) and user.id not in taken:
                expert.user_id = user.id
                session.add(expert)
            continue
        password_hash = password_hash or hash_password(password)
        user = User(
            email=expert.email or email,
            full_name=expert.full_name,
            role="expert",
            password_hash=password_hash,
            active=True,
        )
        session.add(user)
        added.append((expert, user))
    session.flush()
    for expert, user in added:
        expert.user_id = user.id
        session.add(expert)
    session.flush()
    return len(added)
