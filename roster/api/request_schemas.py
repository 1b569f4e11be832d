"""marshmallow schemas for crisis requests, offers, the engagement log and feedback."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from roster import limits
from roster.api.schemas import StrictSchema, within
from roster.inputs import REQUEST_DATES
from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS
from roster.requests.left_out import MAX_PER_PAGE, PER_PAGE
from roster.requests.models import LOG_KINDS, MODES, REQUEST_KINDS, URGENCIES

LEVELS = list(CLEARANCE_RANK)


class NeedTopicSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=limits.TOPIC_CODE))
    min_level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 4))


class NeedLanguageSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(equal=2))
    min_level = fields.String(required=True, validate=validate.OneOf(CEFR_LEVELS))


class RequestInSchema(StrictSchema):
    title = fields.String(validate=validate.Length(min=1, max=limits.REQUEST_TITLE))
    description = fields.String(validate=validate.Length(max=limits.REQUEST_DESCRIPTION))
    kind = fields.String(validate=validate.OneOf(REQUEST_KINDS))
    classification = fields.String(validate=validate.OneOf(LEVELS))
    required_clearance = fields.String(validate=validate.OneOf(LEVELS))
    topics = fields.List(fields.Nested(NeedTopicSchema), validate=validate.Length(max=30))
    languages = fields.List(fields.Nested(NeedLanguageSchema), validate=validate.Length(max=20))
    regions = fields.List(
        fields.String(validate=validate.Length(equal=2)), validate=validate.Length(max=50)
    )
    urgency = fields.String(validate=validate.OneOf(URGENCIES))
    starts_on = fields.Date(validate=within(REQUEST_DATES))
    ends_on = fields.Date(validate=within(REQUEST_DATES))
    mode = fields.String(validate=validate.OneOf(MODES))
    seats = fields.Integer(strict=True, validate=validate.Range(1, 50))

    @validates_schema
    def _ordered(self, data: dict, **_kwargs: object) -> None:
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError(_("The end date is before the start date."), "ends_on")


class RequestCreateSchema(RequestInSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=limits.REQUEST_TITLE))
    kind = fields.String(required=True, validate=validate.OneOf(REQUEST_KINDS))
    classification = fields.String(required=True, validate=validate.OneOf(LEVELS))
    required_clearance = fields.String(required=True, validate=validate.OneOf(LEVELS))
    urgency = fields.String(required=True, validate=validate.OneOf(URGENCIES))
    starts_on = fields.Date(required=True, validate=within(REQUEST_DATES))
    ends_on = fields.Date(required=True, validate=within(REQUEST_DATES))
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    seats = fields.Integer(required=True, strict=True, validate=validate.Range(1, 50))


class HistorySchema(Schema):
    at = fields.AwareDateTime()
    actor = fields.Integer(allow_none=True)
    action = fields.String()
    from_ = fields.String(data_key="from", allow_none=True)
    to = fields.String()
    note = fields.String()


class SeatWarningSchema(Schema):
    expert_id = fields.Integer()
    reasons = fields.List(fields.String())


class RequestOutSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    kind = fields.String()
    classification = fields.String()
    required_clearance = fields.String()
    topics = fields.List(fields.Nested(NeedTopicSchema))
    languages = fields.List(fields.Nested(NeedLanguageSchema))
    regions = fields.List(fields.String())
    urgency = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    mode = fields.String()
    seats = fields.Integer()
    filled = fields.Integer()
    state = fields.String()
    requested_by = fields.Integer()
    command_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    version = fields.Integer()
    history = fields.List(fields.Nested(HistorySchema))
    # Time to staff (staff only): when each step happened, and the whole minutes from submission.
    submitted_at = fields.AwareDateTime(allow_none=True)
    triaged_at = fields.AwareDateTime(allow_none=True)
    first_offer_at = fields.AwareDateTime(allow_none=True)
    staffed_at = fields.AwareDateTime(allow_none=True)
    minutes_to_triage = fields.Integer(allow_none=True)
    minutes_to_first_offer = fields.Integer(allow_none=True)
    minutes_to_staffed = fields.Integer(allow_none=True)
    # Coordinators reading one request: seated experts who no longer qualify, with the codes.
    seat_warnings = fields.List(fields.Nested(SeatWarningSchema))


class RequestListSchema(Schema):
    items = fields.List(fields.Nested(RequestOutSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class ListQuerySchema(StrictSchema):
    state = fields.String(validate=validate.Length(max=12))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class NoteSchema(StrictSchema):
    note = fields.String(load_default="", validate=validate.Length(max=limits.NOTE))


class CandidateSchema(Schema):
    expert_id = fields.Integer()
    excluded = fields.Boolean()
    score = fields.Float()
    components = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.List(fields.String())


class ExcludedSchema(Schema):
    expert_id = fields.Integer()
    reasons = fields.List(fields.String())


class CandidatesQuerySchema(StrictSchema):
    explain = fields.String(validate=validate.OneOf(["excluded"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    # With explain=excluded: which page of the experts left out (by expert id) follows the ranked.
    excluded_page = fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))
    excluded_per_page = fields.Integer(
        load_default=PER_PAGE, validate=validate.Range(1, MAX_PER_PAGE)
    )


class OfferCreateSchema(StrictSchema):
    expert_ids = fields.List(
        fields.Integer(strict=True), required=True, validate=validate.Length(min=1, max=100)
    )
    # Left out: the default of the request's urgency (`deadlines.default_respond_by`).
    respond_by = fields.AwareDateTime()


class OfferSchema(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    expert_id = fields.Integer()
    state = fields.String()
    respond_by = fields.AwareDateTime()
    created_at = fields.AwareDateTime()
    responded_at = fields.AwareDateTime(allow_none=True)
    decline_reason = fields.String()
    # On an accepted offer: the expert's confirmations, when and how given (None: not asked).
    no_conflict = fields.Boolean(allow_none=True)
    share_contact = fields.Boolean(allow_none=True)
    consent_at = fields.AwareDateTime(allow_none=True)
    consent_via = fields.String(allow_none=True)


def _json_boolean(value: object) -> bool:
    """Only JSON true or false (1 and "yes" are not an answer to a consent question)."""
    if not isinstance(value, bool):
        raise ValidationError(_("Must be true or false."))
    return True


class AcceptSchema(StrictSchema):
    """The expert's two confirmations. A client that sends neither (or no body) is an old one:
    it may still accept, recorded as `api-legacy`; one that sends either must send both true."""

    no_conflict = fields.Raw(validate=_json_boolean)
    share_contact = fields.Raw(validate=_json_boolean)

    @validates_schema
    def _both_confirmed(self, data: dict, **_kwargs: object) -> None:
        if not data:
            return
        missing = {
            name: [_("Must be true to accept.")]
            for name in ("no_conflict", "share_contact")
            if data.get(name) is not True
        }
        if missing:
            raise ValidationError(missing)


class DeclineSchema(StrictSchema):
    reason = fields.String(
        required=True, validate=validate.Length(min=1, max=limits.DECLINE_REASON)
    )


class LogEntryInSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(LOG_KINDS))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=limits.LOG_SUMMARY))


class LogEntrySchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    summary = fields.String()
    author_id = fields.Integer()
    at = fields.AwareDateTime()


class FeedbackInSchema(StrictSchema):
    expert_id = fields.Integer(strict=True, load_default=None, allow_none=True)
    rating = fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 5)
    )
    clarity = fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 5)
    )
    usefulness = fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 5)
    )
    comment = fields.String(load_default="", validate=validate.Length(max=5000))


class FeedbackSchema(Schema):
    id = fields.Integer()
    expert_id = fields.Integer()
    direction = fields.String()
    rating = fields.Integer(allow_none=True)
    clarity = fields.Integer(allow_none=True)
    usefulness = fields.Integer(allow_none=True)
    comment = fields.String()
    at = fields.AwareDateTime()
