"""The coded columns are typed as the `Literal` of their allowed values, and each `Literal` lists
exactly the values the column's check constraint allows: the type checker and database agree."""

from __future__ import annotations

from typing import get_args

import pytest

from roster.accounts.models import ROLES, Role, User
from roster.experts.models import VETTING_STATUSES, Expert, VettingStatus
from roster.notify.models import (
    NOTIFICATION_KINDS,
    OUTBOX_STATES,
    Notification,
    NotificationKind,
    OutboxMessage,
    OutboxState,
)
from roster.requests import candidate_facts
from roster.requests.models import (
    MODES,
    OFFER_STATES,
    REQUEST_KINDS,
    URGENCIES,
    CrisisRequest,
    Mode,
    Offer,
    OfferState,
    RequestKind,
    Urgency,
)
from roster.requests.workflow import STATES, State

CODED = [
    (CrisisRequest, "state", State, STATES),
    (CrisisRequest, "kind", RequestKind, REQUEST_KINDS),
    (CrisisRequest, "urgency", Urgency, URGENCIES),
    (CrisisRequest, "mode", Mode, MODES),
    (Offer, "state", OfferState, OFFER_STATES),
    (Expert, "vetting_status", VettingStatus, VETTING_STATUSES),
    (User, "role", Role, ROLES),
    (OutboxMessage, "state", OutboxState, OUTBOX_STATES),
    (Notification, "kind", NotificationKind, NOTIFICATION_KINDS),
]


@pytest.mark.parametrize(("model", "name", "alias", "allowed"), CODED)
def test_coded_column_is_typed_as_its_literal(model, name, alias, allowed):
    assert model.model_fields[name].annotation == alias
    assert get_args(alias) == tuple(allowed)


def test_request_and_matching_agree_on_modes():
    assert get_args(candidate_facts.Mode) == get_args(Mode) == candidate_facts.MODES
