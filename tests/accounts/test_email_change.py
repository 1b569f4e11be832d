"""Changing one's e-mail address: nothing changes before the link from the new address is
followed; the old address hears of it; an expert's profile follows; a clash is refused."""

from __future__ import annotations

import re

from sqlmodel import select

from roster.accounts.models import User
from roster.experts.models import Expert
from roster.notify.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login

NEW = "new.address@roster.example"
LINK = re.compile(r"/settings/email/(\S+)")


def ask(browser, new_email: str = NEW, password: str = PASSWORD):
    return browser.post(
        "/settings/email",
        data={
            "new_email": new_email,
            "current_password": password,
            "csrf_token": csrf_token(browser, "/settings"),
        },
    )


def mails(db_session, kind: str) -> list[OutboxMessage]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


def confirm(client, token: str):
    page = f"/settings/email/{token}"
    return client.post(page, data={"csrf_token": csrf_token(client, page)})


def token_in(db_session) -> str:
    match = LINK.search(mails(db_session, "email_change")[0].body)
    assert match
    return match.group(1)


def test_nothing_changes_before_confirmation(auth, make_expert, db_session, app):
    expert = make_expert()
    user = db_session.get(User, expert.user_id)
    old, version = user.email, expert.version
    browser = auth.page(expert)
    assert ask(browser).status_code == 302
    db_session.expire_all()
    assert db_session.get(User, user.id).email == old
    assert [m.to_address for m in mails(db_session, "email_change")] == [NEW]
    assert [m.to_address for m in mails(db_session, "email_change_notice")] == [old]
    assert NEW in browser.get("/settings").get_data(as_text=True)  # shown as waiting
    token = token_in(db_session)
    opened = app.test_client().get(f"/settings/email/{token}")
    assert opened.status_code == 200
    db_session.expire_all()
    assert db_session.get(User, user.id).email == old  # opening the link changes nothing
    assert confirm(app.test_client(), token).status_code == 302
    db_session.expire_all()
    assert db_session.get(User, user.id).email == NEW
    profile = db_session.get(Expert, expert.id)
    assert (profile.email, profile.version) == (NEW, version + 1)  # the profile follows
    assert [m.to_address for m in mails(db_session, "email_changed")] == [old]
    again = app.test_client()
    used = again.post(f"/settings/email/{token}", data={"csrf_token": csrf_token(again)})
    assert used.status_code == 410  # single use
    assert login(app.test_client(), NEW).status_code == 302


def test_the_current_password_is_required(auth, make_user, db_session):
    user = make_user("lno")
    browser = auth.page(user)
    refused = ask(browser, password="not my password at all")
    assert refused.status_code == 422
    assert "The current password is wrong." in refused.get_data(as_text=True)
    assert mails(db_session, "email_change") == []


def test_a_clash_is_refused_on_asking(auth, make_user, db_session):
    user = make_user("lno")
    other = make_user("lno")
    browser = auth.page(user)
    refused = ask(browser, new_email=other.email.upper())
    assert refused.status_code == 409
    assert "Another account already uses this address." in refused.get_data(as_text=True)
    assert mails(db_session, "email_change") == []


def test_a_clash_with_a_profile_without_account_is_refused(auth, make_user, make_expert):
    user = make_user("lno")
    profile = make_expert(with_user=False)
    refused = ask(auth.page(user), new_email=profile.email)
    assert refused.status_code == 409


def test_a_clash_arising_before_confirmation_is_refused(auth, make_user, db_session, app):
    user = make_user("lno")
    browser = auth.page(user)
    ask(browser)
    token = token_in(db_session)
    make_user("expert", email=NEW)  # someone takes the address meanwhile
    refused = confirm(app.test_client(), token)
    assert refused.status_code == 409
    assert "Another account already uses this address." in refused.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, user.id).email != NEW
