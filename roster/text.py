"""What text the roster keeps: no NUL or other control characters, whether typed or imported
(PostgreSQL refuses NUL in text, and none of them has a place in a roster)."""

from __future__ import annotations

import re
from typing import Any

# C0 controls and DEL, except tab, newline and carriage return.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> Any:
    """The value without control characters (lists item by item; anything else unchanged)."""
    if isinstance(value, str):
        return CONTROLS.sub("", value)
    if isinstance(value, list):
        return [clean_text(item) for item in value]
    return value


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None
