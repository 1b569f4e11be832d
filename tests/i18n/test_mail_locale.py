"""Mail and notifications are written in their recipient's language, whoever caused them and
in whatever language that person works: here an English LNO submits, one coordinator reads
French and one English, and the French one's mail reaches the SMTP server in French."""

from __future__ import annotations

from email import message_from_string
from email.policy import default

import pytest
from sqlmodel import select

from roster.notify.models import Notification, OutboxMessage
from tests.notify.test_outbox import deliver, smtp_server  # noqa: F401 (the fixture)
from tests.support.factories import make_request

TITLE = "Opération Kestrel"


@pytest.fixture
def people(make_user, db_session):
    french = make_user("coordinator", clearance="NS")
    french.locale = "fr"
    db_session.add(french)
    db_session.commit()
    return {
        "lno": make_user("lno", clearance="NS"),
        "fr": french,
        "en": make_user("coordinator", clearance="NS"),
    }


def submit(client, auth, db_session, lno, classification="NU"):
    found = make_request(db_session, lno, state="draft", classification=classification)
    found.title = TITLE
    db_session.add(found)
    db_session.commit()
    response = client.post(
        f"/api/v1/requests/{found.id}/actions/submit",
        json={"note": "As agreed."},
        headers={**auth.bearer(lno), "Accept-Language": "en"},
    )
    assert response.status_code == 200, response.get_json()
    db_session.expire_all()
    return found


def mail_to(db_session, user) -> OutboxMessage:
    return db_session.exec(
        select(OutboxMessage).where(OutboxMessage.to_address == user.email)
    ).one()


def note_of(db_session, user) -> Notification:
    return db_session.exec(select(Notification).where(Notification.user_id == user.id)).one()


def test_each_coordinator_is_told_in_their_own_language(client, auth, db_session, people):
    found = submit(client, auth, db_session, people["lno"])
    french, english = mail_to(db_session, people["fr"]), mail_to(db_session, people["en"])
    assert french.subject == f"Nouvelle demande {found.id} (prioritaire) : {TITLE}"
    assert french.body.startswith(f"Bonjour {people['fr'].full_name},")
    assert "Connectez-vous pour la voir" in french.body
    assert english.subject == f"New request {found.id} (priority): {TITLE}"
    assert english.body.startswith("Hello ")
    # The in-app subject is composed in the recipient's language when it is made, and kept.
    assert note_of(db_session, people["fr"]).subject.startswith("Nouvelle demande")
    assert note_of(db_session, people["en"]).subject.startswith("New request")


def test_french_mail_about_a_classified_request_still_names_nothing(
    client, auth, db_session, people
):
    found = submit(client, auth, db_session, people["lno"], classification="NR")
    french = mail_to(db_session, people["fr"])
    assert french.subject == f"Nouvelle demande {found.id}"
    assert TITLE not in french.body and "Bonjour" in french.body


def test_the_french_mail_arrives_in_french_over_smtp(
    app,
    client,
    auth,
    db_session,
    people,
    smtp_server,  # noqa: F811
):
    handler, port = smtp_server
    submit(client, auth, db_session, people["lno"])
    assert deliver(app, port).sent == 2
    received = [message_from_string(raw, policy=default) for raw in handler.received]
    (french,) = [m for m in received if m["To"] == people["fr"].email]
    assert str(french["Subject"]).startswith("Nouvelle demande")
    assert "Bonjour" in french.get_content() and "Connectez-vous" in french.get_content()


def test_a_password_reset_mail_is_in_the_account_owners_language(app, db_session, people):
    from roster.accounts import reset

    with app.test_request_context(headers={"Accept-Language": "en"}):
        reset.request_reset(session=db_session, email=people["fr"].email, base_url="http://x")
    db_session.flush()
    mail = mail_to(db_session, people["fr"])
    assert mail.subject == "Réinitialisez votre mot de passe Roster"


def test_the_cli_reminder_reaches_a_french_expert_in_french(
    app, make_user, make_expert, db_session
):
    # The worker and `flask roster send-reminders` run with no request: the recipient decides.
    from roster.accounts.models import User
    from tests.support.factories import make_offer

    found = make_request(db_session, make_user("coordinator", clearance="NS"))
    expert = make_expert(clearance="NS")
    account = db_session.get(User, expert.user_id)
    account.locale = "fr"
    db_session.add(account)
    db_session.commit()
    make_offer(db_session, found, expert, hours=5)
    result = app.test_cli_runner().invoke(args=["roster", "send-reminders"])
    assert "1 offer reminder(s)" in result.output, result.output
    db_session.expire_all()
    (mail,) = db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).all()
    assert mail.subject.startswith("Rappel : ")
    assert "attend votre réponse jusqu'au" in mail.body and " UTC" in mail.body
