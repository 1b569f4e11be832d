"""In Chromium at 375 x 812 (a phone) and 1366 x 768: the search, the request form, the request
page, the expert's offers and one offer, and the candidates page have no horizontal page scroll,
their key action is on the page, their tap targets are at least 24 px, and axe finds nothing.
Each page is kept as a full-page screenshot to look at (under the test's tmp path, or the folder
in ROSTER_SCREENSHOTS), with its height in heights.txt beside it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from roster.db import today, utcnow
from roster.requests import services
from tests.browser.conftest import assert_accessible
from tests.requests.test_request_pages import request_data
from tests.support.factories import make_offer, seat

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ROSTER_SCREENSHOTS")
SIZES = {"phone": (375, 812), "wide": (1366, 768)}
TAP = 24  # px: the smallest target WCAG 2.2's 2.5.8 accepts
CLEARED = {"clearance": "NS", "clearance_expires_on": date(2030, 1, 1)}

# Buttons, form controls and links that stand alone (not in a sentence) in the main content.
TARGETS = (
    "main button:visible, main select:visible, main summary:visible, main .button:visible, "
    "main li > a:visible, main .chip-link:visible, main .actions a:visible"
)


def look(page: Page, tmp_path: Path, name: str) -> int:
    """Screenshot the whole page, note its height, then check it as a person would."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    height = page.evaluate("document.documentElement.scrollHeight")
    folder = Path(SHOTS) if SHOTS else tmp_path
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    with (folder / "heights.txt").open("a", encoding="utf-8") as heights:
        heights.write(f"{name} {width} {height}\n")
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1], f"{name} scrolls sideways at {width}: {wide_ones(page)}"
    small = small_targets(page)
    assert small == [], f"{name}: tap targets under {TAP} px at {width}: {small}"
    assert_accessible(page)
    return height


WIDE_ONES = """() => {
  const past = e => e.getBoundingClientRect().right > window.innerWidth + 1;
  return Array.from(document.querySelectorAll("body *"))
    .filter(e => past(e) && !Array.from(e.children).some(past))
    .slice(0, 8)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
}"""


def wide_ones(page: Page) -> list[str]:
    """The innermost elements that reach past the right edge: what makes the page scroll."""
    return page.evaluate(WIDE_ONES)


def small_targets(page: Page) -> list[str]:
    found = []
    for target in page.locator(TARGETS).all():
        box = target.bounding_box()
        if box and (box["height"] < TAP or box["width"] < TAP):
            text = (target.inner_text() or target.get_attribute("name") or "").strip()
            found.append(f"{text[:30]!r} {box['width']:.0f}x{box['height']:.0f}")
    return found


def sized(new_page: Callable[[], Page], size: str) -> Page:
    page = new_page()
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    return page


def on_screen(locator: Locator) -> None:
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    expect(locator).to_be_in_viewport()


@pytest.fixture
def staffed(db_session, make_user, make_expert):
    """A request in matching with one seat held, an open and a declined offer; its people."""
    coordinator = make_user("coordinator", clearance="NS")
    lno = make_user("lno", clearance="NS")
    data = request_data(
        title="CRSV and gender analysis for the planning cell of the Sahel mission",
        seats=3,
        languages=[{"code": "fr", "min_level": "B2"}],
        regions=["ML", "NE"],
    )
    req = services.create_request(session=db_session, actor=lno, data=data, today=today())
    for actor, action in ((lno, "submit"), (coordinator, "triage")):
        services.apply_action(session=db_session, actor=actor, request=req, action=action)
    db_session.commit()
    seat(db_session, req, make_expert(clearance="NS", full_name="Seated Expert-Longname"))
    declining = make_expert(clearance="NS", full_name="Dario Declining")
    declined = make_offer(db_session, req, declining)
    declined.state, declined.responded_at = "declined", utcnow()
    declined.decline_reason = "Deployed elsewhere in March and April, sorry"
    db_session.add(declined)
    db_session.commit()
    waiting = make_expert(clearance="NS", full_name="Wanda Waiting", topics={"crsv": 4})
    offer = make_offer(db_session, req, waiting, hours=30)
    for n in range(6):
        make_expert(
            clearance="NS",
            full_name=f"Candidate Number{n}",
            topics={"crsv": 3 + n % 2},
            languages={"fr": "C1" if n % 2 else "B1"},
            regions=("ML",),
        )
    return {
        "coordinator": coordinator,
        "lno": lno,
        "request": req,
        "offer": offer,
        "expert": waiting,
    }


@pytest.mark.parametrize("size", SIZES)
def test_the_request_page_fits(new_page, sign_in, staffed, tmp_path, size):
    page = sized(new_page, size)
    sign_in(page, staffed["coordinator"])
    page.goto(f"/requests/{staffed['request'].id}")
    on_screen(page.get_by_role("link", name="See candidates and send offers"))
    on_screen(page.get_by_role("button", name="Withdraw Wanda Waiting"))
    look(page, tmp_path, "request")


@pytest.mark.parametrize("size", SIZES)
def test_the_candidates_page_fits(new_page, sign_in, staffed, tmp_path, size):
    page = sized(new_page, size)
    sign_in(page, staffed["coordinator"])
    page.goto(f"/requests/{staffed['request'].id}/candidates")
    expect(page.get_by_role("button", name="Send offers")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Candidate Number1")).to_be_visible()
    look(page, tmp_path, "candidates")


@pytest.mark.parametrize("size", SIZES)
def test_the_offers_pages_fit(new_page, sign_in, staffed, tmp_path, size):
    page = sized(new_page, size)
    sign_in(page, staffed["expert"])
    page.goto("/offers")
    on_screen(page.get_by_role("link", name="Read the offer, then accept").first)
    look(page, tmp_path, "offers")
    page.goto(f"/offers/{staffed['offer'].id}")
    on_screen(page.get_by_role("button", name="Accept the offer"))
    look(page, tmp_path, "offer")


@pytest.mark.parametrize("size", SIZES)
def test_the_request_form_fits(new_page, sign_in, staffed, tmp_path, size):
    page = sized(new_page, size)
    sign_in(page, staffed["lno"])
    page.goto("/requests/new")
    on_screen(page.get_by_role("button", name="Save and submit"))
    look(page, tmp_path, "request-form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    look(page, tmp_path, "request-form-errors")


@pytest.mark.parametrize("size", SIZES)
def test_the_search_fits(new_page, sign_in, staffed, tmp_path, size):
    page = sized(new_page, size)
    sign_in(page, staffed["lno"])
    page.goto("/search?topic=crsv:3&language=fr:B1&region=ML")
    first = page.locator("ol.results > li").first
    expect(first).to_be_visible()
    look(page, tmp_path, "search")
