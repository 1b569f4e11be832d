"""In Chromium: an LNO whose request was triaged sees the unread count in the header, opens the
notifications page, follows nothing yet, marks the notification read and stops the mail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from roster.notify.notifications import notify
from tests.browser.conftest import assert_accessible
from tests.support.factories import make_request

pytestmark = pytest.mark.browser


def test_an_lno_reads_a_notification_and_stops_the_mail(
    page, sign_in, make_user, db_session, tmp_path
):
    lno = make_user("lno", clearance="NR", full_name="Liaison Officer")
    found = make_request(db_session, lno, classification="NR")
    for subject in ("Your request was returned to you", 'Your request "Exercise" is matched'):
        notify(
            db_session,
            users=[lno],
            kind="request_triaged",
            subject=subject,
            link=f"/requests/{found.id}",
            request_id=found.id,
        )
    db_session.commit()

    sign_in(page, lno)
    header = page.locator("header.site")
    expect(header.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    header.get_by_role("link", name="Notifications 2 unread").click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "notifications.png"), full_page=True)
    expect(page.get_by_role("link", name="Show unread only")).to_be_visible()

    page.get_by_role("button", name="Mark read").first.click()
    expect(header.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    expect(page.get_by_role("link", name='Your request "Exercise" is matched')).to_have_attribute(
        "href", f"/requests/{found.id}"
    )

    page.get_by_label("Mail me my notifications").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notifications will no longer be mailed to you.")).to_be_visible()
    expect(page.get_by_label("Mail me my notifications")).not_to_be_checked()

    page.get_by_role("button", name="Mark all read").click()
    expect(header.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page)
