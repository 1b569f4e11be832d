"""Arrangements for import tests: a hand-built roster and signed-in clients, as for reports."""

from __future__ import annotations

from tests.reports.conftest import roster, signed_in  # noqa: F401 (fixtures pytest finds by name)
