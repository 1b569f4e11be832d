"""marshmallow schemas for expert profiles: strict input, and output filtered by policy."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, fields, validate

from roster import limits
from roster.api.schemas import StrictBoolean, StrictSchema, safe_link, within
from roster.experts.models import AFFILIATION_KINDS, CATEGORIES, GENDERS
from roster.experts.profiles import Loaded
from roster.experts.rules import effective_vetting_status
from roster.inputs import PERSON_DATES
from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS


def country_list() -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(equal=2)), validate=validate.Length(max=50)
    )


class AffiliationSchema(StrictSchema):
    name = fields.String(allow_none=True, validate=validate.Length(max=limits.ORGANISATION_NAME))
    kind = fields.String(required=True, validate=validate.OneOf(AFFILIATION_KINDS))


class TopicLevelSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=limits.TOPIC_CODE))
    level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 4))
    years = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 80))


class TopicOutSchema(TopicLevelSchema):
    verified = fields.Boolean()


class LanguageLevelSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(equal=2))
    level = fields.String(required=True, validate=validate.OneOf(CEFR_LEVELS))


class ClearanceInSchema(StrictSchema):
    level = fields.String(required=True, validate=validate.OneOf(list(CLEARANCE_RANK)))
    issued_by = fields.String(required=True, validate=validate.Length(equal=2))
    expires_on = fields.Date(required=True, validate=within(PERSON_DATES))


class ClearanceOutSchema(StrictSchema):
    level = fields.String()
    issued_by = fields.String(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    verified = fields.Boolean()


class VettingOutSchema(StrictSchema):
    status = fields.String()
    valid_until = fields.Date(allow_none=True)


class WindowSchema(StrictSchema):
    from_ = fields.Date(required=True, data_key="from", validate=within(PERSON_DATES))
    to = fields.Date(required=True, validate=within(PERSON_DATES))
    kind = fields.String(
        load_default="unavailable", validate=validate.OneOf(["unavailable", "available"])
    )


class ExpertInSchema(StrictSchema):
    """What a client may send for a profile. Role, vetting and verification are not here."""

    full_name = fields.String(validate=validate.Length(min=1, max=limits.PERSON_NAME))
    email = fields.Email(validate=validate.Length(max=limits.EMAIL))
    phone = fields.String(allow_none=True, validate=validate.Length(max=limits.PHONE))
    gender = fields.String(validate=validate.OneOf(GENDERS))
    nationalities = country_list()
    country_of_residence = fields.String(allow_none=True, validate=validate.Length(equal=2))
    affiliation = fields.Nested(AffiliationSchema)
    categories = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)))
    topics = fields.List(fields.Nested(TopicLevelSchema), validate=validate.Length(max=40))
    languages = fields.List(fields.Nested(LanguageLevelSchema), validate=validate.Length(max=40))
    regions = country_list()
    clearance = fields.Nested(ClearanceInSchema, allow_none=True)
    deployable = StrictBoolean()
    notice_days = fields.Integer(strict=True, validate=validate.Range(0, 365))
    max_concurrent = fields.Integer(strict=True, validate=validate.Range(1, 10))
    bio = fields.String(validate=validate.Length(max=limits.BIO))
    links = fields.List(fields.String(validate=safe_link), validate=validate.Length(max=10))
    consent = StrictBoolean()


class ExpertCreateSchema(ExpertInSchema):
    full_name = fields.String(
        required=True, validate=validate.Length(min=1, max=limits.PERSON_NAME)
    )
    email = fields.Email(required=True, validate=validate.Length(max=limits.EMAIL))


class ExpertPatchSchema(ExpertInSchema):
    version = fields.Integer(required=True, strict=True)


class VettingDecisionSchema(StrictSchema):
    status = fields.String(
        required=True, validate=validate.OneOf(["vetted", "rejected", "suspended", "pending"])
    )
    valid_until = fields.Date(load_default=None, allow_none=True, validate=within(PERSON_DATES))
    note = fields.String(load_default="", validate=validate.Length(max=limits.NOTE))


class ProfileInvitationSchema(StrictSchema):
    """An invitation sent to a profile's owner: its single-use link and when it expires."""

    invitation_url = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True)
    expert_id = fields.Integer(required=True)
    user_id = fields.Integer(required=True)


class ExpertOutSchema(Schema):
    """Every field a coordinator sees; `dump_expert` drops what the viewer may not."""

    id = fields.Integer()
    full_name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    gender = fields.String()
    nationalities = fields.List(fields.String())
    country_of_residence = fields.String(allow_none=True)
    affiliation = fields.Nested(AffiliationSchema)
    categories = fields.List(fields.String())
    topics = fields.List(fields.Nested(TopicOutSchema))
    languages = fields.List(fields.Nested(LanguageLevelSchema))
    regions = fields.List(fields.String())
    clearance = fields.Nested(ClearanceOutSchema, allow_none=True)
    vetting = fields.Nested(VettingOutSchema)
    deployable = fields.Boolean()
    max_concurrent = fields.Integer()
    notice_days = fields.Integer()
    bio = fields.String()
    links = fields.List(fields.String())
    availability = fields.List(fields.Nested(WindowSchema))
    active = fields.Boolean()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()
    invitation_url = fields.String()  # only in the answer that created the profile


def expert_document(loaded: Loaded, today: date) -> dict[str, Any]:
    expert = loaded.expert
    clearance = None
    if expert.clearance_level:
        clearance = {
            "level": expert.clearance_level,
            "issued_by": expert.clearance_issued_by,
            "expires_on": expert.clearance_expires_on,
            "verified": expert.clearance_verified_at is not None,
        }
    return {
        "id": expert.id,
        "full_name": expert.full_name,
        "email": expert.email,
        "phone": expert.phone,
        "gender": expert.gender,
        "nationalities": loaded.nationalities,
        "country_of_residence": expert.country_of_residence,
        "affiliation": {"name": expert.affiliation_name, "kind": expert.affiliation_kind},
        "categories": loaded.categories,
        "topics": [
            {"code": t.topic_code, "level": t.level, "years": t.years, "verified": t.verified}
            for t in loaded.topics
        ],
        "languages": [
            {"code": lang.language_code, "level": lang.level} for lang in loaded.languages
        ],
        "regions": loaded.regions,
        "clearance": clearance,
        "vetting": {
            "status": effective_vetting_status(expert, today),
            "valid_until": expert.vetting_valid_until,
        },
        "deployable": expert.deployable,
        "max_concurrent": expert.max_concurrent,
        "notice_days": expert.notice_days,
        "bio": expert.bio,
        "links": expert.links,
        "availability": [
            {"from_": w.starts_on, "to": w.ends_on, "kind": w.kind} for w in loaded.windows
        ],
        "active": expert.active,
        "updated_at": expert.updated_at,
        "version": expert.version,
    }


def dump_expert(loaded: Loaded, allowed: frozenset[str], today: date) -> dict[str, Any]:
    """The expert as JSON, with only the fields in `allowed`."""
    full = ExpertOutSchema().dump(expert_document(loaded, today))
    return {key: value for key, value in full.items() if key in allowed}
