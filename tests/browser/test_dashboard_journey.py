"""In Chromium: a coordinator opens the dashboard, reads the heatmap and its table, follows a cell
to the roster search, downloads the coverage CSV and previews an import."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.support.factories import add_expert, cleared

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[2] / "seeds" / "sample_import.csv"


def test_coordinator_reads_the_dashboard_and_downloads_a_csv(page, sign_in, db_session, make_user):
    for n, (topics, region) in enumerate(
        [({"crsv": 4}, "UA"), ({"crsv": 3, "poc": 2}, "UA"), ({"poc": 3}, "SY")]
    ):
        add_expert(
            db_session,
            f"Covered Expert{n}",
            topics=topics,
            regions=[region],
            gender="woman",
            **cleared("NS"),
        )
    sign_in(page, make_user("coordinator", clearance="NS"))
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Coordinator dashboard"
    page.get_by_role("link", name="Coverage gaps").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Coverage gaps"
    heatmap = page.get_by_role("group", name="Coverage heatmap").first
    expect(heatmap).to_be_visible()
    expect(page.locator("table[data-table=coverage] caption")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download coverage as CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("roster-coverage-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Topic")
    matrix = rows[header + 1 : rows.index([], header)]
    assert len(matrix) == page.locator("table[data-table=coverage] tbody tr").count()
    first_row = page.locator("table[data-table=coverage] tbody tr").first
    assert first_row.locator("th").inner_text() == matrix[0][0]

    first_cell = page.locator("#coverage-chart-t").locator("xpath=..").locator("a").first
    first_cell.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Search the roster"

    page.goto("/dashboard/participation")
    assert page.locator("#participation-gender-chart-t").count() == 1


def test_coordinator_previews_an_import_before_anything_is_written(page, sign_in, make_user):
    sign_in(page, make_user("coordinator", clearance="NS"))
    page.goto("/reports/import")
    assert_accessible(page)
    page.get_by_label("Spreadsheet of experts (CSV or XLSX)").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/reports/import/*")
    assert page.locator("#count-new").inner_text() == "8"
    assert_accessible(page)
    page.get_by_role("button", name="Discard this upload").click()
    assert "nothing was imported" in page.content()
