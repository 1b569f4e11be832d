"""A live Roster on the demo data, and Debian's Chromium driven by Playwright (never downloaded)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from sqlmodel import Session
from werkzeug.serving import make_server

from roster.app import create_app
from roster.cli import alembic_config
from roster.seeding import load_demo, load_reference
from tests.conftest import next_otp, skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
DEMO_PASSWORD = "demo-password-2026"
LIVE: dict[str, Flask] = {}  # the live app, so sign_in can compute the demo accounts' codes
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, monkeypatch_session) -> Iterator[str]:  # noqa: ANN001
    instance = tmp_path_factory.mktemp("live-instance")
    monkeypatch_session.setenv("ROSTER_INSTANCE_PATH", str(instance))
    url = f"sqlite:///{instance / 'roster.db'}"
    command.upgrade(alembic_config(url), "head")
    app = create_app({"SECRET_KEY": "browser-tests", "ROSTER_DATABASE_URL": url})
    with Session(app.extensions["roster.engine"]) as session:
        load_reference(session)
        load_demo(session)
        session.commit()
    LIVE["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def monkeypatch_session() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - a Playwright Browser
    if not CHROMIUM.exists():
        skip_or_fail("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):  # noqa: ANN001, ANN201 - a Playwright Page
    context = browser.new_context(base_url=live_server)
    opened = context.new_page()
    yield opened
    context.close()


def assert_accessible(page) -> None:  # noqa: ANN001
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert bad == [], f"accessibility violations on {page.url}: {bad}"


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:  # noqa: ANN001
    page.goto("/login")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():  # the form posts: a new page either way
        page.get_by_role("button", name="Sign in").click()
    if page.url.endswith("/login/code"):  # the demo admin and coordinator use two-factor
        assert_accessible(page)
        page.get_by_label("Authentication code").fill(next_otp(LIVE["app"], email) or "")
        with page.expect_navigation():
            page.get_by_role("button", name="Verify").click()
