"""Keeping an uploaded file between preview and confirm, and writing its good rows.

The upload is stored server-side (`ImportBatch`: bytes and SHA-256). The confirm names only the
batch id; the server re-reads the stored bytes, checks their hash, checks every row again against
the roster as it is now, and writes the new rows in the caller's one transaction. Nothing the
browser sends after the upload is trusted. Services flush; the request or the CLI commits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.db import affected_rows, table_of, utcnow
from roster.errors import Conflict, Forbidden, Gone, NotFound
from roster.experts.models import (
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.imports.check import ImportFileError, Preview, Row, digest, file_kind, preview
from roster.imports.models import ImportBatch
from roster.inputs import clean_text
from roster.search.index import reindex_experts

CHUNK = 500
PREVIEW_LIFETIME = timedelta(hours=24)
Progress = Callable[[int], object]


@dataclass(frozen=True)
class Outcome:
    imported: int
    duplicates: int
    invalid: int
    expert_ids: tuple[int, ...] = ()


def upload(
    *, session: Session, actor: policy.Actor, filename: str, content: bytes
) -> tuple[ImportBatch, Preview]:
    """Check a file and keep it for the confirm step; raises ImportFileError for a bad file."""
    if not policy.can_import_experts(actor):
        raise Forbidden(_("Only coordinators import experts."))
    kind = file_kind(filename, content)
    checked = preview(session, content, kind)
    batch = ImportBatch(
        created_by_id=actor.id,
        filename=(clean_text(filename) or "upload")[-200:],
        kind=kind,
        sha256=digest(content),
        content=content,
        rows_total=len(checked.rows),
        rows_new=checked.count("new"),
    )
    session.add(batch)
    session.flush()
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="experts.import.upload",
        subject=f"import_batch:{batch.id}",
        rows=batch.rows_total,
        sha256=batch.sha256,
    )
    return batch, checked


def own_batch(session: Session, actor: policy.Actor, batch_id: int) -> ImportBatch:
    """A batch its uploader may see; NotFound for anyone else's (never reveal it exists)."""
    batch = session.get(ImportBatch, batch_id)
    if (
        batch is None
        or not policy.can_import_experts(actor)
        or batch.created_by_id != getattr(actor, "id", None)
    ):
        raise NotFound(_("No such import."))
    return batch


def stored_preview(session: Session, batch: ImportBatch) -> Preview:
    """The rows of the stored file checked against the roster as it is now."""
    if digest(batch.content) != batch.sha256:
        raise Conflict(_("The stored file does not match its checksum; upload it again."))
    try:
        return preview(session, batch.content, batch.kind)
    except ImportFileError as exc:  # stored before today's bounds, which it no longer meets
        raise Conflict(str(exc)) from exc


def confirm(
    *, session: Session, actor: policy.Actor, batch_id: int, progress: Progress | None = None
) -> Outcome:
    """Import the batch's new rows, once: a second confirm is a conflict and writes nothing."""
    batch = own_batch(session, actor, batch_id)
    if batch.state != "preview":
        raise Conflict(_("This import was already confirmed or discarded."))
    if batch.created_at < utcnow() - PREVIEW_LIFETIME:
        raise Gone(_("This preview has expired; upload the file again."))
    checked = stored_preview(session, batch)
    claimed = session.execute(
        sa.update(ImportBatch)
        .where(col(ImportBatch.id) == batch.id, col(ImportBatch.state) == "preview")
        .values(state="applied", applied_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if affected_rows(claimed) != 1:
        raise Conflict(_("This import was already confirmed or discarded."))
    outcome = apply_rows(session, checked, progress=progress)
    session.execute(
        sa.update(ImportBatch)
        .where(col(ImportBatch.id) == batch.id)
        .values(imported=outcome.imported)
        .execution_options(synchronize_session=False)
    )
    session.refresh(batch)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="experts.import",
        subject=f"import_batch:{batch.id}",
        imported=outcome.imported,
        duplicates=outcome.duplicates,
        invalid=outcome.invalid,
    )
    return outcome


def imported_experts(session: Session, batch: ImportBatch) -> list[Expert]:
    """The profiles an applied batch created: those holding its rows' e-mails that were created
    once it was applied (a row left out as a duplicate names a profile that existed before)."""
    if batch.state != "applied" or batch.applied_at is None:
        return []
    checked = stored_preview(session, batch)
    emails = sorted({r.data["email"] for r in checked.rows if "email" in r.data})
    found: list[Expert] = []
    for start in range(0, len(emails), CHUNK):
        found.extend(
            session.exec(
                select(Expert).where(
                    sa.func.lower(Expert.email).in_(emails[start : start + CHUNK]),
                    col(Expert.created_at) >= batch.applied_at,
                )
            )
        )
    return sorted(found, key=lambda e: e.id)


def discard(*, session: Session, actor: policy.Actor, batch_id: int) -> None:
    batch = own_batch(session, actor, batch_id)
    if batch.state != "preview":
        raise Conflict(_("This import was already confirmed or discarded."))
    batch.state, batch.content = "discarded", b""
    session.add(batch)
    session.flush()


def apply_rows(session: Session, checked: Preview, *, progress: Progress | None = None) -> Outcome:
    """Write every "new" row as a pending expert profile (no account: a coordinator vets and
    invites them later), with topics, languages, regions, nationalities and categories."""
    rows = checked.new_rows
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        experts = [_expert(row) for row in chunk]
        session.add_all(experts)
        session.flush()
        _children(session, chunk, experts)
        ids.extend(e.id for e in experts if e.id is not None)
        if progress is not None:
            progress(len(chunk))
    reindex_experts(session, ids)
    return Outcome(
        imported=len(ids),
        duplicates=checked.count("duplicate"),
        invalid=checked.count("invalid"),
        expert_ids=tuple(ids),
    )


def _expert(row: Row) -> Expert:
    d = row.data
    return Expert(
        full_name=d["full_name"],
        email=d["email"],
        phone=d.get("phone"),
        gender=d["gender"],
        country_of_residence=d.get("country_of_residence"),
        affiliation_name=d.get("affiliation_name"),
        affiliation_kind=d["affiliation_kind"],
        deployable=d["deployable"],
        bio=d.get("bio") or "",
        vetting_status="pending",
    )


def _children(session: Session, rows: list[Row], experts: list[Expert]) -> None:
    topics, languages, regions, nationalities, categories = [], [], [], [], []
    for row, expert in zip(rows, experts, strict=True):
        eid, d = expert.id, row.data
        topics += [
            # Levels from a spreadsheet are claims: 3 and 4 wait for a coordinator's confirmation.
            {"expert_id": eid, "topic_code": c, "level": lv, "years": 0, "verified": lv < 3}
            for c, lv in d["topics"]
        ]
        languages += [
            {"expert_id": eid, "language_code": c, "level": lv} for c, lv in d["languages"]
        ]
        regions += [{"expert_id": eid, "country_code": c} for c in d["regions"]]
        nationalities += [{"expert_id": eid, "country_code": c} for c in d["nationalities"]]
        categories += [{"expert_id": eid, "category": c} for c in d["categories"]]
    for model, values in (
        (ExpertTopic, topics),
        (ExpertLanguage, languages),
        (ExpertRegion, regions),
        (ExpertNationality, nationalities),
        (ExpertCategory, categories),
    ):
        if values:
            session.execute(sa.insert(table_of(model)), values)
