"""A roster search as a downloadable table: the search service's own results (same scope, same
fields per viewer as the page), every page of them, flattened to one row per expert."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from roster import audit, policy
from roster.errors import Forbidden
from roster.reports.tables import Table
from roster.search.criteria import MAX_PER_PAGE, SearchCriteria
from roster.search.service import search_roster

EXPORT_LIMIT = 10_000
# Column order of an export; a viewer gets only the fields the search showed them.
FIELDS = (
    "id",
    "full_name",
    "email",
    "phone",
    "gender",
    "nationalities",
    "country_of_residence",
    "affiliation",
    "categories",
    "topics",
    "languages",
    "regions",
    "clearance",
    "vetting",
    "deployable",
    "max_concurrent",
    "updated_at",
)


def _flat(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in ("nationalities", "categories", "regions"):
        return "; ".join(value)
    if name == "topics":
        return "; ".join(f"{t['code']}:{t['level']}" for t in value)
    if name == "languages":
        return "; ".join(f"{lang['code']}:{lang['level']}" for lang in value)
    if name == "affiliation":
        return " / ".join(v for v in (value.get("name"), value.get("kind")) if v)
    if name == "clearance":
        verified = "verified" if value["verified"] else "unverified"
        expires = value["expires_on"].isoformat() if value["expires_on"] else ""
        return f"{value['level']} ({verified}) {expires}".strip()
    if name == "vetting":
        until = value["valid_until"].isoformat() if value["valid_until"] else ""
        return f"{value['status']} {until}".strip()
    return value


def export_search(
    *, session: Session, viewer: policy.Actor, criteria: SearchCriteria, today: date
) -> Table:
    """Up to `EXPORT_LIMIT` experts the search finds for `viewer`, in its order."""
    if not policy.can_export_search(viewer):
        raise Forbidden(_("Your role cannot search the roster."))
    cards: list[dict[str, Any]] = []
    page = 1
    while len(cards) < EXPORT_LIMIT:
        found = search_roster(
            session=session,
            viewer=viewer,
            criteria=replace(criteria, page=page, per_page=MAX_PER_PAGE),
            today=today,
        )
        cards.extend(found.cards)
        if page >= found.pages:
            break
        page += 1
    cards = cards[:EXPORT_LIMIT]
    allowed = policy.expert_fields_for(viewer, expert_user_id=None)
    shown = [name for name in FIELDS if name in allowed]
    audit.record(
        session,
        actor=audit.actor_label(viewer),
        action="search.export",
        subject="experts",
        rows=len(cards),
        fields=shown,
    )
    return Table(
        key="experts",
        caption=str(_l("Roster search")),
        headers=shown,
        rows=[[_flat(name, card.get(name)) for name in shown] for card in cards],
    )
