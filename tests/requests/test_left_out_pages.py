"""`?explain=excluded` stays bounded: the experts left out come one page at a time (in the
contract's list, after the ranked ones) and the counts per reason come in headers."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from roster.requests.left_out import MAX_PER_PAGE, PER_PAGE, page_of
from roster.requests.matching import EXCLUSION_CODES, Excluded, ExcludedList
from tests.support.factories import make_request

# As rankings spell them: in the contract's order.
reason_sets = st.sets(st.sampled_from(EXCLUSION_CODES), min_size=1).map(
    lambda codes: tuple(c for c in EXCLUSION_CODES if c in codes)
)


@given(
    reasons=st.lists(reason_sets, max_size=40),
    per_page=st.integers(1, 12),
)
def test_pages_cover_every_expert_once_and_the_summary_counts_each_rule(reasons, per_page):
    excluded = [Excluded(n, r) for n, r in enumerate(reasons, start=1)]
    first = page_of(excluded, 1, per_page)
    pages = [page_of(excluded, p, per_page) for p in range(1, first.pages + 2)]
    assert [e for p in pages for e in p.items] == excluded  # the page after the last is empty
    assert all(len(p.items) <= per_page for p in pages)
    assert first.total == len(excluded)
    assert first.summary == {
        code: Counter(c for r in reasons for c in r)[code] for code in EXCLUSION_CODES
    }
    # The columns the ranking answers page and count the same, and read as the same list.
    columns = ExcludedList.of(list(reversed(excluded)))
    assert columns != excluded or len(excluded) < 2
    columns = ExcludedList.merged(columns)
    assert columns == excluded and list(columns) == excluded
    assert [page_of(columns, p, per_page) for p in range(1, first.pages + 2)] == pages


def _candidates(client, url: str, headers: dict, **args: object):
    query = "&".join(f"{k}={v}" for k, v in {"explain": "excluded", **args}.items())
    return client.get(f"{url}?{query}", headers=headers)


def test_the_api_pages_the_left_out_and_sums_them_up(
    auth, client, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, required="NS", topics={"crsv": 2})
    ranked = [make_expert(clearance="NS", with_user=False) for _ in range(2)]
    pending = [make_expert(vetting="pending", with_user=False) for _ in range(3)]
    uncleared = [make_expert(with_user=False) for _ in range(2)]
    headers = auth.bearer(coordinator)
    url = f"/api/v1/requests/{found.id}/candidates"

    seen = []
    for page in (1, 2, 3, 4):
        response = _candidates(client, url, headers, excluded_page=page, excluded_per_page=2)
        assert response.status_code == 200
        body = response.get_json()
        assert [c["expert_id"] for c in body if not c["excluded"]] == [e.id for e in ranked]
        left = [c for c in body if c["excluded"]]
        assert len(left) <= 2 and all(c["score"] == 0.0 and c["components"] == {} for c in left)
        seen += left
        assert response.headers["X-Excluded-Total"] == "5"
        assert response.headers["X-Excluded-Page"] == str(page)
        assert response.headers["X-Excluded-Per-Page"] == "2"
        summary = json.loads(response.headers["X-Excluded-Summary"])
        assert summary["not_vetted"] == 3 and summary["clearance_too_low"] == 5
        assert set(summary) == set(EXCLUSION_CODES)
    assert [c["expert_id"] for c in seen] == sorted(e.id for e in pending + uncleared)
    assert {c["expert_id"]: c["reasons"] for c in seen}[pending[0].id] == [
        "not_vetted",
        "clearance_too_low",
    ]

    default = _candidates(client, url, headers)
    assert default.headers["X-Excluded-Per-Page"] == str(PER_PAGE)
    plain = client.get(url, headers=headers)
    assert "X-Excluded-Total" not in plain.headers
    assert all(not c["excluded"] for c in plain.get_json())
    for bad in (
        {"excluded_per_page": 0},
        {"excluded_per_page": MAX_PER_PAGE + 1},
        {"excluded_page": 0},
    ):
        refused = _candidates(client, url, headers, **bad)
        assert refused.status_code == 422, bad
        assert refused.get_json()["error"]["code"]


def test_the_page_shows_counts_and_one_page_of_the_left_out(
    auth, make_user, make_expert, db_session
):
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, required="NS")
    left = [make_expert(vetting="pending", with_user=False) for _ in range(PER_PAGE + 1)]
    browser = auth.page(coordinator)
    url = f"/requests/{found.id}/candidates?explain=excluded"
    first = browser.get(url).get_data(as_text=True)
    assert f"{PER_PAGE + 1} experts fail a hard rule." in first
    assert f'/experts/{left[0].id}"' in first and f'/experts/{left[-1].id}"' not in first
    assert "excluded_page=2" in first
    second = browser.get(url + "&excluded_page=2").get_data(as_text=True)
    assert f'/experts/{left[-1].id}"' in second and f'/experts/{left[0].id}"' not in second
