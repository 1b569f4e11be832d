"""The users page finds accounts by name or e-mail, role and standing, fifty to a page, and
says how many each role holds; the filters are the query string, kept across pages."""

from __future__ import annotations

import re

from roster.accounts.listing import PER_PAGE
from roster.accounts.models import User


def rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)  # type: ignore[union-attr]
    return [re.sub(r"<[^>]+>", " ", r) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_filters_find_by_name_or_email_role_and_standing(auth, make_user):
    admin = auth.page(make_user("admin", full_name="Ada Admin"))
    make_user("lno", full_name="Luc Liaison", email="luc.l@nato.example")
    make_user("lno", full_name="Lea Officer", email="lea@nato.example", active=False)
    make_user("expert", full_name="Eve Expert", password="")  # invited, no password yet
    found = rows(admin.get("/admin/users?q=LIAISON").get_data(as_text=True))
    assert len(found) == 1 and "Luc Liaison" in found[0]
    assert len(rows(admin.get("/admin/users?q=nato.example").get_data(as_text=True))) == 2
    lnos = rows(admin.get("/admin/users?role=lno").get_data(as_text=True))
    assert [("Luc" in r, "Lea" in r) for r in lnos] == [(False, True), (True, False)]  # by name
    invited = rows(admin.get("/admin/users?standing=invited").get_data(as_text=True))
    assert len(invited) == 1 and "Eve Expert" in invited[0]
    gone = rows(admin.get("/admin/users?standing=deactivated").get_data(as_text=True))
    assert len(gone) == 1 and "Lea Officer" in gone[0]
    page = admin.get("/admin/users?q=%25").get_data(as_text=True)  # a literal %, not a wildcard
    assert "No account matches." in page


def test_fifty_to_a_page_with_the_filters_kept(auth, make_user, db_session):
    admin = auth.page(make_user("admin"))
    db_session.add_all(
        User(email=f"e{i:03}@roster.example", full_name=f"Expert {i:03}", role="expert")
        for i in range(PER_PAGE + 5)
    )
    db_session.commit()
    first = admin.get("/admin/users?role=expert").get_data(as_text=True)
    assert len(rows(first)) == PER_PAGE
    assert f"{PER_PAGE + 5} accounts match; page 1 of 2." in first
    assert "Expert: 55" in first and "Administrator: 1" in first
    assert 'href="/admin/users?page=2&amp;role=expert"' in first
    second = rows(admin.get("/admin/users?role=expert&page=2").get_data(as_text=True))
    assert [r.split()[0:2] for r in second] == [["Expert", f"{i:03}"] for i in range(50, 55)]
    past = admin.get("/admin/users?role=expert&page=9").get_data(as_text=True)
    assert "page 2 of 2." in past  # past the end: the last page


def test_a_bad_filter_is_shown_beside_its_field_and_lists_everyone(auth, make_user):
    admin = auth.page(make_user("admin", full_name="Ada Admin"))
    page = admin.get("/admin/users?role=pirate&page=0").get_data(as_text=True)
    assert "Not a valid choice" in page
    assert "Ada Admin" in page
