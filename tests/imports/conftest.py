"""Arrangements for import tests: a hand-built roster, as for reports."""

from __future__ import annotations

from tests.support.factories import roster  # noqa: F401 (a fixture pytest finds by name)
