"""LNO answers carry only allow-listed expert fields: no contact details, vetting, notes or
versions, in search results, single profiles, lists of requests and reports alike."""

from __future__ import annotations

from roster.policy import LNO_EXPERT_FIELDS

FORBIDDEN = {
    "email",
    "phone",
    "vetting",
    "vetting_history",
    "version",
    "links",
    "consent",
    "notice_days",
    "active",
}


def test_lno_search_and_profile_answers_hold_only_allowed_fields(
    auth, client, make_user, make_expert
):
    lno = make_user("lno", clearance="NS")
    experts = [make_expert(clearance="NS", topics={"crsv": 3}) for _ in range(3)]
    headers = auth.bearer(lno)
    found = client.get("/api/v1/experts?topic=crsv:1", headers=headers).get_json()
    assert found["total"] == 3
    for item in found["items"]:
        # `score` is the search's relevance, about the query rather than the person.
        assert set(item) - {"score"} <= LNO_EXPERT_FIELDS, set(item) - LNO_EXPERT_FIELDS
        assert not set(item) & FORBIDDEN
    for expert in experts:
        body = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()
        assert set(body) <= LNO_EXPERT_FIELDS, set(body) - LNO_EXPERT_FIELDS
        text = str(body)
        assert expert.email not in text and expert.phone not in text


def test_lno_search_page_shows_no_contact_details(auth, make_user, make_expert):
    lno = make_user("lno", clearance="NS")
    expert = make_expert(clearance="NS", topics={"crsv": 3})
    browser = auth.page(lno)
    page = browser.get("/search?topic=crsv:1").get_data(as_text=True)
    assert expert.full_name in page
    assert expert.email not in page and expert.phone not in page
