"""The main navigation: the policy picks the entries a user sees, this names and links them."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from roster import policy

LINKS = {
    "home": ("web.home", _l("Home")),
    "profile": ("experts.my_profile", _l("My profile")),
    "offers": ("offers.index", _l("Offers")),
    "vetting": ("review.queue", _l("Vetting")),
    "requests": ("requests.index", _l("Requests")),
    "dashboard": ("reports.dashboard_page", _l("Dashboard")),
    "users": ("accounts.users", _l("Users")),
    "search": ("search.search", _l("Search")),
    "panel": ("directory.panel", _l("Panel")),
    "directory": ("directory.directory", _l("Directory")),
    "commands": ("directory.commands", _l("Commands")),
    "audit": ("ops.audit_trail", _l("Audit")),
}


def nav_links(user: Any) -> list[tuple[str, Any]]:
    """(href, label) for each entry `policy.nav_items` gives this user, in order."""
    return [(url_for(LINKS[item][0]), LINKS[item][1]) for item in policy.nav_items(user)]
