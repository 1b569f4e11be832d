"""A second-factor code sent several times at once is accepted once, on both engines: the last
used step and a recovery code's use are compare-and-set in the database."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from roster.accounts import totp
from roster.accounts.models import User
from tests.accounts.test_two_factor import now_code, password_step
from tests.conftest import PASSWORD, csrf_token

PARALLEL = 8


def at_once(clients: list[FlaskClient], send: Callable[[FlaskClient], int]) -> Counter:
    """Run `send` with every client from its own thread, released together; count the answers."""
    barrier = threading.Barrier(len(clients))
    results: Counter = Counter()
    lock = threading.Lock()

    def run(client: FlaskClient) -> None:
        barrier.wait()
        status = send(client)
        with lock:
            results[status] += 1

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def token_calls(app: Flask, email: str, otp: str) -> Counter:
    body = {"email": email, "password": PASSWORD, "otp": otp}
    clients = [app.test_client() for _ in range(PARALLEL)]
    return at_once(clients, lambda c: c.post("/api/v1/tokens", json=body).status_code)


def test_parallel_api_sign_ins_with_one_code_get_one_token(app, make_user):
    user = make_user("coordinator")
    assert token_calls(app, user.email, now_code()) == Counter({201: 1, 401: PARALLEL - 1})


def test_a_recovery_code_spent_while_another_spends_it_is_refused(app, make_user, db_session):
    """The second spender found the code unused before the first committed, then waited for it:
    it must not count the code as its own."""
    user = make_user("admin")
    [code] = totp.replace_recovery_codes(session=db_session, user=user)[:1]
    db_session.commit()
    engine = app.extensions["roster.engine"]
    first, second = Session(engine), Session(engine)
    outcome: list[bool] = []
    try:
        assert totp.use_recovery_code(session=first, user=first.get(User, user.id), code=code)
        other = second.get(User, user.id)
        waiting = threading.Thread(
            target=lambda: outcome.append(
                totp.use_recovery_code(session=second, user=other, code=code)
            )
        )
        waiting.start()
        time.sleep(0.5)  # the second is now blocked on the first's write
        first.commit()
        waiting.join(timeout=30)
        second.commit()
    finally:
        first.close()
        second.close()
    assert outcome == [False]


def test_parallel_code_pages_with_one_code_sign_in_once(app, make_user):
    user = make_user("coordinator")
    clients = [app.test_client() for _ in range(PARALLEL)]
    forms = {}
    for client in clients:
        assert password_step(client, user.email).headers["Location"].endswith("/login/code")
        forms[client] = csrf_token(client, "/login/code")
    code = now_code()

    def enter_code(client: FlaskClient) -> int:
        data = {"code": code, "csrf_token": forms[client]}
        return client.post("/login/code", data=data).status_code

    # 302: signed in; 200: the form again, saying the code is wrong or was already used.
    assert at_once(clients, enter_code) == Counter({302: 1, 200: PARALLEL - 1})
    assert sum(client.get("/").status_code == 200 for client in clients) == 1
