"""Log hygiene for every logger in the process: one record is one line, and secrets are masked."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

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
    if all(known.pattern != pattern for known in SECRET_PATTERNS):
        SECRET_PATTERNS.append(re.compile(pattern))


# A URL rule's variable (`<token>`, `<int:id>`) and the names that say it holds a secret.
_RULE_VARIABLE = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
_SEGMENT = r"[^/\s?#\"'\x00-\x1f]+"


def is_token_variable(name: str) -> bool:
    return name == "token" or name.endswith("_token")


def mask_rule_tokens(rules: Iterable[str]) -> None:
    """Mask the token segments of paths matching these URL rules wherever a line quotes them
    (access logs, error reports): `/invitations/<token>` logs `/invitations/[redacted]`. The rule
    says which variable is a token, so a new link route is covered when it is registered."""
    for rule in rules:
        parts = _RULE_VARIABLE.split(rule)  # literal, name, literal, name, ..., literal
        for index in range(1, len(parts), 2):
            if not is_token_variable(parts[index]):
                continue
            prefix = "".join(
                re.escape(part) if position % 2 == 0 else _SEGMENT
                for position, part in enumerate(parts[:index])
            )
            mask_pattern(f"({prefix}){_SEGMENT}")


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
