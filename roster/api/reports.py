"""GET /api/v1/reports/...: the dashboard's reports as JSON, the same numbers as the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from roster import db, policy
from roster.api.core import answer, current_api_user, route
from roster.api.schemas import StrictSchema
from roster.db import utcnow
from roster.reference.codes import CEFR_LEVELS
from roster.reports import dashboard
from roster.reports.coverage import (
    DEFAULT_LANGUAGE_LEVEL,
    DEFAULT_TOPIC_LEVEL,
    DIMENSIONS,
    THIN_BELOW,
    CoverageQuery,
)
from roster.reports.forms import MAX_PERIOD
from roster.reports.participation import suppress_below
from roster.reports.period import Period
from roster.reports.watchlist import HORIZONS


class CoverageQuerySchema(StrictSchema):
    dimension = fields.String(load_default="region", validate=validate.OneOf(DIMENSIONS))
    clearance = fields.String(
        load_default=None, validate=validate.OneOf(list(policy.CLEARANCE_RANK))
    )
    topic_level = fields.Integer(load_default=DEFAULT_TOPIC_LEVEL, validate=validate.Range(1, 4))
    language_level = fields.String(
        load_default=DEFAULT_LANGUAGE_LEVEL, validate=validate.OneOf(CEFR_LEVELS)
    )


class PeriodQuerySchema(StrictSchema):
    """`from` and `to` (both included); by default the twelve months up to today."""

    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)

    @validates_schema
    def _order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        start, end = data.get("from_"), data.get("to")
        if start and end and end < start:
            raise ValidationError({"to": [_("Must not be before from.")]})
        if start and end and end - start > MAX_PERIOD:
            raise ValidationError({"to": [_("A period is at most five years.")]})


class WatchQuerySchema(StrictSchema):
    days = fields.Integer(load_default=HORIZONS[-1], validate=validate.OneOf(HORIZONS))


class ColumnSchema(Schema):
    code = fields.String()
    name = fields.String()


class TopicRowSchema(Schema):
    code = fields.String()
    name = fields.String()
    total = fields.Integer()
    cells = fields.Dict(keys=fields.String(), values=fields.Integer())


class GapSchema(Schema):
    topic = fields.String()
    column = fields.String()
    count = fields.Integer()
    kind = fields.String(validate=validate.OneOf(("empty", "thin")))


class CoverageSchema(Schema):
    date = fields.Date()
    dimension = fields.String()
    clearance = fields.String(allow_none=True)
    topic_level = fields.Integer()
    language_level = fields.String()
    thin_below = fields.Integer()
    columns = fields.List(fields.Nested(ColumnSchema))
    topics = fields.List(fields.Nested(TopicRowSchema))
    gaps = fields.List(fields.Nested(GapSchema))


class StaffingSchema(Schema):
    count = fields.Integer()
    median_hours = fields.Float(allow_none=True)
    p90_hours = fields.Float(allow_none=True)
    target_hours = fields.Float()
    within_target = fields.Integer()


class OverdueSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    urgency = fields.String()
    state = fields.String()
    submitted_at = fields.AwareDateTime()
    hours_waiting = fields.Float()
    target_hours = fields.Float()


class ReasonSchema(Schema):
    reason = fields.String()
    count = fields.Integer()


class PeriodSchema(Schema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()


class RequestsReportSchema(Schema):
    period = fields.Nested(PeriodSchema)
    total = fields.Integer()
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_state_urgency = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )
    time_to_staff = fields.Dict(keys=fields.String(), values=fields.Nested(StaffingSchema))
    offers = fields.Dict(keys=fields.String(), values=fields.Integer())
    decline_reasons = fields.List(fields.Nested(ReasonSchema))
    overdue = fields.List(fields.Nested(OverdueSchema))


class ShareSchema(Schema):
    key = fields.String()
    count = fields.Integer(allow_none=True)
    share = fields.Float(allow_none=True)
    suppressed = fields.Boolean()


class BreakdownSchema(Schema):
    total = fields.Integer(allow_none=True)
    overlapping = fields.Boolean()
    rows = fields.List(fields.Nested(ShareSchema))


class ParticipationSchema(Schema):
    period = fields.Nested(PeriodSchema)
    suppress_below = fields.Integer()
    breakdowns = fields.Dict(keys=fields.String(), values=fields.Nested(BreakdownSchema))


class DueSchema(Schema):
    expert_id = fields.Integer()
    full_name = fields.String()
    on = fields.Date(allow_none=True)
    what = fields.String()


class WatchlistSchema(Schema):
    days = fields.Integer()
    lists = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(DueSchema)))


def _period(args: Any) -> Period:
    data = PeriodQuerySchema().load(args.to_dict())
    end = data["to"] or db.today()
    return Period(data["from_"] or Period.year_to(end).start, end)


@route(
    "/reports/coverage",
    "GET",
    summary="Listed, cleared, available experts per topic x region (or language), with gaps",
    query=CoverageQuerySchema,
    response=CoverageSchema(),
    errors=(401, 403, 422),
)
def coverage_report() -> Response:
    data = CoverageQuerySchema().load(request.args.to_dict())
    today = db.today()
    cov = dashboard.coverage_report(
        db.session(), current_api_user(), CoverageQuery(**data), today=today
    )
    payload = {
        "date": today,
        "thin_below": THIN_BELOW,
        **data,
        "columns": [{"code": c, "name": n} for c, n in cov.columns],
        "topics": [
            {
                "code": code,
                "name": name,
                "total": cov.topic_totals.get(code, 0),
                "cells": {c: cov.count(code, c) for c, _n in cov.columns},
            }
            for code, name in cov.topics
        ],
        "gaps": [
            {"topic": t, "column": c, "count": n, "kind": "empty" if n == 0 else "thin"}
            for t, c, n in cov.gaps()
        ],
    }
    return answer(CoverageSchema().dump(payload))


@route(
    "/reports/requests",
    "GET",
    summary="Requests by state; median and 90th-percentile time from submitted to staffed by "
    "urgency; offers; overdue now. Counts only requests the caller may see",
    query=PeriodQuerySchema,
    response=RequestsReportSchema(),
    errors=(401, 403, 422),
)
def requests_report() -> Response:
    period = _period(request.args)
    perf = dashboard.requests_report(db.session(), current_api_user(), period=period, now=utcnow())
    states = sorted({s for s, _u in perf.by_state})
    payload = {
        "period": {"from_": period.start, "to": period.end},
        "total": perf.total,
        "by_state": {s: perf.state_total(s) for s in states},
        "by_state_urgency": {
            s: {u: n for (s2, u), n in perf.by_state.items() if s2 == s} for s in states
        },
        "time_to_staff": {
            t.urgency: {
                "count": t.count,
                "median_hours": t.median_hours,
                "p90_hours": t.p90_hours,
                "target_hours": t.target_hours,
                "within_target": t.within_target,
            }
            for t in perf.staffing
        },
        "offers": perf.offers,
        "decline_reasons": [{"reason": r, "count": n} for r, n in perf.decline_reasons],
        "overdue": [
            {
                "id": w.request_id,
                "title": w.title,
                "urgency": w.urgency,
                "state": w.state,
                "submitted_at": w.submitted_at,
                "hours_waiting": w.hours_waiting,
                "target_hours": w.target_hours,
            }
            for w in perf.overdue
        ],
    }
    return answer(RequestsReportSchema().dump(payload))


@route(
    "/reports/participation",
    "GET",
    summary="Engagements by gender, origin, nationality, affiliation kind and topic; counts "
    "under 5 suppressed",
    query=PeriodQuerySchema,
    response=ParticipationSchema(),
    errors=(401, 403, 422),
)
def participation_report() -> Response:
    period = _period(request.args)
    parts = dashboard.participation_report(
        db.session(), current_api_user(), period=period, today=db.today()
    )
    payload = {
        "period": {"from_": period.start, "to": period.end},
        "suppress_below": suppress_below(),
        "breakdowns": {
            name: {
                "total": b.total,
                "overlapping": b.overlapping,
                "rows": [
                    {"key": r.key, "count": r.count, "share": r.share, "suppressed": r.suppressed}
                    for r in b.rows
                ],
            }
            for name, b in parts.items()
        },
    }
    return answer(ParticipationSchema().dump(payload))


@route(
    "/reports/watchlist",
    "GET",
    summary="Vettings, clearances and CSAP terms ending within 60 or 90 days; dormant experts",
    query=WatchQuerySchema,
    response=WatchlistSchema(),
    errors=(401, 403, 422),
)
def watchlist_report() -> Response:
    days = WatchQuerySchema().load(request.args.to_dict())["days"]
    lists = dashboard.watch_report(db.session(), current_api_user(), days=days, today=db.today())
    payload = {"days": days, "lists": {k: [vars(d) for d in v] for k, v in lists.items()}}
    return answer(WatchlistSchema().dump(payload))
