"""Edges every answer shares: a 405 names the methods allowed, on pages and the API."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_405_carries_the_allow_header(client):
    api = client.put("/api/v1/tokens", json={})
    assert api.status_code == 405
    assert "POST" in api.headers["Allow"]
    assert api.get_json()["error"]["code"] == "method_not_allowed"
    page = client.delete("/login")
    assert page.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in page.headers["Allow"].split(",")}
