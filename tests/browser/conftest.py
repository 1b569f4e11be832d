"""A live Roster per test on a database of its own, and Debian's Chromium driven by Playwright
(never downloaded). Each journey arranges its own data with the factories: nothing is shared
between journeys, so they run in any order."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from werkzeug.serving import make_server

from roster.accounts.models import User
from roster.cli import alembic_config
from roster.experts.models import Expert
from tests.conftest import new_database, next_otp, skip_or_fail
from tests.support.auth import Auth
from tests.support.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
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
def database_url(tmp_path_factory) -> Iterator[str]:
    """Journeys run on SQLite only (the engines are compared by the other tests); the `app`
    fixture still empties the database after each journey."""
    url, drop = new_database("sqlite", None, tmp_path_factory)
    command.upgrade(alembic_config(url), "head")
    yield url
    drop()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's own app, served over HTTP for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
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
def new_page(browser, live_server):
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert bad == [], f"accessibility violations on {page.url}: {bad}"


@pytest.fixture
def sign_in(app: Flask, auth: Auth) -> Callable[..., None]:
    """`sign_in(page, user_or_expert)`: through the sign-in form, and the code step where the
    role has it."""

    def sign_in(page, who: User | Expert, password: str = PASSWORD) -> None:
        user = auth.account(who)
        page.goto("/login")
        assert_accessible(page)
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():  # the form posts: a new page either way
            page.get_by_role("button", name="Sign in").click()
        if page.url.endswith("/login/code"):  # coordinators and admins use two-factor
            assert_accessible(page)
            page.get_by_label("Authentication code").fill(next_otp(app, user.email) or "")
            with page.expect_navigation():
                page.get_by_role("button", name="Verify").click()

    return sign_in
