"""In Chromium: the request form is quick to fill in a crisis. Countries are typed and kept as
removable chips, topics are rows with "add another", the clearance the experts need follows the
classification, a failed submit puts the focus on the error summary, and the form fits in about
two screens at 1366 wide and in 375 px without horizontal scrolling."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from roster.db import today
from roster.requests import services
from roster.requests.models import CrisisRequest
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("ROSTER_SCREENSHOTS")
TWO_SCREENS = 1800
CLEARED = {"clearance": "NR", "clearance_expires_on": date(2030, 1, 1)}


def shot(page, tmp_path, name: str) -> None:
    page.screenshot(path=f"{SHOTS or tmp_path}/{name}.png", full_page=True)  # to look at


def test_an_lno_fills_the_request_form_by_keyboard(page, sign_in, make_user, db_session, tmp_path):
    page.set_viewport_size({"width": 1366, "height": 900})
    lno = make_user("lno", **CLEARED)
    sign_in(page, lno)
    page.goto("/requests/new")
    height = page.evaluate("document.documentElement.scrollHeight")
    shot(page, tmp_path, "request-form")
    assert height <= TWO_SCREENS, height
    assert_accessible(page)

    classification = page.get_by_label("Classification of the request")
    offered = classification.locator("option").all_inner_texts()
    assert offered == ["NU", "NR"]  # no higher than the LNO's own clearance
    needed = page.get_by_label("Clearance the experts need")
    assert needed.input_value() == "NU"
    classification.select_option("NR")
    assert needed.input_value() == "NR"

    countries = page.get_by_role("combobox", name="Countries concerned")
    listbox = page.get_by_role("listbox", name="Countries concerned")
    countries.fill("Iraq")
    countries.press("Enter")  # the one match
    expect(page.get_by_role("button", name="Iraq, remove")).to_be_visible()
    expect(countries).to_have_value("")
    countries.fill("mal")
    expect(countries).to_have_attribute("aria-expanded", "true")
    countries.press("ArrowDown")
    countries.press("ArrowDown")
    second = listbox.get_by_role("option").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(countries).to_have_attribute("aria-activedescendant", second.get_attribute("id") or "")
    name = second.inner_text()
    assert name.lower().startswith("mal")
    countries.press("Enter")
    expect(page.get_by_role("button", name=f"{name}, remove")).to_be_visible()
    countries.press("Backspace")  # on the empty input: the last chip goes
    expect(page.get_by_role("button", name=f"{name}, remove")).to_have_count(0)
    countries.fill("Niger")
    listbox.get_by_role("option", name="Niger", exact=True).click()
    page.get_by_role("button", name="Niger, remove").click()
    expect(page.get_by_role("button", name="Niger, remove")).to_have_count(0)
    expect(countries).to_be_focused()
    chosen = page.locator("#regions option:checked").evaluate_all("os => os.map(o => o.text)")
    assert chosen == ["Iraq"]
    assert_accessible(page)

    page.get_by_label("Title").fill("Gender advice for the Sahel cell")
    page.get_by_label("Topic 1", exact=True).select_option("crsv")
    page.get_by_label("Minimum level of topic 1").select_option("3")
    page.get_by_label("Topic 2", exact=True).select_option("crsv")  # twice: refused
    page.get_by_label("Topic 3", exact=True).select_option("gender-analysis")
    page.get_by_role("button", name="Add another topic").click()
    expect(page.get_by_label("Topic 4", exact=True)).to_be_focused()
    language = page.get_by_role("combobox", name="Language 1", exact=True)
    language.fill("fren")
    language.press("ArrowDown")
    language.press("Enter")
    expect(language).to_have_value("French")
    page.get_by_label("Minimum level of language 1").select_option("B2")
    starts = today() + timedelta(days=20)
    page.get_by_label("Starts on").fill(starts.isoformat())
    page.get_by_label("Ends on").fill((starts + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Save draft").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(page.locator("#topics-1-error")).to_contain_text("already in another row")
    expect(page.locator("#topics-2-error")).to_contain_text("Choose a minimum level")
    assert page.get_by_label("Title").input_value() == "Gender advice for the Sahel cell"
    expect(page.get_by_role("button", name="Iraq, remove")).to_be_visible()
    shot(page, tmp_path, "request-form-errors")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Topic 2", exact=True)).to_be_focused()

    page.get_by_label("Topic 2", exact=True).select_option("")
    page.get_by_label("Minimum level of topic 3").select_option("2")
    page.get_by_role("button", name="Add another language").click()
    added = page.get_by_role("combobox", name="Language 4", exact=True)
    expect(added).to_be_focused()
    added.fill("Arabic")
    added.press("Enter")
    page.get_by_label("Minimum level of language 4").select_option("B1")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gender advice for the Sahel cell")
    req = db_session.exec(select(CrisisRequest)).one()
    assert (req.classification, req.required_clearance) == ("NR", "NR")
    stored = services.needs(db_session, req)
    assert stored["topics"] == [
        {"code": "crsv", "min_level": 3},
        {"code": "gender-analysis", "min_level": 2},
    ]
    assert stored["languages"] == [
        {"code": "ar", "min_level": "B1"},
        {"code": "fr", "min_level": "B2"},
    ]
    assert stored["regions"] == ["IQ"]

    page.goto(f"/requests/{req.id}/edit")
    assert page.get_by_label("Topic 1", exact=True).input_value() == "crsv"
    assert page.get_by_label("Minimum level of topic 2").input_value() == "2"
    expect(page.get_by_role("combobox", name="Language 1", exact=True)).to_have_value("Arabic")
    expect(page.get_by_role("button", name="Iraq, remove")).to_be_visible()


def test_the_request_form_fits_a_phone(page, sign_in, make_user, tmp_path):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, make_user("lno", **CLEARED))
    page.goto("/requests/new")
    page.get_by_role("combobox", name="Countries concerned").fill("Democratic")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    shot(page, tmp_path, "request-form-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    shot(page, tmp_path, "request-form-375-errors")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
