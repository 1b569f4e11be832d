"""Password reset without signing in: ask for a link (202 whatever the address), then use it."""

from __future__ import annotations

from flask import Response, current_app
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from roster import db, limits
from roster.accounts import reset
from roster.api.core import answer, load_body, route
from roster.api.schemas import OkSchema, StrictSchema


class ResetRequestSchema(StrictSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=limits.EMAIL))


class ResetAcceptedSchema(StrictSchema):
    message = fields.String(required=True)


class ResetPasswordSchema(StrictSchema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=4096))


ACCEPTED = _l(
    "If the address belongs to an active account, a link to choose a new password is on its way."
)


@route(
    "/password-reset",
    "POST",
    summary="Ask for a password reset link; the same answer for every address",
    body=ResetRequestSchema,
    response=ResetAcceptedSchema(),
    status=202,
    auth=False,
    errors=(400, 422, 429),
)
def request_password_reset() -> Response:
    data = load_body(ResetRequestSchema())
    reset.request_reset(
        session=db.session(), email=data["email"], base_url=current_app.config["ROSTER_BASE_URL"]
    )
    return answer(ResetAcceptedSchema().dump({"message": str(ACCEPTED)}), 202)


@route(
    "/password-reset/{token}",
    "POST",
    summary="Set a new password through a reset link; ends every session and token",
    body=ResetPasswordSchema,
    response=OkSchema(),
    auth=False,
    errors=(400, 410, 422, 429),
)
def complete_password_reset(token: str) -> Response:
    data = load_body(ResetPasswordSchema())
    reset.complete_reset(session=db.session(), raw_token=token, password=data["password"])
    return answer({"ok": True})
