"""Bearer tokens: sign in with email and password, revoke the current token."""

from __future__ import annotations

from flask import Response, current_app, g

from roster import db
from roster.accounts import services
from roster.api.core import answer, load_body, route
from roster.api.schemas import TokenRequestSchema, TokenSchema
from roster.errors import NotAuthenticated


@route(
    "/tokens",
    "POST",
    summary="Exchange email and password for a bearer token",
    body=TokenRequestSchema,
    response=TokenSchema(),
    status=201,
    auth=False,
    errors=(400, 401, 422, 429),
)
def create_token() -> Response:
    data = load_body(TokenRequestSchema())
    session = db.session()
    user = services.authenticate(session=session, email=data["email"], password=data["password"])
    if user is None:
        db.commit()  # the failed attempt stays in the audit trail
        raise NotAuthenticated("Wrong email or password.")
    raw, token = services.issue_token(
        session=session, user=user, hours=current_app.config["ROSTER_TOKEN_HOURS"]
    )
    return answer(TokenSchema().dump({"token": raw, "expires_at": token.expires_at}), 201)


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
