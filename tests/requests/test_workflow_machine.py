"""A hypothesis state machine drives the whole liaison workflow through the real services and
database: whatever the order of actions, a request never has more seats taken than it has, no
expert sits twice on it, only legal transitions are recorded, and the audit chain holds."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlmodel import Session, select

from roster.audit import first_broken
from roster.db import utcnow
from roster.errors import DomainError
from roster.requests import engagement, offers
from roster.requests.models import Assignment, CrisisRequest, Offer, RequestEvent
from roster.requests.workflow import ACTIONS, SYSTEM_ACTIONS, TRANSITIONS
from roster.seeding import load_reference
from tests.conftest import empty_tables

RUNS = int(os.environ.get("ROSTER_MACHINE_RUNS", "200"))
STEPS = int(os.environ.get("ROSTER_MACHINE_STEPS", "50"))
EXPERTS = 5
# Every person's action is drawn, the forward ones more often so runs reach staffing and beyond.
PEOPLE_ACTIONS = [a for a in ACTIONS if a not in SYSTEM_ACTIONS] + ["submit", "triage"] * 3


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_workflow_state_machine(app, make_user, make_expert, db_session):
    engine = app.extensions["roster.engine"]

    class Workflow(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            empty_tables(engine)
            db_session.expunge_all()  # ids are reused after the reset
            with Session(engine) as session:
                load_reference(session)
                session.commit()
            self.lno = make_user("lno", clearance="NS", totp_enrolled=False)
            self.coordinator = make_user("coordinator", clearance="NS", totp_enrolled=False)
            self.experts = [make_expert(clearance="NS", max_concurrent=3) for _ in range(EXPERTS)]
            from roster.accounts.models import User

            self.expert_users = [db_session.get(User, e.user_id) for e in self.experts]
            with Session(engine, expire_on_commit=False) as session:
                request = CrisisRequest(
                    title="Machine",
                    kind="crisis",
                    classification="NR",
                    required_clearance="NR",
                    urgency="priority",
                    starts_on=utcnow().date() + timedelta(days=30),
                    ends_on=utcnow().date() + timedelta(days=40),
                    mode="remote",
                    seats=2,
                    requested_by_id=self.lno.id,
                )
                session.add(request)
                session.commit()
                self.request_id = request.id

        def _do(self, change) -> None:
            with Session(engine, expire_on_commit=False) as session:
                request = session.get(CrisisRequest, self.request_id)
                try:
                    change(session, request)
                except DomainError:
                    session.rollback()
                else:
                    session.commit()

        @rule(action=st.sampled_from(PEOPLE_ACTIONS), by_coordinator=st.booleans())
        def act(self, action: str, by_coordinator: bool) -> None:
            actor = self.coordinator if by_coordinator else self.lno
            self._do(
                lambda s, r: engagement.take_action(
                    session=s, actor=actor, request=r, action=action, note="machine"
                )
            )

        @rule(index=st.integers(0, EXPERTS - 1))
        def offer(self, index: int) -> None:
            expert_id = self.experts[index].id
            self._do(
                lambda s, r: offers.send_offers(
                    session=s,
                    actor=self.coordinator,
                    request=r,
                    expert_ids=[expert_id],
                    respond_by=utcnow() + timedelta(days=2),
                    today=utcnow().date(),
                )
            )

        def _answer(self, index: int, accept: bool) -> None:
            with Session(engine) as session:
                open_offers = session.exec(
                    select(Offer.id, Offer.expert_id)
                    .where(Offer.state == "open")
                    .order_by(Offer.id)
                ).all()
            if not open_offers:
                return
            open_offer, expert_id = open_offers[index % len(open_offers)]
            user = self.expert_users[[e.id for e in self.experts].index(expert_id)]
            if accept:
                self._do(
                    lambda s, _r: offers.accept_offer(session=s, actor=user, offer_id=open_offer)
                )
            else:
                self._do(
                    lambda s, _r: offers.decline_offer(
                        session=s, actor=user, offer_id=open_offer, reason="busy"
                    )
                )

        @rule(index=st.integers(0, EXPERTS - 1))
        def accept(self, index: int) -> None:
            self._answer(index, accept=True)

        @rule(index=st.integers(0, EXPERTS - 1))
        def decline(self, index: int) -> None:
            self._answer(index, accept=False)

        @invariant()
        def seats_never_overfilled_and_nobody_twice(self) -> None:
            with Session(engine) as session:
                request = session.get(CrisisRequest, self.request_id)
                seated = session.exec(
                    select(Assignment.expert_id).where(Assignment.request_id == self.request_id)
                ).all()
                assert len(seated) == request.filled <= request.seats
                assert len(set(seated)) == len(seated)
                if request.state == "staffed":
                    assert request.filled == request.seats

        @invariant()
        def only_legal_transitions_recorded(self) -> None:
            with Session(engine) as session:
                events = session.exec(
                    select(RequestEvent)
                    .where(RequestEvent.request_id == self.request_id)
                    .order_by(RequestEvent.id)
                ).all()
                for event in events:
                    if event.action == "create":
                        continue
                    move = TRANSITIONS.get((event.from_state, event.action))
                    assert move is not None and move.to_state == event.to_state, event
                for before, after in zip(events, events[1:], strict=False):
                    if before.action != "create" or after.action != "create":
                        assert after.from_state == before.to_state

        @invariant()
        def audit_chain_holds(self) -> None:
            with Session(engine) as session:
                assert first_broken(session) is None

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=RUNS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
