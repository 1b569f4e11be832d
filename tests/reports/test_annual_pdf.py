"""The annual report as PDF: WeasyPrint lays out the page's own HTML, so the PDF holds the year
and the same figures as the page, counts only what the reader may see, and a machine without
WeasyPrint's libraries answers 503 while the HTML page keeps working.

The PDF's text is read from WeasyPrint's laid-out document (the one the route writes), not with
pdftotext, so the test needs nothing beyond the Python packages."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from roster.db import utcnow
from roster.reports import pdf
from tests.reports.test_exports import page_table
from tests.support.factories import TODAY, make_request


def _texts(box: Any) -> list[str]:
    out = [box.text] if isinstance(getattr(box, "text", None), str) else []
    for child in getattr(box, "children", None) or []:
        out.extend(_texts(child))
    return out


@pytest.fixture
def rendered(monkeypatch) -> list[Any]:
    """The documents the PDF route lays out, kept for the test to read."""
    kept: list[Any] = []
    real = pdf.document

    def keep(*args: Any, **kwargs: Any) -> Any:
        kept.append(real(*args, **kwargs))
        return kept[-1]

    monkeypatch.setattr(pdf, "document", keep)
    return kept


def _words(document: Any) -> str:
    return " ".join(" ".join(_texts(page._page_box)) for page in document.pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_holds_the_year_and_the_pages_figures_and_no_read_up(
    auth, db_session, make_user, rendered
):
    lno = make_user("lno", clearance="NS")
    for hours, classification in ((2, "NU"), (50, "NS")):
        req = make_request(
            db_session, lno, state="staffed", urgency="immediate", classification=classification
        )
        req.submitted_at = utcnow() - timedelta(hours=hours + 1)
        req.staffed_at = req.submitted_at + timedelta(hours=hours)
        db_session.add(req)
    db_session.commit()
    year = TODAY.year
    rows = {}
    for clearance in ("NR", "NS"):
        reader = auth.page(make_user("coordinator", clearance=clearance))
        html = reader.get(f"/reports/annual?year={year}").get_data(as_text=True)
        row = next(r for r in page_table(html, "time_to_staff") if r[0] == "Immediate")
        response = reader.get(f"/reports/annual.pdf?year={year}")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
        assert f"annual-report-{year}.pdf" in response.headers["Content-Disposition"]
        text = _squash(_words(rendered[-1]))
        assert f"annual progress report {year}" in text
        assert _squash(" ".join(row)) in text  # the page's time-to-staff row, word for word
        rows[clearance] = row
    assert rows["NR"][2] == "1" and rows["NR"][3] == "2.0"  # the NS request is not counted
    assert rows["NS"][2] == "2" and rows["NS"][3] == "26.0"


def test_the_pdf_carries_the_charts_as_svg(auth, make_user, rendered):
    reader = auth.page(make_user("coordinator", clearance="NS"))
    assert reader.get("/reports/annual.pdf").status_code == 200
    html_svgs = re.findall(r"<svg\b", reader.get("/reports/annual").get_data(as_text=True))
    # WeasyPrint draws inline SVG as replaced boxes; count them in the laid-out pages.
    drawn = []

    def walk(box: Any) -> None:
        if type(box).__name__ == "InlineReplacedBox" or type(box).__name__ == "BlockReplacedBox":
            drawn.append(box)
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in rendered[-1].pages:
        walk(page._page_box)
    assert html_svgs and len(drawn) == len(html_svgs)


def test_without_weasyprint_the_pdf_answers_503_and_the_page_still_works(
    auth, make_user, monkeypatch
):
    def missing() -> Any:
        raise pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "load_weasyprint", missing)
    reader = auth.page(make_user("coordinator", clearance="NS"))
    response = reader.get("/reports/annual.pdf")
    assert response.status_code == 503
    assert "cannot draw PDF files" in response.get_data(as_text=True)
    assert "libpango" not in response.get_data(as_text=True)  # no system detail to the reader
    assert reader.get("/reports/annual").status_code == 200


def test_an_invalid_year_and_an_lno_get_no_pdf(auth, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    assert coordinator.get("/reports/annual.pdf?year=abc").status_code == 400
    lno = auth.page(make_user("lno", clearance="NS"))
    assert lno.get("/reports/annual.pdf").status_code == 403


def test_the_fetcher_serves_only_the_given_folders(tmp_path):
    (tmp_path / "a.css").write_text("p{}")
    files = {"/static/": tmp_path}
    assert pdf.local_file(files, "http://x/static/a.css") == (b"p{}", "text/css")
    for url in ("http://x/static/../secret", "http://x/etc/passwd", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            pdf.local_file(files, url)


def test_the_annual_report_lists_the_top_gaps_and_links_to_all(auth, make_user):
    """The annual report carries the 20 gaps most in need, not every empty cell (the coverage
    page has them all), so the report stays readable and the PDF short."""
    admin = auth.page(make_user("admin"))
    html = admin.get("/reports/annual").get_data(as_text=True)
    table = html.split('data-table="ranked-gaps"', 1)[1].split("</tbody>", 1)[0]
    rows = table.split("<tbody>", 1)[1].count("<tr>")
    total = int(re.search(r"Show all (\d+) gaps", html).group(1))
    assert rows == 20 < total
    assert 'data-table="gaps"' not in html
