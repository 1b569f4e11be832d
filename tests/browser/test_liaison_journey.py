"""In Chromium, the whole liaison loop: an LNO raises and submits a request, a coordinator triages
it and offers a seat to a vetted expert, who accepts; the LNO sees the team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from roster.db import today
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
EXPERT = "Leila Marchetti"


def test_a_request_goes_from_raised_to_staffed(new_page, sign_in, make_user, make_expert):
    title = "CRSV mentoring for Exercise Northern Star"
    starts = today() + timedelta(days=150)  # inside the expert's vetting and clearance
    leila = make_expert(full_name=EXPERT, topics={"crsv": 4}, clearance="NS", regions=("IQ",))
    make_expert(full_name="Junior Expert", topics={"crsv": 1}, clearance="NS")

    lno = new_page()
    sign_in(lno, make_user("lno", clearance="NS"))
    lno.get_by_role("link", name="Requests", exact=True).first.click()
    assert_accessible(lno)
    lno.get_by_role("link", name="Raise a new request").click()
    assert lno.get_by_role("heading", level=1).inner_text() == "New request"
    assert_accessible(lno)
    lno.get_by_label("Title").fill(title)
    lno.get_by_label("Description").fill("Mentor the staff on survivor-centred reporting.")
    lno.get_by_label("Kind of request").select_option("exercise")
    lno.get_by_label("Classification of the request").select_option("NR")
    assert lno.get_by_label("Clearance the experts need").input_value() == "NR"  # follows
    lno.get_by_label("Topic 1", exact=True).select_option("crsv")
    lno.get_by_label("Minimum level of topic 1").select_option("3")
    lno.get_by_role("combobox", name="Countries concerned").fill("Iraq")
    lno.keyboard.press("Enter")
    expect(lno.get_by_role("button", name="Iraq, remove")).to_be_visible()
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

    coordinator = new_page()
    sign_in(coordinator, make_user("coordinator", clearance="NS"))
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
    expect(coordinator.get_by_text(f"Offers sent to {EXPERT}, to answer by")).to_be_visible()
    assert_accessible(coordinator)

    expert = new_page()
    sign_in(expert, leila)
    expert.get_by_role("link", name="Offers", exact=True).first.click()
    assert_accessible(expert)
    offer = expert.get_by_role("article", name=title)
    offer.get_by_role("link", name="Read the offer, then accept").click()
    expect(expert.get_by_role("heading", name=title)).to_be_visible()
    assert_accessible(expert)
    expert.get_by_label("I have no conflict of interest with this request.").check()
    expert.get_by_role("button", name="Accept the offer").click()
    expect(expert.locator("#share_contact-error")).to_be_visible()
    assert expert.get_by_label("I have no conflict of interest with this request.").is_checked()
    expert.get_by_label("I agree that my e-mail address and phone number go to").check()
    expert.get_by_role("button", name="Accept the offer").click()
    expect(expert.get_by_text("You accepted the offer.")).to_be_visible()
    assert "Accepted" in expert.locator(".meta").first.inner_text()
    expect(
        expert.get_by_role("link", name="Add the engagement to your calendar (.ics)")
    ).to_be_visible()
    assert_accessible(expert)

    lno.goto(request_url)
    assert "Staffed" in lno.locator(".meta").first.inner_text()
    team = lno.get_by_role("table", name="Experts who accepted a seat")
    assert EXPERT in team.inner_text()
    assert leila.email in team.inner_text()
    assert_accessible(lno)
