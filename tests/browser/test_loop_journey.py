"""The whole loop for an immediate request, in Chromium, on a fresh database, with the worker
running beside the server as `make run` runs it: the LNO submits, a coordinator hears of it and
triages, sends offers from the first screen of candidates, the expert hears of the offer and
accepts, and the LNO hears that the request is staffed and sees the team. Every person is told
in the app and by mail, and nobody runs a command.

The test counts the human actions (clicks that change something) and the clicks in all; it
asserts the count (at most 4 actions: submit, triage, send, accept), never a time. With
ROSTER_LOOP_REPORT=path it writes each step's wall time there, for `bench/loop.py`."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from roster.db import today
from roster.ops import worker
from tests.browser.conftest import assert_accessible
from tests.notify.test_outbox import Recorder
from tests.ops.servers import free_port

pytestmark = pytest.mark.browser

TITLE = "Immediate CRSV advice to the JTF"
EXPERT = "Amina Diallo"


class Tally:
    """Human actions and clicks, and the wall time of each step."""

    def __init__(self) -> None:
        self.actions = 0
        self.clicks = 0
        self.steps: list[tuple[str, float]] = []
        self._started = time.monotonic()

    def click(self, locator, *, action: bool = False) -> None:
        self.clicks += 1
        self.actions += action
        locator.click()

    def step(self, name: str) -> None:
        now = time.monotonic()
        self.steps.append((name, round(now - self._started, 2)))
        self._started = now


@pytest.fixture
def mail(app):
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(ROSTER_SMTP_HOST="127.0.0.1", ROSTER_SMTP_PORT=controller.port)
    _thread, stop = worker.start_in_thread(app, tick=0.2)
    yield handler
    stop.set()
    controller.stop()


def mailed(handler, address: str, timeout: float = 30.0) -> bool:
    """Whether a mail to `address` arrives within `timeout` (the worker delivers every 5 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(f"To: {address}" in m for m in handler.received):
            return True
        time.sleep(0.2)
    return False


def unread_badge(page):
    return page.locator("header a.notifications .badge")


def test_an_immediate_request_is_staffed_in_four_actions(
    new_page, sign_in, make_user, make_expert, mail
):
    starts = today() + timedelta(days=3)
    amina = make_expert(
        full_name=EXPERT, topics={"crsv": 4}, languages={"fr": "C2"}, clearance="NS"
    )
    make_expert(full_name="Partial Match", topics={"crsv": 2}, clearance="NS")
    lno_user = make_user("lno", clearance="NS")
    coordinator_user = make_user("coordinator", clearance="NS")
    tally = Tally()

    # 1. The LNO raises and submits the request.
    lno = new_page()
    sign_in(lno, lno_user)
    tally.step("LNO signed in")
    lno.goto("/requests/new")
    lno.get_by_label("Title").fill(TITLE)
    lno.get_by_label("Description").fill("Advise the JTF on CRSV risks in the first 72 hours.")
    lno.get_by_label("Kind of request").select_option("crisis")
    lno.get_by_label("Urgency").select_option("immediate")
    lno.get_by_label("Classification of the request").select_option("NR")
    lno.get_by_label("Topic 1", exact=True).select_option("crsv")
    lno.get_by_label("Minimum level of topic 1").select_option("3")
    lno.get_by_label("Starts on").fill(starts.isoformat())
    lno.get_by_label("Ends on").fill((starts + timedelta(days=10)).isoformat())
    tally.click(lno.get_by_role("button", name="Save and submit"), action=True)
    expect(lno.locator(".meta").first).to_contain_text("Submitted")
    request_url = lno.url
    tally.step("LNO submitted")

    # 2. The coordinator hears of it, opens it from the notification and triages.
    coordinator = new_page()
    sign_in(coordinator, coordinator_user)
    expect(unread_badge(coordinator)).to_be_visible()
    tally.click(coordinator.locator("header a.notifications"))
    tally.click(coordinator.get_by_role("link", name=TITLE).first)
    assert_accessible(coordinator)
    tally.click(coordinator.get_by_role("button", name="Accept for matching"), action=True)
    expect(coordinator.locator(".meta").first).to_contain_text("Matching")
    tally.step("coordinator triaged")

    # 3. Offers from the first screen of candidates: the full match is already selected.
    tally.click(coordinator.get_by_role("link", name="See candidates and send offers"))
    send = coordinator.get_by_role("button", name="Send offers")
    expect(send).to_be_in_viewport()
    expect(coordinator.get_by_label(f"Select {EXPERT}")).to_be_checked()
    tally.click(send, action=True)
    expect(coordinator.get_by_text(EXPERT).first).to_be_visible()
    tally.step("coordinator sent offers")

    # 4. The expert hears of the offer, reads it and accepts.
    expert = new_page()
    sign_in(expert, amina)
    expect(unread_badge(expert)).to_be_visible()
    tally.click(expert.locator("header a.notifications"))
    tally.click(expert.get_by_role("link", name=TITLE).first)
    if "/offers/" not in expert.url:  # the notification may lead to the offers list
        tally.click(expert.get_by_role("link", name=TITLE).first)
    assert_accessible(expert)
    for box in expert.locator('section[aria-labelledby="accept-h"] input[type="checkbox"]').all():
        tally.click(box)
    tally.click(expert.get_by_role("button", name="Accept the offer"), action=True)
    expect(expert.get_by_text("You accepted the offer.")).to_be_visible()
    tally.step("expert accepted")

    # 5. The LNO hears that the request is staffed and sees the team.
    lno.goto("/")
    expect(unread_badge(lno)).to_be_visible()
    lno.goto(request_url)
    expect(lno.locator(".meta").first).to_contain_text("Staffed")
    team = lno.get_by_role("table", name="Experts who accepted a seat")
    expect(team).to_contain_text(EXPERT)
    expect(team).to_contain_text(amina.email)
    assert_accessible(lno)
    tally.step("LNO saw the team")

    # Everyone was told by mail too, by the worker beside the server.
    assert mailed(mail, coordinator_user.email), "the coordinator got no mail"
    assert mailed(mail, amina.email), "the expert got no mail"
    assert mailed(mail, lno_user.email), "the LNO got no mail"
    tally.step("every mail delivered")

    assert tally.actions <= 4, tally.actions
    report = os.environ.get("ROSTER_LOOP_REPORT")
    if report:
        figures = {"actions": tally.actions, "clicks": tally.clicks, "steps": tally.steps}
        Path(report).write_text(json.dumps(figures), encoding="utf-8")
