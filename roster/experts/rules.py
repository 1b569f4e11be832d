"""Pure rules about an expert on given days: vetting, clearance, availability. No Flask, no DB."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from roster.policy import CLEARANCE_RANK


class HasVetting(Protocol):
    vetting_valid_until: date | None

    # Read-only here, so a model that types it as a `Literal` of the statuses still fits.
    @property
    def vetting_status(self) -> str: ...


class HasClearance(Protocol):
    clearance_level: str | None
    clearance_expires_on: date | None
    clearance_verified_at: datetime | None


class Window(Protocol):
    starts_on: date
    ends_on: date
    kind: str


def effective_vetting_status(expert: HasVetting, today: date) -> str:
    """The vetting status as of `today`: a vetted expert past valid-until counts as expired."""
    if (
        expert.vetting_status == "vetted"
        and expert.vetting_valid_until is not None
        and expert.vetting_valid_until < today
    ):
        return "expired"
    return expert.vetting_status


def is_vetted_on(expert: HasVetting, today: date) -> bool:
    return effective_vetting_status(expert, today) == "vetted"


def verified_clearance_on(expert: HasClearance, day: date) -> int | None:
    """The rank of the expert's verified clearance valid on `day`, or None."""
    if expert.clearance_level is None or expert.clearance_verified_at is None:
        return None
    if expert.clearance_expires_on is not None and expert.clearance_expires_on < day:
        return None
    return CLEARANCE_RANK.get(expert.clearance_level)


def cleared_over(expert: HasClearance, level: str, start: date, end: date) -> bool:
    """True when a verified clearance of at least `level` holds on every day of [start, end]."""
    if end < start:
        raise ValueError("window ends before it starts")
    required = CLEARANCE_RANK[level]
    # One clearance record: valid on the first day and still valid on the last means every day.
    first, last = verified_clearance_on(expert, start), verified_clearance_on(expert, end)
    return first is not None and last is not None and min(first, last) >= required


def _overlaps(window: Window, start: date, end: date) -> bool:
    return window.starts_on <= end and window.ends_on >= start


def available_over(windows: Iterable[Window], start: date, end: date) -> bool:
    """Free over [start, end]: no unavailable window touches it, and when the expert declared
    availability windows at all, those cover every day of it."""
    if end < start:
        raise ValueError("window ends before it starts")
    declared: list[Window] = []
    for window in windows:
        if window.kind == "unavailable" and _overlaps(window, start, end):
            return False
        if window.kind == "available":
            declared.append(window)
    if not declared:
        return True
    covered_until = start.toordinal() - 1
    for window in sorted(declared, key=lambda w: w.starts_on):
        if window.starts_on.toordinal() > covered_until + 1:
            break
        covered_until = max(covered_until, window.ends_on.toordinal())
        if covered_until >= end.toordinal():
            return True
    return covered_until >= end.toordinal()
