"""The session cookie is sealed: what it carries between two requests (a flash naming a person,
a single-use link) cannot be read from it, and a cookie that does not open is a fresh session."""

from __future__ import annotations

import base64
import zlib

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadData

from roster.web.sealed import SealedCookieSessionInterface

SECRET_NAME = "Zofia Quintero-Flash"


def _cookie(client, app) -> str:
    found = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert found is not None, "no session cookie was set"
    return found.value


def _readable_forms(value: str) -> str:
    """The cookie's text and, where a part of it is base64 (zlib'd or not), what it decodes to:
    everything a holder of the cookie could read without a key."""
    shown = [value]
    for part in value.lstrip(".").split("."):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except ValueError:
            continue
        for candidate in (raw, _inflate(raw)):
            shown.append(candidate.decode("utf-8", "replace"))
    return "\n".join(shown)


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def _flash_a_name(app):
    """A client whose session holds an unread flash naming a person."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_flashes"] = [("info", f"A password reset link was mailed to {SECRET_NAME}.")]
    return client


def test_a_flash_cannot_be_read_from_the_cookie(app):
    client = _flash_a_name(app)
    cookie = _cookie(client, app)
    assert SECRET_NAME not in _readable_forms(cookie)
    assert "Zofia" not in _readable_forms(cookie)
    # Flask's own interface, which only signs, cannot open it either
    plain = SecureCookieSessionInterface().get_signing_serializer(app)
    assert plain is not None
    with pytest.raises(BadData):  # it must not give the payload back
        plain.loads(cookie)


def test_the_sealed_flash_is_shown_on_the_next_page(app):
    client = _flash_a_name(app)
    page = client.get("/login").get_data(as_text=True)
    assert SECRET_NAME in page
    assert SECRET_NAME not in client.get("/login").get_data(as_text=True)  # shown once


def test_an_older_signed_cookie_or_a_tampered_one_is_a_fresh_session(app):
    plain = SecureCookieSessionInterface().get_signing_serializer(app)
    assert plain is not None
    older = plain.dumps({"_flashes": [("info", SECRET_NAME)]})
    client = app.test_client()
    for value in (older, "not-a-cookie", _cookie(_flash_a_name(app), app)[:-6] + "AAAAAA"):
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
        response = client.get("/login")
        assert response.status_code == 200
        assert SECRET_NAME not in response.get_data(as_text=True)


def test_a_cookie_sealed_under_a_rotated_key_still_opens(app):
    client = _flash_a_name(app)
    cookie = _cookie(client, app)
    old_key = app.secret_key
    app.secret_key = "a-new-secret-key-for-the-rotation-test"
    app.config["SECRET_KEY"] = app.secret_key
    try:
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        fresh = app.test_client()
        fresh.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        assert SECRET_NAME in fresh.get("/login").get_data(as_text=True)
        app.config["SECRET_KEY_FALLBACKS"] = []
        gone = app.test_client()
        gone.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        response = gone.get("/login")
        assert response.status_code == 200 and SECRET_NAME not in response.get_data(as_text=True)
    finally:
        app.secret_key = old_key
        app.config["SECRET_KEY"] = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []


def test_the_app_uses_the_sealed_interface(app):
    assert isinstance(app.session_interface, SealedCookieSessionInterface)
