"""The pure rules: vetting as of a day, clearance over a window, availability over a window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from roster.experts.rules import (
    available_over,
    cleared_over,
    effective_vetting_status,
    verified_clearance_on,
)

D = date.fromisoformat


@dataclass
class Facts:
    clearance_level: str | None = "NS"
    clearance_expires_on: date | None = D("2027-06-30")
    clearance_verified_at: datetime | None = datetime(2026, 1, 1, tzinfo=UTC)
    vetting_status: str = "vetted"
    vetting_valid_until: date | None = D("2027-01-01")


@dataclass
class W:
    starts_on: date
    ends_on: date
    kind: str = "unavailable"


@pytest.mark.parametrize(
    ("start", "end", "level", "expected"),
    [
        ("2027-06-01", "2027-06-30", "NS", True),  # expires on the last day: still cleared
        ("2027-06-01", "2027-07-01", "NS", False),  # expires the day before the last day
        ("2027-06-30", "2027-06-30", "NS", True),
        ("2027-07-01", "2027-07-02", "NR", False),  # already expired
        ("2027-01-01", "2027-01-31", "NC", True),  # lower level than held
        ("2027-01-01", "2027-01-31", "CTS", False),  # higher level than held
    ],
)
def test_cleared_over_window_edges(start, end, level, expected):
    assert cleared_over(Facts(), level, D(start), D(end)) is expected


def test_unverified_or_missing_clearance_never_counts():
    assert verified_clearance_on(Facts(clearance_verified_at=None), D("2027-01-01")) is None
    assert verified_clearance_on(Facts(clearance_level=None), D("2027-01-01")) is None
    assert not cleared_over(
        Facts(clearance_verified_at=None), "NU", D("2027-01-01"), D("2027-01-02")
    )


def test_clearance_without_expiry_holds():
    assert cleared_over(Facts(clearance_expires_on=None), "NS", D("2030-01-01"), D("2031-01-01"))


def test_reversed_window_is_an_error():
    with pytest.raises(ValueError):
        cleared_over(Facts(), "NS", D("2027-02-01"), D("2027-01-01"))
    with pytest.raises(ValueError):
        available_over([], D("2027-02-01"), D("2027-01-01"))


@pytest.mark.parametrize(
    ("today", "status"),
    [("2027-01-01", "vetted"), ("2027-01-02", "expired"), ("2026-06-01", "vetted")],
)
def test_vetting_expires_after_valid_until(today, status):
    assert effective_vetting_status(Facts(), D(today)) == status


def test_suspended_stays_suspended():
    assert effective_vetting_status(Facts(vetting_status="suspended"), D("2030-01-01")) == (
        "suspended"
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2027-03-01", "2027-03-09", True),  # ends the day before the window
        ("2027-03-01", "2027-03-10", False),  # touches its first day
        ("2027-03-20", "2027-03-25", False),  # touches its last day
        ("2027-03-21", "2027-03-30", True),  # starts the day after
        ("2027-03-12", "2027-03-13", False),  # inside
        ("2027-03-01", "2027-03-31", False),  # around
    ],
)
def test_unavailability_edges(start, end, expected):
    windows = [W(D("2027-03-10"), D("2027-03-20"))]
    assert available_over(windows, D(start), D(end)) is expected


def test_declared_availability_must_cover_the_window():
    windows = [
        W(D("2027-05-01"), D("2027-05-10"), "available"),
        W(D("2027-05-11"), D("2027-05-20"), "available"),
    ]
    assert available_over(windows, D("2027-05-05"), D("2027-05-15"))  # spans both, no gap
    assert not available_over(windows, D("2027-05-15"), D("2027-05-25"))
    assert not available_over(windows, D("2027-04-28"), D("2027-05-02"))
    gap = [
        W(D("2027-05-01"), D("2027-05-10"), "available"),
        W(D("2027-05-12"), D("2027-05-20"), "available"),
    ]
    assert not available_over(gap, D("2027-05-09"), D("2027-05-13"))
    assert available_over([], D("2027-05-09"), D("2027-05-13"))


def test_expire_vettings_command_records_history(app, make_expert, db_session):
    from sqlmodel import select

    from roster.experts.models import VettingDecision

    old = make_expert(vetting="vetted", valid_until=D("2020-01-01"))
    current = make_expert(vetting="vetted", valid_until=D("2099-01-01"))
    result = app.test_cli_runner().invoke(args=["roster", "expire-vettings"])
    assert "1 vetting(s) expired." in result.output
    db_session.refresh(old)
    db_session.refresh(current)
    assert (old.vetting_status, current.vetting_status) == ("expired", "vetted")
    history = db_session.exec(
        select(VettingDecision).where(VettingDecision.expert_id == old.id)
    ).all()
    assert [(h.from_status, h.to_status, h.decided_by_id) for h in history] == [
        ("vetted", "expired", None)
    ]
    again = app.test_cli_runner().invoke(args=["roster", "expire-vettings"])
    assert "0 vetting(s) expired." in again.output
