"""The crisis-request workflow: its states, the one transition table, who may act, response targets.

Pure: no Flask, no database. The service that changes a request calls `plan_transition` and, when
it returns, assigns `transition.to_state` and writes the history row from the same `Transition`;
nothing else assigns a request's state.

    draft -submit-> submitted -triage-> matching -staff-> staffed -start-> active
    active -complete-> completed
    submitted -reject-> rejected
    submitted | matching -return-> draft
    staffed -reopen-> matching      (system: an accepted expert withdrew before the start)
    draft | submitted | matching | staffed | active -cancel-> cancelled

Who may act (the `actors` of each move in `TRANSITIONS`):

- "requester": the LNO who raised the request. Submits, cancels their own request at any stage
  before it ends, pulls it back from `submitted` to `draft` to edit it (not once matching has begun:
  offers may be out, so only a coordinator returns it then), and marks the engagement started and
  completed, since the LNO works with the experts and knows when the work begins and ends.
- "coordinator": any coordinator. Every human action, including submitting on an LNO's behalf.
- "system": the offer service. `staff` when the last seat is accepted, `reopen` when a seat frees up
  before the engagement starts. No person may take these two actions, and the system takes no other.
- Admins, experts and LNOs other than the requester take no action (403): admins run accounts and
  settings, not requests; experts answer offers, which is not a request transition.

Order of checks, so every refusal has one answer: an unknown action raises `UnknownAction` (404);
an action the caller may take in no state raises `NotPermitted` (403); an action the current state
does not allow raises `IllegalTransition` (409); an allowed move the caller may not make here raises
`NotPermitted` (403).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Literal

from flask_babel import gettext as _

from roster import policy

State = Literal[
    "draft", "submitted", "matching", "staffed", "active", "completed", "rejected", "cancelled"
]
Actor = Literal["requester", "coordinator", "system"]

STATES: tuple[str, ...] = (
    "draft",
    "submitted",
    "matching",
    "staffed",
    "active",
    "completed",
    "rejected",
    "cancelled",
)
TERMINAL_STATES = frozenset({"completed", "rejected", "cancelled"})
ACTIONS: tuple[str, ...] = (
    "submit",
    "triage",
    "reject",
    "return",
    "staff",
    "reopen",
    "start",
    "complete",
    "cancel",
)
SYSTEM_ACTIONS = frozenset({"staff", "reopen"})
EDITABLE_STATES = frozenset({"draft"})
ROLES: tuple[str, ...] = ("expert", "lno", "coordinator", "admin", "system")


@dataclass(frozen=True, slots=True)
class Move:
    """Where an action leads from one state, and who may take it there."""

    to_state: State
    actors: frozenset[str]


def _move(to_state: State, *actors: Actor) -> Move:
    return Move(to_state, frozenset(actors))


_PEOPLE: tuple[Actor, Actor] = ("requester", "coordinator")

# The one transition table: (state, action) -> move. Anything absent is an illegal transition.
TRANSITIONS: Mapping[tuple[str, str], Move] = MappingProxyType(
    {
        ("draft", "submit"): _move("submitted", *_PEOPLE),
        ("submitted", "triage"): _move("matching", "coordinator"),
        ("submitted", "reject"): _move("rejected", "coordinator"),
        ("submitted", "return"): _move("draft", *_PEOPLE),
        ("matching", "return"): _move("draft", "coordinator"),
        ("matching", "staff"): _move("staffed", "system"),
        ("staffed", "reopen"): _move("matching", "system"),
        ("staffed", "start"): _move("active", *_PEOPLE),
        ("active", "complete"): _move("completed", *_PEOPLE),
        **{
            (state, "cancel"): _move("cancelled", *_PEOPLE)
            for state in ("draft", "submitted", "matching", "staffed", "active")
        },
    }
)


class WorkflowError(Exception):
    """A refused action; `status` is the HTTP status the API answers with."""

    status = 400
    code = "workflow_error"


class UnknownAction(WorkflowError):
    """No such action at all (the API answers 404, as for any unknown path)."""

    status = 404
    code = "not_found"


class IllegalTransition(WorkflowError):
    """The action exists but the request's state does not allow it (409; nothing changes)."""

    status = 409
    code = "illegal_transition"


class NotPermitted(WorkflowError):
    """The caller may not take this action (403)."""

    status = 403
    code = "forbidden"


@dataclass(frozen=True, slots=True)
class Transition:
    """An allowed move: what the service assigns and records in the request's history."""

    from_state: str
    action: str
    to_state: State


def actor_kinds(role: str, *, is_requester: bool) -> frozenset[str]:
    """The table's actor names that a user of `role` counts as for one request."""
    return policy.workflow_actors(role, is_requester=is_requester)


def _ever_allowed(action: str) -> frozenset[str]:
    return frozenset().union(*(m.actors for (_, a), m in TRANSITIONS.items() if a == action))


def plan_transition(state: str, action: str, role: str, *, is_requester: bool) -> Transition:
    """The move `action` makes from `state` when taken by a user of `role`, or raise.

    `is_requester` says whether the user raised this request (only matters for LNOs). Raises
    `UnknownAction` (404), `NotPermitted` (403) or `IllegalTransition` (409), in the order the
    module docstring gives; `ValueError` for a state that does not exist (a bug, not user input).
    """
    if state not in STATES:
        raise ValueError(f"unknown request state {state!r}")
    if action not in ACTIONS:
        raise UnknownAction(_("no action %(action)r", action=action))
    kinds = actor_kinds(role, is_requester=is_requester)
    if not kinds & _ever_allowed(action):
        raise NotPermitted(_("a %(role)s may not %(action)s a request", role=role, action=action))
    move = TRANSITIONS.get((state, action))
    if move is None:
        raise IllegalTransition(
            _("cannot %(action)s a request that is %(state)s", action=action, state=state)
        )
    if not kinds & move.actors:
        raise NotPermitted(
            _(
                "a %(role)s may not %(action)s a request that is %(state)s",
                role=role,
                action=action,
                state=state,
            )
        )
    return Transition(from_state=state, action=action, to_state=move.to_state)


def available_actions(state: str, role: str, *, is_requester: bool) -> list[str]:
    """The actions this user may take on a request in `state` now, in `ACTIONS` order."""
    kinds = actor_kinds(role, is_requester=is_requester)
    return [
        action
        for action in ACTIONS
        if (move := TRANSITIONS.get((state, action))) is not None and kinds & move.actors
    ]


# --- Response targets ----------------------------------------------------------------------

URGENCIES: tuple[str, ...] = ("routine", "priority", "immediate")

# How long after submission a request should be staffed, by urgency (the app may override these).
RESPONSE_TARGETS: Mapping[str, timedelta] = MappingProxyType(
    {
        "immediate": timedelta(hours=4),
        "priority": timedelta(hours=48),
        "routine": timedelta(days=10),
    }
)


def age_against_target(
    submitted_at: datetime,
    urgency: str,
    now: datetime,
    targets: Mapping[str, timedelta] = RESPONSE_TARGETS,
) -> float:
    """How much of its response target a request has used: 0.0 at submission, 1.0 at the target.

    `now` is the current time for an open request, or the time it was staffed for a finished one.
    A `now` before `submitted_at` (clock skew) counts as 0.0; an unknown urgency raises KeyError.
    """
    target = targets[urgency]
    if target <= timedelta(0):
        raise ValueError(f"response target for {urgency!r} must be positive")
    age = max(now - submitted_at, timedelta(0))
    return age / target


def overdue(
    submitted_at: datetime,
    urgency: str,
    now: datetime,
    targets: Mapping[str, timedelta] = RESPONSE_TARGETS,
) -> bool:
    """True once more than the response target has passed since submission (exactly at it: not)."""
    return age_against_target(submitted_at, urgency, now, targets) > 1.0
