"""Who may find, see, edit, vet and export expert profiles, and which fields each viewer reads;
also the panel and directory listings built from them."""

from __future__ import annotations

from roster.policy.core import Actor, acts_as

# --- Experts -------------------------------------------------------------------------------


def roster_scope(user: Actor | None) -> str | None:
    """Which experts a user may find: "all" (coordinators, admins), "vetted" (LNOs: vetted,
    unexpired, active only) or None (experts and anonymous users cannot search)."""
    if acts_as(user, "coordinator", "admin"):
        return "all"
    if acts_as(user, "lno"):
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


def edits_as_owner(user: Actor | None, expert_user_id: int | None) -> bool:
    """The expert editing their own profile (their changes to checked facts wait for review)."""
    return acts_as(user, "expert") and is_own_profile(user, expert_user_id)


def may_get_shared_contact(user: Actor | None) -> bool:
    """LNOs get an expert's contact details once the expert accepts a seat on their request."""
    return acts_as(user, "lno")


def can_edit_expert(user: Actor | None, *, expert_user_id: int | None) -> bool:
    return acts_as(user, "coordinator") or is_own_profile(user, expert_user_id)


def can_create_expert(user: Actor | None) -> bool:
    return acts_as(user, "coordinator", "admin")


def can_vet(user: Actor | None) -> bool:
    return acts_as(user, "coordinator")


def can_verify(user: Actor | None) -> bool:
    """Verify clearances and confirm high topic levels."""
    return acts_as(user, "coordinator")


def can_export_or_erase_expert(user: Actor | None, *, expert_user_id: int | None) -> bool:
    return acts_as(user, "admin") or is_own_profile(user, expert_user_id)


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
    if acts_as(user, "coordinator", "admin"):
        return ALL_EXPERT_FIELDS
    if is_own_profile(user, expert_user_id):
        return ALL_EXPERT_FIELDS - {"vetting_history"}  # decision notes are for coordinators
    if acts_as(user, "lno"):
        return LNO_EXPERT_FIELDS | (CONTACT_FIELDS if contact_shared else frozenset())
    return frozenset()


# --- Panel and directory -------------------------------------------------------------------


def can_view_panel(user: Actor | None) -> bool:
    """The CSAP panel page: staff only (LNOs, coordinators, admins)."""
    return acts_as(user, "lno", "coordinator", "admin")


def can_view_directory(user: Actor | None) -> bool:
    """The focal-point directory: staff only (LNOs, coordinators, admins)."""
    return acts_as(user, "lno", "coordinator", "admin")


def is_listed(*, vetted_today: bool, active: bool, pseudonym: str | None) -> bool:
    """Whether an expert is listed for LNOs: vetted and unexpired today, active, no pseudonym."""
    return vetted_today and active and pseudonym is None


def can_see_listing(user: Actor | None, *, listed: bool) -> bool:
    """Whether a panel or directory entry shows to a viewer; LNOs see listed experts only."""
    scope = roster_scope(user)
    return scope == "all" or (scope == "vetted" and listed)


def can_see_vetting_status(user: Actor | None) -> bool:
    return acts_as(user, "coordinator", "admin")


def can_edit_directory(user: Actor | None) -> bool:
    """Add, correct or end CSAP terms and focal-point roles: the HS/WPS unit's coordinators."""
    return acts_as(user, "coordinator")


def can_manage_commands(user: Actor | None) -> bool:
    """Add, rename, re-kind or delete commands and headquarters."""
    return acts_as(user, "admin")
