"""Every setting an admin may change in the app: its key, type, range, default and the
environment variable that can fix it for a deployment. Pure: no Flask, no database.

Precedence, one rule for every reader: a value fixed by the environment wins over one set in
the app, which wins over the default kept here (taken from the pure code that uses it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from roster.requests.weights import COMPONENTS, DEFAULT_WEIGHTS
from roster.requests.workflow import RESPONSE_TARGETS

Source = Literal["default", "app", "environment"]
Group = Literal["response_targets", "reply_by", "weights", "reports"]

URGENCIES = ("immediate", "priority", "routine")
# How long an expert has to answer an offer by default, per urgency: inside the response target.
REPLY_BY_HOURS = {"immediate": 2.0, "priority": 24.0, "routine": 120.0}
# Counts from 1 to this minus one are hidden in participation reports.
SUPPRESS_BELOW = 5
# The six component weights are shares of the score: they add up to 1, give or take this.
WEIGHTS_TOTAL_TOLERANCE = 0.005


@dataclass(frozen=True)
class Definition:
    """One setting. `env` is (Flask config key, item): the item of a name=number list, or None
    for a variable that holds the number itself."""

    key: str
    group: Group
    type: Literal["int", "float"]
    default: float
    minimum: float
    maximum: float
    env: tuple[str, str | None]

    def parse(self, text: str) -> float:
        """The stored text as this setting's number."""
        return int(text) if self.type == "int" else float(text)

    def out_of_range(self, value: float) -> bool:
        if self.type == "int" and value != int(value):
            return True
        return not self.minimum <= value <= self.maximum

    @property
    def env_variable(self) -> str:
        return self.env[0]


def _hours(delta: timedelta) -> float:
    return delta / timedelta(hours=1)


DEFINITIONS: tuple[Definition, ...] = (
    *(
        Definition(
            key=f"response_target_{u}",
            group="response_targets",
            type="float",
            default=_hours(RESPONSE_TARGETS[u]),
            minimum=1,
            maximum=24 * 90,
            env=("ROSTER_RESPONSE_TARGET_HOURS", u),
        )
        for u in URGENCIES
    ),
    *(
        Definition(
            key=f"reply_by_{u}",
            group="reply_by",
            type="float",
            default=REPLY_BY_HOURS[u],
            minimum=1,
            maximum=24 * 30,
            env=("ROSTER_REPLY_BY_HOURS", u),
        )
        for u in URGENCIES
    ),
    *(
        Definition(
            key=f"weight_{c}",
            group="weights",
            type="float",
            default=DEFAULT_WEIGHTS.component_weights()[c],
            minimum=0,
            maximum=1,
            env=("ROSTER_MATCHING_WEIGHTS", c),
        )
        for c in COMPONENTS
    ),
    Definition(
        key="suppress_below",
        group="reports",
        type="int",
        default=SUPPRESS_BELOW,
        minimum=2,
        maximum=50,
        env=("ROSTER_SUPPRESS_BELOW", None),
    ),
)
BY_KEY = {d.key: d for d in DEFINITIONS}
GROUPS: tuple[Group, ...] = ("response_targets", "reply_by", "weights", "reports")


def weight_key(component: str) -> str:
    return f"weight_{component}"


def response_target_key(urgency: str) -> str:
    return f"response_target_{urgency}"


def reply_by_key(urgency: str) -> str:
    return f"reply_by_{urgency}"
