"""In Chromium: a coordinator opens the CSAP panel and the focal-point directory and filters it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_opens_the_panel_and_filters_the_directory(page):
    sign_in(page, "coordinator@roster.example")

    page.get_by_role("link", name="Panel").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Civil Society Advisory Panel (CSAP)"
    )
    current = page.get_by_role("table", name="Members serving today")
    assert current.get_by_role("rowheader", name="Linnea Ekberg").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Show past members").click()
    assert page.get_by_role("table", name="Members whose term has ended").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Directory").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Focal-point directory"
    assert_accessible(page)
    page.get_by_label("Command or headquarters").select_option("JFC-N")
    page.get_by_role("button", name="Filter").click()
    assert "command=JFC-N" in page.url
    assert page.get_by_label("Command or headquarters").input_value() == "JFC-N"
    commands = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert commands
    assert all(text.startswith("JFC-N") for text in commands)
    assert_accessible(page)


def test_the_panel_and_directory_work_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "coordinator@roster.example")
    for path in ("/panel?history=1", "/directory?topic=gender-analysis"):
        page.goto(path)
        assert page.locator("caption").count() >= 1
        assert_accessible(page)
