"""Bearer tokens: sign in with email, password and (where two-factor is on) a code; revoke."""

from __future__ import annotations

from flask import Response, current_app, g
from flask_babel import gettext as _
from marshmallow import fields, validate

from roster import db
from roster.accounts import services, throttle, totp
from roster.api.core import answer, load_body, route
from roster.api.schemas import TokenRequestSchema, TokenSchema
from roster.errors import NotAuthenticated


class OtpRequired(NotAuthenticated):
    code = "otp_required"


class TokenLoginSchema(TokenRequestSchema):
    # A TOTP code, or one of the account's recovery codes.
    otp = fields.String(load_default=None, validate=validate.Length(max=40))


class IssuedTokenSchema(TokenSchema):
    enrolment_required = fields.Boolean()


@route(
    "/tokens",
    "POST",
    summary="Exchange email, password and (for two-factor accounts) otp for a bearer token",
    body=TokenLoginSchema,
    response=IssuedTokenSchema(),
    status=201,
    auth=False,
    errors=(400, 401, 422, 429),
)
def create_token() -> Response:
    data = load_body(TokenLoginSchema())
    session = db.session()
    user = services.authenticate(session=session, email=data["email"], password=data["password"])
    if user is None:
        throttle.note_failure()
        db.commit()  # the failed attempt stays in the audit trail
        raise NotAuthenticated(_("Wrong email or password."))
    hours = current_app.config["ROSTER_TOKEN_HOURS"]
    step = services.second_step(user)
    if step == "enrol":
        raw, token = services.issue_token(
            session=session, user=user, hours=hours, scope="enrolment"
        )
        payload = {"token": raw, "expires_at": token.expires_at, "enrolment_required": True}
        return answer(IssuedTokenSchema().dump(payload), 201)
    if step == "code":
        if not data.get("otp"):
            raise OtpRequired(_("This account needs a code from its authenticator app (otp)."))
        if not totp.verify_second_factor(session=session, user=user, code=data["otp"]):
            throttle.note_failure()
            raise OtpRequired(totp.WRONG_CODE)
    raw, token = services.issue_token(session=session, user=user, hours=hours)
    return answer(IssuedTokenSchema().dump({"token": raw, "expires_at": token.expires_at}), 201)


@route(
    "/tokens/current",
    "DELETE",
    summary="Revoke the token used for this call",
    status=204,
    errors=(401,),
)
def revoke_current_token() -> Response:
    services.revoke_token(session=db.session(), token=g.api_token)
    return Response(status=204)
