"""Time to staff: the whole minutes a request took from its submission to triage, to its first
offer and to being staffed. Pure: worked out from the request's own timestamps."""

from __future__ import annotations

from datetime import datetime


def minutes_between(start: datetime | None, end: datetime | None) -> int | None:
    """Whole minutes from `start` to `end`; None until both happened. A clock that stepped back
    counts as 0, never as a negative time."""
    if start is None or end is None:
        return None
    return max(int((end - start).total_seconds() // 60), 0)


def staffing_minutes(
    *,
    submitted_at: datetime | None,
    triaged_at: datetime | None,
    first_offer_at: datetime | None,
    staffed_at: datetime | None,
) -> dict[str, int | None]:
    """The three figures, keyed as the API names them."""
    return {
        "minutes_to_triage": minutes_between(submitted_at, triaged_at),
        "minutes_to_first_offer": minutes_between(submitted_at, first_offer_at),
        "minutes_to_staffed": minutes_between(submitted_at, staffed_at),
    }


def spoken(minutes: int | None) -> tuple[int, int, int] | None:
    """Minutes as (days, hours, minutes) for a page to word."""
    if minutes is None:
        return None
    days, rest = divmod(minutes, 24 * 60)
    return days, rest // 60, rest % 60
