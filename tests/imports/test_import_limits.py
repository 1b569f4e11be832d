"""Hostile uploads: small files that unpack, parse or print into something huge are refused with
a message while they are read, and nothing the import stores or shows holds a control character.
No test asserts on time; the bounds are checked structurally (bytes pulled, rows pulled, sizes)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from roster.experts.models import Expert
from roster.imports import read as import_read
from roster.imports.check import digest, read_rows
from roster.imports.models import ImportBatch
from roster.imports.read import (
    MAX_BYTES,
    MAX_CELL,
    MAX_COLUMNS,
    MAX_LINES,
    MAX_ROWS,
    MAX_UNPACKED,
    ImportFileError,
)
from tests.imports.hostile import HEADER_ROW, xlsx
from tests.imports.scale import synthetic_csv
from tests.imports.test_imports import confirm, expert_count
from tests.support.auth import csrf_token

MiB = 1024 * 1024
EXPERTS = "email,full_name,affiliation_name,topics\n"


def upload(client, content: bytes, name: str = "experts.csv"):
    """Post a file to the import page, the body built in memory (the test client would spool a
    large one to a temporary file it never closes)."""
    token = csrf_token(client, "/reports/import")
    file = FileStorage(io.BytesIO(content), filename=name)
    boundary, body = encode_multipart({"csrf_token": token, "file": file})
    return client.post(
        "/reports/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def refusal(response) -> str:
    """The message shown beside the file field of a refused upload."""
    html = response.get_data(as_text=True)
    assert response.status_code in (413, 422), html[:300]
    assert len(html) < 50_000  # the page answers the message, never the file
    match = re.search(r'<p class="error"[^>]*>(.*?)</p>', html, re.S)
    assert match, html[:2000]
    return match.group(1)


def test_one_upload_limit_for_the_page_text_the_check_and_the_request_body(app, auth, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    assert "At most 16 MiB and 20000 rows" in coordinator.get("/reports/import").get_data(
        as_text=True
    )
    content = synthetic_csv(12_000)
    assert 2 * MiB < len(content) < MAX_BYTES
    assert upload(coordinator, content).status_code == 302
    too_big = EXPERTS.encode() + b"x" * MAX_BYTES
    assert "The file is larger than 16 MiB." in refusal(upload(coordinator, too_big))
    far_too_big = too_big + b"x" * MiB  # past the request body limit of the page itself
    response = upload(coordinator, far_too_big)
    assert response.status_code == 413
    assert "The file is larger than 16 MiB." in refusal(response)


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(
    app, auth, make_user, monkeypatch
):
    loads: list[object] = []
    monkeypatch.setattr(import_read, "load_workbook", lambda *a, **kw: loads.append(a))
    # One shared string of 64 MiB: about 70 KB on disk.
    bomb = xlsx([HEADER_ROW], shared=("A" * MiB for _ in range(MAX_UNPACKED // MiB + 16)))
    assert len(bomb) < 400_000
    message = refusal(
        upload(auth.page(make_user("coordinator", clearance="NS")), bomb, "bomb.xlsx")
    )
    assert "unpacks to more than 48 MiB" in message
    assert loads == []


def pulled_from_members(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Bytes read from each zip member, however the reader opens it."""
    pulled: dict[str, int] = {}
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = original(self, n)
        pulled[self.name] = pulled.get(self.name, 0) + len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return pulled


def declaring(content: bytes, size: int) -> bytes:
    """The archive with every member's size in the central directory replaced by `size`."""
    out, start = bytearray(content), 0
    while (at := out.find(b"PK\x01\x02", start)) != -1:
        out[at + 24 : at + 28] = size.to_bytes(4, "little")
        start = at + 4
    return bytes(out)


def test_an_xlsx_that_lies_about_its_sizes_is_refused_without_unpacking_it(app, monkeypatch):
    # Declared sizes of 1 KiB for a 64 MiB shared string: the declared total passes, so what is
    # actually unpacked is what must stay bounded.
    bomb = xlsx([HEADER_ROW], shared=("A" * MiB for _ in range(MAX_UNPACKED // MiB + 16)))
    pulled = pulled_from_members(monkeypatch)
    with pytest.raises(ImportFileError, match="not a readable XLSX"):
        read_rows(declaring(bomb, 1024), "xlsx")
    assert sum(pulled.values()) <= MAX_UNPACKED


def test_a_sheet_of_half_a_million_rows_stops_being_read_at_the_cap(
    app, auth, make_user, monkeypatch
):
    rows = 500_000
    sheet = xlsx([HEADER_ROW, *("<row><c><v>1</v></c></row>" for _ in range(rows))])
    assert len(sheet) < 200_000
    pulled = pulled_from_members(monkeypatch)
    message = refusal(
        upload(auth.page(make_user("coordinator", clearance="NS")), sheet, "rows.xlsx")
    )
    assert f"At most {MAX_ROWS} rows" in message
    # The reader stopped just past the cap: it never unpacked the rest of the sheet.
    assert pulled["xl/worksheets/sheet1.xml"] < 40 * (MAX_LINES + 2) + 128 * 1024


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (['<row r="1048576"><c r="A1048576"><v>1</v></c></row>'], "At most"),
        (['<row r="2"><c r="XFD2"><v>1</v></c></row>'], f"At most {MAX_COLUMNS} columns"),
        (["<row>" + "<c/>" * (MAX_COLUMNS + 1) + "</row>"], f"At most {MAX_COLUMNS} columns"),
        (
            [
                '<row r="2"><c r="A2" t="inlineStr"><is><t>'
                + "a" * (MAX_CELL + 1)
                + "</t></is></c></row>"
            ],
            f"longer than {MAX_CELL} characters",
        ),
    ],
    ids=["row-far-down", "column-far-right", "too-many-cells", "long-inline-string"],
)
def test_a_sheet_reaching_past_a_bound_is_refused(app, rows: list[str], expected: str):
    with pytest.raises(ImportFileError, match=expected):
        read_rows(xlsx([HEADER_ROW, *rows]), "xlsx")


def test_a_long_shared_string_is_refused_before_the_workbook_is_loaded(app, monkeypatch):
    loads: list[object] = []
    monkeypatch.setattr(import_read, "load_workbook", lambda *a, **kw: loads.append(a))
    sheet = xlsx(
        [HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'], ["b" * (MAX_CELL + 1)]
    )
    with pytest.raises(ImportFileError, match=f"longer than {MAX_CELL} characters"):
        read_rows(sheet, "xlsx")
    assert loads == []


def test_a_csv_of_half_a_million_lines_stops_being_read_at_the_cap(app, monkeypatch):
    pulled = []
    original = csv.reader

    def counting(*args, **kw):
        for row in original(*args, **kw):
            pulled.append(row)
            yield row

    monkeypatch.setattr(csv, "reader", counting)
    with pytest.raises(ImportFileError, match=f"At most {MAX_ROWS} rows"):
        read_rows(EXPERTS.encode() + b"a@example.org,A\n" * 500_000, "csv")
    assert len(pulled) == MAX_ROWS + 2  # the header, the rows allowed, and the one too many


@pytest.mark.parametrize("length", [MAX_CELL + 1, 131_073], ids=["over-cell-limit", "over-csv"])
def test_a_csv_cell_past_the_cell_limit_is_refused_with_its_line(app, auth, make_user, length: int):
    content = f"{EXPERTS}a@example.org,A,,\nb@example.org,{'b' * length},,\n".encode()
    message = refusal(upload(auth.page(make_user("coordinator", clearance="NS")), content))
    assert f"Line 3: a cell is longer than {MAX_CELL} characters." in message


def test_control_characters_are_refused_in_the_preview_and_never_stored(
    app, db_session: Session, auth, make_user
):
    content = (
        EXPERTS + "nul@example.org,Nul\x00Name,,\n"
        "bell@example.org,Bell,Org\x07,\n"
        "fine@example.org,Fine,Org\tTabbed,\n"
    ).encode()
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    batch_url = upload(coordinator, content).headers["Location"]
    html = coordinator.get(batch_url).get_data(as_text=True)
    assert "full_name contains a control character" in html
    assert "affiliation_name contains a control character" in html
    assert "\x00" not in html and "\x07" not in html
    assert re.search(r'id="count-new">1<', html)
    assert confirm(coordinator, batch_url).status_code == 303
    assert expert_count(db_session) == 1
    names = db_session.exec(select(Expert.full_name, Expert.affiliation_name)).all()
    assert [tuple(n) for n in names] == [("Fine", "Org\tTabbed")]


def test_the_preview_and_the_problems_csv_stay_small_for_a_row_full_of_problems(
    app, auth, make_user
):
    topics = ";".join(f"t{i}:2" for i in range(900))
    email = "x" * 5000
    content = f"{EXPERTS}{email},Many,,{topics}\n".encode()
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    batch_url = upload(coordinator, content).headers["Location"]
    html = coordinator.get(batch_url).get_data(as_text=True)
    assert html.count("Unknown topic") <= 10
    assert "more problems on this line" in html
    assert "x" * 200 not in html
    problems = coordinator.get(f"{batch_url}/problems.csv")
    assert problems.status_code == 200
    assert len(problems.get_data()) < 3000


def test_a_stored_upload_that_no_longer_reads_is_refused_politely(
    app, db_session: Session, auth, make_user
):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    batch_url = upload(coordinator, (EXPERTS + "a@example.org,A,,\n").encode()).headers["Location"]
    too_long = f"{EXPERTS}a@example.org,{'a' * (MAX_CELL + 1)},,\n".encode()
    db_session.execute(sa.update(ImportBatch).values(content=too_long, sha256=digest(too_long)))
    db_session.commit()
    for url in (batch_url, f"{batch_url}/problems.csv"):
        response = coordinator.get(url)
        assert response.status_code == 409
        assert "a cell is longer than" in response.get_data(as_text=True)
    token = csrf_token(coordinator, "/reports/import")
    assert coordinator.post(f"{batch_url}/confirm", data={"csrf_token": token}).status_code == 303
    assert expert_count(db_session) == 0


def test_the_command_line_refuses_the_same_files_with_the_same_messages(
    app, db_session: Session, tmp_path
):
    runner = app.test_cli_runner()
    long_cell = tmp_path / "long.csv"
    long_cell.write_text(f"{EXPERTS}a@example.org,{'a' * 131_073},,\n", encoding="utf-8")
    result = runner.invoke(args=["roster", "import", str(long_cell), "--yes"])
    assert result.exit_code != 0
    assert f"Line 2: a cell is longer than {MAX_CELL} characters." in result.output
    too_big = tmp_path / "big.csv"
    with too_big.open("wb") as out:
        out.write(EXPERTS.encode())
        out.truncate(MAX_BYTES + 1)
    result = runner.invoke(args=["roster", "import", str(too_big), "--yes"])
    assert result.exit_code != 0 and "The file is larger than 16 MiB." in result.output
    nul = tmp_path / "nul.csv"
    nul.write_bytes(f"{EXPERTS}nul@example.org,Nul\x00,,\n".encode())
    result = runner.invoke(args=["roster", "import", str(nul), "--yes"])
    assert result.exit_code == 0, result.output
    assert "line 2: full_name contains a control character" in result.output
    assert "\x00" not in result.output
    assert expert_count(db_session) == 0


def test_only_the_upload_accepts_the_larger_body(app, auth, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    body = b"x" * (3 * MiB)
    assert coordinator.post("/login", data=body, content_type="text/plain").status_code == 413
    discard = "/reports/import/1/discard"
    assert coordinator.post(discard, data=body, content_type="text/plain").status_code == 413
