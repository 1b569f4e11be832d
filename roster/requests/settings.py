"""The one configurable place for requests: response targets, the reply-by defaults and the
matching weights, as this deployment sets them.

The pure code keeps its defaults where it uses them (`workflow.RESPONSE_TARGETS`,
`weights.MatchingWeights`), so the ranker and the state machine need neither Flask nor this
module. Each value comes from `roster.settings.store`: fixed by the environment
(ROSTER_RESPONSE_TARGET_HOURS "immediate=4,priority=48,routine=240", ROSTER_REPLY_BY_HOURS
"immediate=2,priority=24,routine=120", ROSTER_MATCHING_WEIGHTS "topic=0.4,rotation=0.1", read
by `roster.config`), else set by an admin in the app, else the default. The store reads the
setting table once per request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType

from flask import current_app, has_app_context

from roster.requests.weights import COMPONENTS, DEFAULT_WEIGHTS, MatchingWeights
from roster.requests.workflow import RESPONSE_TARGETS
from roster.settings import store
from roster.settings.catalogue import (
    REPLY_BY_HOURS,
    reply_by_key,
    response_target_key,
    weight_key,
)

# How long an expert has to answer an offer, by the request's urgency, unless the coordinator
# picks another time (the defaults; the app's settings and the environment may change them).
REPLY_BY: Mapping[str, timedelta] = MappingProxyType(
    {urgency: timedelta(hours=hours) for urgency, hours in REPLY_BY_HOURS.items()}
)


def response_targets() -> Mapping[str, timedelta]:
    if not has_app_context():
        return RESPONSE_TARGETS
    return {
        urgency: timedelta(hours=store.value(response_target_key(urgency)))
        for urgency in RESPONSE_TARGETS
    }


def reply_by(urgency: str) -> timedelta:
    """The default time an expert has to answer an offer on a request of this urgency, never
    longer than the urgency's response target (an answer after the target is of no use)."""
    if not has_app_context():
        return min(REPLY_BY[urgency], RESPONSE_TARGETS[urgency])
    chosen = timedelta(hours=store.value(reply_by_key(urgency)))
    return min(chosen, response_targets()[urgency])


def matching_weights() -> MatchingWeights:
    """The component weights set in the app, under everything the environment fixes (which may
    also set the shape knobs of `MatchingWeights`)."""
    if not has_app_context():
        return DEFAULT_WEIGHTS
    fixed = current_app.config.get("ROSTER_MATCHING_WEIGHTS") or {}
    in_app = store.set_in_app()
    chosen = {c: in_app[weight_key(c)] for c in COMPONENTS if weight_key(c) in in_app}
    try:
        return MatchingWeights.from_mapping({**chosen, **fixed})
    except ValueError:
        # What the app holds cannot outvote the deployment: keep the environment's word.
        return MatchingWeights.from_mapping(fixed)
