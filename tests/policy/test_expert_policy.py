"""Which expert fields each viewer reads, and who edits a profile as its owner: tables."""

from __future__ import annotations

import pytest

from roster import policy
from tests.policy.helpers import user

OWNER = 5


@pytest.mark.parametrize(
    ("viewer", "shared", "fields"),
    [
        (None, False, frozenset()),
        (user("admin"), False, policy.ALL_EXPERT_FIELDS),
        (user("coordinator"), False, policy.ALL_EXPERT_FIELDS),
        (user("expert", id=OWNER), False, policy.ALL_EXPERT_FIELDS - {"vetting_history"}),
        (user("expert"), True, frozenset()),
        (user("lno"), False, policy.LNO_EXPERT_FIELDS),
        (user("lno"), True, policy.LNO_EXPERT_FIELDS | policy.CONTACT_FIELDS),
        (user("lno", active=False), True, frozenset()),
    ],
)
def test_expert_fields_for(viewer, shared, fields):
    assert policy.expert_fields_for(viewer, expert_user_id=OWNER, contact_shared=shared) == fields


def test_lnos_never_read_contact_without_an_engagement():
    assert not policy.LNO_EXPERT_FIELDS & policy.CONTACT_FIELDS


@pytest.mark.parametrize(
    ("viewer", "as_owner", "shared_contact"),
    [
        (None, False, False),
        (user("expert", id=OWNER), True, False),
        (user("expert"), False, False),
        (user("coordinator", id=OWNER), False, False),
        (user("lno"), False, True),
        (user("admin"), False, False),
    ],
)
def test_owner_edits_and_shared_contact(viewer, as_owner, shared_contact):
    assert policy.edits_as_owner(viewer, OWNER) is as_owner
    assert policy.may_get_shared_contact(viewer) is shared_contact
