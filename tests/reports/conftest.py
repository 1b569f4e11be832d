"""Arrangements for report tests: a hand-built roster (tests/support/factories.py: roster)."""

from __future__ import annotations

from datetime import timedelta

from tests.support.factories import TODAY, roster


def unavailable_today() -> list[tuple]:
    return [(TODAY - timedelta(days=1), TODAY + timedelta(days=1), "unavailable")]


__all__ = ["roster", "unavailable_today"]
