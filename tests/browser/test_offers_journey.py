"""In Chromium: a coordinator reads every offer of a request and withdraws one; an expert reads
a classified offer on its own page and must tick both confirmations to accept it."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from roster.db import utcnow
from tests.browser.conftest import assert_accessible
from tests.support.factories import make_offer, make_request

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ROSTER_SCREENSHOTS")  # a folder for full-page screenshots, if set


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_coordinator_withdraws_and_expert_accepts(
    new_page, sign_in, db_session, make_user, make_expert
):
    coordinator = make_user("coordinator", clearance="NS")
    lno = make_user("lno", clearance="NS")
    req = make_request(db_session, lno, classification="NR", seats=2)
    req.title = "Gender analysis for the planning cell"
    db_session.add(req)
    db_session.commit()
    waiting = make_expert(clearance="NS", full_name="Wanda Waiting")
    declining = make_expert(clearance="NS", full_name="Dario Declining")
    accepting = make_expert(clearance="NS", full_name="Amal Accepting")
    open_offer = make_offer(db_session, req, waiting)
    declined = make_offer(db_session, req, declining)
    declined.state, declined.decline_reason, declined.responded_at = (
        "declined",
        "Deployed elsewhere in March",
        utcnow(),
    )
    db_session.add(declined)
    db_session.commit()
    mine = make_offer(db_session, req, accepting, hours=30)

    staff = new_page()
    sign_in(staff, coordinator)
    staff.goto(f"/requests/{req.id}")
    offers = staff.get_by_role("table").filter(has_text="Wanda Waiting")
    expect(offers).to_be_visible()
    expect(offers.get_by_role("link", name="Dario Declining")).to_be_visible()
    expect(offers.get_by_text("Deployed elsewhere in March")).to_be_visible()
    expect(offers.get_by_role("button", name="Offer again Dario Declining")).to_be_visible()
    assert_accessible(staff)
    shot(staff, "request-offers")
    offers.get_by_role("button", name="Withdraw Wanda Waiting").click()
    expect(staff.get_by_text("The offer was withdrawn")).to_be_visible()
    row = staff.locator(f"#offer-{open_offer.id}")
    expect(row).to_contain_text("Withdrawn")

    expert = new_page()
    sign_in(expert, accepting)
    expert.goto(f"/offers/{mine.id}")
    expect(expert.get_by_role("heading", level=1)).to_have_text(req.title)
    expect(expert.get_by_text("min left")).to_be_visible()
    assert_accessible(expert)
    expert.get_by_role("button", name="Accept the offer").click()
    expect(expert.locator("#no_conflict-error")).to_be_visible()
    expect(expert.locator("#share_contact-error")).to_be_visible()
    assert_accessible(expert)
    shot(expert, "offer-refused")
    expert.get_by_label("I have no conflict of interest with this request.").check()
    expert.get_by_label("I agree that my e-mail address and phone number go to").check()
    expert.get_by_role("button", name="Accept the offer").click()
    expect(expert.get_by_text("You accepted the offer.")).to_be_visible()
    assert_accessible(expert)
    shot(expert, "offer-accepted")
