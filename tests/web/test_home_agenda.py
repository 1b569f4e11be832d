"""The homes answer "what needs me now", on the demo: the coordinator's queues, each LNO's open
requests and what they wait for, an expert's offers and engagements; none names a request above
the viewer's clearance."""

from __future__ import annotations

import re
from html import unescape

from sqlmodel import col, select

from roster.accounts.models import User
from roster.db import utcnow
from roster.experts.models import Expert
from roster.requests.models import CrisisRequest, Offer
from roster.seeding import load_demo

DEMO_PASSWORD = "demo-password-2026"


def _list(html: str, name: str) -> list[str]:
    block = re.search(rf'<ul data-list="{name}">(.*?)</ul>', html, re.S)
    assert block, name
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", i)).split()) for i in items]


def _home(auth, db_session, email: str) -> str:
    user = db_session.exec(select(User).where(User.email == email)).one()
    return auth.page(user, password=DEMO_PASSWORD).get("/").get_data(as_text=True)


def _titles(db_session, *where) -> set[str]:
    return set(db_session.exec(select(CrisisRequest.title).where(*where)).all())


def test_the_coordinator_home_lists_what_needs_them(app, auth, db_session):
    load_demo(db_session, now=utcnow())
    db_session.commit()
    html = _home(auth, db_session, "coordinator@roster.example")
    triage = _list(html, "triage")
    submitted = _titles(db_session, CrisisRequest.state == "submitted")
    assert len(triage) == len(submitted) and all(any(t in i for t in submitted) for i in triage)
    assert any("past target" in i for i in triage)
    assert _list(html, "lapsing") and all("left to answer" in i for i in _list(html, "lapsing"))
    short = _list(html, "short")
    matching = _titles(
        db_session,
        CrisisRequest.state == "matching",
        col(CrisisRequest.filled) < col(CrisisRequest.seats),
        CrisisRequest.classification != "CTS",
    )
    assert {t for t in matching if any(t in i for i in short)} == matching
    profiles = _list(html, "profiles")
    assert any("profile to vet" in i for i in profiles)
    assert any("to verify" in i for i in profiles)
    assert 'href="/requests/' in html and 'href="/experts/' in html


def test_each_lno_home_lists_their_open_requests_and_nothing_above_them(app, auth, db_session):
    load_demo(db_session, now=utcnow())
    db_session.commit()
    for email in ("lno@roster.example", "lno.restricted@roster.example"):
        user = db_session.exec(select(User).where(User.email == email)).one()
        own = _list(_home(auth, db_session, email), "own")
        mine = _titles(
            db_session,
            CrisisRequest.requested_by_id == user.id,
            col(CrisisRequest.state).not_in(("completed", "rejected", "cancelled")),
        )
        assert mine and len(own) == len(mine)
        assert all(any(t in i for t in mine) for i in own)
        assert any("Waits for" in i or "waits for" in i or "Being matched" in i for i in own)
    restricted = _home(auth, db_session, "lno.restricted@roster.example")
    for title in _titles(db_session, col(CrisisRequest.classification).in_(("NC", "NS", "CTS"))):
        assert title not in unescape(restricted)


def test_an_expert_home_lists_their_open_offers_and_engagements(app, auth, db_session):
    load_demo(db_session, now=utcnow())
    db_session.commit()
    offered = db_session.exec(
        select(Expert)
        .join(Offer, col(Offer.expert_id) == col(Expert.id))
        .where(Offer.state == "open")
        .order_by(col(Expert.email))
    ).first()
    assert offered is not None and offered.user_id is not None
    html = _home(auth, db_session, offered.email)
    offers = _list(html, "offers")
    assert offers and all("answer by" in i for i in offers)
