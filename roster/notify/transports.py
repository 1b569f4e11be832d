"""Where mail goes: an SMTP server, or .eml files under instance/outbox/ in development."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

from roster.notify.outbox import Transport


def smtp_transport(host: str, port: int, *, timeout: float = 10.0) -> Transport:
    def send(mail: EmailMessage) -> None:
        with smtplib.SMTP(host, port, timeout=timeout) as client:
            client.send_message(mail)

    return send


def file_transport(folder: Path) -> Transport:
    """Writes each message as an .eml file; the file name is the outbox id, so no duplicates."""

    def send(mail: EmailMessage) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        name = mail["Message-ID"].strip("<>").split("@")[0]
        (folder / f"{name}.eml").write_bytes(bytes(mail))

    return send
