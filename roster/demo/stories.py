"""The requests of the demo history (`seeds/demo_requests.yaml`), checked and typed.

`days` is how many days before the seeding day the request was created; every other date is
derived from it in `timeline`. The demo LNOs are keyed by their email before "@roster.example".
Titles are unique: the loader keys the history on them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from roster import policy
from roster.reference.codes import is_country, is_language
from roster.requests.models import REQUEST_KINDS, URGENCIES
from roster.requests.workflow import STATES

CANCELLABLE_FROM = ("draft", "submitted", "matching")


@dataclass(frozen=True)
class Story:
    title: str
    kind: str
    urgency: str
    classification: str
    state: str
    lno: str
    topics: tuple[str, ...]
    regions: tuple[str, ...]
    days: float
    seats: int = 1
    csap: bool = False  # a CSAP consultation: the panel's members are asked
    language: str | None = None
    cancelled_from: str = "matching"  # for a cancelled request: the state it was cancelled in


FIELDS = frozenset(f.name for f in fields(Story))


def parse_stories(data: Any, topics: frozenset[str]) -> tuple[Story, ...]:
    """The stories of the parsed YAML list; ValueError naming the entry for anything wrong."""
    if not isinstance(data, list):
        raise ValueError("demo_requests.yaml: expected a list of requests")
    stories: list[Story] = []
    for i, raw in enumerate(data):
        where = f"demo_requests.yaml entry {i}"
        if not isinstance(raw, dict) or set(raw) - FIELDS:
            raise ValueError(f"{where}: expected a mapping of {sorted(FIELDS)}")
        try:
            story = Story(
                **{**raw, "topics": tuple(raw["topics"]), "regions": tuple(raw["regions"])}
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{where}: {exc}") from exc
        _check(story, f"{where} ({story.title!r})", topics)
        stories.append(story)
    titles = [s.title for s in stories]
    if len(set(titles)) != len(titles):
        raise ValueError("demo_requests.yaml: a title appears twice")
    return tuple(stories)


def _check(story: Story, where: str, topics: frozenset[str]) -> None:
    problems = [
        f"kind {story.kind!r}" if story.kind not in REQUEST_KINDS else "",
        f"urgency {story.urgency!r}" if story.urgency not in URGENCIES else "",
        f"state {story.state!r}" if story.state not in STATES else "",
        f"classification {story.classification!r}"
        if story.classification not in policy.CLEARANCE_RANK
        else "",
        "cancelled_from" if story.cancelled_from not in CANCELLABLE_FROM else "",
        "topics" if not story.topics or not set(story.topics) <= topics else "",
        "regions" if not all(is_country(cc) for cc in story.regions) else "",
        "language" if story.language is not None and not is_language(story.language) else "",
        "seats" if not isinstance(story.seats, int) or story.seats < 1 else "",
        "days" if not isinstance(story.days, int | float) or story.days <= 0 else "",
    ]
    bad = [p for p in problems if p]
    if bad:
        raise ValueError(f"{where}: bad {', '.join(bad)}")
