"""Real Roster servers in processes of their own (gunicorn serving wsgi:app), for race tests."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving wsgi:app in its own process group, so one SIGKILL takes all of it."""

    def __init__(
        self, url: str, instance: Path, *, workers: int = 2, env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        environment = {
            **os.environ,
            "ROSTER_DATABASE_URL": url,
            "ROSTER_INSTANCE_PATH": str(instance),
            "ROSTER_SECRET_KEY": "crash-test-secret",
            "ROSTER_SQLITE_SYNCHRONOUS": "FULL",  # what production runs with
            **(env or {}),
        }
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log = (instance / f"gunicorn-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "wsgi:app",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "gunicorn exited while starting"
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
            finally:
                conn.close()
        raise AssertionError("gunicorn did not start within 30 s")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()
