"""The caller's own second factor: TOTP enrolment and its confirmation (/me/totp)."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, request
from flask_babel import gettext as _
from marshmallow import fields, validate

from roster import db
from roster.accounts import services, totp
from roster.accounts.models import ApiToken, User
from roster.api.core import answer, load_body, route
from roster.api.schemas import StrictSchema
from roster.db import utcnow
from roster.errors import NotAuthenticated


class TotpEnrolmentSchema(StrictSchema):
    secret = fields.String(required=True)
    otpauth_uri = fields.String(required=True)


class OtpSchema(StrictSchema):
    otp = fields.String(required=True, validate=validate.Length(min=1, max=16))


class RecoveryCodesSchema(StrictSchema):
    recovery_codes = fields.List(fields.String(), required=True)


def _enrolling_caller() -> tuple[ApiToken, User]:
    """The caller by an enrolment token, or by a full token issued within the fresh-login window
    (setting up a second factor needs a recent sign-in)."""
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    found = None
    if scheme.lower() == "bearer" and raw.strip():
        found = services.token_lookup(db.session(), raw.strip(), scopes=("full", "enrolment"))
    if found is None:
        raise NotAuthenticated(_("A valid bearer token is required."))
    token, user = found
    minutes = services.ENROLMENT_TOKEN_MINUTES
    if token.scope == "full" and token.created_at < utcnow() - timedelta(minutes=minutes):
        raise FreshLoginRequired(_("Ask for a new token to change your second factor."))
    return token, user


class FreshLoginRequired(NotAuthenticated):
    code = "fresh_login_required"


@route(
    "/me/totp",
    "POST",
    summary="Start two-factor enrolment: a new TOTP secret for an authenticator app",
    response=TotpEnrolmentSchema(),
    auth=False,
    errors=(401, 409),
)
def start_totp() -> Response:
    _token, user = _enrolling_caller()
    enrolment = totp.start_enrolment(session=db.session(), user=user)
    return answer(
        TotpEnrolmentSchema().dump(
            {"secret": enrolment.secret, "otpauth_uri": enrolment.otpauth_uri}
        )
    )


@route(
    "/me/totp/confirm",
    "POST",
    summary="Confirm enrolment with a code from the app; answers the one-time recovery codes",
    body=OtpSchema,
    response=RecoveryCodesSchema(),
    auth=False,
    errors=(400, 401, 409, 422),
)
def confirm_totp() -> Response:
    token, user = _enrolling_caller()
    data = load_body(OtpSchema())
    codes = totp.confirm_enrolment(session=db.session(), user=user, code=data["otp"])
    if token.scope == "enrolment":
        services.revoke_token(session=db.session(), token=token)
    return answer(RecoveryCodesSchema().dump({"recovery_codes": codes}))
