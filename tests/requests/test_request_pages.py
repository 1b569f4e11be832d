"""Request, candidate and offer pages: who may open them, form errors that keep what was typed,
the coordinators' queue, the hard-rule warning before offers, answering offers, contact details."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import select

from roster.accounts.models import User
from roster.db import today, utcnow
from roster.reference.models import Command
from roster.requests import forms, offers, services
from roster.requests.models import (
    LOG_KINDS,
    MODES,
    OFFER_STATES,
    REQUEST_KINDS,
    URGENCIES,
    CrisisRequest,
    Offer,
)
from roster.requests.workflow import STATES
from tests.conftest import csrf_token
from tests.experts.test_profile_pages import form_fields

CLEARED = {"clearance": "NS", "clearance_expires_on": date(2030, 1, 1)}

# Both confirmations of the accept form, ticked.
CONSENT = {"no_conflict": "y", "share_contact": "y"}


def request_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "CRSV advice for the exercise",
        "description": "Mentoring during the command post exercise.",
        "kind": "exercise",
        "classification": "NR",
        "required_clearance": "NR",
        "urgency": "priority",
        "starts_on": today() + timedelta(days=30),
        "ends_on": today() + timedelta(days=35),
        "mode": "remote",
        "seats": 1,
        "topics": [{"code": "crsv", "min_level": 3}],
        "languages": [{"code": "en", "min_level": "C1"}],
        "regions": ["IQ"],
    }
    return data | overrides


@pytest.fixture
def raise_request(db_session):
    """Raise a request as `actor` and take it through `actions` (a factory, committed)."""

    def make(actor, *actions: str, **overrides: Any) -> CrisisRequest:
        req = services.create_request(
            session=db_session, actor=actor, data=request_data(**overrides), today=today()
        )
        for action in actions:
            who = None if action in {"staff", "reopen"} else actor
            services.apply_action(session=db_session, actor=who, request=req, action=action)
        db_session.commit()
        return req

    return make


def offer_to(db_session, coordinator, req, *experts) -> list[Offer]:
    sent = offers.send_offers(
        session=db_session,
        actor=coordinator,
        request=req,
        expert_ids=[e.id for e in experts],
        respond_by=utcnow() + timedelta(hours=48),
        today=today(),
    )
    db_session.commit()
    return sent


def test_every_code_has_a_label():
    assert set(forms.KIND_LABELS) == set(REQUEST_KINDS)
    assert set(forms.STATE_LABELS) == set(STATES)
    assert set(forms.URGENCY_LABELS) == set(URGENCIES)
    assert set(forms.MODE_LABELS) == set(MODES)
    assert set(forms.LOG_KIND_LABELS) == set(LOG_KINDS)
    assert set(forms.OFFER_STATE_LABELS) == set(OFFER_STATES)


@pytest.mark.parametrize(
    "url", ["/requests", "/requests/new", "/requests/1", "/requests/1/candidates", "/offers"]
)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_only_staff_raise_requests_and_only_coordinators_see_candidates(
    auth, make_user, make_expert, raise_request
):
    coordinator = make_user("coordinator", **CLEARED)
    lno = make_user("lno", **CLEARED)
    expert = make_expert(clearance="NS")
    admin = make_user("admin")
    req = raise_request(lno, "submit")
    for who in (expert, admin):
        assert auth.page(who).get("/requests/new").status_code == 403
    assert auth.page(expert).get(f"/requests/{req.id}/candidates").status_code == 403
    assert auth.page(lno).get(f"/requests/{req.id}/candidates").status_code == 403
    assert auth.page(lno).get("/requests/new").status_code == 200
    assert auth.page(coordinator).get("/requests/new").status_code == 200
    assert auth.page(lno).get("/offers").status_code == 403


def test_lno_sees_own_and_command_requests_only(auth, db_session, make_user, raise_request):
    a, b = db_session.exec(select(Command.id).order_by(Command.id).limit(2)).all()
    mine, colleague, other = (make_user("lno", **CLEARED) for _ in range(3))
    for user, command in ((mine, a), (colleague, a), (other, b)):
        user.command_id = command
        db_session.add(user)
    db_session.commit()
    own = raise_request(mine, title="Our own request")
    theirs = raise_request(other, title="Another command's request")
    client = auth.page(colleague)
    page = client.get("/requests").get_data(as_text=True)
    assert "Our own request" in page
    assert "Another command&#39;s request" not in page
    assert "1 request" in page
    assert client.get(f"/requests/{own.id}").status_code == 200
    assert client.get(f"/requests/{theirs.id}").status_code == 404


def test_a_request_above_the_viewers_clearance_is_hidden(auth, make_user, raise_request):
    senior = make_user("coordinator", **CLEARED)
    junior = make_user("coordinator", clearance="NR", clearance_expires_on=date(2030, 1, 1))
    secret = raise_request(
        senior, title="Secret tasking", classification="NS", required_clearance="NS"
    )
    raise_request(senior, title="Restricted tasking")
    client = auth.page(junior)
    page = client.get("/requests").get_data(as_text=True)
    assert "Secret tasking" not in page
    assert "Restricted tasking" in page
    assert "1 request" in page
    assert client.get(f"/requests/{secret.id}").status_code == 404
    assert "2 requests" in auth.page(senior).get("/requests").get_data(as_text=True)


def test_admins_see_no_requests(auth, make_user, raise_request):
    coordinator = make_user("coordinator", **CLEARED)
    admin = make_user("admin", **CLEARED)
    req = raise_request(coordinator)
    client = auth.page(admin)
    page = client.get("/requests").get_data(as_text=True)
    assert "0 requests" in page
    assert req.title not in page
    assert client.get(f"/requests/{req.id}").status_code == 404


def test_lno_raises_a_request_and_submits_it(auth, make_user):
    lno = make_user("lno", **CLEARED)
    client = auth.page(lno)
    data = form_fields(client.get("/requests/new").get_data(as_text=True))
    data.update(
        {
            "title": "Gender advice for Exercise North",
            "kind": "exercise",
            "classification": "NR",
            "required_clearance": "NR",
            "starts_on": str(today() + timedelta(days=20)),
            "ends_on": str(today() + timedelta(days=25)),
            "seats": "2",
            "languages-0-code": "fr",
            "languages-0-level": "B2",
            "regions": "ML",
            "topics-0-code": "crsv",
            "topics-0-level": "3",
        }
    )
    response = client.post("/requests/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gender advice for Exercise North" in page
    assert "level 3 or more" in page and "Mali" in page and "French" in page
    token = csrf_token(client, response.headers["Location"])
    shown = client.post(
        response.headers["Location"] + "/actions/submit",
        data={"csrf_token": token, "note": "Ready for triage."},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Submitted</strong>" in shown
    assert "Ready for triage." in shown


def test_form_errors_appear_beside_fields_and_keep_what_was_typed(auth, make_user, raise_request):
    lno = make_user("lno", clearance="NR", clearance_expires_on=date(2030, 1, 1))
    client = auth.page(lno)
    data = form_fields(client.get("/requests/new").get_data(as_text=True))
    data.update(
        {
            "title": "Typed <b>title</b>",
            "description": "Typed description",
            "classification": "NS",
            "required_clearance": "NR",
            "starts_on": "2027-05-10",
            "ends_on": "2027-05-01",
            "regions": "IQ",
        }
    )
    response = client.post("/requests/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="classification-error"' in page
    assert 'id="required_clearance-error"' in page
    assert 'id="ends_on-error"' in page
    assert "The end date is before the start date." in page
    assert 'value="Typed &lt;b&gt;title&lt;/b&gt;"' in page
    assert "Typed description" in page
    assert 'value="2027-05-01"' in page
    assert re.search(r'<option selected value="IQ"|<option value="IQ" selected', page)
    draft = raise_request(lno)
    edit = form_fields(client.get(f"/requests/{draft.id}/edit").get_data(as_text=True))
    assert edit["title"] == draft.title
    edit.update({"title": "Edited title", "ends_on": "2020-01-01"})
    page = client.post(f"/requests/{draft.id}/edit", data=edit).get_data(as_text=True)
    assert 'id="ends_on-error"' in page and 'value="Edited title"' in page


def test_coordinator_queue_puts_overdue_requests_first(auth, db_session, make_user, raise_request):
    coordinator = make_user("coordinator", **CLEARED)
    lno = make_user("lno", **CLEARED)
    fresh = raise_request(lno, "submit", title="Fresh routine request", urgency="routine")
    late = raise_request(lno, "submit", title="Late immediate request", urgency="immediate")
    late.submitted_at = utcnow() - timedelta(hours=6)
    db_session.add(late)
    db_session.commit()
    page = auth.page(coordinator).get("/requests").get_data(as_text=True)
    assert page.index("Late immediate request") < page.index("Fresh routine request")
    late_row = page[page.index("Late immediate request") : page.index("Fresh routine request")]
    assert "Overdue" in late_row
    assert "6 h of 4 h (150%)" in late_row
    assert "Overdue" not in page[page.index("Fresh routine request") :]
    lno_page = auth.page(lno).get("/requests").get_data(as_text=True)
    assert "Overdue" not in lno_page and fresh.title in lno_page


def test_candidates_page_warns_about_a_hard_rule_and_sends_nothing(
    auth, db_session, make_user, make_expert, raise_request
):
    coordinator = make_user("coordinator", **CLEARED)
    req = raise_request(coordinator, "submit", "triage")
    good = make_expert(clearance="NS", full_name="Amal Cleared", topics={"crsv": 4})
    bad = make_expert(clearance="NS", full_name="Pending Person", vetting="pending")
    client = auth.page(coordinator)
    url = f"/requests/{req.id}/candidates"
    page = client.get(url).get_data(as_text=True)
    assert "Amal Cleared" in page and f'/experts/{good.id}"' in page
    assert "Pending Person" not in page
    data = form_fields(page)
    assert data["respond_by"]
    excluded = client.get(url + "?explain=excluded").get_data(as_text=True)
    assert "Pending Person" in excluded and "not vetted" in excluded
    data["expert_ids"] = [str(good.id), str(bad.id)]
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "No offers were sent." in page
    assert "Pending Person: not vetted, or vetting expired" in page
    assert f'value="{good.id}" id="pick-{good.id}" checked' in page
    assert f'value="{bad.id}" id="also-{bad.id}" checked' in page
    assert db_session.exec(select(Offer)).all() == []
    data["expert_ids"] = [str(good.id)]
    response = client.post(url, data=data)
    assert response.status_code == 302
    db_session.expire_all()
    assert [o.expert_id for o in db_session.exec(select(Offer)).all()] == [good.id]


def test_expert_accepts_and_declines_offers_and_sees_a_full_request(
    auth, db_session, make_user, make_expert, raise_request
):
    coordinator = make_user("coordinator", **CLEARED)
    req = raise_request(coordinator, "submit", "triage", title="One seat only")
    first, second = make_expert(clearance="NS"), make_expert(clearance="NS")
    other = raise_request(coordinator, "submit", "triage", title="Declined request")
    (offer_one,) = offer_to(db_session, coordinator, req, first)
    (offer_two,) = offer_to(db_session, coordinator, req, second)
    (offer_three,) = offer_to(db_session, coordinator, other, second)

    client = auth.page(first)
    page = client.get("/offers").get_data(as_text=True)
    assert "One seat only" in page and "Remote" in page and "then accept" in page
    token = csrf_token(client, "/offers")
    response = client.post(f"/offers/{offer_one.id}/accept", data={"csrf_token": token, **CONSENT})
    assert response.status_code == 302
    assert "Accepted" in client.get("/offers").get_data(as_text=True)

    client = auth.page(second)
    token = csrf_token(client, "/offers")
    response = client.post(f"/offers/{offer_two.id}/accept", data={"csrf_token": token, **CONSENT})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="offer-problem"' in page and "This offer is withdrawn." in page
    response = client.post(
        f"/offers/{offer_three.id}/decline", data={"csrf_token": token, "reason": ""}
    )
    assert response.status_code == 422
    assert f'id="reason-{offer_three.id}-error"' in response.get_data(as_text=True)
    response = client.post(
        f"/offers/{offer_three.id}/decline",
        data={"csrf_token": token, "reason": "On leave that week."},
        follow_redirects=True,
    )
    assert "Declined" in response.get_data(as_text=True)
    assert "On leave that week." in response.get_data(as_text=True)
    other_expert = make_expert(clearance="NS")
    client = auth.page(other_expert)
    token = csrf_token(client, "/offers")
    assert (
        client.post(
            f"/offers/{offer_three.id}/accept", data={"csrf_token": token, **CONSENT}
        ).status_code
        == 404
    )


def test_lno_sees_contact_details_only_after_acceptance(
    auth, db_session, make_user, make_expert, raise_request
):
    coordinator = make_user("coordinator", **CLEARED)
    lno, colleague = make_user("lno", **CLEARED), make_user("lno", **CLEARED)
    command = db_session.exec(select(Command.id)).first()
    for user in (lno, colleague):
        user.command_id = command
        db_session.add(user)
    db_session.commit()
    req = raise_request(lno, "submit")
    services.apply_action(session=db_session, actor=coordinator, request=req, action="triage")
    db_session.commit()
    expert = make_expert(clearance="NS", full_name="Nadia Contact")
    (offer,) = offer_to(db_session, coordinator, req, expert)

    client = auth.page(lno)
    before = client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert expert.email not in before and "Nadia Contact" not in before

    expert_client = auth.page(expert)
    token = csrf_token(expert_client, "/offers")
    assert (
        expert_client.post(
            f"/offers/{offer.id}/accept", data={"csrf_token": token, **CONSENT}
        ).status_code
        == 302
    )
    after = client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "Nadia Contact" in after and expert.email in after and expert.phone in after
    assert "Staffed</strong>" in after
    seen_by_colleague = auth.page(colleague).get(f"/requests/{req.id}")
    assert "Nadia Contact" in seen_by_colleague.get_data(as_text=True)
    assert expert.email not in seen_by_colleague.get_data(as_text=True)
    assert expert.email in auth.page(coordinator).get(f"/requests/{req.id}").get_data(as_text=True)


def test_engagement_log_and_feedback_after_completion(
    auth, db_session, make_user, make_expert, raise_request
):
    coordinator = make_user("coordinator", **CLEARED)
    lno = make_user("lno", **CLEARED)
    req = raise_request(lno, "submit")
    services.apply_action(session=db_session, actor=coordinator, request=req, action="triage")
    db_session.commit()
    expert = make_expert(clearance="NS", full_name="Rated Expert")
    (offer,) = offer_to(db_session, coordinator, req, expert)
    offers.accept_offer(
        session=db_session, actor=db_session.get(User, expert.user_id), offer_id=offer.id
    )
    db_session.commit()

    client = auth.page(lno)
    token = csrf_token(client, f"/requests/{req.id}")
    client.post(f"/requests/{req.id}/actions/start", data={"csrf_token": token})
    response = client.post(
        f"/requests/{req.id}/log", data={"csrf_token": token, "kind": "note", "summary": ""}
    )
    assert 'id="summary-error"' in response.get_data(as_text=True)
    client.post(
        f"/requests/{req.id}/log",
        data={"csrf_token": token, "kind": "deliverable", "summary": "Briefing pack delivered."},
    )
    client.post(f"/requests/{req.id}/actions/complete", data={"csrf_token": token})
    page = client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "Briefing pack delivered." in page and "Completed</strong>" in page
    prefix = f"expert-{expert.id}"
    response = client.post(
        f"/requests/{req.id}/feedback/experts/{expert.id}",
        data={
            f"{prefix}-csrf_token": token,
            f"{prefix}-rating": "5",
            f"{prefix}-comment": "Superb",
        },
        follow_redirects=True,
    )
    assert "Thank you" in response.get_data(as_text=True)
    expert_client = auth.page(expert)
    token = csrf_token(expert_client, f"/requests/{req.id}")
    expert_client.post(
        f"/requests/{req.id}/feedback",
        data={"csrf_token": token, "clarity": "4", "usefulness": "3", "comment": "Clear tasking"},
    )
    page = auth.page(coordinator).get(f"/requests/{req.id}").get_data(as_text=True)
    assert "Superb" in page and "Clear tasking" in page and "rating 5 of 5" in page
