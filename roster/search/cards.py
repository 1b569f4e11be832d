"""What a result shows: the experts of one page with their topics, languages and availability,
trimmed to the fields the viewer may see (`policy.expert_fields_for`).

A search answered from the read model knows the roster version it was read at; the full cards
(before trimming) are then kept per database, roster version and day, so a page seen again costs
no query. Every table a card reads bumps that version (migration 0016), and a card is trimmed for
each viewer after the cache, never before."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Hashable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from roster import policy
from roster.db import table_of
from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.reference import names, taxonomy

CARD_TOPICS = 3
CARD_WINDOWS = 3
REFERENCE_TTL_SECONDS = 300.0
CARD_CACHE_SIZE = 5_000  # full cards kept per database (one roster version and day at a time)

_expert = table_of(Expert)
_topic_cache: dict[str, tuple[float, dict[str, str]]] = {}


def topic_names(session: Session) -> dict[str, str]:
    """Topic code -> name in the current language; the stored names are cached per database for
    a few minutes (reference data rarely changes), the translation is done on each read."""
    key = str(session.get_bind().engine.url)
    cached = _topic_cache.get(key)
    now = time.monotonic()
    if cached is None or now - cached[0] > REFERENCE_TTL_SECONDS:
        cached = (now, taxonomy.stored_topic_names(session))
        _topic_cache[key] = cached
    return names.translated_topics(cached[1])


_IDS: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
_TODAY = sa.bindparam("today", type_=sa.Date)

# The card statements are built once: only the ids and the day change, as parameters, so each
# search skips building and (thanks to the compiled cache) compiling them again.
_CARD_EXPERTS = sa.select(_expert).where(_expert.c.id.in_(_IDS))
_CARD_TOPICS = (
    sa.select(
        col(ExpertTopic.expert_id),
        col(ExpertTopic.topic_code),
        col(ExpertTopic.level),
        col(ExpertTopic.years),
    )
    .where(col(ExpertTopic.expert_id).in_(_IDS))
    .order_by(col(ExpertTopic.level).desc(), col(ExpertTopic.years).desc(), ExpertTopic.topic_code)
)
_CARD_LANGUAGES = (
    sa.select(
        col(ExpertLanguage.expert_id), col(ExpertLanguage.language_code), col(ExpertLanguage.level)
    )
    .where(col(ExpertLanguage.expert_id).in_(_IDS))
    .order_by(ExpertLanguage.language_code)
)
_CARD_CODES = sa.union_all(
    *(
        sa.select(sa.literal_column(f"'{kind}'", sa.String), t.c.expert_id, t.c[column]).where(
            t.c.expert_id.in_(_IDS)
        )
        for kind, t, column in (
            ("regions", table_of(ExpertRegion), "country_code"),
            ("nationalities", table_of(ExpertNationality), "country_code"),
            ("categories", table_of(ExpertCategory), "category"),
        )
    )
)
_CARD_WINDOWS = (
    sa.select(
        col(AvailabilityWindow.expert_id),
        col(AvailabilityWindow.starts_on),
        col(AvailabilityWindow.ends_on),
        col(AvailabilityWindow.kind),
    )
    .where(col(AvailabilityWindow.expert_id).in_(_IDS), AvailabilityWindow.ends_on >= _TODAY)
    .order_by(col(AvailabilityWindow.starts_on))
)


def _children(session: Session, ids: list[int]) -> dict[str, dict[int, list[Any]]]:
    out: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for eid, code, level, years in session.execute(_CARD_TOPICS, {"ids": ids}):
        out["topics"][eid].append((code, level, years))
    for eid, code, level in session.execute(_CARD_LANGUAGES, {"ids": ids}):
        out["languages"][eid].append((code, level))
    for kind, eid, code in session.execute(_CARD_CODES, {"ids": ids}):
        out[kind][eid].append(code)
    return out


def _windows(session: Session, ids: list[int], today: date) -> dict[int, list[dict[str, Any]]]:
    rows = session.execute(_CARD_WINDOWS, {"ids": ids, "today": today})
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for eid, starts, ends, kind in rows:
        if len(out[eid]) < CARD_WINDOWS:
            out[eid].append({"from": starts, "to": ends, "kind": kind})
    return out


def _clearance(row: Any, today: date) -> dict[str, Any] | None:
    if row.clearance_level is None:
        return None
    expired = row.clearance_expires_on is not None and row.clearance_expires_on < today
    return {
        "level": row.clearance_level,
        "issued_by": row.clearance_issued_by,
        "expires_on": row.clearance_expires_on,
        "verified": row.clearance_verified_at is not None and not expired,
    }


def _vetting_status(row: Any, today: date) -> str:
    until = row.vetting_valid_until
    if row.vetting_status == "vetted" and until is not None and until < today:
        return "expired"
    return row.vetting_status


def _full_cards(
    session: Session, ids: list[int], today: date
) -> dict[int, tuple[int | None, dict[str, Any]]]:
    """Each expert's user id and full card; topics as (code, level, years), named later."""
    rows = {row.id: row for row in session.execute(_CARD_EXPERTS, {"ids": ids})}
    children = _children(session, ids)
    windows = _windows(session, ids, today)
    out = {}
    for eid in ids:
        row = rows.get(eid)
        if row is None:
            continue
        out[eid] = (
            row.user_id,
            {
                "id": eid,
                "full_name": row.full_name,
                "email": row.email,
                "phone": row.phone,
                "gender": row.gender,
                "nationalities": sorted(children["nationalities"][eid]),
                "country_of_residence": row.country_of_residence,
                "affiliation": {"name": row.affiliation_name, "kind": row.affiliation_kind},
                "categories": sorted(children["categories"][eid]),
                "topics": tuple(children["topics"][eid]),
                "languages": [{"code": c, "level": lv} for c, lv in children["languages"][eid]],
                "regions": sorted(children["regions"][eid]),
                "clearance": _clearance(row, today),
                "vetting": {
                    "status": _vetting_status(row, today),
                    "valid_until": row.vetting_valid_until,
                },
                "deployable": row.deployable,
                "max_concurrent": row.max_concurrent,
                "bio": row.bio,
                "availability": windows.get(eid, []),
                "active": row.active,
                "updated_at": row.updated_at,
                "version": row.version,
            },
        )
    return out


_Full = tuple[int | None, dict[str, Any]]
_cards: dict[str, tuple[Hashable, OrderedDict[int, _Full]]] = {}
_cards_lock = threading.Lock()


def _cached_cards(
    session: Session, ids: list[int], today: date, version: Hashable
) -> dict[int, _Full]:
    """`_full_cards`, kept per database, roster version and day (LRU)."""
    where = str(session.get_bind().engine.url)
    key = (version, today)
    with _cards_lock:
        kept = _cards.get(where)
        if kept is None or kept[0] != key:
            kept = (key, OrderedDict())
            _cards[where] = kept
        store = kept[1]
        found = {}
        for eid in ids:
            card = store.get(eid)
            if card is not None:
                store.move_to_end(eid)
                found[eid] = card
    missing = [eid for eid in ids if eid not in found]
    if missing:
        loaded = _full_cards(session, missing, today)
        found.update(loaded)
        with _cards_lock:
            if _cards.get(where) is kept:
                store.update(loaded)
                while len(store) > CARD_CACHE_SIZE:
                    store.popitem(last=False)
    return found


def forget_cards() -> None:
    """Drop every kept card (tests)."""
    with _cards_lock:
        _cards.clear()


def load_cards(
    session: Session,
    ids: list[int],
    *,
    viewer: policy.Actor,
    today: date,
    version: Hashable | None = None,
) -> list[dict[str, Any]]:
    """The experts `ids` in that order, each trimmed to what `viewer` may see. `version`: the
    committed roster version the ids were read at (the read model's); the full cards are then
    kept under it. Without it (the SQL path, uncommitted writes) every card is read afresh."""
    if not ids:
        return []
    full = (
        _full_cards(session, ids, today)
        if version is None
        else _cached_cards(session, ids, today, version)
    )
    names = topic_names(session)
    cards = []
    for eid in ids:
        entry = full.get(eid)
        if entry is None:
            continue
        user_id, card = entry
        allowed = policy.expert_fields_for(viewer, expert_user_id=user_id)
        shown = {key: value for key, value in card.items() if key in allowed}
        if "topics" in shown:
            shown["topics"] = [
                {"code": code, "name": names.get(code, code), "level": level, "years": years}
                for code, level, years in card["topics"]
            ]
        cards.append(shown)
    return cards
