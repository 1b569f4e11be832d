"""Who may open the dashboard, its reports, imports and exports."""

from __future__ import annotations

from roster.policy.core import Actor, acts_as
from roster.policy.experts import roster_scope

# --- Reports -------------------------------------------------------------------------------


def can_view_dashboard(user: Actor | None) -> bool:
    """The coordinator dashboard, its reports and their exports. Request figures in them still
    count only the requests the viewer may see (`can_view_request`), so admins see none."""
    return acts_as(user, "coordinator", "admin")


def can_import_experts(user: Actor | None) -> bool:
    """Bulk-import expert profiles from a spreadsheet."""
    return acts_as(user, "coordinator")


def can_export_search(user: Actor | None) -> bool:
    """Download a roster search; the rows are the search's own, trimmed as on the page."""
    return roster_scope(user) is not None
