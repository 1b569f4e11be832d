"""Who reads a request's fields and log, and who rates whom: the policy as tables."""

from __future__ import annotations

from datetime import date

import pytest

from roster import policy
from tests.policy.helpers import user

REQUESTER = 7


@pytest.mark.parametrize(
    ("viewer", "assigned", "allowed"),
    [
        (None, False, False),
        (user("expert"), False, False),
        (user("expert"), True, True),
        (user("expert", active=False), True, False),
        (user("lno"), False, True),
        (user("coordinator"), False, True),
        (user("admin"), False, False),
        (user("lno", active=False), False, False),
    ],
)
def test_can_read_log(viewer, assigned, allowed):
    assert policy.can_read_log(viewer, assigned=assigned) is allowed


@pytest.mark.parametrize(
    ("viewer", "assigned", "rates_experts", "rates_request"),
    [
        (None, False, False, False),
        (user("lno", id=REQUESTER), False, True, False),
        (user("coordinator", id=REQUESTER), False, True, False),
        (user("lno"), False, False, False),
        (user("coordinator"), False, False, False),
        (user("admin", id=REQUESTER), False, False, False),
        (user("expert"), True, False, True),
        (user("expert"), False, False, False),
        (user("expert", id=REQUESTER), False, False, False),
        (user("lno", id=REQUESTER, active=False), False, False, False),
    ],
)
def test_who_rates_whom(viewer, assigned, rates_experts, rates_request):
    assert policy.can_rate_experts(viewer, requester_id=REQUESTER) is rates_experts
    assert policy.can_rate_request(viewer, assigned=assigned) is rates_request
    assert policy.can_give_feedback(viewer, requester_id=REQUESTER, assigned=assigned) is (
        rates_experts or rates_request
    )


@pytest.mark.parametrize(
    ("viewer", "fields"),
    [
        (None, frozenset()),
        (user("expert"), policy.EXPERT_REQUEST_FIELDS),
        (user("lno"), policy.STAFF_REQUEST_FIELDS),
        (user("coordinator"), policy.STAFF_REQUEST_FIELDS),
        (user("admin"), frozenset()),
        (user("coordinator", active=False), frozenset()),
    ],
)
def test_request_fields_for(viewer, fields):
    assert policy.request_fields_for(viewer) == fields


def test_experts_never_read_the_staff_fields():
    staff_only = {"requested_by", "seats", "required_clearance", "history", "team", "names"}
    assert not policy.EXPERT_REQUEST_FIELDS & staff_only
    assert staff_only <= policy.STAFF_REQUEST_FIELDS


@pytest.mark.parametrize(
    ("viewer", "answers", "by_command", "sees_all_feedback"),
    [
        (None, False, False, False),
        (user("expert"), True, False, False),
        (user("expert", active=False), False, False, False),
        (user("lno"), False, True, False),
        (user("coordinator"), False, False, True),
        (user("admin"), False, False, False),
    ],
)
def test_role_questions(viewer, answers, by_command, sees_all_feedback):
    assert policy.answers_offers(viewer) is answers
    assert policy.reads_by_command(viewer) is by_command
    assert policy.can_see_all_feedback(viewer) is sees_all_feedback


@pytest.mark.parametrize(
    ("role", "is_requester", "actors"),
    [
        ("system", False, {"system"}),
        ("coordinator", False, {"coordinator"}),
        ("coordinator", True, {"coordinator"}),
        ("lno", True, {"requester"}),
        ("lno", False, set()),
        ("expert", True, set()),
        ("admin", False, set()),
        ("anonymous", False, set()),
    ],
)
def test_workflow_actors(role, is_requester, actors):
    assert policy.workflow_actors(role, is_requester=is_requester) == actors


def test_only_coordinators_hear_of_new_requests():
    assert frozenset({"coordinator"}) == policy.STAFFING_ROLES


@pytest.mark.parametrize(
    ("viewer", "offered"),
    [
        (None, []),
        (user("expert", clearance_level="NS"), []),
        (user("admin", clearance_level="NS"), []),
        (user("lno"), ["NU"]),
        (user("lno", clearance_level="NR"), ["NU", "NR"]),
        (user("coordinator", clearance_level="NS"), ["NU", "NR", "NC", "NS"]),
        (user("lno", clearance_level="NS", clearance_expires_on=date(2020, 1, 1)), ["NU"]),
    ],
)
def test_raisable_classifications_stop_at_the_users_clearance(viewer, offered):
    assert policy.raisable_classifications(viewer, date(2026, 6, 1)) == offered
