"""The request workflow: every state x action x role against a table written here, a state machine
that never reaches an impossible state, and the response targets."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from roster.requests.workflow import (
    ACTIONS,
    RESPONSE_TARGETS,
    STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    IllegalTransition,
    NotPermitted,
    UnknownAction,
    age_against_target,
    available_actions,
    overdue,
    plan_transition,
)

# Written by hand from API.md and the role rules, not from the module's table. Cells: the state the
# action leads to, or 409 (illegal in this state) or 403 (this caller may not).
COLUMNS = ["submit", "triage", "reject", "return", "staff", "reopen", "start", "complete", "cancel"]
TERMINAL_409_FOR_PEOPLE = "409 409 409 409 403 403 409 409 409"
EXPECTED_GRIDS = {
    "coordinator": """
        draft      submitted 409      409      409   403 403 409    409       cancelled
        submitted  409       matching rejected draft 403 403 409    409       cancelled
        matching   409       409      409      draft 403 403 409    409       cancelled
        staffed    409       409      409      409   403 403 active 409       cancelled
        active     409       409      409      409   403 403 409    completed cancelled
        completed  409       409      409      409   403 403 409    409       409
        rejected   409       409      409      409   403 403 409    409       409
        cancelled  409       409      409      409   403 403 409    409       409
    """,
    "lno-requester": """
        draft      submitted 403 403 409   403 403 409    409       cancelled
        submitted  409       403 403 draft 403 403 409    409       cancelled
        matching   409       403 403 403   403 403 409    409       cancelled
        staffed    409       403 403 409   403 403 active 409       cancelled
        active     409       403 403 409   403 403 409    completed cancelled
        completed  409       403 403 409   403 403 409    409       409
        rejected   409       403 403 409   403 403 409    409       409
        cancelled  409       403 403 409   403 403 409    409       409
    """,
    "system": """
        draft      403 403 403 403 409     409      403 403 403
        submitted  403 403 403 403 409     409      403 403 403
        matching   403 403 403 403 staffed 409      403 403 403
        staffed    403 403 403 403 409     matching 403 403 403
        active     403 403 403 403 409     409      403 403 403
        completed  403 403 403 403 409     409      403 403 403
        rejected   403 403 403 403 409     409      403 403 403
        cancelled  403 403 403 403 409     409      403 403 403
    """,
}
NOBODY = "\n".join(f"{state} " + " ".join(["403"] * len(COLUMNS)) for state in STATES)
EXPECTED_GRIDS |= {"expert": NOBODY, "lno-other": NOBODY, "admin": NOBODY}

# Test role name -> (role, is_requester) as the service would pass them.
CALLERS = {
    "expert": ("expert", False),
    "lno-requester": ("lno", True),
    "lno-other": ("lno", False),
    "coordinator": ("coordinator", False),
    "admin": ("admin", False),
    "system": ("system", False),
}


def _expected() -> dict[tuple[str, str, str], str]:
    table = {}
    for caller, grid in EXPECTED_GRIDS.items():
        for line in grid.strip().splitlines():
            state, *cells = line.split()
            assert len(cells) == len(COLUMNS), line
            for action, cell in zip(COLUMNS, cells, strict=True):
                table[state, action, caller] = cell
    return table


EXPECTED = _expected()


def test_the_expected_table_covers_every_state_action_and_caller():
    assert set(COLUMNS) == set(ACTIONS)
    assert len(EXPECTED) == len(STATES) * len(ACTIONS) * len(CALLERS)


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_every_state_action_and_caller(state, action, caller):
    role, is_requester = CALLERS[caller]
    expected = EXPECTED[state, action, caller]
    if expected == "409":
        with pytest.raises(IllegalTransition) as refused:
            plan_transition(state, action, role, is_requester=is_requester)
        assert refused.value.status == 409
    elif expected == "403":
        with pytest.raises(NotPermitted) as refused:
            plan_transition(state, action, role, is_requester=is_requester)
        assert refused.value.status == 403
    else:
        transition = plan_transition(state, action, role, is_requester=is_requester)
        assert (transition.from_state, transition.action, transition.to_state) == (
            state,
            action,
            expected,
        )


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("state", STATES)
def test_available_actions_are_exactly_the_allowed_cells(state, caller):
    role, is_requester = CALLERS[caller]
    allowed = [a for a in COLUMNS if EXPECTED[state, a, caller] not in {"403", "409"}]
    assert available_actions(state, role, is_requester=is_requester) == allowed


def test_an_unknown_action_is_404_and_an_unknown_state_a_bug():
    with pytest.raises(UnknownAction) as refused:
        plan_transition("draft", "launch", "coordinator", is_requester=False)
    assert refused.value.status == 404
    with pytest.raises(ValueError, match="unknown request state"):
        plan_transition("archived", "submit", "coordinator", is_requester=False)


def _reachable_from_draft() -> set[str]:
    seen, queue = {"draft"}, deque(["draft"])
    while queue:
        state = queue.popleft()
        for (source, _action), move in TRANSITIONS.items():
            if source == state and move.to_state not in seen:
                seen.add(move.to_state)
                queue.append(move.to_state)
    return seen


def test_every_state_is_reachable_and_terminal_states_have_no_way_out():
    assert _reachable_from_draft() == set(STATES)
    assert not [key for key in TRANSITIONS if key[0] in TERMINAL_STATES]


class RequestLifecycle(RuleBasedStateMachine):
    """Random callers fire random actions at one request; the model checks every answer."""

    def __init__(self) -> None:
        super().__init__()
        self.state = "draft"
        self.clock = datetime(2026, 1, 1, tzinfo=UTC)
        self.history: list[tuple[datetime, str, str, str]] = []
        self.reachable = _reachable_from_draft()

    @rule(
        action=st.sampled_from(ACTIONS),
        caller=st.sampled_from(list(CALLERS)),
        seconds=st.integers(min_value=1, max_value=86_400),
    )
    def act(self, action: str, caller: str, seconds: int) -> None:
        role, is_requester = CALLERS[caller]
        before = self.state
        expected = EXPECTED[before, action, caller]
        try:
            transition = plan_transition(before, action, role, is_requester=is_requester)
        except (IllegalTransition, NotPermitted) as refused:
            assert str(refused.status) == expected
            return
        assert transition.to_state == expected
        self.clock += timedelta(seconds=seconds)
        self.history.append((self.clock, transition.from_state, action, transition.to_state))
        self.state = transition.to_state

    @invariant()
    def state_is_reachable(self) -> None:
        assert self.state in self.reachable

    @invariant()
    def terminal_states_accept_nothing(self) -> None:
        if self.state in TERMINAL_STATES:
            for caller, (role, is_requester) in CALLERS.items():
                assert available_actions(self.state, role, is_requester=is_requester) == [], caller

    @invariant()
    def history_is_a_strictly_ordered_chain(self) -> None:
        previous_to, previous_at = "draft", None
        for at, from_state, _action, to_state in self.history:
            assert from_state == previous_to
            assert previous_at is None or at > previous_at
            assert from_state not in TERMINAL_STATES
            previous_to, previous_at = to_state, at
        assert previous_to == self.state


RequestLifecycle.TestCase.settings = settings(
    max_examples=200, stateful_step_count=50, deadline=None
)
TestRequestLifecycle = RequestLifecycle.TestCase


SUBMITTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("urgency", "target"),
    [
        ("immediate", timedelta(hours=4)),
        ("priority", timedelta(hours=48)),
        ("routine", timedelta(days=10)),
    ],
)
def test_overdue_only_after_the_target_has_passed(urgency, target):
    assert RESPONSE_TARGETS[urgency] == target
    assert not overdue(SUBMITTED, urgency, SUBMITTED + target)
    assert overdue(SUBMITTED, urgency, SUBMITTED + target + timedelta(seconds=1))
    assert age_against_target(SUBMITTED, urgency, SUBMITTED + target / 2) == pytest.approx(0.5)


def test_response_targets_can_be_overridden_and_clock_skew_counts_as_zero():
    targets = {"immediate": timedelta(hours=1)}
    assert overdue(SUBMITTED, "immediate", SUBMITTED + timedelta(hours=2), targets)
    assert not overdue(SUBMITTED, "immediate", SUBMITTED + timedelta(hours=2))
    assert age_against_target(SUBMITTED, "routine", SUBMITTED - timedelta(hours=1)) == 0.0
    with pytest.raises(KeyError):
        overdue(SUBMITTED, "whenever", SUBMITTED)
    with pytest.raises(ValueError, match="positive"):
        overdue(SUBMITTED, "immediate", SUBMITTED, {"immediate": timedelta(0)})
