"""Which language a page or an API answer is in: the signed-in user's setting beats the
`roster_locale` cookie, which beats Accept-Language, which beats English; an API caller's
own setting, else Accept-Language. And the header's switch that sets them."""

from __future__ import annotations

import pytest

from roster.accounts.models import User
from tests.support.auth import csrf_token, login

FR = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


def lang_of(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def french(db_session, user: User) -> User:
    user.locale = "fr"
    db_session.add(user)
    db_session.commit()
    return user


def test_anonymous_falls_back_to_english(client):
    assert lang_of(client.get("/login")) == "en"


def test_accept_language_picks_french_for_anonymous(client):
    page = client.get("/login", headers=FR)
    assert lang_of(page) == "fr"
    assert "Se connecter" in page.get_data(as_text=True)


def test_an_unknown_accept_language_is_english(client):
    assert lang_of(client.get("/login", headers={"Accept-Language": "de, es;q=0.8"})) == "en"


def test_the_cookie_beats_accept_language(client):
    client.set_cookie("roster_locale", "en")
    assert lang_of(client.get("/login", headers=FR)) == "en"
    client.set_cookie("roster_locale", "fr")
    assert lang_of(client.get("/login")) == "fr"


def test_a_cookie_naming_no_language_of_ours_is_ignored(client):
    client.set_cookie("roster_locale", "xx")
    assert lang_of(client.get("/login", headers=FR)) == "fr"


def test_the_users_setting_beats_the_cookie_and_accept_language(auth, db_session, make_user):
    page = auth.page(french(db_session, make_user("lno", clearance="NR")))
    page.set_cookie("roster_locale", "en")
    home = page.get("/", headers={"Accept-Language": "en"})
    assert lang_of(home) == "fr"
    assert "Espace officier de liaison" in home.get_data(as_text=True)
    english = auth.page(make_user("lno", clearance="NR"))
    english.set_cookie("roster_locale", "fr")
    assert lang_of(english.get("/", headers=FR)) == "en"


def test_dates_follow_the_locale(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from roster import locales

    moment = datetime(2026, 12, 1, 15, 36, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("en"):
            assert locales.when(moment) == "Dec 1, 2026 15:36"
        with force_locale("fr"):
            assert locales.when(moment) == "1 déc. 2026 15:36"
            assert locales.day(moment.date()) == "1 déc. 2026"


# --- the API ------------------------------------------------------------------------------


def bad_patch(client, headers):
    return client.patch("/api/v1/me", json={"locale": "xx"}, headers=headers)


def test_an_api_error_message_follows_the_callers_setting_and_the_code_stays(
    client, auth, db_session, make_user
):
    english = bad_patch(client, auth.bearer(make_user("lno", clearance="NR")))
    frenchman = french(db_session, make_user("lno", clearance="NR"))
    in_french = bad_patch(client, {**auth.bearer(frenchman), "Accept-Language": "en"})
    assert english.status_code == in_french.status_code == 422
    en, fr = english.get_json()["error"], in_french.get_json()["error"]
    assert en["code"] == fr["code"] == "validation_failed"
    assert en["message"] == "The request did not pass validation."
    assert fr["message"] == "La requête n'a pas passé la validation."


def test_an_api_caller_with_no_token_gets_accept_language(client):
    # No user to ask: the header decides, and the API ignores the pages' cookie.
    client.set_cookie("roster_locale", "en")
    answer = client.post("/api/v1/tokens", json={"email": 1}, headers=FR)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["message"] == "La requête n'a pas passé la validation."


# --- the switch ---------------------------------------------------------------------------


def switch(client, locale: str, next_page: str = "/login", page: str = "/login"):
    return client.post(
        "/language",
        data={"csrf_token": csrf_token(client, page), "locale": locale, "next": next_page},
    )


def test_the_switch_sets_the_cookie_for_an_anonymous_visitor(client):
    answer = switch(client, "fr")
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"
    cookie = answer.headers["Set-Cookie"]
    assert "roster_locale=fr" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert lang_of(client.get("/login")) == "fr"


def test_the_switch_saves_a_signed_in_users_setting(auth, db_session, make_user):
    user = make_user("expert")
    signed_in = auth.page(user)
    answer = switch(signed_in, "fr", "/settings", page="/settings")
    assert answer.headers["Location"] == "/settings"
    db_session.expire_all()
    assert db_session.get(User, user.id).locale == "fr"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_the_switch_never_sends_the_browser_elsewhere(client, target):
    assert switch(client, "fr", target).headers["Location"] == "/"


def test_the_switch_refuses_a_language_we_do_not_speak(client):
    answer = switch(client, "de")
    assert answer.status_code == 302 and "roster_locale" not in answer.headers.get("Set-Cookie", "")


def test_the_switch_needs_its_csrf_token(client):
    answer = client.post("/language", data={"locale": "fr", "next": "/login"})
    assert answer.status_code == 400


def test_every_page_offers_the_switch_each_language_in_its_own(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<button type="submit" name="locale" value="fr" lang="fr"' in html
    assert ">Français</button>" in html and ">English</button>" in html


def test_a_language_chosen_before_signing_in_becomes_the_users_setting(app, db_session, make_user):
    """The switch on the sign-in page is the visitor's latest choice: signing in keeps it (the
    account's setting would otherwise beat the cookie and undo it)."""
    user = make_user("expert")
    client = app.test_client()
    switch(client, "fr")
    assert login(client, user.email).status_code == 302
    assert lang_of(client.get("/")) == "fr"
    db_session.expire_all()
    assert db_session.get(User, user.id).locale == "fr"
    english = make_user("expert")
    other = app.test_client()
    assert login(other, english.email).status_code == 302
    assert lang_of(other.get("/")) == "en"
