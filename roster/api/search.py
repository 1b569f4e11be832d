"""GET /api/v1/experts: the roster search, its strict query-string schema and its answer."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from roster import db, policy
from roster.api.core import answer, current_api_user, route
from roster.api.dump import compile_dump
from roster.api.expert_schemas import ClearanceOutSchema, VettingOutSchema
from roster.api.schemas import StrictSchema
from roster.errors import Forbidden
from roster.experts.models import AFFILIATION_KINDS, CATEGORIES
from roster.reference.codes import CEFR_LEVELS, is_country
from roster.search import criteria as c
from roster.search.cards import topic_names
from roster.search.facets import FACET_NAMES
from roster.search.service import search_roster

LIST_PARAMS = ("topic", "language", "region", "nationality", "category", "vetting")


class _Parsed(fields.String):
    """A `code:level` string parsed by one of the criteria parsers."""

    parser: Any = None

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return type(self).parser(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class TopicParam(_Parsed):
    parser = staticmethod(c.parse_topic)


class LanguageParam(_Parsed):
    parser = staticmethod(c.parse_language)


class QueryBoolean(fields.Field):
    """`true` or `false` in a query string; anything else is refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError(_("Must be true or false."))


class ExpertSearchQuerySchema(StrictSchema):
    """The query string of GET /experts; unknown parameters are refused."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    topic = fields.List(TopicParam(), load_default=list, validate=validate.Length(max=20))
    topic_mode = fields.String(load_default="all", validate=validate.OneOf(c.TOPIC_MODES))
    language = fields.List(LanguageParam(), load_default=list, validate=validate.Length(max=10))
    region = fields.List(fields.String(), load_default=list)
    nationality = fields.List(fields.String(), load_default=list)
    category = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), load_default=list)
    clearance = fields.String(
        load_default=None, validate=validate.OneOf(list(policy.CLEARANCE_RANK))
    )
    available_from = fields.Date(load_default=None)
    available_to = fields.Date(load_default=None)
    deployable = QueryBoolean(load_default=None)
    vetting = fields.List(
        fields.String(validate=validate.OneOf(c.VETTING_FILTERS)), load_default=list
    )
    sort = fields.String(load_default="relevance", validate=validate.OneOf(c.SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=c.MAX_PAGE))
    per_page = fields.Integer(
        load_default=c.DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=c.MAX_PER_PAGE)
    )

    @validates_schema
    def _check(self, data: dict[str, Any], **_kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        for name in ("region", "nationality"):
            bad = [code for code in data.get(name, []) if not is_country(code)]
            if bad:
                errors[name] = [_("Unknown country code: %(codes)s.", codes=", ".join(bad[:3]))]
        start, end = data.get("available_from"), data.get("available_to")
        if (start is None) != (end is None):
            errors["available_to" if start else "available_from"] = [
                _("Give both available_from and available_to.")
            ]
        elif start and end and end < start:
            errors["available_to"] = [_("Must not be before available_from.")]
        if errors:
            raise ValidationError(errors)


class CardAffiliationSchema(Schema):
    name = fields.String(allow_none=True)
    kind = fields.String(validate=validate.OneOf(AFFILIATION_KINDS))


class ResultTopicSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.Integer()
    years = fields.Integer()


class ResultLanguageSchema(Schema):
    code = fields.String()
    level = fields.String(validate=validate.OneOf(CEFR_LEVELS))


class ResultWindowSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    kind = fields.String()


class ExpertResultSchema(Schema):
    """One result; fields the viewer may not see are absent (see `policy.expert_fields_for`)."""

    id = fields.Integer()
    full_name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    gender = fields.String()
    nationalities = fields.List(fields.String())
    country_of_residence = fields.String(allow_none=True)
    affiliation = fields.Nested(CardAffiliationSchema)
    categories = fields.List(fields.String())
    topics = fields.List(fields.Nested(ResultTopicSchema))
    languages = fields.List(fields.Nested(ResultLanguageSchema))
    regions = fields.List(fields.String())
    clearance = fields.Nested(ClearanceOutSchema, allow_none=True)
    vetting = fields.Nested(VettingOutSchema)
    deployable = fields.Boolean()
    max_concurrent = fields.Integer()
    bio = fields.String()
    availability = fields.List(fields.Nested(ResultWindowSchema))
    active = fields.Boolean()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()
    score = fields.Float()


class ExpertSearchResultSchema(Schema):
    items = fields.List(fields.Nested(ExpertResultSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    facets = fields.Dict(
        keys=fields.String(validate=validate.OneOf(FACET_NAMES)),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
    )


# One instance each, reused: building a schema copies its fields (and every nested schema's).
RESULT_SCHEMA = ExpertSearchResultSchema()
QUERY_SCHEMA = ExpertSearchQuerySchema()
# The answer's dump as one plain function: the same dict as RESULT_SCHEMA.dump, so the same JSON
# (tests/api/test_fast_dump.py), at a fraction of the cost on a page of cards.
dump_result = compile_dump(RESULT_SCHEMA)


def parse_query(args: Any, *, may_filter_vetting: bool, topics: set[str]) -> c.SearchCriteria:
    """The query string as criteria; ValidationError (422 with fields) when it does not fit."""
    raw = {key: args.getlist(key) if key in LIST_PARAMS else args.get(key) for key in args}
    data = QUERY_SCHEMA.load(raw)
    if data["vetting"] and not may_filter_vetting:
        raise ValidationError({"vetting": [_("Only coordinators may filter by vetting status.")]})
    unknown = sorted({t.code for t in data["topic"]} - topics)
    if unknown:
        raise ValidationError(
            {"topic": [_("Unknown topic: %(codes)s.", codes=", ".join(unknown[:3]))]}
        )
    return c.SearchCriteria(
        q=data["q"],
        topics=tuple(data["topic"]),
        topic_mode=data["topic_mode"],
        languages=tuple(data["language"]),
        regions=tuple(data["region"]),
        nationalities=tuple(data["nationality"]),
        categories=tuple(data["category"]),
        clearance=data["clearance"],
        available_from=data["available_from"],
        available_to=data["available_to"],
        deployable=data["deployable"],
        vetting=tuple(data["vetting"]),
        sort=data["sort"],
        page=data["page"],
        per_page=data["per_page"],
    )


@route(
    "/experts",
    "GET",
    summary="Search the roster (full text, filters, facets); LNOs find vetted experts only",
    query=ExpertSearchQuerySchema,
    response=ExpertSearchResultSchema(),
    errors=(401, 403, 422),
)
def search_experts() -> Response:
    user = current_api_user()
    scope = policy.roster_scope(user)
    if scope is None:
        raise Forbidden(_("Your role cannot search the roster."))
    session = db.session()
    criteria = parse_query(
        request.args, may_filter_vetting=scope == "all", topics=set(topic_names(session))
    )
    found = search_roster(session=session, viewer=user, criteria=criteria, today=db.today())
    payload = {
        "items": found.cards,
        "total": found.result.total,
        "page": criteria.page,
        "per_page": criteria.per_page,
        "facets": found.result.facets,
    }
    return answer(dump_result(payload))
