"""Reference data: the topic taxonomy and the clearance levels."""

from __future__ import annotations

from flask import Response
from sqlmodel import col, select

from roster import db
from roster.api.core import answer, route
from roster.api.schemas import ClearanceLevelSchema, TopicSchema
from roster.reference import taxonomy
from roster.reference.models import ClearanceLevel


@route(
    "/topics", "GET", summary="The topic taxonomy", response=TopicSchema(many=True), errors=(401,)
)
def list_topics() -> Response:
    return answer(TopicSchema(many=True).dump(taxonomy.topics_in_order(db.session())))


@route(
    "/clearance-levels",
    "GET",
    summary="Clearance levels, lowest first",
    response=ClearanceLevelSchema(many=True),
    errors=(401,),
)
def list_clearance_levels() -> Response:
    rows = db.session().exec(select(ClearanceLevel).order_by(col(ClearanceLevel.rank))).all()
    return answer(ClearanceLevelSchema(many=True).dump(rows))
