"""The main navigation each role sees, as a table; every entry agrees with its page's rule."""

from __future__ import annotations

import pytest

from roster import policy
from tests.policy.helpers import user

NAV = {
    None: [],
    "expert": ["home", "profile", "offers"],
    "lno": ["home", "requests", "search", "panel", "directory"],
    "coordinator": [
        "home",
        "vetting",
        "requests",
        "dashboard",
        "users",
        "search",
        "panel",
        "directory",
    ],
    "admin": [
        "home",
        "dashboard",
        "users",
        "search",
        "panel",
        "directory",
        "commands",
        "audit",
    ],
}


@pytest.mark.parametrize("role", list(NAV))
def test_nav_items(role):
    viewer = None if role is None else user(role)
    assert policy.nav_items(viewer) == NAV[role]
    for item, _rule in policy.NAV_RULES:
        assert policy.may_see_nav(viewer, item) is (item in NAV[role])


def test_a_deactivated_account_sees_no_navigation():
    assert policy.nav_items(user("coordinator", active=False)) == []


def test_unknown_entries_are_denied():
    assert not policy.may_see_nav(user("admin"), "no-such-entry")
