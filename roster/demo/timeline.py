"""When each step of a demo request happened, from its story, a seeded random source and "now".

Pure: no database. Every moment lies before `now` except what is still to come (engagement
windows that start after today, reply deadlines of open offers)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from roster.demo.stories import Story
from roster.requests.workflow import RESPONSE_TARGETS

# Hours from submission to the last seat accepted, by urgency: around each response target.
STAFFING_HOURS = {"immediate": (1.5, 7.0), "priority": (10.0, 70.0), "routine": (40.0, 300.0)}
REACHED = {
    "draft": 0,
    "submitted": 1,
    "rejected": 1,
    "matching": 2,
    "staffed": 3,
    "active": 4,
    "completed": 5,
}


@dataclass(frozen=True)
class Step:
    """One line of the request's history; `by` names who acted: lno, coordinator or system."""

    at: datetime
    action: str
    from_state: str | None
    to_state: str
    by: str
    note: str = ""


@dataclass
class Timeline:
    created: datetime
    starts_on: date
    ends_on: date
    submitted: datetime | None = None
    triaged: datetime | None = None
    staffed: datetime | None = None
    # When offers went out and when the last answer came (or the request stopped matching).
    offers_from: datetime | None = None
    offers_until: datetime | None = None
    steps: list[Step] = field(default_factory=list)

    @property
    def last(self) -> datetime:
        return self.steps[-1].at


def at_hour(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def timeline(story: Story, rng: random.Random, now: datetime) -> Timeline:
    """The dated steps of one story, in order; `now` is the seeding moment (whole hours)."""
    today = now.date()
    created = now - timedelta(days=story.days)
    reached = REACHED.get(story.cancelled_from if story.state == "cancelled" else story.state, 0)
    span = rng.uniform(*STAFFING_HOURS[story.urgency])
    starts, ends = _window(story, rng, created, span, today)
    line = Timeline(created=created, starts_on=starts, ends_on=ends)
    line.steps.append(Step(created, "create", None, "draft", "lno"))
    if reached >= 1:
        lag = min(rng.uniform(0.5, 20.0), story.days * 24 * 0.2)
        line.submitted = created + timedelta(hours=lag)
        line.steps.append(Step(line.submitted, "submit", "draft", "submitted", "lno"))
    if reached >= 2 and line.submitted is not None:
        waited = min(span, (now - line.submitted) / timedelta(hours=1) * 0.8)
        line.triaged = line.submitted + timedelta(hours=0.15 * waited)
        line.offers_from = line.triaged + timedelta(hours=0.05 * waited)
        line.offers_until = now - timedelta(hours=1)
        line.steps.append(Step(line.triaged, "triage", "submitted", "matching", "coordinator"))
    if reached >= 3 and line.submitted is not None:
        line.staffed = line.offers_until = line.submitted + timedelta(hours=span)
        note = "The last seat was accepted."
        line.steps.append(Step(line.staffed, "staff", "matching", "staffed", "system", note))
    if reached >= 4:
        line.steps.append(Step(at_hour(starts, 8), "start", "staffed", "active", "lno"))
    if reached >= 5:
        line.steps.append(Step(at_hour(ends, 17), "complete", "active", "completed", "lno"))
    if story.state == "rejected" and line.submitted is not None:
        at = min(line.submitted + timedelta(hours=rng.uniform(2, 30)), now - timedelta(hours=1))
        note = "Outside the roster's scope; the command's own staff can answer this."
        line.steps.append(Step(at, "reject", "submitted", "rejected", "coordinator", note))
    if story.state == "cancelled":
        after = line.steps[-1].at
        at = min(after + timedelta(hours=rng.uniform(6, 72)), now - timedelta(hours=1))
        if line.offers_from is not None:
            line.offers_until = at
        note = "The engagement is no longer needed."
        line.steps.append(Step(at, "cancel", story.cancelled_from, "cancelled", "lno", note))
    return line


def _window(
    story: Story, rng: random.Random, created: datetime, span: float, today: date
) -> tuple[date, date]:
    """The engagement window: past for completed work, around today for active work, ahead for
    staffed and open requests."""
    if story.state == "completed":
        staffed = (created + timedelta(hours=span + 20)).date()
        starts = min(staffed + timedelta(days=rng.randint(2, 14)), today - timedelta(days=8))
        ends = min(starts + timedelta(days=rng.randint(3, 40)), today - timedelta(days=3))
        return starts, ends
    if story.state == "active":
        staffed = (created + timedelta(hours=span + 20)).date()
        starts = max(staffed + timedelta(days=1), today - timedelta(days=rng.randint(2, 12)))
        return min(starts, today), today + timedelta(days=rng.randint(5, 40))
    if story.state in ("staffed", "matching", "submitted", "draft"):
        lead = rng.randint(4, 40) if story.state == "staffed" else rng.randint(10, 60)
        starts = today + timedelta(days=lead)
        return starts, starts + timedelta(days=rng.randint(2, 30))
    starts = (created + timedelta(days=rng.randint(14, 40))).date()
    return starts, starts + timedelta(days=rng.randint(5, 20))


def target_hours(urgency: str) -> float:
    return RESPONSE_TARGETS[urgency] / timedelta(hours=1)
