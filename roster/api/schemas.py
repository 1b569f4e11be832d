"""marshmallow schemas for the account and reference parts of the API (strict: unknown refused)."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    pre_dump,
    pre_load,
    validate,
    validates_schema,
)

from roster import limits
from roster.accounts.models import LOCALES, ROLES
from roster.inputs import PERSON_DATES, clean_text, date_problem, link_problem
from roster.policy import CLEARANCE_RANK
from roster.reference.models import TOPIC_AREAS


class StrictBoolean(fields.Boolean):
    """Only JSON true and false; 0, 1 and "yes" are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not bool:
            raise self.make_error("invalid")
        return value


def safe_link(value: str) -> None:
    """The forms' link rule: http or https with a host, nothing else."""
    problem = link_problem(value)
    if problem:
        raise ValidationError(problem)


def within(bounds: tuple[date, date]) -> Any:
    """A validator keeping a date inside `bounds` (the forms use the same bounds)."""

    def check(value: date) -> None:
        problem = date_problem(value, bounds)
        if problem:
            raise ValidationError(problem)

    return check


def _cleaned(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return clean_text(value)


class StrictSchema(Schema):
    """Refuses unknown fields; strict numbers and booleans. Text loses C0 control characters
    (tab, newline and carriage return stay), as in every form."""

    class Meta:
        ordered = True

    @pre_load
    def _clean_controls(self, data: Any, **_kwargs: object) -> Any:
        return _cleaned(data)


class ErrorBodySchema(StrictSchema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    # The envelope's key is "fields", which shadows Schema.fields (marshmallow keeps the
    # declared field apart and sets the instance attribute itself).
    fields = fields.Dict(  # type: ignore[assignment]
        keys=fields.String(), values=fields.List(fields.String())
    )


class ErrorSchema(StrictSchema):
    error = fields.Nested(ErrorBodySchema, required=True)


class TokenRequestSchema(StrictSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=limits.EMAIL))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    otp = fields.String(load_default=None, validate=validate.Length(max=16))


class TokenSchema(StrictSchema):
    token = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True)


class MeSchema(StrictSchema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    clearance = fields.String(allow_none=True, required=True)
    expert_id = fields.Integer(allow_none=True, required=True)
    locale = fields.String(required=True, validate=validate.OneOf(LOCALES))
    notify_by_email = fields.Boolean(required=True)


class MePatchSchema(StrictSchema):
    locale = fields.String(validate=validate.OneOf(LOCALES))
    notify_by_email = StrictBoolean()


class TopicSchema(StrictSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    area = fields.String(required=True, validate=validate.OneOf(TOPIC_AREAS))


class ClearanceLevelSchema(StrictSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    rank = fields.Integer(required=True, strict=True)


class StaffClearanceSchema(StrictSchema):
    level = fields.String(required=True, validate=validate.OneOf(list(CLEARANCE_RANK)))
    expires_on = fields.Date(load_default=None, allow_none=True, validate=within(PERSON_DATES))


class UserCreateSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=limits.EMAIL))
    full_name = fields.String(
        required=True, validate=validate.Length(min=1, max=limits.PERSON_NAME)
    )
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    clearance = fields.Nested(StaffClearanceSchema, load_default=None, allow_none=True)


class UserCreatedSchema(StrictSchema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    invitation_url = fields.String(required=True)


class UserPatchSchema(StrictSchema):
    """Any of these, at least one; a field left out stays as it is (clearance null removes it)."""

    active = StrictBoolean()
    role = fields.String(validate=validate.OneOf(ROLES))
    clearance = fields.Nested(StaffClearanceSchema, allow_none=True)

    @validates_schema
    def _something(self, data: dict[str, Any], **_kwargs: object) -> None:
        if not data:
            raise ValidationError("Give at least one of active, role, clearance.", "_schema")


class UserClearanceSchema(StrictSchema):
    level = fields.String(required=True)
    expires_on = fields.Date(allow_none=True, required=True)


class UserSchema(StrictSchema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    full_name = fields.String(required=True)
    role = fields.String(required=True)
    active = fields.Boolean(required=True)
    clearance = fields.Nested(UserClearanceSchema, allow_none=True, required=True)

    @pre_dump
    def _with_clearance(self, user: Any, **_kwargs: object) -> dict[str, Any]:
        """The account's own clearance as one object, null when it holds none."""
        level = user.clearance_level
        return {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role,
            "active": user.active,
            "clearance": None
            if level is None
            else {"level": level, "expires_on": user.clearance_expires_on},
        }


class AcceptInvitationSchema(StrictSchema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class OkSchema(StrictSchema):
    ok = fields.Boolean(required=True)
