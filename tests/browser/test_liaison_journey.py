"""In Chromium, the whole liaison loop on the demo data: an LNO raises and submits a request, a
coordinator triages it and offers a seat to the demo expert, who accepts; the LNO sees the team."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from roster.db import today
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser
EXPERT = "Leila Marchetti"


@pytest.fixture
def new_page(browser, live_server):  # noqa: ANN001, ANN201 - Playwright pages, one context each
    contexts = []

    def open_as(email: str):  # noqa: ANN202
        context = browser.new_context(base_url=live_server)
        contexts.append(context)
        opened = context.new_page()
        sign_in(opened, email)
        return opened

    yield open_as
    for context in contexts:
        context.close()


def test_a_request_goes_from_raised_to_staffed(new_page):
    title = f"CRSV mentoring for Exercise {uuid.uuid4().hex[:6]}"
    # Inside the demo expert's vetting and availability, and away from other tests' dates.
    starts = today() + timedelta(days=150)

    lno = new_page("lno@roster.example")
    lno.get_by_role("link", name="Requests", exact=True).first.click()
    assert_accessible(lno)
    lno.get_by_role("link", name="Raise a new request").click()
    assert lno.get_by_role("heading", level=1).inner_text() == "New request"
    assert_accessible(lno)
    lno.get_by_label("Title").fill(title)
    lno.get_by_label("Description").fill("Mentor the staff on survivor-centred reporting.")
    lno.get_by_label("Kind of request").select_option("exercise")
    lno.get_by_label("Classification of the request").select_option("NR")
    lno.get_by_label("Clearance the experts need").select_option("NR")
    lno.locator('tr:has(input[type="hidden"][value="crsv"]) select').select_option("3")
    lno.get_by_label("Countries concerned").select_option("IQ")
    lno.get_by_label("Starts on").fill(starts.isoformat())
    lno.get_by_label("Ends on").fill((starts - timedelta(days=2)).isoformat())
    lno.get_by_role("button", name="Save draft").click()
    expect(lno.locator("#ends_on-error")).to_be_visible()
    assert lno.get_by_label("Title").input_value() == title
    assert_accessible(lno)
    lno.get_by_label("Ends on").fill((starts + timedelta(days=4)).isoformat())
    lno.get_by_role("button", name="Save draft").click()
    assert lno.get_by_role("heading", level=1).inner_text() == title
    assert_accessible(lno)
    lno.get_by_role("button", name="Submit", exact=True).click()
    assert "Submitted" in lno.locator(".meta").first.inner_text()
    request_url = lno.url

    coordinator = new_page("coordinator@roster.example")
    coordinator.get_by_role("link", name="Requests", exact=True).first.click()
    assert coordinator.get_by_role("heading", level=1).inner_text() == "Request queue"
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name=title).click()
    assert_accessible(coordinator)
    coordinator.get_by_label("Note with “Accept for matching” (optional)").fill("Clear need.")
    coordinator.get_by_role("button", name="Accept for matching").click()
    assert "Matching" in coordinator.locator(".meta").first.inner_text()
    coordinator.get_by_role("link", name="See candidates and send offers").click()
    assert_accessible(coordinator)
    coordinator.get_by_label(f"Select {EXPERT}").check()
    assert coordinator.get_by_label("Respond by (UTC)").input_value()
    coordinator.get_by_role("button", name="Send offers").click()
    expect(coordinator.get_by_text("Offers sent: 1.")).to_be_visible()
    assert_accessible(coordinator)

    expert = new_page("expert@roster.example")
    expert.get_by_role("link", name="Offers", exact=True).first.click()
    assert_accessible(expert)
    offer = expert.get_by_role("article", name=title)
    offer.get_by_role("button", name="Accept").click()
    expect(expert.get_by_text("You accepted the offer.")).to_be_visible()
    assert "Accepted" in expert.get_by_role("article", name=title).inner_text()
    assert_accessible(expert)

    lno.goto(request_url)
    assert "Staffed" in lno.locator(".meta").first.inner_text()
    team = lno.get_by_role("table", name="Experts who accepted a seat")
    assert EXPERT in team.inner_text()
    assert "expert@roster.example" in team.inner_text()
    assert_accessible(lno)
