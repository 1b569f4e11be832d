"""Every authorization decision, as small pure functions over users and objects. Deny by default."""

from __future__ import annotations

from datetime import date
from typing import Protocol, TypeGuard


class Actor(Protocol):
    id: int
    role: str
    active: bool
    clearance_level: str | None
    clearance_expires_on: date | None


CLEARANCE_RANK = {"NU": 0, "NR": 1, "NC": 2, "NS": 3, "CTS": 4}

# Which roles each role may invite or create.
INVITABLE_BY = {
    "admin": frozenset({"expert", "lno", "coordinator", "admin"}),
    "coordinator": frozenset({"expert", "lno"}),
}


def _is(user: Actor | None, *roles: str) -> TypeGuard[Actor]:
    return user is not None and getattr(user, "active", False) and user.role in roles


def effective_clearance_rank(user: Actor | None, on: date) -> int | None:
    """The rank of a staff user's own clearance on a day, or None when they hold none then."""
    if user is None or user.clearance_level is None:
        return None
    if user.clearance_expires_on is not None and user.clearance_expires_on < on:
        return None
    return CLEARANCE_RANK.get(user.clearance_level)


def can_invite(user: Actor | None, role: str) -> bool:
    return _is(user, "admin", "coordinator") and role in INVITABLE_BY[user.role]


def can_manage_users(user: Actor | None) -> bool:
    """Deactivate or reactivate accounts, change roles."""
    return _is(user, "admin")


def can_deactivate(user: Actor | None, target: Actor) -> bool:
    return can_manage_users(user) and user is not None and user.id != target.id


def can_list_users(user: Actor | None) -> bool:
    return _is(user, "admin", "coordinator")


# --- Experts -------------------------------------------------------------------------------


def roster_scope(user: Actor | None) -> str | None:
    """Which experts a user may find: "all" (coordinators, admins), "vetted" (LNOs: vetted,
    unexpired, active only) or None (experts and anonymous users cannot search)."""
    if _is(user, "coordinator", "admin"):
        return "all"
    if _is(user, "lno"):
        return "vetted"
    return None


def is_own_profile(user: Actor | None, expert_user_id: int | None) -> bool:
    return (
        user is not None
        and getattr(user, "active", False)
        and expert_user_id is not None
        and user.id == expert_user_id
    )


def can_view_expert(user: Actor | None, *, expert_user_id: int | None, listed: bool) -> bool:
    """`listed` is whether the expert is vetted, unexpired and active today."""
    scope = roster_scope(user)
    if scope == "all" or is_own_profile(user, expert_user_id):
        return True
    return scope == "vetted" and listed


def can_edit_expert(user: Actor | None, *, expert_user_id: int | None) -> bool:
    return _is(user, "coordinator") or is_own_profile(user, expert_user_id)


def can_create_expert(user: Actor | None) -> bool:
    return _is(user, "coordinator", "admin")


def can_vet(user: Actor | None) -> bool:
    return _is(user, "coordinator")


def can_verify(user: Actor | None) -> bool:
    """Verify clearances and confirm high topic levels."""
    return _is(user, "coordinator")


def can_export_or_erase_expert(user: Actor | None, *, expert_user_id: int | None) -> bool:
    return _is(user, "admin") or is_own_profile(user, expert_user_id)


# Fields of an expert each viewer may see; anything not listed is withheld.
LNO_EXPERT_FIELDS = frozenset(
    {
        "id",
        "full_name",
        "gender",
        "nationalities",
        "country_of_residence",
        "affiliation",
        "categories",
        "topics",
        "languages",
        "regions",
        "clearance",
        "deployable",
        "max_concurrent",
        "bio",
        "updated_at",
        "availability",
    }
)
CONTACT_FIELDS = frozenset({"email", "phone"})
ALL_EXPERT_FIELDS = (
    LNO_EXPERT_FIELDS
    | CONTACT_FIELDS
    | frozenset(
        {
            "vetting",
            "version",
            "links",
            "notice_days",
            "consent",
            "csap",
            "focal_points",
            "vetting_history",
            "active",
        }
    )
)


def expert_fields_for(
    user: Actor | None, *, expert_user_id: int | None, contact_shared: bool = False
) -> frozenset[str]:
    """The expert fields a viewer sees. `contact_shared`: the expert accepted an engagement
    with this LNO, so contact details are needed."""
    if _is(user, "coordinator", "admin"):
        return ALL_EXPERT_FIELDS
    if is_own_profile(user, expert_user_id):
        return ALL_EXPERT_FIELDS - {"vetting_history"}  # decision notes are for coordinators
    if _is(user, "lno"):
        return LNO_EXPERT_FIELDS | (CONTACT_FIELDS if contact_shared else frozenset())
    return frozenset()


# --- Panel and directory -------------------------------------------------------------------


def can_view_panel(user: Actor | None) -> bool:
    """The CSAP panel page: staff only (LNOs, coordinators, admins)."""
    return _is(user, "lno", "coordinator", "admin")


def can_view_directory(user: Actor | None) -> bool:
    """The focal-point directory: staff only (LNOs, coordinators, admins)."""
    return _is(user, "lno", "coordinator", "admin")


def is_listed(*, vetted_today: bool, active: bool, pseudonym: str | None) -> bool:
    """Whether an expert is listed for LNOs: vetted and unexpired today, active, no pseudonym."""
    return vetted_today and active and pseudonym is None


def can_see_listing(user: Actor | None, *, listed: bool) -> bool:
    """Whether a panel or directory entry shows to a viewer; LNOs see listed experts only."""
    scope = roster_scope(user)
    return scope == "all" or (scope == "vetted" and listed)


def can_see_vetting_status(user: Actor | None) -> bool:
    return _is(user, "coordinator", "admin")


def can_manage_commands(user: Actor | None) -> bool:
    """Add, rename, re-kind or delete commands and headquarters."""
    return _is(user, "admin")


# --- Crisis requests -----------------------------------------------------------------------


def can_raise_request(user: Actor | None) -> bool:
    return _is(user, "lno", "coordinator")


def staff_request_rank(user: Actor | None, today: date) -> int | None:
    """The highest classification a staff user may read today (no clearance: unclassified only).
    None when the user may see no requests at all (experts use `expert_request_rank`)."""
    if not _is(user, "lno", "coordinator"):
        return None
    rank = effective_clearance_rank(user, today)
    return CLEARANCE_RANK["NU"] if rank is None else rank


def can_view_request(
    user: Actor | None,
    *,
    classification: str,
    requester_id: int,
    command_id: int | None,
    user_command_id: int | None,
    viewer_rank: int | None,
    involved: bool = False,
) -> bool:
    """No read-up, then need-to-know. `viewer_rank` is the staff user's rank today, or the
    expert's verified clearance rank today; `involved` means the expert holds an offer or a seat
    on the request. Admins run accounts, not requests, and see none."""
    if viewer_rank is None or CLEARANCE_RANK[classification] > viewer_rank:
        return False
    if _is(user, "coordinator"):
        return True
    if _is(user, "lno"):
        return user.id == requester_id or (command_id is not None and command_id == user_command_id)
    return _is(user, "expert") and involved


# What an expert with an offer or a seat needs to know about a request; the rest is for staff.
EXPERT_REQUEST_FIELDS = frozenset(
    {
        "id",
        "title",
        "description",
        "kind",
        "classification",
        "urgency",
        "starts_on",
        "ends_on",
        "mode",
        "topics",
        "languages",
        "regions",
        "state",
    }
)
# Staff see every field, plus (on the page) when it was submitted, who is on the team and the
# names of the people who acted on it (an expert sees only their own name).
STAFF_REQUEST_FIELDS = EXPERT_REQUEST_FIELDS | frozenset(
    {
        "required_clearance",
        "seats",
        "filled",
        "requested_by",
        "command_id",
        "created_at",
        "submitted_at",
        "version",
        "history",
        "team",
        "names",
    }
)


def request_fields_for(user: Actor | None) -> frozenset[str]:
    """The fields of a visible request a viewer reads, on the page and in the API alike.
    Call it only for a request `can_view_request` lets the viewer see."""
    if _is(user, "lno", "coordinator"):
        return STAFF_REQUEST_FIELDS
    if _is(user, "expert"):
        return EXPERT_REQUEST_FIELDS
    return frozenset()


def can_read_log(user: Actor | None, *, assigned: bool) -> bool:
    """The engagement log of a visible request: staff who see it, and the experts seated on it
    (an offer alone, open or declined, is not enough)."""
    return _is(user, "lno", "coordinator") or (_is(user, "expert") and assigned)


def can_edit_request(user: Actor | None, *, requester_id: int) -> bool:
    """Drafts are edited by the LNO who raised them or a coordinator."""
    return _is(user, "coordinator") or (_is(user, "lno") and user.id == requester_id)


def can_match(user: Actor | None) -> bool:
    """See ranked candidates and send offers."""
    return _is(user, "coordinator")


def can_log_engagement(user: Actor | None, *, requester_id: int, assigned: bool) -> bool:
    return (
        _is(user, "coordinator")
        or (_is(user, "lno") and user.id == requester_id)
        or (_is(user, "expert") and assigned)
    )


def can_give_feedback(user: Actor | None, *, requester_id: int, assigned: bool) -> bool:
    """The requester rates the experts; the experts seated on the request rate it."""
    return (_is(user, "lno", "coordinator") and user.id == requester_id) or (
        _is(user, "expert") and assigned
    )


def request_workflow_role(user: Actor | None) -> str:
    """The role name the workflow's transition table knows this user by."""
    return user.role if user is not None and getattr(user, "active", False) else "anonymous"


# --- Reports -------------------------------------------------------------------------------


def can_view_dashboard(user: Actor | None) -> bool:
    """The coordinator dashboard, its reports and their exports. Request figures in them still
    count only the requests the viewer may see (`can_view_request`), so admins see none."""
    return _is(user, "coordinator", "admin")


def can_import_experts(user: Actor | None) -> bool:
    """Bulk-import expert profiles from a spreadsheet."""
    return _is(user, "coordinator")


def can_export_search(user: Actor | None) -> bool:
    """Download a roster search; the rows are the search's own, trimmed as on the page."""
    return roster_scope(user) is not None
