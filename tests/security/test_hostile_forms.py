"""Every form, posted with missing, oversized, wrong-type and hostile values, answers with the
form and a message (or a redirect) and never a 5xx; stored script payloads are shown escaped."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.security.world import build

HOSTILE = [
    "",
    "<script>alert('x')</script>",
    "' OR 1=1; DROP TABLE expert; --",
    "nul\x00bell\x07esc\x1b[31m\r\nline",
    "A" * 100_000,
    "\U0001f600\U0001f3f3\ufe0f\u200d\U0001f308",
    "-1",
    "99999999999999999999",
    "2026-13-45",
]
# (role, page with a form): every form the product has.
FORMS = [
    ("anonymous", "/login"),
    ("expert", "/account/password"),
    ("coordinator", "/admin/users/invite"),
    ("expert", "/experts/{own_expert}/edit"),
    ("expert", "/experts/{own_expert}/availability"),
    ("coordinator", "/experts/new"),
    ("lno", "/requests/new"),
    ("coordinator", "/requests/{own_request}/candidates"),
    ("admin", "/admin/commands/new"),
    ("admin", "/admin/commands/{command}/edit"),
    ("coordinator", "/reports/import"),
    ("expert", "/account/two-factor"),
]
FORM_RE = re.compile(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
NAME_RE = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.I)


def field_names(html: str) -> set[str]:
    names: set[str] = set()
    for form in FORM_RE.findall(html):
        names |= set(NAME_RE.findall(form))
    return names - {"csrf_token"}


def answered_with_a_message(response) -> bool:
    if response.status_code in (302, 303):
        return True
    html = response.get_data(as_text=True)
    if response.status_code == 413:
        return "too large" in html.lower()  # the whole post passed the size limit
    return any(
        mark in html for mark in ('class="error"', 'role="alert"', "flash-error", 'class="flash')
    )


@pytest.mark.parametrize(("role", "page"), FORMS)
def test_hostile_values_never_break_a_form(
    auth, app, db_session, make_user, make_expert, role, page
):
    world = build(db_session, make_user, make_expert, auth)
    path = page.format(**world.ids)
    client, _headers = world.client(app, role)
    html = client.get(path).get_data(as_text=True)
    names = field_names(html)
    assert names, f"no form fields found on {path}"
    for value in HOSTILE:
        data = dict.fromkeys(names, value)
        data["csrf_token"] = csrf_token(client, path)
        response = client.post(path, data=data)
        assert response.status_code < 500, (path, value[:40], response.status_code)
        assert answered_with_a_message(response), (path, value[:40], response.status_code)
        body = response.get_data(as_text=True)
        assert "<script>alert('x')</script>" not in body
    missing = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert missing.status_code < 500 and answered_with_a_message(missing)


def test_stored_script_payloads_are_escaped_everywhere(
    auth, app, client, make_user, make_expert, db_session
):
    payload = "<script>alert('stored')</script>"
    expert = make_expert(
        full_name=f"Eve {payload}", bio=f"Bio {payload}", affiliation_name=f"Org {payload}"
    )
    world = build(db_session, make_user, make_expert, auth)
    pages = {
        "coordinator": [
            f"/experts/{expert.id}",
            "/vetting",
            "/search?q=eve",
            "/directory",
            "/dashboard",
            "/dashboard/watchlist",
        ],
        "lno": [f"/experts/{expert.id}", "/search?q=eve"],
        "admin": ["/admin/users", "/admin/audit"],
    }
    for role, paths in pages.items():
        browser, _ = world.client(app, role)
        for path in paths:
            response = browser.get(path)
            body = response.get_data(as_text=True)
            assert response.status_code == 200, (role, path, response.status_code)
            assert payload not in body, (role, path)
    coordinator = world.client(app, "coordinator")[0]
    assert "&lt;script&gt;" in coordinator.get(f"/experts/{expert.id}").get_data(as_text=True)
