"""Where the browser goes after sign-in (ASVS 5.0 3.7.2): same-site paths only, home otherwise."""

from __future__ import annotations

import pytest

from roster.accounts.redirects import same_site_path
from tests.conftest import PASSWORD, csrf_token, next_otp

HOSTILE = [
    "/\t/evil.example",
    "/\n/x",
    "/\r\n/x",
    "/x\x00",
    "/\x01/evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/ /evil.example",
    " /x",
    "/x ",
    "/\u00a0/evil.example",
    "/\u2028/evil.example",
    "/\u200b/evil.example",
    "/%09/evil.example",
    "/%0a/x",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "/.//evil.example",
    "/x/..//evil.example",
    "/./../\t/evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "//user@evil.example",
    "evil.example",
    "x/y",
    "",
]
SAFE = {
    "/": "/",
    "/requests/12": "/requests/12",
    "/search?topic=crsv&page=2": "/search?topic=crsv&page=2",
    "/experts/3#availability": "/experts/3#availability",
    "/a/./b/../c": "/a/c",
}


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert same_site_path(target) is None


@pytest.mark.parametrize(("target", "expected"), SAFE.items())
def test_same_site_paths_are_kept_normalized(target, expected):
    assert same_site_path(target) == expected


def password_step(client, email: str, target: str):
    token = csrf_token(client)
    return client.post(
        "/login",
        query_string={"next": target},
        data={"email": email, "password": PASSWORD, "csrf_token": token},
    )


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "/%09/evil.example", "//e.x"])
def test_sign_in_with_a_hostile_next_lands_at_home(client, make_user, target):
    user = make_user("lno")
    response = password_step(client, user.email, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_same_site_next(client, make_user):
    user = make_user("lno")
    response = password_step(client, user.email, "/search?topic=crsv")
    assert response.headers["Location"] == "/search?topic=crsv"


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/\t/evil.example", "/"), ("/\n/x", "/"), ("/search?topic=crsv", "/search?topic=crsv")],
)
def test_second_factor_step_uses_the_same_rule(client, make_user, target, expected):
    user = make_user("admin")
    assert password_step(client, user.email, target).headers["Location"] == "/login/code"
    token = csrf_token(client, "/login/code")
    done = client.post(
        "/login/code", data={"code": next_otp(client.application, user.email), "csrf_token": token}
    )
    assert done.status_code == 302
    assert done.headers["Location"] == expected
