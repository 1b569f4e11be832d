"""The worker: one process (or a thread beside the development server) that delivers the outbox
and runs the scheduled jobs, so nobody has to run a command by hand."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from roster.db import utcnow
from roster.notify import outbox
from roster.notify.models import OutboxMessage
from roster.ops import worker
from roster.requests.models import Offer
from tests.conftest import ENGINES, new_database
from tests.notify.test_outbox import Recorder
from tests.ops.servers import ROOT, free_port
from tests.support.factories import make_offer, make_request

FLASK = Path(sys.executable).parent / "flask"


@pytest.fixture
def smtp():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def test_one_turn_expires_lapsed_offers_and_delivers_mail(
    app, db_session, make_user, make_expert, smtp
):
    handler, port = smtp
    app.config.update(ROSTER_SMTP_HOST="127.0.0.1", ROSTER_SMTP_PORT=port)
    lno = make_user("lno", clearance="NS")
    request = make_request(db_session, lno)
    lapsed = make_offer(db_session, request, make_expert(), hours=-1)
    outbox.enqueue(db_session, kind="test", to="someone@roster.example", subject="Hi", body="x")
    db_session.commit()

    done = worker.Worker(app=app).turn()

    assert done["expire-offers"] == 1
    assert done["mail"] >= 1
    db_session.expire_all()
    assert db_session.get(Offer, lapsed.id).state == "expired"
    assert any("Subject: Hi" in mail for mail in handler.received)


def test_a_burst_of_mail_drains_in_one_turn_not_one_batch(app, db_session, smtp):
    """A crisis offered to many experts at once writes more mail than one batch: the worker
    keeps sending while batches come back full (within its time budget), rather than fifty
    messages per turn while the backlog grows."""
    handler, port = smtp
    app.config.update(ROSTER_SMTP_HOST="127.0.0.1", ROSTER_SMTP_PORT=port)
    for n in range(120):
        outbox.enqueue(db_session, kind="test", to=f"e{n}@roster.example", subject="Hi", body="x")
    db_session.commit()

    done = worker.Worker(app=app, jobs=()).turn()

    assert done["mail"] == 120
    assert len(handler.received) == 120
    db_session.expire_all()
    pending = db_session.exec(select(OutboxMessage).where(OutboxMessage.state == "pending"))
    assert pending.all() == []


def test_a_worker_behind_on_mail_delivers_again_at_its_next_turn(app, db_session, smtp):
    """When the time budget runs out with mail still due, the next turn delivers again without
    waiting for the mail interval; once nothing is due, the interval applies again."""
    handler, port = smtp
    app.config.update(ROSTER_SMTP_HOST="127.0.0.1", ROSTER_SMTP_PORT=port)
    for n in range(25):
        outbox.enqueue(db_session, kind="test", to=f"e{n}@roster.example", subject="Hi", body="x")
    db_session.commit()
    busy = worker.Worker(app=app, jobs=(), mail_budget=timedelta(0), mail_batch=10)

    sent = [busy.turn().get("mail") for _ in range(4)]

    assert sent == [10, 10, 5, None]
    assert len(handler.received) == 25


def test_jobs_run_when_due_and_not_before(app):
    calls: list[str] = []
    job = worker.Job("count", timedelta(minutes=5), lambda s, now, ctx: calls.append("x") or 0)
    runner = worker.Worker(app=app, jobs=[job])
    start = utcnow()
    runner.turn(start)
    runner.turn(start + timedelta(minutes=4))
    assert calls == ["x"]
    runner.turn(start + timedelta(minutes=5))
    assert calls == ["x", "x"]


def test_a_failing_job_is_rolled_back_and_the_others_still_run(app, db_session):
    def boom(session, now, ctx):
        outbox.enqueue(session, kind="half", to="a@roster.example", subject="half", body="x")
        session.flush()
        raise RuntimeError("the job broke")

    ran: list[str] = []
    jobs = [
        worker.Job("boom", timedelta(minutes=1), boom),
        worker.Job("after", timedelta(minutes=1), lambda s, now, ctx: ran.append("after") or 0),
    ]
    done = worker.Worker(app=app, jobs=jobs).turn()
    assert done["boom"] == 0
    assert ran == ["after"]
    assert db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "half")).all() == []


def _env(url: str, instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ROSTER_DATABASE_URL": url,
        "ROSTER_INSTANCE_PATH": str(instance),
        "ROSTER_SECRET_KEY": "worker-test-secret",
        "ROSTER_SMTP_HOST": "",
    }


@pytest.mark.parametrize("engine_name", ENGINES)
def test_serve_delivers_mail_without_a_second_command(
    engine_name, pg_server, tmp_path_factory, tmp_path
):
    """What `make run` starts: the server answers, and mail written by the app leaves on its own
    (here as .eml files, the development transport)."""
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    instance = tmp_path / "instance"
    env = _env(url, instance)
    process = None
    try:
        subprocess.run(
            [str(FLASK), "--app", "wsgi", "roster", "migrate"], cwd=ROOT, env=env, check=True
        )
        from roster.db import make_engine

        engine = make_engine(url)
        with Session(engine) as session:
            message = outbox.enqueue(
                session, kind="test", to="x@roster.example", subject="Delivered", body="body"
            )
            session.commit()
            message_id = message.id
        port = free_port()
        process = subprocess.Popen(
            [str(FLASK), "--app", "wsgi", "roster", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        answered = delivered = False
        while time.monotonic() < deadline and not (answered and delivered):
            assert process.poll() is None, "roster serve exited"
            if not answered:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                try:
                    conn.request("GET", "/healthz")
                    answered = conn.getresponse().status == 200
                except OSError:
                    pass
                finally:
                    conn.close()
            delivered = any((instance / "outbox").glob("*.eml"))
            time.sleep(0.2)
        assert answered, "the development server did not answer"
        assert delivered, "the mail was not delivered by the worker beside the server"
        with Session(engine) as session:
            assert session.get(OutboxMessage, message_id).state == "sent"
        engine.dispose()
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, 15)
            process.wait(timeout=15)
        drop()


def test_worker_once_runs_every_job_and_the_mail(app, db_session, make_user, make_expert):
    lno = make_user("lno", clearance="NS")
    request = make_request(db_session, lno)
    make_offer(db_session, request, make_expert(), hours=-2)
    result = app.test_cli_runner().invoke(args=["roster", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "expire-offers: 1" in result.output
    assert "mail:" in result.output


def test_admin_sees_every_message_but_no_body(app, auth, make_user, db_session):
    outbox.enqueue(
        db_session, kind="invitation", to="person@roster.example", subject="S", body="SECRET-BODY"
    )
    db_session.commit()
    admin = make_user("admin")
    client = auth.page(admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "person@roster.example" in page
    assert "invitation" in page
    assert "SECRET-BODY" not in page
    only_failed = client.get("/admin/outbox?state=failed").get_data(as_text=True)
    assert "person@roster.example" not in only_failed


def test_admin_home_shows_a_delivery_failure(app, auth, make_user, db_session):
    admin = make_user("admin")
    client = auth.page(admin)
    assert "Mail is not getting through" not in client.get("/").get_data(as_text=True)
    message = outbox.enqueue(db_session, kind="x", to="a@roster.example", subject="s", body="b")
    message.state = "failed"
    db_session.add(message)
    db_session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Mail is not getting through" in home
    assert "could not be delivered" in home


def test_admin_home_shows_mail_waiting_too_long(app, auth, make_user, db_session):
    admin = make_user("admin")
    client = auth.page(admin)
    message = outbox.enqueue(db_session, kind="x", to="a@roster.example", subject="s", body="b")
    message.created_at = utcnow() - timedelta(minutes=30)
    db_session.add(message)
    db_session.commit()
    assert "is `flask roster worker` running?" in client.get("/").get_data(as_text=True)


def test_coordinator_home_does_not_show_the_mail_alert(app, auth, make_user, db_session):
    message = outbox.enqueue(db_session, kind="x", to="a@roster.example", subject="s", body="b")
    message.state = "failed"
    db_session.add(message)
    db_session.commit()
    client = auth.page(make_user("coordinator"))
    assert "Mail is not getting through" not in client.get("/").get_data(as_text=True)
