"""Listeners told when an expert's standing (vetting or clearance) changed, so that what is built
on experts (offers, seats) can react while the expert services import none of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from roster.experts.models import Expert

# What a listener returns is not used.
Listener = Callable[[Session, Expert, date], object]
_listeners: dict[str, Listener] = {}


def listen(name: str, listener: Listener) -> None:
    """Register the listener under `name`, replacing any earlier one of that name (the app
    factory registers once per app; a second app replaces rather than doubles it)."""
    _listeners[name] = listener


def changed(session: Session, expert: Expert, today: date) -> None:
    """Tell every listener, in the caller's transaction, once the change is flushed."""
    for listener in list(_listeners.values()):
        listener(session, expert, today)
