"""Index upkeep through the real services: a renamed expert is found by the new name, an erased
one by neither."""

from __future__ import annotations


def search_names(client, headers, q):
    body = client.get(f"/api/v1/experts?q={q}", headers=headers).get_json()
    return [item["full_name"] for item in body["items"]]


def test_rename_and_erasure_through_the_api_keep_the_index_right(
    auth, client, make_user, make_expert
):
    coordinator = make_user("coordinator", clearance="NS")
    admin = make_user("admin", clearance="NS")
    expert = make_expert(full_name="Quintessa Oldname")
    headers = auth.bearer(coordinator)
    own = auth.bearer(expert)
    client.post(
        "/api/v1/experts",
        json={"full_name": "Brand Newcomer", "email": "brand.newcomer@example.org"},
        headers=headers,
    )
    assert search_names(client, headers, "newcomer") == ["Brand Newcomer"]
    version = client.get(f"/api/v1/experts/{expert.id}", headers=own).get_json()["version"]
    renamed = client.patch(
        f"/api/v1/experts/{expert.id}",
        json={"full_name": "Quintessa Freshname", "version": version},
        headers=own,
    )
    assert renamed.status_code == 200
    assert search_names(client, headers, "oldname") == []
    assert search_names(client, headers, "freshname") == ["Quintessa Freshname"]
    admin_headers = auth.bearer(admin)
    assert client.delete(f"/api/v1/experts/{expert.id}", headers=admin_headers).status_code == 200
    assert search_names(client, headers, "freshname") == []
