"""Demo dates relative to the day of seeding: the seed files are written as seen from `ANCHOR`,
and every date in them moves by the days between the anchor and the seeding day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

# The "today" the seed files are written for; a load on another day shifts every date alike.
ANCHOR = date(2026, 11, 23)


def offset(today: date) -> timedelta:
    """How far the seed files' dates move when seeded on `today`."""
    return today - ANCHOR


def shift(value: Any, by: timedelta) -> Any:
    """`value` (parsed YAML) with every date and datetime in it moved by `by`. Pure: a new
    structure is returned and the input is left as it was."""
    if isinstance(value, datetime | date):
        return value + by
    if isinstance(value, dict):
        return {key: shift(item, by) for key, item in value.items()}
    if isinstance(value, list):
        return [shift(item, by) for item in value]
    return value
