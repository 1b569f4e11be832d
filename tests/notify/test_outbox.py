"""The outbox: written with the change that caused it, delivered over real SMTP, retried,
never sent twice."""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from roster.db import utcnow
from roster.notify import outbox, transports
from roster.notify.models import OutboxMessage


class Recorder:
    """An SMTP handler that keeps what it receives, or refuses with 451 while `failing`."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.failing = False

    async def handle_DATA(self, server, session, envelope):
        if self.failing:
            return "451 4.3.0 Try again later"
        self.received.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def deliver(app, port, now=None):
    return outbox.deliver_due(
        app.extensions["roster.engine"],
        transports.smtp_transport("127.0.0.1", port),
        sender="roster@roster.example",
        domain="roster.example",
        now=now,
    )


def invite(client, auth, make_user, email="mail.me@roster.example"):
    response = client.post(
        "/api/v1/users",
        json={"email": email, "full_name": "Mail Me", "role": "expert", "clearance": None},
        headers=auth.bearer(make_user("admin")),
    )
    assert response.status_code == 201
    return response.get_json()


def test_invitation_is_mailed_once_over_smtp(auth, app, client, make_user, smtp_server, db_session):
    handler, port = smtp_server
    created = invite(client, auth, make_user)
    report = deliver(app, port)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert len(handler.received) == 1
    assert created["invitation_url"] in handler.received[0].replace("=\n", "")
    assert "To: mail.me@roster.example" in handler.received[0]
    assert deliver(app, port).sent == 0
    assert len(handler.received) == 1
    message = db_session.exec(select(OutboxMessage)).one()
    assert message.state == "sent" and message.body == ""


def test_a_rolled_back_change_writes_no_mail(app, db_session):
    with Session(app.extensions["roster.engine"]) as session:
        outbox.enqueue(session, kind="test", to="x@roster.example", subject="s", body="b")
        session.rollback()
    assert db_session.exec(select(OutboxMessage)).all() == []


def test_a_refused_request_writes_no_mail(auth, client, make_user, db_session):
    response = client.post(
        "/api/v1/users",
        json={"email": "a@roster.example", "full_name": "A", "role": "admin", "clearance": None},
        headers=auth.bearer(make_user("coordinator")),
    )
    assert response.status_code == 403
    assert db_session.exec(select(OutboxMessage)).all() == []


def test_failing_server_means_retries_with_backoff_then_one_delivery(
    auth, app, client, make_user, smtp_server, db_session
):
    handler, port = smtp_server
    invite(client, auth, make_user)
    handler.failing = True
    now = utcnow()
    first = deliver(app, port, now=now)
    assert (first.sent, first.retried) == (0, 1)
    assert deliver(app, port, now=now).retried == 0  # not due again yet
    second = deliver(app, port, now=now + timedelta(minutes=1, seconds=1))
    assert second.retried == 1
    message = db_session.exec(select(OutboxMessage)).one()
    assert message.attempts == 2
    assert message.next_attempt_at >= now + timedelta(minutes=3)  # 1 then 2 minutes
    assert "451" in message.last_error
    handler.failing = False
    third = deliver(app, port, now=now + timedelta(hours=1))
    assert third.sent == 1
    assert deliver(app, port, now=now + timedelta(days=1)).sent == 0
    assert len(handler.received) == 1


def test_gives_up_after_the_last_attempt_and_the_admin_sees_it(
    auth, app, client, make_user, smtp_server, db_session
):
    handler, port = smtp_server
    invite(client, auth, make_user)
    handler.failing = True
    now = utcnow()
    for step in range(outbox.MAX_ATTEMPTS):
        deliver(app, port, now=now + timedelta(days=step))
    message = db_session.exec(select(OutboxMessage)).one()
    assert message.state == "failed" and message.attempts == outbox.MAX_ATTEMPTS
    admin = make_user("admin")
    browser = auth.page(admin)
    page = browser.get("/admin/outbox").get_data(as_text=True)
    assert "failed: 1" in page and "451" in page
    lno = make_user("lno")
    other = auth.page(lno)
    assert other.get("/admin/outbox").status_code == 403


def test_send_mail_command_writes_eml_files_in_development(auth, app, client, make_user):
    invite(client, auth, make_user)
    result = app.test_cli_runner().invoke(args=["roster", "send-mail"])
    assert "sent 1" in result.output
    from pathlib import Path

    files = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert "Your invitation to the Roster" in files[0].read_text()


# --- delivery holds no transaction while it talks to the mail server ---------------------------


class HangingSmtp:
    """A mail server that accepts connections and never says a word."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.listener.close()
        for conn in self.accepted:
            conn.close()


def queue_mails(db_session, count: int) -> list[int]:
    messages = [
        outbox.enqueue(db_session, kind="test", to=f"m{n}@roster.example", subject="s", body="b")
        for n in range(count)
    ]
    db_session.commit()
    return [m.id for m in messages]


def test_app_writes_go_on_while_the_mail_server_hangs(app, client, db_session):
    queue_mails(db_session, 2)
    server = HangingSmtp()
    worker = threading.Thread(
        target=outbox.deliver_due,
        args=(
            app.extensions["roster.engine"],
            transports.smtp_transport("127.0.0.1", server.port, timeout=5),
        ),
        kwargs={"sender": "roster@roster.example", "domain": "roster.example"},
    )
    try:
        worker.start()
        deadline = time.monotonic() + 10
        while not server.accepted and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.accepted, "the worker never reached the mail server"
        for n in range(3):  # a failed sign-in writes to the audit trail
            started = time.monotonic()
            body = {"email": f"nobody{n}@roster.example", "password": "wrong password"}
            response = client.post("/api/v1/tokens", json=body)
            assert response.status_code == 401, response.get_json()
            assert time.monotonic() - started < 2, "a write waited for the mail worker"
    finally:
        worker.join(timeout=30)
        server.close()
    db_session.expire_all()
    messages = db_session.exec(select(OutboxMessage)).all()
    assert [(m.state, m.attempts, m.claimed_until) for m in messages] == [("pending", 1, None)] * 2
    assert all("timed out" in m.last_error for m in messages)


def test_two_workers_never_send_the_same_message(app, db_session):
    queue_mails(db_session, 20)
    sent: list[str] = []

    def slow_transport(mail) -> None:
        time.sleep(0.02)  # long enough for the other worker to look at the same rows
        sent.append(mail["Message-ID"])

    engine = app.extensions["roster.engine"]
    barrier = threading.Barrier(2)

    def work() -> None:
        barrier.wait()
        outbox.deliver_due(engine, slow_transport, sender="r@roster.example", domain="d")

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(sent) == 20 and len(set(sent)) == 20
    db_session.expire_all()
    assert {m.state for m in db_session.exec(select(OutboxMessage))} == {"sent"}


def test_a_crashed_workers_claim_expires(app, db_session):
    [message_id] = queue_mails(db_session, 1)
    engine = app.extensions["roster.engine"]
    now = utcnow()
    claimed = outbox.claim_next(engine, now)  # and then the worker dies before sending
    assert claimed is not None and claimed.id == message_id
    sent: list[str] = []
    assert outbox.deliver_due(engine, sent.append, sender="r@x", domain="d", now=now).sent == 0
    later = now + outbox.CLAIM_LEASE + timedelta(seconds=1)
    assert outbox.deliver_due(engine, sent.append, sender="r@x", domain="d", now=later).sent == 1
    db_session.expire_all()
    message = db_session.get(OutboxMessage, message_id)
    assert (message.state, message.attempts, message.claimed_until) == ("sent", 2, None)
