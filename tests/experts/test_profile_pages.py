"""Profile pages: who may open them, form errors that keep what was typed, stale edits."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import csrf_token


def form_fields(html: str) -> dict[str, str]:
    """The submitted values of a rendered form (inputs, selected options, textareas)."""
    data: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html):
        data[name] = value
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(
            r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select.group(2)
        )
        if chosen:
            data[select.group(1)] = chosen[0][0] or chosen[0][1]
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\s*(.*?)</textarea>', html, re.S
    ):
        data[name] = value
    return data


def test_expert_edits_their_profile(auth, make_expert):
    expert = make_expert(vetting="vetted")
    client = auth.page(expert)
    page = client.get(f"/experts/{expert.id}/edit").get_data(as_text=True)
    data = form_fields(page)
    data.update({"bio": "Twelve years on CRSV documentation.", "notice_days": "7"})
    response = client.post(f"/experts/{expert.id}/edit", data=data)
    assert response.status_code == 302
    shown = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "Twelve years on CRSV documentation." in shown
    assert "7 days" in shown


def test_form_errors_keep_what_was_typed(auth, make_expert):
    expert = make_expert()
    client = auth.page(expert)
    data = form_fields(client.get(f"/experts/{expert.id}/edit").get_data(as_text=True))
    data.update(
        {
            "full_name": "",
            "bio": "Kept <b>bio</b> text",
            "max_concurrent": "99",
            "clearance_level": "NS",
            "clearance_issued_by": "FR",
            "clearance_expires_on": "2001-01-01",
        }
    )
    page = client.post(f"/experts/{expert.id}/edit", data=data).get_data(as_text=True)
    assert "Kept &lt;b&gt;bio&lt;/b&gt; text" in page
    assert 'id="full_name-error"' in page
    assert 'id="max_concurrent-error"' in page
    data.update({"full_name": "Still Here", "max_concurrent": "2"})
    page = client.post(f"/experts/{expert.id}/edit", data=data).get_data(as_text=True)
    assert 'id="clearance_expires_on-error"' in page
    assert "The expiry date is in the past." in page
    assert 'value="Still Here"' in page


def test_stale_edit_is_refused_and_nothing_overwritten(auth, make_expert, db_session):
    expert = make_expert()
    first, second = auth.page(expert), auth.page(expert)
    data_one = form_fields(first.get(f"/experts/{expert.id}/edit").get_data(as_text=True))
    data_two = form_fields(second.get(f"/experts/{expert.id}/edit").get_data(as_text=True))
    data_one["bio"] = "Saved first"
    assert first.post(f"/experts/{expert.id}/edit", data=data_one).status_code == 302
    data_two["bio"] = "Saved second"
    page = second.post(f"/experts/{expert.id}/edit", data=data_two).get_data(as_text=True)
    assert "Someone else saved this profile" in page
    assert "Saved second" in page  # what was typed is still there
    db_session.refresh(expert)
    assert expert.bio == "Saved first"


def test_expert_cannot_open_another_profile(auth, make_expert):
    mine, other = make_expert(), make_expert()
    client = auth.page(mine)
    for path in ("", "/edit", "/availability", "/export", "/erase"):
        assert client.get(f"/experts/{other.id}{path}").status_code == 404, path


@pytest.mark.parametrize(
    "state",
    [
        {"vetting": "pending"},
        {"vetting": "suspended"},
        {"vetting": "vetted", "valid_until": date(2020, 1, 1)},
        {"active": False},
    ],
)
def test_lno_cannot_open_unlisted_profiles(auth, make_user, make_expert, state):
    lno = make_user("lno", clearance="NS")
    hidden = make_expert(**state)
    client = auth.page(lno)
    assert client.get(f"/experts/{hidden.id}").status_code == 404


def test_lno_page_hides_contact_details_and_notes(auth, make_user, make_expert):
    lno = make_user("lno", clearance="NS")
    expert = make_expert()
    page = auth.page(lno).get(f"/experts/{expert.id}").get_data(as_text=True)
    assert expert.full_name in page
    assert expert.email not in page and expert.phone not in page
    assert "Vetting history" not in page
    assert auth.page(lno).get(f"/experts/{expert.id}/edit").status_code == 403


def test_coordinator_vets_from_the_queue(auth, make_user, make_expert, db_session):
    coordinator = make_user("coordinator")
    expert = make_expert(vetting="pending", full_name="Pending Person")
    client = auth.page(coordinator)
    assert "Pending Person" in client.get("/vetting").get_data(as_text=True)
    token = csrf_token(client, f"/experts/{expert.id}")
    client.post(
        f"/experts/{expert.id}/vetting",
        data={"status": "vetted", "note": "references checked", "csrf_token": token},
    )
    db_session.refresh(expert)
    assert expert.vetting_status == "vetted"
    page = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "references checked" in page


@pytest.mark.parametrize("role", ["expert", "lno", "admin"])
def test_only_coordinators_open_the_vetting_queue(auth, make_user, role):
    user = make_user(role, clearance="NS" if role != "expert" else None)
    assert auth.page(user).get("/vetting").status_code == 403


def test_availability_page_adds_and_refuses_reversed_windows(auth, make_expert):
    expert = make_expert()
    client = auth.page(expert)
    token = csrf_token(client, f"/experts/{expert.id}/availability")
    ok = client.post(
        f"/experts/{expert.id}/availability",
        data={
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-05",
            "kind": "unavailable",
            "csrf_token": token,
        },
    )
    assert ok.status_code == 302
    bad = client.post(
        f"/experts/{expert.id}/availability",
        data={
            "starts_on": "2027-04-10",
            "ends_on": "2027-04-01",
            "kind": "unavailable",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    assert "must not be before" in bad
    assert 'value="2027-04-10"' in bad
    assert "Mar 1, 2027" in bad  # the saved window, its days formatted for the locale


def test_expert_erases_their_own_data_and_is_signed_out(auth, make_expert, db_session):
    expert = make_expert(full_name="Gone Person")
    client = auth.page(expert)
    token = csrf_token(client, f"/experts/{expert.id}/erase")
    response = client.post(f"/experts/{expert.id}/erase", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    db_session.refresh(expert)
    assert expert.full_name != "Gone Person" and expert.email is None


def test_unconfirmed_items_reach_the_queue_and_can_be_confirmed(
    auth, make_user, make_expert, db_session
):
    from roster.experts.models import ExpertTopic

    coordinator = make_user("coordinator")
    expert = make_expert(full_name="Needs Confirming", clearance="NC", clearance_verified=False)
    db_session.add(
        ExpertTopic(expert_id=expert.id, topic_code="poc", level=4, years=3, verified=False)
    )
    db_session.commit()
    client = auth.page(coordinator)
    queue = client.get("/vetting").get_data(as_text=True)
    assert "Needs Confirming</a>: clearance, poc" in queue
    token = csrf_token(client, f"/experts/{expert.id}")
    client.post(f"/experts/{expert.id}/topics/poc/confirm", data={"csrf_token": token})
    client.post(f"/experts/{expert.id}/clearance/verify", data={"csrf_token": token})
    assert "Needs Confirming" not in client.get("/vetting").get_data(as_text=True)
    db_session.refresh(expert)
    assert expert.clearance_verified_by_id == coordinator.id
