"""Inviting profile owners from the pages: the profile's button and account state, the vetting
queue's "Invite selected", and the imported rows after an import."""

from __future__ import annotations

import io
import re

from sqlmodel import func, select

from roster.accounts.models import Invitation, User
from roster.experts.models import Expert
from roster.imports.models import ImportBatch
from roster.notify.models import OutboxMessage
from tests.conftest import api_token, csrf_token

NEW_PASSWORD = "a good long passphrase indeed"


def count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.exec(select(func.count()).select_from(model)).one()


def test_the_profile_offers_the_invitation_then_shows_invited_then_active(
    auth, client, make_user, make_expert, db_session
):
    expert = make_expert(with_user=False)
    browser = auth.page(make_user("coordinator"))
    page = browser.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "No account" in page and "Invite to the roster" in page
    token = csrf_token(browser, f"/experts/{expert.id}")
    sent = browser.post(f"/experts/{expert.id}/invitation", data={"csrf_token": token})
    assert sent.status_code == 200
    html = sent.get_data(as_text=True)
    link = re.search(r"/invitations/([\w-]+)", html)
    assert link and expert.email in html
    page = browser.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "Invited on " in page and "Send a new invitation" in page
    accepted = client.post(
        f"/api/v1/invitations/{link.group(1)}/accept", json={"password": NEW_PASSWORD}
    )
    assert accepted.status_code == 200
    page = browser.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "Active account" in page and "Invite to the roster" not in page
    again = browser.post(f"/experts/{expert.id}/invitation", data={"csrf_token": token})
    assert again.status_code == 302  # back to the profile, with the reason
    assert "already has an active account" in browser.get(again.headers["Location"]).get_data(
        as_text=True
    )


def test_the_profile_says_why_nobody_can_be_invited(auth, make_user, make_expert, db_session):
    expert = make_expert(with_user=False)
    expert.email = None
    db_session.add(expert)
    db_session.commit()
    page = auth.page(make_user("coordinator")).get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "no e-mail address" in page and "Invite to the roster" not in page


def test_lnos_and_experts_see_no_account_section(auth, make_user, make_expert):
    expert = make_expert()
    for who in (expert, make_user("lno")):
        page = auth.page(who).get(f"/experts/{expert.id}").get_data(as_text=True)
        assert 'id="account-state"' not in page and "Invite to the roster" not in page


def test_invite_selected_on_the_queue_invites_each_and_lists_the_refused(
    auth, make_user, make_expert, db_session
):
    fine = make_expert(with_user=False, vetting="pending", full_name="Fine Person")
    no_mail = make_expert(with_user=False, vetting="pending", full_name="Nomail Person")
    no_mail.email = None
    db_session.add(no_mail)
    db_session.commit()
    settled = make_expert(vetting="pending", full_name="Settled Person")
    browser = auth.page(make_user("coordinator"))
    queue = browser.get("/vetting").get_data(as_text=True)
    assert f'id="invite-{fine.id}"' in queue and f'id="invite-{settled.id}"' not in queue
    assert "Invite selected" in queue
    token = csrf_token(browser, "/vetting")
    response = browser.post(
        "/vetting/invitations",
        data={"csrf_token": token, "expert_ids": [fine.id, no_mail.id, settled.id, 999_999]},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Invited: 1." in html and "Not invited: 3." in html
    refused = html.split('id="refused"')[1]
    assert "Nomail Person" in refused and "no e-mail address" in refused
    assert "Settled Person" in refused and "already has an active account" in refused
    assert "#999999" in refused
    db_session.expire_all()
    assert db_session.get(Expert, fine.id).user_id is not None
    assert db_session.get(Expert, no_mail.id).user_id is None
    assert count(db_session, Invitation) == 1 and count(db_session, OutboxMessage) == 1


def test_invite_selected_without_a_tick_goes_back_with_a_message(auth, make_user, make_expert):
    make_expert(with_user=False, vetting="pending")
    browser = auth.page(make_user("coordinator"))
    token = csrf_token(browser, "/vetting")
    response = browser.post("/vetting/invitations", data={"csrf_token": token})
    assert response.status_code == 302
    assert "Tick at least one expert" in browser.get("/vetting").get_data(as_text=True)


def test_invite_selected_needs_the_csrf_token(auth, make_user, make_expert, db_session):
    expert = make_expert(with_user=False, vetting="pending")
    browser = auth.page(make_user("coordinator"))
    response = browser.post("/vetting/invitations", data={"expert_ids": [expert.id]})
    assert response.status_code == 400
    assert count(db_session, Invitation) == 0


CSV = (
    "email,full_name,gender,nationalities,topics,languages,regions,deployable\n"
    "first.import@example.org,First Import,woman,UA,crsv:2,en:C1,UA,yes\n"
    "second.import@example.org,Second Import,man,FR,poc:2,fr:C1,ML,no\n"
    "already@roster.example,Already Here,woman,FR,crsv:2,en:C1,UA,no\n"
)


def test_the_imported_rows_can_be_invited_right_after_the_import(
    auth, client, make_user, make_expert, db_session
):
    existing = make_expert(with_user=False, full_name="Already Here")
    existing.email = "already@roster.example"
    db_session.add(existing)
    db_session.commit()
    browser = auth.page(make_user("coordinator"))
    token = csrf_token(browser, "/reports/import")
    uploaded = browser.post(
        "/reports/import",
        data={"file": (io.BytesIO(CSV.encode()), "experts.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    batch_url = uploaded.headers["Location"]
    token = csrf_token(browser, batch_url)
    assert browser.post(f"{batch_url}/confirm", data={"csrf_token": token}).status_code == 303
    page = browser.get(batch_url).get_data(as_text=True)
    imported = page.split('id="imported"')[1]
    assert "First Import" in imported and "Second Import" in imported
    assert "Already Here" not in imported  # a duplicate row, not created by this import
    first = db_session.exec(select(Expert).where(Expert.full_name == "First Import")).one()
    response = browser.post(
        f"{batch_url}/invitations",
        data={"csrf_token": token, "expert_ids": [first.id, existing.id]},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Invited: 1." in html and "did not create were left out" in html
    db_session.expire_all()
    assert db_session.get(Expert, first.id).user_id is not None
    assert db_session.get(Expert, existing.id).user_id is None
    link = re.search(r"/invitations/([\w-]+)", _mail_body(db_session, first.email))
    assert link is not None
    assert (
        client.post(
            f"/api/v1/invitations/{link.group(1)}/accept", json={"password": NEW_PASSWORD}
        ).status_code
        == 200
    )
    bearer = {"Authorization": f"Bearer {api_token(client, first.email, NEW_PASSWORD)}"}
    assert client.get("/api/v1/me", headers=bearer).get_json()["expert_id"] == first.id
    assert client.get("/api/v1/offers", headers=bearer).status_code == 200
    page = browser.get(batch_url).get_data(as_text=True)
    assert "Active account" in page.split('id="imported"')[1]


def test_another_coordinators_import_cannot_be_used_to_invite(
    auth, make_user, make_expert, db_session
):
    owner = make_user("coordinator")
    batch = ImportBatch(
        created_by_id=owner.id,
        filename="x.csv",
        kind="csv",
        sha256="0" * 64,
        content=b"",
        state="applied",
    )
    db_session.add(batch)
    db_session.commit()
    expert = make_expert(with_user=False)
    browser = auth.page(make_user("coordinator"))
    token = csrf_token(browser, "/vetting")
    response = browser.post(
        f"/reports/import/{batch.id}/invitations",
        data={"csrf_token": token, "expert_ids": [expert.id]},
    )
    assert response.status_code == 404
    assert count(db_session, Invitation) == 0


def _mail_body(db_session, address: str) -> str:
    return db_session.exec(
        select(OutboxMessage.body).where(OutboxMessage.to_address == address)
    ).one()


def test_the_users_page_links_an_expert_to_the_profile_with_that_email(
    auth, make_user, make_expert, db_session
):
    expert = make_expert(with_user=False)
    browser = auth.page(make_user("coordinator"))
    token = csrf_token(browser, "/admin/users/invite")
    response = browser.post(
        "/admin/users/invite",
        data={
            "full_name": "Typed Name",
            "email": expert.email.upper(),
            "role": "expert",
            "clearance_level": "",
            "csrf_token": token,
        },
    )
    assert response.status_code == 200
    db_session.refresh(expert)
    user = db_session.get(User, expert.user_id)
    assert user.email == expert.email and user.role == "expert"
    assert count(db_session, Expert) == 1


def test_the_users_page_refuses_an_expert_for_a_deactivated_profile(
    auth, make_user, make_expert, db_session
):
    expert = make_expert(with_user=False, active=False)
    browser = auth.page(make_user("coordinator"))
    token = csrf_token(browser, "/admin/users/invite")
    response = browser.post(
        "/admin/users/invite",
        data={
            "full_name": "Typed Name",
            "email": expert.email,
            "role": "expert",
            "clearance_level": "",
            "csrf_token": token,
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "deactivated" in html and 'value="Typed Name"' in html
    assert count(db_session, User) == 1


def test_a_row_refused_after_its_account_was_written_leaves_nothing_behind(
    auth, make_user, make_expert, db_session
):
    """Two profiles holding one address in different case: the account is made, then the link
    is refused; that row's savepoint takes the account back, the other row is invited."""
    twin = make_expert(with_user=False, vetting="pending", full_name="Twin Lower")
    other_twin = make_expert(with_user=False, vetting="pending", full_name="Twin Upper")
    twin.email, other_twin.email = "twin@roster.example", "TWIN@roster.example"
    db_session.add_all([twin, other_twin])
    db_session.commit()
    fine = make_expert(with_user=False, vetting="pending", full_name="Fine Person")
    browser = auth.page(make_user("coordinator"))
    users_before = count(db_session, User)
    token = csrf_token(browser, "/vetting")
    response = browser.post(
        "/vetting/invitations", data={"csrf_token": token, "expert_ids": [twin.id, fine.id]}
    )
    html = response.get_data(as_text=True)
    assert "Invited: 1." in html and "Two expert profiles hold this e-mail" in html
    assert count(db_session, User) == users_before + 1
    assert db_session.exec(select(User).where(User.email == "twin@roster.example")).first() is None
    assert count(db_session, Invitation) == 1 and count(db_session, OutboxMessage) == 1
