"""The audit trail over the API (admins): the same filters and paging as the /admin/audit page."""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from roster import db, limits, policy
from roster.api.core import answer, current_api_user, require, route
from roster.api.schemas import StrictSchema
from roster.ops import trail

REFERENCE = validate.Regexp(r"^([a-z_]+:[A-Za-z0-9_/<>:.\-]+|anonymous|system)$")


class AuditQuerySchema(StrictSchema):
    action = fields.String(validate=validate.Length(max=limits.AUDIT_REFERENCE))
    actor = fields.String(validate=[validate.Length(max=limits.AUDIT_REFERENCE), REFERENCE])
    subject = fields.String(validate=[validate.Length(max=limits.AUDIT_REFERENCE), REFERENCE])
    since = fields.Date()
    until = fields.Date()
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))

    @validates_schema
    def _days_in_order(self, data: dict, **_kwargs: object) -> None:
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError(_("The end day comes before the start day."), "until")


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    actor = fields.String()
    action = fields.String()
    subject = fields.String()
    detail = fields.Dict()
    hash = fields.String()


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEventSchema))
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    per_page = fields.Integer()


@route(
    "/audit",
    "GET",
    summary="Audit events, newest first, filtered (admins)",
    response=AuditPageSchema(),
    query=AuditQuerySchema,
    errors=(401, 403, 422),
)
def list_audit_events() -> Response:
    require(policy.can_manage_users(current_api_user()), _("Only admins may read the audit trail."))
    query = AuditQuerySchema().load(request.args.to_dict())
    flt = trail.TrailFilter(
        action=query.get("action", ""),
        actor=query.get("actor", ""),
        subject=query.get("subject", ""),
        since=query.get("since"),
        until=query.get("until"),
    )
    found = trail.search(db.session(), flt, page=query["page"], per_page=query["per_page"])
    payload = {
        "items": found.events,
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
        "per_page": query["per_page"],
    }
    return answer(AuditPageSchema().dump(payload))
