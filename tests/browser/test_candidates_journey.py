"""In Chromium at 1366 wide: a two-seat request with many candidates fits in two screens, the
send control is on screen from the top to the bottom of the page, and the count and balance of
the selection follow the checkboxes."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from roster.db import today
from roster.requests import services
from tests.browser.conftest import assert_accessible
from tests.requests.test_request_pages import request_data

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 1366, 768
TWO_SCREENS = 1800


def test_a_two_seat_request_fits_in_two_screens_with_send_in_view(
    new_page, sign_in, make_user, make_expert, db_session, tmp_path: Path
):
    coordinator = make_user("coordinator", clearance="NS")
    data = request_data(
        title="CRSV advice to the Mali mission",
        seats=2,
        topics=[{"code": "crsv", "min_level": 3}],
        languages=[{"code": "fr", "min_level": "B2"}],
        regions=["ML"],
    )
    req = services.create_request(session=db_session, actor=coordinator, data=data, today=today())
    for action in ("submit", "triage"):
        services.apply_action(session=db_session, actor=coordinator, request=req, action=action)
    db_session.commit()
    for n in range(12):
        make_expert(
            clearance="NS",
            full_name=f"Full Match{n}",
            topics={"crsv": 3 + n % 2},
            languages={"fr": "C1"},
            regions=("ML",),
            gender="woman" if n % 2 else "man",
        )
    for n in range(30):
        make_expert(
            clearance="NS",
            full_name=f"Partial Match{n}",
            topics={"crsv": 2 + n % 3},
            languages={"fr": "B1"},
            regions=("ML",) if n % 2 else (),
        )

    page = new_page()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, coordinator)
    page.goto(f"/requests/{req.id}/candidates")
    send = page.get_by_role("button", name="Send offers")
    expect(send).to_be_in_viewport()
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(tmp_path / "candidates.png"), full_page=True)  # to look at
    assert height < TWO_SCREENS, height
    assert page.locator('input[name="expert_ids"]:checked').count() == 3
    expect(page.locator("#selected-count")).to_have_text("3")
    assert_accessible(page)

    page.mouse.wheel(0, 5000)
    expect(send).to_be_in_viewport()
    page.screenshot(path=str(tmp_path / "candidates-scrolled.png"))
    # The best three are the leading authorities, all women here; a man joins the selection.
    expect(page.locator("#balance-gender")).to_have_text("Woman 3")
    page.get_by_label("Select Full Match0").check()
    expect(page.locator("#selected-count")).to_have_text("4")
    expect(page.locator("#balance-gender")).to_have_text("Woman 3, Man 1")
    page.get_by_text("partial matches, with what each lacks").click()
    expect(page.get_by_text("French: B1, asked B2").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "candidates-partial.png"), full_page=True)
