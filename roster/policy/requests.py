"""Who may see, raise, edit, staff, log and rate crisis requests, and which fields each viewer
reads."""

from __future__ import annotations

from datetime import date

from roster.policy.core import CLEARANCE_RANK, Actor, acts_as, effective_clearance_rank

# --- Crisis requests -----------------------------------------------------------------------


def can_raise_request(user: Actor | None) -> bool:
    return acts_as(user, "lno", "coordinator")


def staff_request_rank(user: Actor | None, today: date) -> int | None:
    """The highest classification a staff user may read today (no clearance: unclassified only).
    None when the user may see no requests at all (experts use `expert_request_rank`)."""
    if not acts_as(user, "lno", "coordinator"):
        return None
    rank = effective_clearance_rank(user, today)
    return CLEARANCE_RANK["NU"] if rank is None else rank


def raisable_classifications(user: Actor | None, today: date) -> list[str]:
    """The classifications a user may give a request they raise or edit: up to their own
    clearance today (the service refuses a higher one all the same)."""
    rank = staff_request_rank(user, today)
    return [] if rank is None else [c for c, r in CLEARANCE_RANK.items() if r <= rank]


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
    if acts_as(user, "coordinator"):
        return True
    if reads_by_command(user) and user is not None:
        return user.id == requester_id or (command_id is not None and command_id == user_command_id)
    return acts_as(user, "expert") and involved


def reads_by_command(user: Actor | None) -> bool:
    """LNOs read the requests they raised and those of their command (`can_view_request`)."""
    return acts_as(user, "lno")


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
        # time to staff: when each step happened and the minutes from submission to it
        "staffed_at",
        "triaged_at",
        "first_offer_at",
        "minutes_to_triage",
        "minutes_to_first_offer",
        "minutes_to_staffed",
    }
)


def request_fields_for(user: Actor | None) -> frozenset[str]:
    """The fields of a visible request a viewer reads, on the page and in the API alike.
    Call it only for a request `can_view_request` lets the viewer see."""
    if acts_as(user, "lno", "coordinator"):
        return STAFF_REQUEST_FIELDS
    if acts_as(user, "expert"):
        return EXPERT_REQUEST_FIELDS
    return frozenset()


def can_read_log(user: Actor | None, *, assigned: bool) -> bool:
    """The engagement log of a visible request: staff who see it, and the experts seated on it
    (an offer alone, open or declined, is not enough)."""
    return acts_as(user, "lno", "coordinator") or (acts_as(user, "expert") and assigned)


def can_edit_request(user: Actor | None, *, requester_id: int) -> bool:
    """Drafts are edited by the LNO who raised them or a coordinator."""
    return acts_as(user, "coordinator") or (acts_as(user, "lno") and user.id == requester_id)


def can_match(user: Actor | None) -> bool:
    """See ranked candidates and send offers."""
    return acts_as(user, "coordinator")


def can_manage_offers(user: Actor | None) -> bool:
    """See every offer of a visible request (who, state, times, decline reasons), withdraw an
    open one and offer a seat again: coordinators only."""
    return acts_as(user, "coordinator")


def can_see_team(user: Actor | None, *, assigned: bool) -> bool:
    """The team of a visible request (the experts who accepted a seat): staff who see the
    request (its requester, their command, coordinators) and the experts seated on it. Contact
    details within it follow `expert_fields_for` (read: requester and coordinators only)."""
    return acts_as(user, "lno", "coordinator") or (acts_as(user, "expert") and assigned)


def can_log_engagement(user: Actor | None, *, requester_id: int, assigned: bool) -> bool:
    return (
        acts_as(user, "coordinator")
        or (acts_as(user, "lno") and user.id == requester_id)
        or (acts_as(user, "expert") and assigned)
    )


def can_rate_experts(user: Actor | None, *, requester_id: int) -> bool:
    """The person who raised the request, LNO or coordinator, rates the experts seated on it."""
    return acts_as(user, "lno", "coordinator") and user.id == requester_id


def can_rate_request(user: Actor | None, *, assigned: bool) -> bool:
    """The experts seated on the request rate it."""
    return acts_as(user, "expert") and assigned


def can_give_feedback(user: Actor | None, *, requester_id: int, assigned: bool) -> bool:
    """The requester rates the experts; the experts seated on the request rate it."""
    return can_rate_experts(user, requester_id=requester_id) or can_rate_request(
        user, assigned=assigned
    )


def can_see_all_feedback(user: Actor | None) -> bool:
    """Coordinators read every rating given on a request; others read their own."""
    return acts_as(user, "coordinator")


def answers_offers(user: Actor | None) -> bool:
    """Experts receive offers, answer them and hold seats; nobody else does."""
    return acts_as(user, "expert")


# The roles that staff requests: new and changed requests are mailed to them (if cleared).
STAFFING_ROLES = frozenset({"coordinator"})


def request_workflow_role(user: Actor | None) -> str:
    """The role name the workflow's transition table knows this user by."""
    return user.role if user is not None and getattr(user, "active", False) else "anonymous"


def workflow_actors(role: str, *, is_requester: bool) -> frozenset[str]:
    """The transition table's actor names that a user of `role` counts as for one request."""
    if role == "system":
        return frozenset({"system"})
    if role == "coordinator":
        return frozenset({"coordinator"})
    if role == "lno" and is_requester:
        return frozenset({"requester"})
    return frozenset()
