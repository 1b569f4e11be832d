"""Crisis requests over the API: raise, list, edit, act, match, offer, log and feedback."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from flask_babel import gettext as _
from marshmallow import Schema

from roster import db, policy
from roster.api.core import answer, current_api_user, load_body, require, route
from roster.api.request_schemas import (
    AcceptSchema,
    CandidateSchema,
    CandidatesQuerySchema,
    DeclineSchema,
    FeedbackInSchema,
    FeedbackSchema,
    ListQuerySchema,
    LogEntryInSchema,
    LogEntrySchema,
    NoteSchema,
    OfferCreateSchema,
    OfferSchema,
    RequestCreateSchema,
    RequestInSchema,
    RequestListSchema,
    RequestOutSchema,
    SeatWarningSchema,
)
from roster.db import utcnow
from roster.requests import deadlines, engagement, left_out, offers, presenters, services
from roster.requests.consent import LEGACY_API, confirmed
from roster.requests.models import CrisisRequest

ERRORS = (400, 401, 403, 404, 409, 422)


def load_query(schema: Schema) -> dict[str, Any]:
    return schema.load(request.args.to_dict())


def viewer() -> services.Viewer:
    return services.viewer_for(db.session(), current_api_user(), db.today())


def visible(request_id: int) -> CrisisRequest:
    return services.get_visible(db.session(), viewer(), request_id)


def request_document(found: CrisisRequest) -> dict[str, Any]:
    """The request as JSON, with the fields the caller may read (the page reads the same)."""
    return RequestOutSchema().dump(
        presenters.request_document(db.session(), current_api_user(), found)
    )


@route(
    "/requests",
    "POST",
    summary="Raise a crisis request (draft)",
    body=RequestCreateSchema,
    response=RequestOutSchema(),
    status=201,
    errors=ERRORS,
)
def create_request() -> Response:
    require(policy.can_raise_request(current_api_user()), _("You may not raise requests."))
    data = load_body(RequestCreateSchema())
    created = services.create_request(
        session=db.session(), actor=current_api_user(), data=data, today=db.today()
    )
    return answer(request_document(created), 201)


@route(
    "/requests",
    "GET",
    summary="Requests you may see",
    response=RequestListSchema(),
    query=ListQuerySchema,
    errors=(401, 422),
)
def list_requests() -> Response:
    query = load_query(ListQuerySchema())
    rows, total = services.visible_requests(
        db.session(),
        viewer(),
        state=query.get("state"),
        page=query["page"],
        per_page=query["per_page"],
    )
    return answer(
        {
            "items": [request_document(r) for r in rows],
            "total": total,
            "page": query["page"],
            "per_page": query["per_page"],
        }
    )


@route(
    "/requests/{id}", "GET", summary="One request", response=RequestOutSchema(), errors=(401, 404)
)
def get_request(id: int) -> Response:
    view = presenters.view_request(db.session(), current_api_user(), id, db.today())
    body = RequestOutSchema().dump(view.document)
    if policy.can_match(current_api_user()):
        body["seat_warnings"] = SeatWarningSchema(many=True).dump(
            [{"expert_id": e, "reasons": r} for e, r in sorted(view.seat_warnings.items())]
        )
    return answer(body)


@route(
    "/requests/{id}",
    "PATCH",
    summary="Edit a draft request",
    body=RequestInSchema,
    response=RequestOutSchema(),
    errors=ERRORS,
)
def patch_request(id: int) -> Response:
    found = visible(id)
    require(policy.can_edit_request(current_api_user(), requester_id=found.requested_by_id))
    data = load_body(RequestInSchema())
    services.update_request(
        session=db.session(), actor=current_api_user(), request=found, data=data, today=db.today()
    )
    return answer(request_document(found))


@route(
    "/requests/{id}/actions/{action}",
    "POST",
    summary="Take a workflow action",
    body=NoteSchema,
    response=RequestOutSchema(),
    errors=ERRORS,
)
def act(id: int, action: str) -> Response:
    found = visible(id)
    services.check_action(actor=current_api_user(), request=found, action=action)
    data = load_body(NoteSchema())
    engagement.take_action(
        session=db.session(),
        actor=current_api_user(),
        request=found,
        action=action,
        note=data["note"],
    )
    return answer(request_document(found))


@route(
    "/requests/{id}/candidates",
    "GET",
    summary="Ranked, explained candidates",
    response=CandidateSchema(many=True),
    query=CandidatesQuerySchema,
    errors=(401, 403, 404, 422),
)
def list_candidates(id: int) -> Response:
    query = load_query(CandidatesQuerySchema())
    found = visible(id)
    explain = query.get("explain") == "excluded"
    ranking = offers.candidates(
        session=db.session(),
        actor=current_api_user(),
        request=found,
        today=db.today(),
        explain=explain,
        limit=query["limit"],
    )
    ranked = CandidateSchema(many=True).dump(
        [
            {
                "expert_id": r.expert_id,
                "score": r.score,
                "components": r.components,
                "reasons": list(r.reasons),
            }
            for r in ranking.ranked
        ]
    )
    # The contract's list keeps its shape: experts left out follow the ranked ones, marked
    # `excluded` with the hard rules' reason codes; one page of them, the counts in headers.
    for item in ranked:
        item["excluded"] = False
    if not explain:
        return answer(ranked)
    shown = left_out.page_of(ranking.excluded, query["excluded_page"], query["excluded_per_page"])
    response = answer(
        ranked
        + [
            {
                "expert_id": e.expert_id,
                "score": 0.0,
                "components": {},
                "excluded": True,
                "reasons": list(e.reasons),
            }
            for e in shown.items
        ]
    )
    response.headers["X-Excluded-Summary"] = json.dumps(shown.summary, separators=(",", ":"))
    response.headers["X-Excluded-Total"] = str(shown.total)
    response.headers["X-Excluded-Page"] = str(shown.page)
    response.headers["X-Excluded-Per-Page"] = str(shown.per_page)
    return response


@route(
    "/requests/{id}/offers",
    "POST",
    summary="Offer seats to experts",
    body=OfferCreateSchema,
    response=OfferSchema(many=True),
    status=201,
    errors=ERRORS,
)
def create_offers(id: int) -> Response:
    found = visible(id)
    require(policy.can_match(current_api_user()), _("Only coordinators send offers."))
    data = load_body(OfferCreateSchema())
    made = offers.send_offers(
        session=db.session(),
        actor=current_api_user(),
        request=found,
        expert_ids=data["expert_ids"],
        respond_by=data.get("respond_by") or deadlines.default_respond_by(found, utcnow()),
        today=db.today(),
        base_url=current_app.config["ROSTER_BASE_URL"],
    )
    return answer(OfferSchema(many=True).dump(made), 201)


@route(
    "/offers",
    "GET",
    summary="Your offers (experts)",
    response=OfferSchema(many=True),
    errors=(401, 403),
)
def my_offers() -> Response:
    cards = presenters.view_offers(db.session(), current_api_user(), db.today())
    return answer(OfferSchema(many=True).dump([card.offer for card in cards]))


@route(
    "/offers/{id}/accept",
    "POST",
    summary="Accept an offer (optional body: both confirmations true)",
    description=(
        "The body is optional. Without one (or with {}), the accept is recorded as given by an "
        'old client ("consent_via": "api-legacy", both answers null). A body with either '
        "answer must carry both as true, or the accept is refused with 422 and nothing changes."
    ),
    body=AcceptSchema,
    response=OfferSchema(),
    errors=ERRORS,
)
def accept(id: int) -> Response:
    offers.owned_offer(db.session(), current_api_user(), id)
    given = load_body(AcceptSchema()) if request.get_data(cache=True) else {}
    offer = offers.accept_offer(
        session=db.session(),
        actor=current_api_user(),
        offer_id=id,
        today=db.today(),
        consent=confirmed("api") if given else LEGACY_API,
    )
    return answer(OfferSchema().dump(offer))


@route(
    "/offers/{id}/decline",
    "POST",
    summary="Decline an offer",
    body=DeclineSchema,
    response=OfferSchema(),
    errors=ERRORS,
)
def decline(id: int) -> Response:
    offers.owned_offer(db.session(), current_api_user(), id)
    data = load_body(DeclineSchema())
    offer = offers.decline_offer(
        session=db.session(), actor=current_api_user(), offer_id=id, reason=data["reason"]
    )
    return answer(OfferSchema().dump(offer))


@route(
    "/requests/{id}/engagement-log",
    "POST",
    summary="Log an activity or deliverable",
    body=LogEntryInSchema,
    response=LogEntrySchema(),
    status=201,
    errors=ERRORS,
)
def log_entry(id: int) -> Response:
    found = visible(id)
    user = current_api_user()
    require(
        policy.can_log_engagement(
            user,
            requester_id=found.requested_by_id,
            assigned=engagement.is_assigned(db.session(), user, found),
        )
    )
    data = load_body(LogEntryInSchema())
    entry = engagement.add_log_entry(
        session=db.session(),
        actor=current_api_user(),
        request=found,
        kind=data["kind"],
        summary=data["summary"],
    )
    return answer(LogEntrySchema().dump(entry), 201)


@route(
    "/requests/{id}/engagement-log",
    "GET",
    summary="The engagement log",
    response=LogEntrySchema(many=True),
    errors=(401, 403, 404),
)
def read_log(id: int) -> Response:
    view = presenters.view_request(db.session(), current_api_user(), id, db.today())
    require(view.can_read_log, _("Only the team reads the engagement log."))
    return answer(LogEntrySchema(many=True).dump(view.log))


@route(
    "/requests/{id}/feedback",
    "POST",
    summary="Rate an expert, or the request",
    body=FeedbackInSchema,
    response=FeedbackSchema(),
    status=201,
    errors=ERRORS,
)
def feedback(id: int) -> Response:
    found = visible(id)
    user = current_api_user()
    require(
        policy.can_give_feedback(
            user,
            requester_id=found.requested_by_id,
            assigned=engagement.is_assigned(db.session(), user, found),
        ),
        _("Only the requesting LNO and the assigned experts give feedback."),
    )
    data = load_body(FeedbackInSchema())
    row = engagement.give_feedback(
        session=db.session(), actor=current_api_user(), request=found, **data
    )
    return answer(FeedbackSchema().dump(row), 201)
