"""In Chromium, on the demo: the coordinator's, an LNO's and an expert's homes show what needs
them, each item a link, and the pages are axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from roster.accounts.models import User
from roster.db import utcnow
from roster.seeding import load_demo
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
SHOTS = None  # a directory path keeps full-page screenshots while working on the UI


def test_homes_show_what_needs_each_user(new_page, sign_in, db_session):
    load_demo(db_session, now=utcnow())
    db_session.commit()
    for email, heading in (
        ("coordinator@roster.example", "Waiting for triage"),
        ("lno@roster.example", "Your open requests"),
        ("expert@roster.example", "Offers waiting for your answer"),
    ):
        user = db_session.exec(select(User).where(User.email == email)).one()
        page = new_page()
        page.set_viewport_size({"width": 1366, "height": 900})
        sign_in(page, user, password="demo-password-2026")
        page.goto("/")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/home-{email.split('@')[0]}.png", full_page=True)
        assert_accessible(page)
        page.close()
