"""Exports: the same numbers as the page, formula injection neutralised in CSV and XLSX, and
visibility kept: an LNO's export never holds what the LNO cannot see."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from html import unescape

from openpyxl import load_workbook

from roster.reports.exports import neutralise, to_csv, to_xlsx
from roster.reports.tables import Table
from tests.support.factories import cleared, make_request

DANGEROUS = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tTab", "\rCR"]


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_formula_cells_get_an_apostrophe_in_csv_and_xlsx():
    table = Table(key="t", caption="c", headers=["v"], rows=[[v] for v in DANGEROUS] + [[-3]])
    rows = read_csv(to_csv([table]))[1:]
    assert [r[0] for r in rows[:-1]] == ["'" + v for v in DANGEROUS]
    assert rows[-1] == ["-3"]  # a number is a number, not a formula
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active
    values = [sheet.cell(row=i + 3, column=1).value for i in range(len(DANGEROUS))]
    # XML readers may normalise a lone CR to LF; what matters is the leading apostrophe.
    assert [v.replace("\r", "\n") for v in values] == [
        "'" + v.replace("\r", "\n") for v in DANGEROUS
    ]
    assert all(sheet.cell(row=i + 3, column=1).data_type == "s" for i in range(len(DANGEROUS)))
    assert neutralise("plain") == "plain"


def page_table(html: str, key: str) -> list[list[str]]:
    """The cells of the page's table `key` as text."""
    block = re.search(rf'<table[^>]*data-table="{key}">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", block, re.S)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def test_coverage_export_equals_the_page(auth, roster, make_user):
    roster("Ada", topics={"crsv": 3}, regions=["UA"], **cleared("NS"))
    roster("Ben", topics={"crsv": 2, "poc": 3}, regions=["UA", "SY"], **cleared("NR"))
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    query = "clearance=NR&topic_level=2"
    html = coordinator.get(f"/dashboard/coverage?{query}").get_data(as_text=True)
    on_page = page_table(html, "coverage")
    exported = read_csv(coordinator.get(f"/reports/coverage.csv?{query}&table=coverage").data)
    assert exported == on_page
    xlsx = load_workbook(io.BytesIO(coordinator.get(f"/reports/coverage.xlsx?{query}").data))
    sheet = xlsx["coverage"]
    rows = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[1:] == on_page


def test_request_and_participation_exports_equal_the_page(auth, db_session, make_user):
    lno = make_user("lno", clearance="NS")
    for urgency in ("routine", "priority", "priority"):
        make_request(db_session, lno, state="matching", urgency=urgency)
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    for kind, key in (
        ("requests", "requests_by_state"),
        ("requests", "offers"),
        ("participation", "participation_gender"),
        ("watchlist", "dormant"),
    ):
        html = coordinator.get(f"/dashboard/{kind}").get_data(as_text=True)
        exported = read_csv(coordinator.get(f"/reports/{kind}.csv?table={key}").data)
        shown = page_table(html, key)
        if shown[1:] == [["Nothing to show."]]:
            shown = shown[:1]
        assert [[c or "–" for c in r] for r in exported] == [
            [c or "–" for c in r] for r in shown
        ], key


def test_an_lno_search_export_holds_only_what_the_lno_sees(auth, roster, make_user):
    roster("Listed Person", topics={"crsv": 3}, email="listed@example.org", phone="+1 555 0001")
    roster("Pending Person", vetting_status="pending", topics={"crsv": 3}, email="p@example.org")
    roster("Inactive Person", active=False, topics={"crsv": 3})
    lno = auth.page(make_user("lno", clearance="NS"))
    body = lno.get("/reports/search.csv?topic=crsv:2").data
    rows = read_csv(body)
    assert [r[rows[0].index("full_name")] for r in rows[1:]] == ["Listed Person"]
    text = body.decode("utf-8-sig")
    for hidden in ("Pending Person", "Inactive Person", "listed@example.org", "+1 555", "vetting"):
        assert hidden not in text
    assert "email" not in rows[0] and "phone" not in rows[0]
    xlsx = load_workbook(io.BytesIO(lno.get("/reports/search.xlsx?topic=crsv:2").data)).active
    values = {str(v) for r in xlsx.iter_rows(values_only=True) for v in r if v is not None}
    assert "Listed Person" in values and "Pending Person" not in values
    assert not any("@example.org" in v for v in values)


def test_a_coordinator_search_export_matches_the_search(auth, roster, make_user):
    roster("Listed Person", topics={"crsv": 3}, email="listed@example.org")
    roster("Pending Person", vetting_status="pending", topics={"crsv": 3}, email="p@example.org")
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    rows = read_csv(coordinator.get("/reports/search.csv?topic=crsv:2&sort=name").data)
    assert [r[1] for r in rows[1:]] == ["Listed Person", "Pending Person"]
    assert "email" in rows[0] and "vetting" in rows[0]


def test_who_may_download_what(auth, make_user):
    lno, expert, admin = (
        auth.page(make_user("lno", clearance="NS")),
        auth.page(make_user("expert", clearance="NS")),
        auth.page(make_user("admin", clearance="NS")),
    )
    assert lno.get("/dashboard").status_code == 403
    assert lno.get("/reports/coverage.csv").status_code == 403
    assert lno.get("/reports/annual").status_code == 403
    assert expert.get("/reports/search.csv").status_code == 403
    assert expert.get("/reports/requests.xlsx").status_code == 403
    assert admin.get("/dashboard").status_code == 200
    assert admin.get("/reports/participation.csv").status_code == 200
    assert admin.get("/reports/annual").status_code == 200
    assert admin.get("/reports/nothing.csv").status_code == 404
    assert admin.get("/reports/coverage.pdf").status_code == 404


def test_a_moment_reads_as_the_page_language_and_exports_as_iso(auth, db_session, make_user):
    lno = make_user("lno", clearance="NS")
    late = make_request(db_session, lno, state="submitted", urgency="immediate")
    late.submitted_at = datetime(2026, 11, 30, 9, 5, tzinfo=UTC)
    db_session.add(late)
    db_session.commit()
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    shown = page_table(coordinator.get("/dashboard/requests").get_data(as_text=True), "overdue")
    row = next(r for r in shown[1:] if r[0] == str(late.id))
    assert row[4] == "Nov 30, 2026 09:05"
    exported = read_csv(coordinator.get("/reports/requests.csv?table=overdue").data)
    assert next(r for r in exported[1:] if r[0] == str(late.id))[4] == "2026-11-30T09:05:00+00:00"
