"""Settings over the API (admins): the same values, sources and checks as /admin/settings."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from roster import db, policy
from roster.api.core import answer, current_api_user, load_body, require, route
from roster.api.schemas import StrictSchema
from roster.settings import services, store
from roster.settings.catalogue import DEFINITIONS


class SettingSchema(Schema):
    key = fields.String()
    group = fields.String()
    type = fields.String(validate=validate.OneOf(["int", "float"]))
    value = fields.Float()
    source = fields.String(validate=validate.OneOf(["default", "app", "environment"]))
    editable = fields.Boolean()
    default = fields.Float()
    minimum = fields.Float()
    maximum = fields.Float()
    environment_variable = fields.String()


class SettingsSchema(Schema):
    items = fields.List(fields.Nested(SettingSchema))


class SettingsChangeSchema(StrictSchema):
    values = fields.Dict(
        keys=fields.String(validate=validate.OneOf([d.key for d in DEFINITIONS])),
        values=fields.Float(allow_none=True, allow_nan=False),
        required=True,
    )


def _document() -> dict[str, object]:
    items = []
    for key, r in store.resolve_all().items():
        d = r.definition
        items.append(
            {
                "key": key,
                "group": d.group,
                "type": d.type,
                "value": r.value,
                "source": r.source,
                "editable": r.editable,
                "default": d.default,
                "minimum": d.minimum,
                "maximum": d.maximum,
                "environment_variable": d.env_variable,
            }
        )
    return SettingsSchema().dump({"items": items})


@route(
    "/settings",
    "GET",
    summary="Every setting with the value in force and where it comes from (admins)",
    response=SettingsSchema(),
    errors=(401, 403),
)
def get_settings() -> Response:
    require(policy.can_change_settings(current_api_user()), _("Only admins may read settings."))
    return answer(_document())


@route(
    "/settings",
    "PATCH",
    summary="Set values in the app ({key: number}, null for the default); 422 names bad keys",
    body=SettingsChangeSchema,
    response=SettingsSchema(),
    errors=(400, 401, 403, 422),
    description="A value the environment fixes cannot be changed (422). Precedence: the "
    "environment, then the app, then the default.",
)
def patch_settings() -> Response:
    require(policy.can_change_settings(current_api_user()), _("Only admins may change settings."))
    body = load_body(SettingsChangeSchema())
    services.save(session=db.session(), actor=current_api_user(), submitted=body["values"])
    return answer(_document())
