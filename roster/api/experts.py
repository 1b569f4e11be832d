"""Expert profiles over the API: create, read, edit, vet, verify, availability, export, erase."""

from __future__ import annotations

from flask import Response, current_app
from flask_babel import gettext as _

from roster import db, policy
from roster.api.core import (
    answer,
    current_api_user,
    load_body,
    require,
    route,
    token_is_fresh,
)
from roster.api.expert_schemas import (
    ExpertCreateSchema,
    ExpertOutSchema,
    ExpertPatchSchema,
    ProfileInvitationSchema,
    VettingDecisionSchema,
    WindowSchema,
    dump_expert,
)
from roster.api.schemas import OkSchema
from roster.experts import invitations, presenters, privacy, profiles, vetting
from roster.experts.models import Expert

ERRORS = (400, 401, 403, 404, 409, 422)


def visible_expert(expert_id: int) -> Expert:
    """The expert if the caller may see them at all; 404 otherwise (never reveal existence)."""
    return presenters.visible_expert(db.session(), current_api_user(), expert_id, db.today())


def expert_answer(expert: Expert, status: int = 200, **extra: object) -> Response:
    view = presenters.present_expert(db.session(), current_api_user(), expert, db.today())
    body = dump_expert(view.loaded, view.fields, db.today())
    return answer({**body, **extra}, status)


@route(
    "/experts",
    "POST",
    summary="Create an expert profile and invite its owner",
    body=ExpertCreateSchema,
    response=ExpertOutSchema(),
    status=201,
    errors=ERRORS,
)
def create_expert() -> Response:
    require(policy.can_create_expert(current_api_user()), _("You may not create profiles."))
    data = load_body(ExpertCreateSchema())
    expert, link = profiles.create_expert(
        session=db.session(),
        actor=current_api_user(),
        data=data,
        today=db.today(),
        invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    return expert_answer(expert, 201, invitation_url=link)


@route(
    "/experts/{id}",
    "GET",
    summary="One expert, with the fields you may see",
    response=ExpertOutSchema(),
    errors=(401, 404),
)
def get_expert(id: int) -> Response:
    return expert_answer(visible_expert(id))


@route(
    "/experts/{id}",
    "PATCH",
    summary="Edit a profile (send the version you read)",
    body=ExpertPatchSchema,
    response=ExpertOutSchema(),
    errors=ERRORS,
)
def patch_expert(id: int) -> Response:
    expert = visible_expert(id)
    require(policy.can_edit_expert(current_api_user(), expert_user_id=expert.user_id))
    data = load_body(ExpertPatchSchema())
    version = data.pop("version")
    profiles.update_expert(
        session=db.session(),
        actor=current_api_user(),
        expert=expert,
        data=data,
        version=version,
        today=db.today(),
    )
    return expert_answer(expert)


@route(
    "/experts/{id}/vetting",
    "POST",
    summary="Decide on an expert's vetting (coordinator)",
    body=VettingDecisionSchema,
    response=ExpertOutSchema(),
    errors=ERRORS,
)
def decide_vetting(id: int) -> Response:
    expert = visible_expert(id)
    require(policy.can_vet(current_api_user()), _("Only coordinators decide on vetting."))
    data = load_body(VettingDecisionSchema())
    vetting.decide_vetting(
        session=db.session(),
        actor=current_api_user(),
        expert=expert,
        to_status=data["status"],
        valid_until=data["valid_until"],
        note=data["note"],
        today=db.today(),
    )
    return expert_answer(expert)


@route(
    "/experts/{id}/invitation",
    "POST",
    summary="Invite the person of this profile to an expert account linked to it (coordinator)",
    description=(
        "Creates the expert account with the profile's e-mail (or re-uses one that never set a "
        "password, whose earlier links stop working) and mails the invitation. 409 when the "
        "profile already has an account in use, is deactivated, or another account holds the "
        "e-mail; 410 for an erased profile; 422 (`email`) for a profile without an e-mail."
    ),
    response=ProfileInvitationSchema(),
    status=201,
    errors=(401, 403, 404, 409, 410, 422),
)
def invite_expert(id: int) -> Response:
    expert = visible_expert(id)
    require(policy.can_invite_profile_owner(current_api_user()), _("You may not invite experts."))
    sent = invitations.invite_owner(
        session=db.session(),
        actor=current_api_user(),
        expert=expert,
        today=db.today(),
        invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    payload = {
        "invitation_url": sent.invitation_url,
        "expires_at": sent.expires_at,
        "expert_id": sent.expert.id,
        "user_id": sent.user.id,
    }
    return answer(ProfileInvitationSchema().dump(payload), 201)


@route(
    "/experts/{id}/clearance/verify",
    "POST",
    summary="Verify the expert's clearance",
    response=ExpertOutSchema(),
    errors=(401, 403, 404, 409),
)
def verify_clearance(id: int) -> Response:
    expert = visible_expert(id)
    vetting.verify_clearance(
        session=db.session(), actor=current_api_user(), expert=expert, today=db.today()
    )
    return expert_answer(expert)


@route(
    "/experts/{id}/availability",
    "PUT",
    summary="Replace the availability windows",
    body=WindowSchema(many=True),
    response=WindowSchema(many=True),
    errors=ERRORS,
)
def put_availability(id: int) -> Response:
    expert = visible_expert(id)
    require(policy.can_edit_expert(current_api_user(), expert_user_id=expert.user_id))
    windows = load_body(WindowSchema(many=True))
    rows = profiles.set_availability(
        session=db.session(),
        actor=current_api_user(),
        expert=expert,
        windows=[{"from": w["from_"], "to": w["to"], "kind": w["kind"]} for w in windows],
    )
    return answer(
        WindowSchema(many=True).dump(
            [{"from_": r.starts_on, "to": r.ends_on, "kind": r.kind} for r in rows]
        )
    )


@route(
    "/experts/{id}/export",
    "GET",
    summary="Everything held about the expert",
    errors=(401, 403, 404),
)
def export_expert(id: int) -> Response:
    expert = visible_expert(id)
    data = privacy.export_expert(session=db.session(), actor=current_api_user(), expert=expert)
    response = answer(data)
    response.headers["Content-Disposition"] = f'attachment; filename="expert-{id}.json"'
    return response


@route(
    "/experts/{id}",
    "DELETE",
    summary="Erase the expert's personal data",
    description=(
        "Needs a token issued within the fresh-login window (ROSTER_FRESH_LOGIN_MINUTES, "
        "10 minutes by default): ask for a new token with the password (and otp) first. "
        "An older token is refused with 403 and error code `reauthentication_required`."
    ),
    response=OkSchema(),
    errors=(401, 403, 404),
)
def erase_expert(id: int) -> Response:
    expert = visible_expert(id)
    privacy.erase_expert(
        session=db.session(),
        actor=current_api_user(),
        expert=expert,
        recently_authenticated=token_is_fresh(),
    )
    return answer({"ok": True})
