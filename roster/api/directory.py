"""The CSAP panel and the focal-point directory over the API: coordinators add, correct and end
terms and roles with the same checks and audit as the pages; staff read a command's focal
points as the request page shows them."""

from __future__ import annotations

from datetime import date

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from roster import db, limits, policy
from roster.api.core import answer, current_api_user, load_body, require, route
from roster.api.schemas import StrictSchema
from roster.directory import editing, services
from roster.experts.models import CsapMembership, FocalPoint

EDITORS_ONLY = _l("Only coordinators may change the panel and the directory.")


class TermBodySchema(StrictSchema):
    expert_id = fields.Integer(load_default=None)
    cohort = fields.Integer(load_default=None)
    role = fields.String(load_default="member", validate=validate.Length(max=20))
    term_start = fields.Date(load_default=None)
    term_end = fields.Date(load_default=None, allow_none=True)


class TermSchema(Schema):
    id = fields.Integer()
    expert_id = fields.Integer()
    cohort = fields.Integer()
    role = fields.String()
    term_start = fields.Date()
    term_end = fields.Date(allow_none=True)


class FocalPointBodySchema(StrictSchema):
    expert_id = fields.Integer(load_default=None)
    command_id = fields.Integer(load_default=None)
    role = fields.String(load_default="", validate=validate.Length(max=30))
    topics = fields.List(
        fields.String(validate=validate.Length(max=limits.AUDIT_REFERENCE)),
        load_default=list,
        validate=validate.Length(max=40),
    )
    since = fields.Date(load_default=None, allow_none=True)
    until = fields.Date(load_default=None, allow_none=True)


class FocalPointSchema(Schema):
    id = fields.Integer()
    expert_id = fields.Integer()
    command_id = fields.Integer()
    role = fields.String()
    topics = fields.List(fields.String())
    since = fields.Date(allow_none=True)
    until = fields.Date(allow_none=True)


class EndSchema(StrictSchema):
    on = fields.Date(required=True)


class EntrySchema(Schema):
    id = fields.Integer()
    expert_id = fields.Integer(attribute="person.expert_id")
    full_name = fields.String(attribute="person.full_name")
    command = fields.String(attribute="command.code")
    role = fields.String()
    topics = fields.List(fields.String())
    since = fields.Date(allow_none=True)
    until = fields.Date(allow_none=True)


def _editor() -> policy.Actor:
    actor = current_api_user()
    require(policy.can_edit_directory(actor), str(EDITORS_ONLY))
    return actor


def _term(data: dict) -> editing.TermInput:
    return editing.TermInput(**data)


def _role(data: dict) -> editing.RoleInput:
    return editing.RoleInput(**{**data, "topics": tuple(data["topics"])})


def _term_answer(term: CsapMembership, status: int = 200) -> Response:
    return answer(TermSchema().dump(term), status)


def _role_answer(focal_point: FocalPoint, status: int = 200) -> Response:
    return answer(FocalPointSchema().dump(focal_point), status)


@route(
    "/csap-terms",
    "POST",
    summary="Add a CSAP term (coordinators)",
    body=TermBodySchema,
    response=TermSchema(),
    status=201,
    errors=(400, 401, 403, 422),
)
def create_term() -> Response:
    actor = _editor()
    data = load_body(TermBodySchema())
    term = editing.add_membership(session=db.session(), actor=actor, term=_term(data))
    return _term_answer(term, 201)


@route(
    "/csap-terms/{id}",
    "PATCH",
    summary="Correct a CSAP term (the whole term is given again; coordinators)",
    body=TermBodySchema,
    response=TermSchema(),
    errors=(400, 401, 403, 404, 422),
)
def patch_term(id: int) -> Response:
    actor = _editor()
    data = load_body(TermBodySchema())
    term = editing.update_membership(
        session=db.session(), actor=actor, membership_id=id, term=_term(data)
    )
    return _term_answer(term)


@route(
    "/csap-terms/{id}/end",
    "POST",
    summary="End a CSAP term on a day; the term stays as history (coordinators)",
    body=EndSchema,
    response=TermSchema(),
    errors=(400, 401, 403, 404, 409, 422),
)
def end_term(id: int) -> Response:
    actor = _editor()
    on: date = load_body(EndSchema())["on"]
    term = editing.end_membership(session=db.session(), actor=actor, membership_id=id, on=on)
    return _term_answer(term)


@route(
    "/focal-points",
    "POST",
    summary="Record a focal point in a command (coordinators)",
    body=FocalPointBodySchema,
    response=FocalPointSchema(),
    status=201,
    errors=(400, 401, 403, 422),
)
def create_focal_point() -> Response:
    actor = _editor()
    data = load_body(FocalPointBodySchema())
    found = editing.add_focal_point(session=db.session(), actor=actor, role=_role(data))
    return _role_answer(found, 201)


@route(
    "/focal-points/{id}",
    "PATCH",
    summary="Correct a focal point (the whole entry is given again; coordinators)",
    body=FocalPointBodySchema,
    response=FocalPointSchema(),
    errors=(400, 401, 403, 404, 422),
)
def patch_focal_point(id: int) -> Response:
    actor = _editor()
    data = load_body(FocalPointBodySchema())
    found = editing.update_focal_point(
        session=db.session(), actor=actor, focal_point_id=id, role=_role(data)
    )
    return _role_answer(found)


@route(
    "/focal-points/{id}/end",
    "POST",
    summary="End a focal-point role on a day; it stays in the directory's history",
    body=EndSchema,
    response=FocalPointSchema(),
    errors=(400, 401, 403, 404, 409, 422),
)
def end_focal_point(id: int) -> Response:
    actor = _editor()
    on: date = load_body(EndSchema())["on"]
    found = editing.end_focal_point(session=db.session(), actor=actor, focal_point_id=id, on=on)
    return _role_answer(found)


@route(
    "/commands/{id}/focal-points",
    "GET",
    summary="The focal points serving a command today, as the request page shows them (staff)",
    response=EntrySchema(many=True),
    errors=(401, 403, 404),
)
def command_focal_points(id: int) -> Response:
    actor = current_api_user()
    require(policy.can_view_directory(actor), _("Only staff may read the directory."))
    services.get_command(db.session(), id)  # 404 for a command that is not there
    entries = services.focal_points_for_command(db.session(), id, date.today(), viewer=actor)
    return answer(EntrySchema(many=True).dump(entries))
