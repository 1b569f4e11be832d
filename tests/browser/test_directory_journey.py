"""In Chromium: a coordinator opens the CSAP panel and the focal-point directory and filters it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
TODAY = date.today()


@pytest.fixture
def panel_and_focal_points(make_expert, add_member, add_focal_point) -> None:
    """Two panel terms (one serving, one ended) and focal points in two commands."""
    add_member(make_expert(full_name="Linnea Ekberg"), start=TODAY - timedelta(days=30))
    add_member(
        make_expert(full_name="Past Member"),
        cohort=2020,
        start=date(2020, 1, 1),
        end=TODAY - timedelta(days=60),
    )
    add_focal_point(make_expert(full_name="North Gender"), "JFC-N", "gfp", ("gender-analysis",))
    add_focal_point(make_expert(full_name="North Children"), "JFC-N", "caac-fp", ("caac",))
    add_focal_point(make_expert(full_name="South Gender"), "JFC-S", "gfp", ("gender-analysis",))


@pytest.mark.usefixtures("panel_and_focal_points")
def test_coordinator_opens_the_panel_and_filters_the_directory(page, sign_in, make_user):
    sign_in(page, make_user("coordinator", clearance="NS"))

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
    assert len(commands) == 2
    assert all(text.startswith("JFC-N") for text in commands)
    assert_accessible(page)


@pytest.mark.usefixtures("panel_and_focal_points")
def test_the_panel_and_directory_work_on_a_phone(page, sign_in, make_user):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, make_user("coordinator", clearance="NS"))
    for path in ("/panel?history=1", "/directory?topic=gender-analysis"):
        page.goto(path)
        assert page.locator("caption").count() >= 1
        assert_accessible(page)
