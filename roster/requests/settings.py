"""The one configurable place for requests: response targets, the reply-by defaults and the
matching weights, as this deployment sets them.

The pure code keeps its defaults where it uses them (`workflow.RESPONSE_TARGETS`,
`weights.MatchingWeights`), so the ranker and the state machine need neither Flask nor this
module. Deployments override them with ROSTER_RESPONSE_TARGET_HOURS
("immediate=4,priority=48,routine=240"), ROSTER_REPLY_BY_HOURS ("immediate=2,priority=24,
routine=120") and ROSTER_MATCHING_WEIGHTS ("topic=0.4,rotation=0.1"),
read by `roster.config`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType

from flask import current_app, has_app_context

from roster.requests.weights import DEFAULT_WEIGHTS, MatchingWeights
from roster.requests.workflow import RESPONSE_TARGETS

# How long an expert has to answer an offer, by the request's urgency, unless the coordinator
# picks another time.
REPLY_BY: Mapping[str, timedelta] = MappingProxyType(
    {
        "immediate": timedelta(hours=2),
        "priority": timedelta(hours=24),
        "routine": timedelta(days=5),
    }
)


def response_targets() -> Mapping[str, timedelta]:
    if not has_app_context():
        return RESPONSE_TARGETS
    hours = current_app.config.get("ROSTER_RESPONSE_TARGET_HOURS") or {}
    return {**RESPONSE_TARGETS, **{k: timedelta(hours=float(v)) for k, v in hours.items()}}


def matching_weights() -> MatchingWeights:
    if not has_app_context():
        return DEFAULT_WEIGHTS
    return MatchingWeights.from_mapping(current_app.config.get("ROSTER_MATCHING_WEIGHTS") or {})


def reply_by(urgency: str) -> timedelta:
    """How long an expert has to answer an offer on a request of this urgency: the deployment's
    ROSTER_REPLY_BY_HOURS or the default, never longer than the urgency's response target (an
    answer that comes after the target is of no use to the requester)."""
    hours = (current_app.config.get("ROSTER_REPLY_BY_HOURS") or {}) if has_app_context() else {}
    chosen = timedelta(hours=float(hours[urgency])) if urgency in hours else REPLY_BY[urgency]
    return min(chosen, response_targets()[urgency])
