"""Log hygiene for every logger in the process: one record is one line, and secrets are masked."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

# Control characters (CR and LF above all) would let a value start a forged log line.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}
_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_ESCAPES.update({0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\x85"})

# Secrets that may ride along in a logged header, query string or form echo. Another module
# may add its own (e.g. a TOTP code parameter) with `mask_pattern`.
SECRET_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?bearer\s+)[^\s\"',;]+"),
    re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/]{16,}=*"),
    re.compile(r"(?i)((?:^|[\s;,?&\"'])(?:session|remember_token)=)[^\s;,&\"']+"),
    re.compile(r"(?i)((?:password|passphrase|token|totp|otp)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&]+"),
]
MASK = "[redacted]"


def mask_pattern(pattern: str) -> None:
    """Mask group 1's continuation in every log line: `(?i)(totp=)\\d+` logs `totp=[redacted]`."""
    SECRET_PATTERNS.append(re.compile(pattern))


def clean(text: str) -> str:
    """The text as one line, control characters escaped, known secret shapes masked."""
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text.translate(_ESCAPES)


def _wrap(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: leave it for logging to report
            return record
        record.msg, record.args = clean(message), None
        return record

    make_record.roster_clean = True  # type: ignore[attr-defined]
    return make_record


def install() -> None:
    """Clean every record at birth, whichever logger or handler it goes to (idempotent)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "roster_clean", False):
        logging.setLogRecordFactory(_wrap(current))
