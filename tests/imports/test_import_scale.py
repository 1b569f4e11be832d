"""A 10,000-row file is checked and imported in one transaction (timed in BENCHMARKS.md by
`python -m bench.imports`; no test asserts on timings)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from roster.experts.models import Expert
from roster.imports.apply import apply_rows
from roster.imports.check import preview
from roster.search.models import ExpertSearch
from tests.imports.scale import synthetic_csv


def test_ten_thousand_rows_import_and_reimport_changes_nothing(app, db_session: Session):
    content = synthetic_csv(10_000)
    checked = preview(db_session, content, "csv")
    assert checked.count("new") == 10_000
    ticks: list[int] = []
    outcome = apply_rows(db_session, checked, progress=ticks.append)
    db_session.commit()
    assert outcome.imported == 10_000 and sum(ticks) == 10_000 and len(ticks) == 20

    def count(model: type) -> int:
        return db_session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()

    assert count(Expert) == 10_000 and count(ExpertSearch) == 10_000
    again = preview(db_session, content, "csv")
    assert again.count("duplicate") == 10_000 and again.count("new") == 0
    assert apply_rows(db_session, again).imported == 0
