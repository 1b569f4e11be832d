"""The expert's page for one offer: what is asked (names, not codes), the requesting command,
the reply-by with the time left; accepting needs both confirmations (recorded with a time on
the offer), on the page and over the API; an accepted engagement downloads as .ics."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlmodel import select

from roster.reference import taxonomy
from roster.reference.models import Command
from roster.requests.models import Assignment, Offer
from tests.conftest import csrf_token
from tests.support.factories import make_offer, make_request

CONSENT = {"no_conflict": "y", "share_contact": "y"}


@pytest.fixture
def offered(db_session, make_user, make_expert):
    def build(classification: str = "NU"):
        command = db_session.exec(select(Command).order_by(Command.id)).first()
        lno = make_user("lno", clearance="NS")
        req = make_request(
            db_session,
            lno,
            classification=classification,
            command_id=command.id,
            topics={"crsv": 2},
        )
        req.title, req.description = "Mentor the exercise staff", "Referral pathways; CRSV, PoC"
        db_session.add(req)
        db_session.commit()
        expert = make_expert(clearance="NS")
        offer = make_offer(db_session, req, expert, hours=30)
        return SimpleNamespace(req=req, expert=expert, offer=offer, command=command)

    return build


def stored(db_session, offer_id: int) -> Offer:
    db_session.expire_all()
    return db_session.get(Offer, offer_id)


def seats(db_session, offer_id: int) -> list[Assignment]:
    return list(db_session.exec(select(Assignment).where(Assignment.offer_id == offer_id)))


def box(html: str, name: str) -> str:
    """The checkbox input named `name`, as drawn."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


def test_the_offer_page_shows_what_is_asked(auth, db_session, offered):
    case = offered("NR")
    page = auth.page(case.expert).get(f"/offers/{case.offer.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    crsv = taxonomy.topic_names(db_session)["crsv"]
    assert f"{crsv} (2 — practitioner)" in html
    assert "Referral pathways; CRSV, PoC" in html
    assert case.command.name in html
    assert "<dd>NR</dd>" in html
    assert "Mar 1, 2027 – Mar 14, 2027" in html and "Remote" in html  # days for the locale
    assert "(1 d 5 h " in html and " min left)" in html
    assert 'name="no_conflict"' in html and 'name="share_contact"' in html
    assert f'action="/offers/{case.offer.id}/decline"' in html


def test_only_the_expert_opens_their_offer(auth, make_user, make_expert, offered):
    case = offered()
    assert auth.page(make_expert(clearance="NS")).get(f"/offers/{case.offer.id}").status_code == 404
    coordinator = make_user("coordinator", clearance="NS")
    assert auth.page(coordinator).get(f"/offers/{case.offer.id}").status_code == 403


def test_accepting_on_the_page_needs_both_confirmations(auth, db_session, offered):
    case = offered()
    browser = auth.page(case.expert)
    token = csrf_token(browser, f"/offers/{case.offer.id}")
    url = f"/offers/{case.offer.id}/accept"
    refused = browser.post(url, data={"csrf_token": token, "no_conflict": "y"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="share_contact-error"' in html and 'id="no_conflict-error"' not in html
    assert "checked" in box(html, "no_conflict") and "checked" not in box(html, "share_contact")
    assert stored(db_session, case.offer.id).state == "open"
    assert seats(db_session, case.offer.id) == []
    neither = browser.post(url, data={"csrf_token": token})
    assert neither.status_code == 422 and 'id="no_conflict-error"' in neither.get_data(as_text=True)
    assert stored(db_session, case.offer.id).state == "open"


def test_accepting_on_the_page_records_both_answers_with_a_time(auth, db_session, offered):
    case = offered()
    browser = auth.page(case.expert)
    token = csrf_token(browser, f"/offers/{case.offer.id}")
    done = browser.post(f"/offers/{case.offer.id}/accept", data={"csrf_token": token, **CONSENT})
    assert done.status_code == 302
    offer = stored(db_session, case.offer.id)
    assert offer.state == "accepted"
    assert (offer.no_conflict, offer.share_contact, offer.consent_via) == (True, True, "web")
    assert offer.consent_at is not None and offer.consent_at == offer.responded_at
    assert len(seats(db_session, case.offer.id)) == 1


def test_an_old_api_client_still_accepts_and_is_recorded_as_not_asked(
    auth, client, db_session, offered
):
    case = offered()
    answer = client.post(f"/api/v1/offers/{case.offer.id}/accept", headers=auth.bearer(case.expert))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["consent_via"] == "api-legacy" and body["no_conflict"] is None
    offer = stored(db_session, case.offer.id)
    assert (offer.state, offer.consent_via, offer.share_contact) == ("accepted", "api-legacy", None)


def test_an_api_accept_with_both_confirmations_records_them(auth, client, db_session, offered):
    case = offered()
    answer = client.post(
        f"/api/v1/offers/{case.offer.id}/accept",
        json={"no_conflict": True, "share_contact": True},
        headers=auth.bearer(case.expert),
    )
    assert answer.status_code == 200
    offer = stored(db_session, case.offer.id)
    assert (offer.no_conflict, offer.share_contact, offer.consent_via) == (True, True, "api")
    assert offer.consent_at is not None


@pytest.mark.parametrize(
    "body",
    [
        {"no_conflict": True},
        {"no_conflict": True, "share_contact": False},
        {"no_conflict": "yes", "share_contact": True},
        {"no_conflict": 1, "share_contact": 1},
    ],
)
def test_an_api_accept_with_a_confirmation_missing_is_422_and_writes_nothing(
    auth, client, db_session, offered, body
):
    case = offered()
    answer = client.post(
        f"/api/v1/offers/{case.offer.id}/accept", json=body, headers=auth.bearer(case.expert)
    )
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["fields"]
    assert stored(db_session, case.offer.id).state == "open"
    assert seats(db_session, case.offer.id) == []


def accept_by_api(client, auth, case) -> None:
    answer = client.post(
        f"/api/v1/offers/{case.offer.id}/accept",
        json={"no_conflict": True, "share_contact": True},
        headers=auth.bearer(case.expert),
    )
    assert answer.status_code == 200


def test_an_accepted_engagement_downloads_as_ics(auth, client, db_session, offered):
    case = offered()
    browser = auth.page(case.expert)
    assert browser.get(f"/offers/{case.offer.id}/engagement.ics").status_code == 404
    accept_by_api(client, auth, case)
    page = browser.get(f"/offers/{case.offer.id}").get_data(as_text=True)
    assert f'href="/offers/{case.offer.id}/engagement.ics"' in page
    answer = browser.get(f"/offers/{case.offer.id}/engagement.ics")
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    assert "attachment" in answer.headers["Content-Disposition"]
    text = answer.get_data(as_text=True)
    lines = text.split("\r\n")
    assert (
        lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "" and "\n" not in text.replace("\r\n", "")
    )
    assert text.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20270301" in lines and "DTEND;VALUE=DATE:20270315" in lines
    assert "SUMMARY:Mentor the exercise staff" in lines
    held = seats(db_session, case.offer.id)[0]
    assert f"UID:engagement-{held.id}@roster" in lines


def test_a_classified_engagement_has_no_title_in_its_calendar_file(
    auth, client, db_session, offered
):
    case = offered("NR")
    accept_by_api(client, auth, case)
    text = (
        auth.page(case.expert).get(f"/offers/{case.offer.id}/engagement.ics").get_data(as_text=True)
    )
    assert f"SUMMARY:Roster engagement #{case.req.id}\r\n" in text
    assert "Mentor" not in text and "Referral" not in text


def test_nobody_else_downloads_the_calendar_file(auth, client, make_expert, make_user, offered):
    case = offered()
    accept_by_api(client, auth, case)
    url = f"/offers/{case.offer.id}/engagement.ics"
    assert auth.page(make_expert(clearance="NS")).get(url).status_code == 404
    assert auth.page(make_user("coordinator", clearance="NS")).get(url).status_code == 403
