"""How pages, mail and reports name a request's urgency and state: one place, so a page, a
report and an export call the same thing by the same word in every language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

URGENCY_LABELS = {
    "routine": _l("Routine"),
    "priority": _l("Priority"),
    "immediate": _l("Immediate"),
}
STATE_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "matching": _l("Matching"),
    "staffed": _l("Staffed"),
    "active": _l("Active"),
    "completed": _l("Completed"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
}
