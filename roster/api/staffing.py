"""Staffing a request over the API: every offer of a request and withdrawing one
(coordinators), and the team of experts who accepted a seat."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from marshmallow import Schema, fields

from roster import db, policy
from roster.api.core import answer, current_api_user, require, route
from roster.api.request_schemas import OfferSchema
from roster.requests import presenters, withdrawals


class RequestOfferSchema(Schema):
    id = fields.Integer()
    expert_id = fields.Integer()
    full_name = fields.String()
    state = fields.String()
    sent_at = fields.AwareDateTime()
    respond_by = fields.AwareDateTime()
    responded_at = fields.AwareDateTime(allow_none=True)
    decline_reason = fields.String(allow_none=True)


class TeamMemberSchema(Schema):
    expert_id = fields.Integer()
    full_name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    since = fields.AwareDateTime()


@route(
    "/requests/{id}/offers",
    "GET",
    summary="Every offer of a request (coordinators)",
    response=RequestOfferSchema(many=True),
    errors=(401, 403, 404),
)
def list_request_offers(id: int) -> Response:
    view = presenters.view_request(db.session(), current_api_user(), id, db.today())
    require(view.can_manage_offers, _("Only coordinators see the offers of a request."))
    return answer(RequestOfferSchema(many=True).dump([row.document() for row in view.offers]))


@route(
    "/offers/{id}/withdraw",
    "POST",
    summary="Withdraw an open offer (coordinators; the expert is told by mail). No body.",
    response=OfferSchema(),
    errors=(401, 403, 404, 409),
)
def withdraw_offer(id: int) -> Response:
    require(policy.can_manage_offers(current_api_user()), _("Only coordinators withdraw offers."))
    offer = withdrawals.withdraw(
        session=db.session(), actor=current_api_user(), offer_id=id, today=db.today()
    )
    return answer(OfferSchema().dump(offer))


@route(
    "/requests/{id}/team",
    "GET",
    summary="The experts who accepted a seat; contact details where shared (each read audited)",
    response=TeamMemberSchema(many=True),
    errors=(401, 403, 404),
)
def request_team(id: int) -> Response:
    view = presenters.view_request(db.session(), current_api_user(), id, db.today())
    require(view.can_see_team, _("Only the requesting command, coordinators and the team see it."))
    members = [
        {
            "expert_id": m.expert.id,
            "full_name": m.expert.full_name,
            "email": m.expert.email if m.contact else None,
            "phone": m.expert.phone if m.contact else None,
            "since": m.assignment.created_at,
        }
        for m in view.team
    ]
    return answer(TeamMemberSchema(many=True).dump(members))
