"""Log hygiene: one record is one line whatever it quotes, and secrets never reach a log.

TOTP: the code typed at sign-in is one of the sentinels below; a module that takes other
one-time codes should add its parameter name with roster.ops.logs.mask_pattern."""

from __future__ import annotations

import io
import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from werkzeug.serving import make_server

from roster.ops import logs
from tests.conftest import CSRF_RE, next_otp

SENTINEL_PASSWORD = "Sentinel-Passphrase-7f3a9c"


def test_a_value_with_newlines_stays_on_one_line(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("roster.tests.forging")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("login failed for %s", "mallory\r\n2026-01-01 INFO login ok for admin")
        logger.warning("raw message\nwith a newline and \x1b[31m colour")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    lines = stream.getvalue().splitlines()
    assert lines == [
        "login failed for mallory\\r\\n2026-01-01 INFO login ok for admin",
        "raw message\\nwith a newline and \\x1b[31m colour",
    ]


def test_known_secret_shapes_are_masked():
    assert logs.clean("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345") == (
        "Authorization: Bearer [redacted]"
    )
    assert logs.clean("GET /x?token=s3cr3t&page=2") == "GET /x?token=[redacted]&page=2"
    assert logs.clean("Cookie: session=eyJhbGciOi.abc") == "Cookie: session=[redacted]"
    assert logs.clean("password=hunter2 next") == "password=[redacted] next"


class Browser:
    """A real HTTP client with cookies, against a real server, so access logs are exercised."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode()
            exc.close()
            return exc.code, body

    def form(self, path: str, fields: dict[str, str]):
        _status, html = self.call(path)
        match = CSRF_RE.search(html)
        token = match.group(1) or match.group(2)
        body = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        return self.call(path, body, {"Content-Type": "application/x-www-form-urlencoded"})


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_password_code_token_and_cookie_never_reach_a_log(app, served, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    admin = make_user("admin", password=SENTINEL_PASSWORD)
    browser = Browser(served)
    secrets: list[str] = [SENTINEL_PASSWORD]

    status, _html = browser.form("/login", {"email": admin.email, "password": SENTINEL_PASSWORD})
    code = next_otp(app, admin.email)
    secrets.append(code)
    status, _html = browser.form("/login/code", {"code": code})
    assert status == 200
    cookies = [c.value for c in browser.jar if c.name == "session"]
    assert cookies
    secrets.extend(cookies)
    assert browser.call("/admin/audit")[0] == 200

    other = Browser(served)
    other.form("/login", {"email": admin.email, "password": SENTINEL_PASSWORD + "-wrong"})
    other.form("/login", {"email": "nobody@roster.example", "password": SENTINEL_PASSWORD})

    otp = next_otp(app, admin.email)
    secrets.append(otp)
    body = f'{{"email": "{admin.email}", "password": "{SENTINEL_PASSWORD}", "otp": "{otp}"}}'
    status, answer = browser.call(
        "/api/v1/tokens", body.encode(), {"Content-Type": "application/json"}
    )
    assert status == 201, answer
    token = re.search(r'"token":\s*"([^"]+)"', answer).group(1)
    secrets.append(token)
    bearer = {"Authorization": f"Bearer {token}"}
    assert browser.call("/api/v1/audit?per_page=5", headers=bearer)[0] == 200
    assert browser.call("/api/v1/audit", headers={"Authorization": f"Bearer {token}x"})[0] == 401

    logged = "\n".join(
        [
            caplog.text,
            *(r.getMessage() for r in caplog.records),
            *(str(r.args) for r in caplog.records),
        ]
    )
    assert any(r.name == "werkzeug" for r in caplog.records), "the access log was not exercised"
    for secret in secrets:
        assert not re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", logged)


def token_routes(app) -> list[str]:
    """Every URL rule with a variable that holds a secret token (named token or *_token)."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if any(logs.is_token_variable(name) for name in rule.arguments)
    ]


def test_every_token_bearing_route_is_masked_in_a_logged_line(app):
    routes = token_routes(app)
    assert {"/invitations/<token>", "/api/v1/invitations/<token>/accept"} <= set(routes)
    sentinel = "Tok3n-Sentinel_0123456789abcdefXYZ"
    for rule in routes:
        path = re.sub(
            r"<(?:[^<>:]+:)?([^<>]+)>",
            lambda m: sentinel if logs.is_token_variable(m[1]) else "7",
            rule,
        )
        line = logs.clean(
            f'127.0.0.1 - - [01/Jan/2026 10:00:00] "POST {path}?page=2 HTTP/1.1" 410 -'
        )
        assert sentinel not in line, line
        assert logs.MASK in line


def test_invitation_links_stay_out_of_the_access_log(auth, served, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    admin = make_user("admin")
    created = users_api_invitation(auth, admin)
    token = created.rstrip("/").rsplit("/", 1)[-1]
    browser = Browser(served)
    assert browser.call(f"/invitations/{token}")[0] == 200
    body = f'{{"password": "{SENTINEL_PASSWORD}"}}'.encode()
    json = {"Content-Type": "application/json"}
    assert browser.call(f"/api/v1/invitations/{token}/accept", body, json)[0] == 200
    assert browser.call(f"/api/v1/invitations/{token}/accept", body, json)[0] == 410
    assert browser.call(f"/invitations/{token}")[0] == 410
    access = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert sum("/invitations/" in line for line in access) >= 4, access
    assert not any(token in line for line in access), access
    assert token not in caplog.text


def users_api_invitation(auth, admin) -> str:
    """An invitation link for a new expert, created by `admin` over the API."""
    answer = auth.app.test_client().post(
        "/api/v1/users",
        json={"email": "invitee@roster.example", "full_name": "In Vitee", "role": "expert"},
        headers=auth.bearer(admin),
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["invitation_url"]
