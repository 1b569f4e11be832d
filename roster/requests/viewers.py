"""Who is looking at requests: a user's rank today and, for an expert, their profile. The one
reading of it, for lists and pages (`services.visible_clause`) and for notifications
(`alerts.may_see`) alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from roster import policy
from roster.accounts.models import User
from roster.experts.models import Expert
from roster.experts.rules import verified_clearance_on


@dataclass
class Viewer:
    """What decides which requests a user sees: their own rank today and, for an expert,
    their profile."""

    user: User | None
    rank: int | None
    expert_id: int | None = None


def viewer_for(session: Session, user: Any, today: date) -> Viewer:
    if policy.answers_offers(user):
        expert = session.exec(select(Expert).where(Expert.user_id == user.id)).first()
        if expert is None or not expert.active:
            return Viewer(user, None)
        # Like staff without a clearance, an expert without a verified one reads unclassified only.
        rank = verified_clearance_on(expert, today)
        return Viewer(user, policy.CLEARANCE_RANK["NU"] if rank is None else rank, expert.id)
    return Viewer(user, policy.staff_request_rank(user, today))
