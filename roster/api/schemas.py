"""marshmallow schemas for the account and reference parts of the API (strict: unknown refused)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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


# marshmallow's own messages, keyed by its English wording, in the reader's language. A field
# or validator given its own message keeps it; these stay lazy until the error is answered.
FIELD_MESSAGES: dict[str, Any] = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("Field may not be null."),
    "Invalid value.": _l("Invalid value."),
    "Invalid type.": _l("Invalid type."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid tuple.": _l("Not a valid tuple."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid utf-8 string.": _l("Not a valid UTF-8 string."),
    "Not a valid number.": _l("Not a valid number."),
    "Number too large.": _l("Number too large."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Special numeric values (nan or infinity) are not permitted.": _l(
        "Special numeric values (nan or infinity) are not permitted."
    ),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid {obj_type}.": _l("Not a valid date and time."),
    "Not a valid {awareness} {obj_type}.": _l("Not a valid date and time with a time zone."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid mapping type.": _l("Not a valid object."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Not a valid URL.": _l("Not a valid URL."),
    "Must be one of: {choices}.": _l("Must be one of: {choices}."),
    "String does not match expected pattern.": _l("Does not match the expected pattern."),
}
LENGTH_MESSAGES: dict[str, Any] = {
    "message_min": _l("Shorter than minimum length {min}."),
    "message_max": _l("Longer than maximum length {max}."),
    "message_all": _l("Length must be between {min} and {max}."),
    "message_equal": _l("Length must be {equal}."),
}
# Only inclusive bounds are in use; an exclusive one keeps marshmallow's English.
RANGE_MESSAGES: dict[str, Any] = {
    "message_min": _l("Must be greater than or equal to {min}."),
    "message_max": _l("Must be less than or equal to {max}."),
    "message_all": _l("Must be between {min} and {max}."),
}


def _translate_validator(validator: Any) -> None:
    """Swap a validator's default English messages for lazy ones; idempotent (validators are
    shared by the copies of a field)."""
    if isinstance(validator, validate.Length):
        for name, text in LENGTH_MESSAGES.items():
            setattr(validator, name, text)
    elif isinstance(validator, validate.Range):
        if validator.min_inclusive and validator.max_inclusive:
            for name, text in RANGE_MESSAGES.items():
                setattr(validator, name, text)
    elif isinstance(validator, validate.OneOf | validate.Email | validate.URL | validate.Regexp):
        validator.error = FIELD_MESSAGES.get(validator.error, validator.error)


def translate_field(field: fields.Field) -> None:
    """Give a bound field (and the fields inside a list or dict) the lazy messages."""
    field.error_messages = {
        key: FIELD_MESSAGES.get(message, message) if isinstance(message, str) else message
        for key, message in field.error_messages.items()
    }
    for validator in field.validators:
        _translate_validator(validator)
    for inner in (
        getattr(field, "inner", None),
        getattr(field, "key_field", None),
        getattr(field, "value_field", None),
    ):
        if isinstance(inner, fields.Field):
            translate_field(inner)


class StrictSchema(Schema):
    """Refuses unknown fields; strict numbers and booleans. Text loses C0 control characters
    (tab, newline and carriage return stay), as in every form. Messages are in the reader's
    language."""

    error_messages = {
        "type": _l("Invalid input type."),
        "unknown": _l("Unknown field."),
    }

    class Meta:
        ordered = True

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        translate_field(field_obj)

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
            raise ValidationError(_("Give at least one of active, role, clearance."), "_schema")


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
