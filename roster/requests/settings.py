"""The one configurable place for requests: response targets, the reply-by default and the
matching weights, as this deployment sets them.

The pure code keeps its defaults where it uses them (`workflow.RESPONSE_TARGETS`,
`weights.MatchingWeights`), so the ranker and the state machine need neither Flask nor this
module. Deployments override them with ROSTER_RESPONSE_TARGET_HOURS
("immediate=4,priority=48,routine=240") and ROSTER_MATCHING_WEIGHTS ("topic=0.4,rotation=0.1"),
read by `roster.config`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import current_app, has_app_context

from roster.requests.weights import DEFAULT_WEIGHTS, MatchingWeights
from roster.requests.workflow import RESPONSE_TARGETS

# How long an expert has to answer an offer unless the coordinator picks another time.
REPLY_BY = timedelta(hours=48)


def response_targets() -> Mapping[str, timedelta]:
    if not has_app_context():
        return RESPONSE_TARGETS
    hours = current_app.config.get("ROSTER_RESPONSE_TARGET_HOURS") or {}
    return {**RESPONSE_TARGETS, **{k: timedelta(hours=float(v)) for k, v in hours.items()}}


def matching_weights() -> MatchingWeights:
    if not has_app_context():
        return DEFAULT_WEIGHTS
    return MatchingWeights.from_mapping(current_app.config.get("ROSTER_MATCHING_WEIGHTS") or {})
