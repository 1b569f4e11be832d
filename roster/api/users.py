"""Me, users and invitations."""

from __future__ import annotations

from flask import Response, current_app
from flask_babel import gettext as _
from sqlmodel import select

from roster import db, policy
from roster.accounts import admin_changes, preferences, services
from roster.accounts.models import User
from roster.api.core import answer, current_api_user, load_body, require, route
from roster.api.schemas import (
    AcceptInvitationSchema,
    MePatchSchema,
    MeSchema,
    OkSchema,
    UserCreatedSchema,
    UserCreateSchema,
    UserPatchSchema,
    UserSchema,
)
from roster.experts.models import Expert


def _invited(new: services.NewUser) -> Response:
    """201 with the account and its invitation link, for a new account and a re-issued link."""
    payload = {
        "id": new.user.id,
        "email": new.user.email,
        "role": new.user.role,
        "invitation_url": new.invitation_url,
    }
    return answer(UserCreatedSchema().dump(payload), 201)


def _me_document(user: User) -> Response:
    expert_id = db.session().exec(select(Expert.id).where(Expert.user_id == user.id)).first()
    return answer(
        MeSchema().dump(
            {
                "id": user.id,
                "email": user.email,
                "role": user.role,
                "clearance": user.clearance_level,
                "expert_id": expert_id,
                "locale": user.locale,
                "notify_by_email": user.notify_by_email,
            }
        )
    )


@route("/me", "GET", summary="Who the token belongs to", response=MeSchema(), errors=(401,))
def me() -> Response:
    return _me_document(current_api_user())


@route(
    "/me",
    "PATCH",
    summary="Change the caller's language or whether notifications are mailed",
    body=MePatchSchema,
    response=MeSchema(),
    errors=(400, 401, 422),
)
def patch_me() -> Response:
    data = load_body(MePatchSchema())
    user = preferences.update_preferences(
        session=db.session(),
        user=current_api_user(),
        locale=data.get("locale"),
        notify_by_email=data.get("notify_by_email"),
    )
    return _me_document(user)


@route(
    "/users",
    "POST",
    summary="Create a user and an invitation to set a password",
    body=UserCreateSchema,
    response=UserCreatedSchema(),
    status=201,
    errors=(400, 401, 403, 409, 422),
)
def create_user() -> Response:
    require(policy.can_list_users(current_api_user()), _("You may not create users."))
    data = load_body(UserCreateSchema())
    clearance = data.get("clearance") or {}
    created = services.create_user(
        session=db.session(),
        actor=current_api_user(),
        email=data["email"],
        full_name=data["full_name"],
        role=data["role"],
        clearance_level=clearance.get("level"),
        clearance_expires_on=clearance.get("expires_on"),
        invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    return _invited(created)


@route(
    "/users/{user_id}",
    "PATCH",
    summary="Change a user's role, own clearance or activity (admin); ends their sessions",
    body=UserPatchSchema,
    response=UserSchema(),
    errors=(400, 401, 403, 404, 409, 422),
)
def patch_user(user_id: int) -> Response:
    require(policy.can_manage_users(current_api_user()), _("Only admins change accounts."))
    data = load_body(UserPatchSchema())
    clearance: admin_changes.Clearance | None | admin_changes.Unchanged = admin_changes.UNCHANGED
    if "clearance" in data:
        given = data["clearance"]
        clearance = given and admin_changes.Clearance(given["level"], given.get("expires_on"))
    user = admin_changes.change_user(
        session=db.session(),
        actor=current_api_user(),
        user_id=user_id,
        role=data.get("role"),
        clearance=clearance,
        active=data.get("active"),
    )
    return answer(UserSchema().dump(user))


@route(
    "/users/{user_id}/invitation",
    "POST",
    summary="A new invitation for an account that never set a password (admin)",
    response=UserCreatedSchema(),
    status=201,
    errors=(401, 403, 404, 409),
)
def reissue_invitation(user_id: int) -> Response:
    require(
        policy.can_manage_users(current_api_user()), _("Only admins hand over new invitations.")
    )
    reissued = services.reissue_invitation(
        session=db.session(),
        actor=current_api_user(),
        user_id=user_id,
        invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    return _invited(reissued)


@route(
    "/invitations/{token}/accept",
    "POST",
    summary="Set a password through an invitation",
    body=AcceptInvitationSchema,
    response=OkSchema(),
    auth=False,
    errors=(400, 410, 422, 429),
)
def accept_invitation(token: str) -> Response:
    data = load_body(AcceptInvitationSchema())
    services.accept_invitation(session=db.session(), raw_token=token, password=data["password"])
    return answer({"ok": True})
