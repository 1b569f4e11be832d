"""The caller's own notifications (/notifications): list them, mark one or all read."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import Schema, fields, validate

from roster import db
from roster.api.core import answer, current_api_user, route
from roster.api.schemas import StrictSchema
from roster.notify import notifications
from roster.notify.presenters import NotificationView, notifications_page, views_of


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    subject = fields.String()
    link = fields.String()
    request_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    read_at = fields.AwareDateTime(allow_none=True)


class NotificationListSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class NotificationQuerySchema(StrictSchema):
    unread = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class MarkedSchema(Schema):
    marked = fields.Integer()


def _document(item: NotificationView) -> dict[str, Any]:
    return NotificationSchema().dump(item)


@route(
    "/notifications",
    "GET",
    summary="Your notifications, newest first (?unread=true for the unread ones)",
    response=NotificationListSchema(),
    query=NotificationQuerySchema,
    errors=(401, 422),
)
def list_notifications() -> Response:
    query = NotificationQuerySchema().load(request.args.to_dict())
    listing = notifications_page(
        db.session(),
        current_api_user(),
        unread=query["unread"],
        page=query["page"],
        per_page=query["per_page"],
    )
    return answer(
        {
            "items": [_document(n) for n in listing.items],
            "total": listing.total,
            "page": listing.page,
            "per_page": listing.per_page,
        }
    )


@route(
    "/notifications/{id}/read",
    "POST",
    summary="Mark one of your notifications read (anyone else's: 404)",
    response=NotificationSchema(),
    errors=(401, 404),
)
def read_notification(id: int) -> Response:
    session, user = db.session(), current_api_user()
    marked = notifications.mark_read(session, user.id, id)
    return answer(_document(views_of(session, user, [marked])[0]))


@route(
    "/notifications/read-all",
    "POST",
    summary="Mark all your notifications read",
    response=MarkedSchema(),
    errors=(401,),
)
def read_all_notifications() -> Response:
    marked = notifications.mark_all_read(db.session(), current_api_user().id)
    return answer({"marked": marked})
