"""Security headers on every kind of response, and no debug output in production mode."""

from __future__ import annotations

import pytest

from roster.app import create_app

BASE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def check_common(response) -> None:
    for name, value in BASE.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    for part in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ):
        assert part in csp
    assert "unsafe-inline" not in csp
    if response.mimetype.startswith("text/"):
        assert "charset=utf-8" in response.headers["Content-Type"]


def test_pages_api_errors_and_static_files_all_carry_the_headers(auth, make_user):
    user = make_user("lno", clearance="NS")
    client = auth.page(user)
    responses = {
        "page": client.get("/"),
        "page error": client.get("/no-such-page"),
        "api": client.get("/api/v1/me", headers=auth.bearer(user)),
        "api error": client.get("/api/v1/no-such-thing"),
        "static": client.get("/static/roster.css"),
        "login page": client.get("/login"),
    }
    for name, response in responses.items():
        check_common(response)
        if name != "static":
            assert response.headers["Cache-Control"] == "no-store", name
        response.close()
    assert "Strict-Transport-Security" not in responses["page"].headers


def test_hsts_when_served_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "x", "SESSION_COOKIE_SECURE": True})
    response = app.test_client().get("/healthz", base_url="https://roster.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/boom", "/api/v1/boom"])
def test_production_errors_show_no_traceback(tmp_path, monkeypatch, path):
    monkeypatch.setenv("ROSTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ROSTER_ENV", "production")
    monkeypatch.setenv("ROSTER_SECRET_KEY", "production-secret")
    app = create_app({"ROSTER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})

    def boom() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_url_rule(path, "boom", boom)
    response = app.test_client().get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in body and "secret internals" not in body
    check_common(response)


def test_request_body_limit(client):
    response = client.post(
        "/api/v1/tokens", data=b"x" * (3 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"]
