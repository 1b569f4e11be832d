"""Fixtures for the account tests: an app with its own settings on the test's database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from roster.app import create_app


@pytest.fixture
def make_app(app: Flask, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Another app (another worker, other settings) on the database of `app`, which cleans up."""
    built: list[Flask] = []

    def make(**config: object) -> Flask:
        other = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "ROSTER_DATABASE_URL": database_url,
                **config,
            }
        )
        built.append(other)
        return other

    yield make
    for other in built:
        other.extensions["roster.engine"].dispose()
