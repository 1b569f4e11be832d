"""Bulk import: the preview names every bad row and writes nothing; the confirm writes the good
rows once; importing the same file again changes nothing; the confirm trusts only the server's
copy of the upload."""

from __future__ import annotations

import io
import re
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import Session, select

from roster.experts.models import Expert, ExpertLanguage, ExpertTopic
from roster.imports.models import ImportBatch
from tests.conftest import csrf_token

SAMPLE = Path(__file__).resolve().parents[2] / "seeds" / "sample_import.csv"
HEADER = "email,full_name,gender,nationalities,topics,languages,regions,deployable\n"
BAD_ROWS = (
    "good.one@example.org,Good One,woman,UA,crsv:3,en:C1,UA,yes\n"
    "not-an-email,Bad Email,woman,UA,crsv:2,en:C1,UA,no\n"
    "country@example.org,Bad Country,man,XX,crsv:2,en:C1,ZZ,no\n"
    "language@example.org,Bad Language,man,FR,crsv:2,qq:C1,UA,no\n"
    "level@example.org,Bad Level,man,FR,crsv:7,en:Z9,UA,no\n"
    "existing@roster.example,Already Here,woman,FR,crsv:2,en:C1,UA,no\n"
    "good.one@example.org,Same Email Again,woman,UA,crsv:2,en:C1,UA,no\n"
    ",No Email,woman,UA,crsv:2,en:C1,UA,no\n"
    "=cmd@example.org,Formula,woman,UA,crsv:2,en:C1,UA,maybe\n"
)


def expert_count(session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(Expert)).scalar_one()


def upload(client, content: bytes, name: str = "experts.csv"):
    token = csrf_token(client, "/reports/import")
    return client.post(
        "/reports/import",
        data={"file": (io.BytesIO(content), name), "csrf_token": token},
        content_type="multipart/form-data",
    )


def confirm(client, batch_url: str):
    token = csrf_token(client, batch_url)
    return client.post(f"{batch_url}/confirm", data={"csrf_token": token})


def test_preview_names_each_kind_of_bad_row_and_writes_nothing(
    auth, db_session: Session, make_user, roster
):
    roster("Existing", email="Existing@roster.example")
    before = expert_count(db_session)
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    response = upload(coordinator, (HEADER + BAD_ROWS).encode())
    assert response.status_code == 302
    page = coordinator.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for message in (
        "Not a valid email address: not-an-email.",
        "Unknown country code in nationalities: XX.",
        "Unknown country code in regions: ZZ.",
        "Unknown language code: qq.",
        "Topic level must be 1 to 4: crsv:7.",
        "Language level must be one of A1-C2 or native: en:Z9.",
        "An expert with the email existing@roster.example is already on the roster.",
        "The email good.one@example.org already appears on line 2.",
        "email is required.",
        "deployable must be yes or no: maybe.",
    ):
        assert message in html, message
    assert re.search(r'id="count-new">1<', html)
    assert re.search(r'id="count-duplicate">1<', html)
    assert expert_count(db_session) == before  # nothing written by upload or preview
    batch = db_session.exec(select(ImportBatch)).one()
    assert batch.state == "preview" and batch.rows_total == 9 and batch.rows_new == 1


def test_confirm_imports_the_good_rows_once(auth, db_session: Session, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    batch_url = upload(coordinator, SAMPLE.read_bytes()).headers["Location"]
    assert expert_count(db_session) == 0
    response = confirm(coordinator, batch_url)
    assert response.status_code == 303
    assert expert_count(db_session) == 8
    amara = db_session.exec(select(Expert).where(Expert.email == "amara.okafor@example.org")).one()
    assert amara.vetting_status == "pending" and amara.user_id is None and amara.deployable
    topics = {
        t.topic_code: (t.level, t.verified)
        for t in db_session.exec(select(ExpertTopic).where(ExpertTopic.expert_id == amara.id))
    }
    assert topics == {"crsv": (3, False), "poc": (2, True)}
    languages = db_session.exec(
        select(ExpertLanguage.language_code).where(ExpertLanguage.expert_id == amara.id)
    ).all()
    assert sorted(languages) == ["en", "fr", "ha"]
    again = confirm(coordinator, batch_url)  # a second confirm of the same batch
    assert again.status_code == 303
    assert expert_count(db_session) == 8
    assert "already confirmed" in coordinator.get(batch_url).get_data(as_text=True)


def test_reimporting_the_same_file_changes_nothing(auth, db_session: Session, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    confirm(coordinator, upload(coordinator, SAMPLE.read_bytes()).headers["Location"])
    snapshot = sorted(
        (e.email, e.full_name, e.version) for e in db_session.exec(select(Expert)).all()
    )
    second = upload(coordinator, SAMPLE.read_bytes()).headers["Location"]
    html = coordinator.get(second).get_data(as_text=True)
    assert re.search(r'id="count-new">0<', html) and re.search(r'id="count-duplicate">8<', html)
    confirm(coordinator, second)
    db_session.expire_all()
    after = sorted((e.email, e.full_name, e.version) for e in db_session.exec(select(Expert)).all())
    assert after == snapshot


def test_xlsx_upload_reads_like_csv(auth, db_session: Session, make_user):
    book = Workbook()
    sheet = book.active
    rows = [line.split(",") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    for row in rows[:4]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    batch_url = upload(coordinator, buffer.getvalue(), "experts.xlsx").headers["Location"]
    confirm(coordinator, batch_url)
    assert expert_count(db_session) == 3


def test_only_the_uploader_sees_or_confirms_a_batch_and_only_coordinators_import(
    auth, db_session: Session, make_user
):
    owner = auth.page(make_user("coordinator", clearance="NS"))
    batch_url = upload(owner, SAMPLE.read_bytes()).headers["Location"]
    other = auth.page(make_user("coordinator", clearance="NS"))
    assert other.get(batch_url).status_code == 404
    token = csrf_token(other, "/reports/import")
    assert other.post(f"{batch_url}/confirm", data={"csrf_token": token}).status_code == 404
    assert expert_count(db_session) == 0
    for role in ("admin", "lno", "expert"):
        assert auth.page(make_user(role, clearance="NS")).get("/reports/import").status_code == 403


def test_a_tampered_stored_file_is_refused(auth, db_session: Session, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    batch_url = upload(coordinator, SAMPLE.read_bytes()).headers["Location"]
    batch = db_session.exec(select(ImportBatch)).one()
    batch.content = batch.content.replace(b"Amara", b"Mallory")
    db_session.add(batch)
    db_session.commit()
    confirm(coordinator, batch_url)
    assert expert_count(db_session) == 0


def test_unreadable_files_are_refused_with_a_message(auth, make_user):
    coordinator = auth.page(make_user("coordinator", clearance="NS"))
    response = upload(coordinator, b"name,mail\nA,b\n")
    assert response.status_code == 422
    assert "Columns missing: email, full_name" in response.get_data(as_text=True)
    response = upload(coordinator, b"PK\x03\x04 not really a workbook", "x.xlsx")
    assert response.status_code == 422


def test_command_line_import_is_idempotent(app, db_session: Session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["roster", "import", str(SAMPLE), "--yes"])
    assert first.exit_code == 0, first.output
    assert "Imported 8 experts" in first.output
    second = runner.invoke(args=["roster", "import", str(SAMPLE), "--yes"])
    assert second.exit_code == 0, second.output
    assert "0 new, 8 already on the roster" in second.output
    assert expert_count(db_session) == 8
    dry = runner.invoke(args=["roster", "import", str(SAMPLE), "--dry-run"])
    assert "Nothing written." in dry.output
