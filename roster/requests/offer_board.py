"""What coordinators read of a request's offers, for the page and the API alike: every offer with
the expert's name, its state and times, the decline reason, and what may be done with it now
(withdraw an open offer, offer a declined or expired seat to the same expert again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import policy
from roster.errors import Forbidden
from roster.experts.models import Expert
from roster.requests.models import Assignment, CrisisRequest, Offer
from roster.requests.withdrawals import AGAIN_STATES


@dataclass(frozen=True)
class OfferRow:
    offer: Offer
    full_name: str
    now: datetime
    can_withdraw: bool
    can_offer_again: bool

    @property
    def past_deadline(self) -> bool:
        """Open, but the reply-by has passed (the expiry sweep has not run yet)."""
        return self.offer.state == "open" and self.offer.respond_by <= self.now

    @property
    def decline_reason(self) -> str | None:
        return self.offer.decline_reason if self.offer.state == "declined" else None

    def document(self) -> dict[str, Any]:
        """The row as the API names it (`GET /requests/{id}/offers`)."""
        o = self.offer
        return {
            "id": o.id,
            "expert_id": o.expert_id,
            "full_name": self.full_name,
            "state": o.state,
            "sent_at": o.created_at,
            "respond_by": o.respond_by,
            "responded_at": o.responded_at,
            "decline_reason": self.decline_reason,
        }


def offer_rows(
    session: Session, viewer: Any, request: CrisisRequest, now: datetime
) -> list[OfferRow]:
    """Every offer of a request the viewer already sees, newest first; Forbidden for anyone
    but a coordinator."""
    if not policy.can_manage_offers(viewer):
        raise Forbidden(_("Only coordinators see the offers of a request."))
    found = session.exec(
        select(Offer, Expert.full_name)
        .join(Expert, col(Expert.id) == col(Offer.expert_id))
        .where(Offer.request_id == request.id)
        .order_by(col(Offer.created_at).desc(), col(Offer.id).desc())
    ).all()
    seated = set(
        session.exec(select(Assignment.expert_id).where(Assignment.request_id == request.id))
    )
    waiting = {o.expert_id for o, _ in found if o.state == "open"}
    matching = request.state == "matching"
    rows = []
    for offer, name in found:
        again = matching and offer.state in AGAIN_STATES and offer.expert_id not in seated | waiting
        rows.append(OfferRow(offer, name, now, offer.state == "open", again))
    return _latest_again_only(rows)


def _latest_again_only(rows: list[OfferRow]) -> list[OfferRow]:
    """One "offer again" per expert: on their newest offer (rows are newest first)."""
    seen: set[int] = set()
    out = []
    for row in rows:
        again = row.can_offer_again and row.offer.expert_id not in seen
        seen.add(row.offer.expert_id)
        out.append(row if again == row.can_offer_again else _without_again(row))
    return out


def _without_again(row: OfferRow) -> OfferRow:
    return OfferRow(row.offer, row.full_name, row.now, row.can_withdraw, False)
