"""Profile links are http or https everywhere: the form and the API refuse other schemes, and a
link stored before the rule is shown as text, never as a live href."""

from __future__ import annotations

import pytest

from tests.experts.test_profile_pages import form_fields

HOSTILE = ["javascript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4=", "ftp://x.org"]


@pytest.mark.parametrize("link", HOSTILE)
def test_the_edit_form_refuses_links_that_are_not_http(auth, db_session, make_expert, link):
    expert = make_expert()
    browser = auth.page(expert)
    data = form_fields(browser.get(f"/experts/{expert.id}/edit").get_data(as_text=True))
    data["links"] = f"https://example.org/me\n{link}"
    response = browser.post(f"/experts/{expert.id}/edit", data=data)
    assert response.status_code == 422
    assert 'id="links-error"' in response.get_data(as_text=True)
    db_session.refresh(expert)
    assert not expert.links


def test_the_edit_form_keeps_http_links(auth, db_session, make_expert):
    expert = make_expert()
    browser = auth.page(expert)
    data = form_fields(browser.get(f"/experts/{expert.id}/edit").get_data(as_text=True))
    data["links"] = "https://example.org/me\nhttp://example.net/cv"
    assert browser.post(f"/experts/{expert.id}/edit", data=data).status_code == 302
    db_session.refresh(expert)
    assert expert.links == ["https://example.org/me", "http://example.net/cv"]


@pytest.mark.parametrize("link", HOSTILE)
def test_the_api_refuses_the_same_links(auth, client, make_expert, link):
    expert = make_expert()
    headers = auth.bearer(expert)
    version = client.get(f"/api/v1/experts/{expert.id}", headers=headers).get_json()["version"]
    response = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={"version": version, "links": [link]},
        headers=headers,
    )
    assert response.status_code == 422
    assert "links.0" in response.get_json()["error"]["fields"]


def test_a_stored_bad_link_is_not_rendered_as_an_href(auth, make_user, make_expert):
    expert = make_expert(links=["javascript:alert(1)", "https://example.org/ok"])
    coordinator = make_user("coordinator")
    page = auth.page(coordinator).get(f"/experts/{expert.id}").get_data(as_text=True)
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page
    assert 'href="https://example.org/ok"' in page
