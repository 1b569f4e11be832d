"""`flask roster worker` (delivery and schedule, for production) and `flask roster serve` (the
development server with the worker beside it, for `make run`)."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from roster.ops import worker


def _app() -> Flask:
    # The app behind the proxy; flask types the proxy as the app, which lacks this method.
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


@click.command("worker")
@click.option("--tick", default=1.0, show_default=True, help="Seconds between turns.")
@click.option("--once", is_flag=True, help="One turn (every job and the mail), then exit.")
@with_appcontext
def worker_command(tick: float, once: bool) -> None:
    """Deliver the outbox and run the scheduled jobs (expire offers, reminders, expire vettings)
    until stopped with SIGTERM or Ctrl-C. Safe to run several at once."""
    app = _app()
    if once:
        done = worker.Worker(app=app).turn()
        click.echo(", ".join(f"{name}: {count}" for name, count in done.items()))
        return
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    worker.run_forever(app, stop, tick=tick)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """The development server with the worker in a thread beside it: mail is delivered and the
    scheduled jobs run without a second terminal. Not for production (use gunicorn and
    `flask roster worker`)."""
    from werkzeug.serving import run_simple

    app = _app()
    _thread, stop = worker.start_in_thread(app)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop.set()


def register(group: click.Group) -> None:
    group.add_command(worker_command)
    group.add_command(serve_command)
