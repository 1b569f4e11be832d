"""A user's own notifications: notify() mails by the user's choice, the API pages and filters
them and marks them read (someone else's is 404), the page lists them, marks them read and sets
the mail choice, and the header counts the unread."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from roster.accounts.models import User
from roster.db import utcnow
from roster.notify.models import Notification, OutboxMessage
from roster.notify.notifications import PLAIN_SUBJECT, notify
from roster.notify.presenters import HIDDEN_SUBJECT
from tests.conftest import csrf_token
from tests.support.factories import make_request


def tell(db_session, user, count: int = 1, **kwargs) -> list[Notification]:
    made = []
    start = utcnow() - timedelta(hours=count)
    for i in range(count):
        (note,) = notify(
            db_session,
            users=[user],
            kind=kwargs.get("kind", "request_triaged"),
            subject=f"Number {i}",
            link="/requests",
            request_id=kwargs.get("request_id"),
        )
        note.created_at = start + timedelta(minutes=i)
        made.append(note)
    db_session.commit()
    return made


def test_notify_mails_only_those_who_want_mail_and_names_nothing(db_session, make_user):
    keen, quiet = make_user("lno"), make_user("lno")
    quiet.notify_by_email = False
    db_session.add(quiet)
    notify(
        db_session,
        users=[keen, quiet, keen],
        kind="request_triaged",
        subject="Secret title",
        link="/requests/1",
    )
    db_session.commit()
    assert len(db_session.exec(select(Notification)).all()) == 2  # once each, duplicates dropped
    (mail,) = db_session.exec(select(OutboxMessage)).all()
    assert mail.to_address == keen.email
    assert mail.subject == PLAIN_SUBJECT and "Secret title" not in mail.body
    assert mail.body.rstrip().endswith("/requests/1")


def test_inactive_users_are_not_notified(db_session, make_user):
    gone = make_user("lno", active=False)
    assert notify(db_session, users=[gone], kind="request_triaged", subject="x", link="/") == []


def test_api_pages_newest_first(client, auth, db_session, make_user):
    user = make_user("lno")
    tell(db_session, user, 25)
    tell(db_session, make_user("lno"), 3)  # someone else's: never listed
    body = client.get(
        "/api/v1/notifications?page=3&per_page=10", headers=auth.bearer(user)
    ).get_json()
    assert (body["total"], body["page"], body["per_page"]) == (25, 3, 10)
    assert [n["subject"] for n in body["items"]] == [f"Number {i}" for i in (4, 3, 2, 1, 0)]
    first = client.get("/api/v1/notifications", headers=auth.bearer(user)).get_json()
    assert first["items"][0]["subject"] == "Number 24"
    assert set(first["items"][0]) == {
        "id",
        "kind",
        "subject",
        "link",
        "request_id",
        "created_at",
        "read_at",
    }


def test_api_bad_paging_is_422(client, auth, make_user):
    response = client.get("/api/v1/notifications?per_page=500", headers=auth.bearer(make_user()))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"]


def test_api_marks_read_and_filters_unread(client, auth, db_session, make_user):
    user = make_user("lno")
    first, second = tell(db_session, user, 2)
    headers = auth.bearer(user)
    read = client.post(f"/api/v1/notifications/{first.id}/read", headers=headers)
    assert read.status_code == 200
    assert read.get_json()["read_at"] is not None
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).get_json()
    assert [n["id"] for n in unread["items"]] == [second.id] and unread["total"] == 1
    everything = client.get("/api/v1/notifications?unread=false", headers=headers).get_json()
    assert everything["total"] == 2
    done = client.post("/api/v1/notifications/read-all", headers=headers)
    assert done.status_code == 200 and done.get_json() == {"marked": 1}
    assert client.get("/api/v1/notifications?unread=true", headers=headers).get_json()["total"] == 0


def test_someone_elses_notification_is_404(client, auth, db_session, make_user):
    (theirs,) = tell(db_session, make_user("lno"))
    me = make_user("lno")
    response = client.post(f"/api/v1/notifications/{theirs.id}/read", headers=auth.bearer(me))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    missing = client.post("/api/v1/notifications/999999/read", headers=auth.bearer(me))
    assert missing.status_code == 404
    db_session.expire_all()
    assert db_session.get(Notification, theirs.id).read_at is None


def test_a_request_the_reader_may_no_longer_see_is_not_named(client, auth, db_session, make_user):
    lno = make_user("lno", clearance="NS")
    found = make_request(db_session, lno, classification="NS", required="NS")
    tell(db_session, lno, 1, request_id=found.id)
    headers = auth.bearer(lno)
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert body["items"][0]["subject"] == "Number 0"
    lno.clearance_level = "NR"
    db_session.add(lno)
    db_session.commit()
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert body["items"][0]["subject"] == HIDDEN_SUBJECT


def test_page_lists_marks_read_and_the_header_counts_unread(auth, db_session, make_user):
    user = make_user("lno")
    first, _second, _third = tell(db_session, user, 3)
    browser = auth.page(user)
    home = browser.get("/").get_data(as_text=True)
    assert "3 unread" in home and 'href="/notifications"' in home
    page = browser.get("/notifications").get_data(as_text=True)
    assert page.index("Number 2") < page.index("Number 0")  # newest first
    token = csrf_token(browser, "/notifications")
    assert browser.post(f"/notifications/{first.id}/read").status_code == 400  # no CSRF token
    marked = browser.post(f"/notifications/{first.id}/read", data={"csrf_token": token})
    assert marked.status_code == 302
    assert "2 unread" in browser.get("/").get_data(as_text=True)
    unread_only = browser.get("/notifications?unread=1").get_data(as_text=True)
    assert "Number 0" not in unread_only and "Number 1" in unread_only
    browser.post("/notifications/read-all", data={"csrf_token": token})
    assert "unread" not in browser.get("/").get_data(as_text=True).split("</header>")[0]


def test_page_refuses_someone_elses_notification(auth, db_session, make_user):
    (theirs,) = tell(db_session, make_user("lno"))
    browser = auth.page(make_user("lno"))
    token = csrf_token(browser, "/notifications")
    assert (
        browser.post(f"/notifications/{theirs.id}/read", data={"csrf_token": token}).status_code
        == 404
    )


def test_page_sets_the_mail_choice(auth, db_session, make_user):
    user = make_user("expert")
    browser = auth.page(user)
    token = csrf_token(browser, "/notifications")
    assert browser.post("/notifications/mail", data={"csrf_token": token}).status_code == 302
    db_session.expire_all()
    assert db_session.get(User, user.id).notify_by_email is False
    browser.post("/notifications/mail", data={"csrf_token": token, "notify_by_email": "y"})
    db_session.expire_all()
    assert db_session.get(User, user.id).notify_by_email is True
    assert "checked" in browser.get("/notifications").get_data(as_text=True)


def test_the_expert_home_points_to_unread_notifications(auth, db_session, make_expert):
    expert = make_expert(clearance="NS")
    user = db_session.get(User, expert.user_id)
    browser = auth.page(user)
    assert "unread notification" not in browser.get("/").get_data(as_text=True)
    tell(db_session, user, 1, kind="offer_received")
    home = browser.get("/").get_data(as_text=True)
    assert "You have 1 unread notification" in home
    assert 'href="/notifications?unread=1"' in home
