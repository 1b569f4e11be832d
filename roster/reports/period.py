"""The span of days a report covers. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included."""

    start: date
    end: date

    @classmethod
    def year_to(cls, end: date) -> Period:
        """The twelve months (365 days) ending on `end`."""
        return cls(end - timedelta(days=364), end)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00 UTC, the day after `end` 00:00 UTC)."""
        low = datetime.combine(self.start, time.min, tzinfo=UTC)
        return low, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)
