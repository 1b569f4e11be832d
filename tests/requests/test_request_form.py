"""The request form without a script: topic and language rows, the clearance needed that defaults
to the classification, classification choices that stop at the user's clearance, messages beside
each row and an error summary whose links lead to the fields."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlmodel import func, select

from roster.db import today
from roster.requests import services
from roster.requests.models import CrisisRequest
from tests.experts.test_profile_pages import form_fields
from tests.requests.test_request_pages import request_data

NR = {"clearance": "NR", "clearance_expires_on": date(2030, 1, 1)}
SCALAR_FIELDS = ("title", "kind", "classification", "required_clearance", "urgency", "mode")


def posted(client, url: str, **fields: Any) -> dict[str, Any]:
    """The form as the page draws it, with `fields` typed in (a list posts a multiple select)."""
    data: dict[str, Any] = form_fields(client.get(url).get_data(as_text=True))
    starts = today() + timedelta(days=30)
    data.update(
        {
            "title": "CRSV advice for the exercise",
            "description": "Mentoring during the command post exercise.",
            "kind": "exercise",
            "classification": "NR",
            "urgency": "priority",
            "starts_on": str(starts),
            "ends_on": str(starts + timedelta(days=5)),
            "mode": "remote",
            "seats": "1",
        }
    )
    data.update(fields)
    return data


def count(db_session) -> int:
    return db_session.exec(select(func.count()).select_from(CrisisRequest)).one()


def test_a_plain_post_of_rows_creates_the_same_request_as_the_service(auth, db_session, make_user):
    lno = make_user("lno", **NR)
    client = auth.page(lno)
    data = posted(
        client,
        "/requests/new",
        **{
            "topics-0-code": "crsv",
            "topics-0-level": "3",
            "topics-2-code": "gender-analysis",
            "topics-2-level": "2",
            "languages-1-code": "en",
            "languages-1-level": "C1",
            "regions": ["IQ", "ML"],
        },
    )
    assert data["required_clearance"] == ""  # "same as the classification" when drawn
    response = client.post("/requests/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    by_form = db_session.exec(select(CrisisRequest)).one()
    by_service = services.create_request(
        session=db_session,
        actor=lno,
        data=request_data(
            topics=[{"code": "crsv", "min_level": 3}, {"code": "gender-analysis", "min_level": 2}],
            regions=["IQ", "ML"],
        ),
        today=today(),
    )
    for name in SCALAR_FIELDS:
        assert getattr(by_form, name) == getattr(by_service, name), name
    assert by_form.required_clearance == "NR"
    assert services.needs(db_session, by_form) == services.needs(db_session, by_service)


def test_the_form_offers_three_blank_rows_and_the_users_classifications(auth, make_user):
    page = auth.page(make_user("lno", **NR)).get("/requests/new").get_data(as_text=True)
    for n in range(3):
        assert f'name="topics-{n}-code"' in page and f'name="languages-{n}-level"' in page
    assert 'name="topics-3-code"' not in page
    assert '<option value="crsv">' in page
    classification = re.search(r'<select[^>]*name="classification".*?</select>', page, re.S)
    assert classification is not None
    assert re.findall(r'value="(\w+)"', classification.group(0)) == ["NU", "NR"]
    needed = re.search(r'<select[^>]*name="required_clearance".*?</select>', page, re.S)
    assert needed is not None and "Same as the classification" in needed.group(0)
    assert 'for="topics-0-code">Topic 1<' in page
    assert 'for="languages-2-level">Minimum level of language 3<' in page


def test_half_rows_and_repeated_topics_are_refused_beside_their_row(auth, db_session, make_user):
    client = auth.page(make_user("lno", **NR))
    data = posted(
        client,
        "/requests/new",
        **{
            "topics-0-code": "crsv",
            "topics-0-level": "3",
            "topics-1-code": "crsv",
            "topics-1-level": "2",
            "topics-2-level": "4",
            "topics-3-code": "gender-analysis",
            "languages-0-code": "fr",
            "languages-1-level": "B2",
        },
    )
    response = client.post("/requests/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert count(db_session) == 0
    rows = {n: m.strip() for n, m in re.findall(r'id="topics-(\d)-error">(.*?)</p>', page, re.S)}
    assert rows == {
        "1": "This topic is already in another row.",
        "2": "Choose the topic of this level.",
        "3": "Choose a minimum level.",
    }
    assert 'id="languages-0-error"' in page and 'id="languages-1-error"' in page
    assert 'aria-describedby="topics-1-error"' in page
    assert form_fields(page)["topics-3-code"] == "gender-analysis"  # what was typed, kept
    assert 'name="topics-4-code"' in page  # a blank row to add one more without a script


def test_a_classification_above_the_users_clearance_is_refused_beside_it(
    auth, db_session, make_user
):
    client = auth.page(make_user("lno", **NR))
    data = posted(client, "/requests/new", classification="NS")
    response = client.post("/requests/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert count(db_session) == 0
    error = re.search(r'id="classification-error">(.*?)</p>', page, re.S)
    assert error is not None
    assert "You cannot raise a request above your own clearance." in error.group(1)
    assert re.search(r'<option selected value="NS"|<option value="NS" selected', page)
    data = posted(client, "/requests/new", classification="TOP")
    response = client.post("/requests/new", data=data)
    assert response.status_code == 422
    assert 'id="classification-error"' in response.get_data(as_text=True)


def test_a_clearance_needed_below_the_classification_is_still_refused(auth, db_session, make_user):
    client = auth.page(make_user("lno", **NR))
    data = posted(client, "/requests/new", required_clearance="NU")
    response = client.post("/requests/new", data=data)
    assert response.status_code == 422
    assert 'id="required_clearance-error"' in response.get_data(as_text=True)
    assert count(db_session) == 0


def test_an_edit_shows_the_topics_and_languages_as_rows(auth, db_session, make_user):
    lno = make_user("lno", **NR)
    req = services.create_request(
        session=db_session,
        actor=lno,
        data=request_data(
            topics=[{"code": "crsv", "min_level": 3}, {"code": "gender-analysis", "min_level": 2}]
        ),
        today=today(),
    )
    db_session.commit()
    client = auth.page(lno)
    shown = form_fields(client.get(f"/requests/{req.id}/edit").get_data(as_text=True))
    assert shown["topics-0-code"] == "crsv" and shown["topics-0-level"] == "3"
    assert shown["topics-1-code"] == "gender-analysis" and shown["topics-1-level"] == "2"
    assert shown["languages-0-code"] == "en" and shown["languages-0-level"] == "C1"
    assert shown["required_clearance"] == "NR"
    assert shown.get("topics-2-code", "") == ""  # the third row is blank
    shown.pop("topics-0-code")
    shown.pop("topics-0-level")
    response = client.post(f"/requests/{req.id}/edit", data=shown)
    assert response.status_code == 302
    assert services.needs(db_session, req)["topics"] == [
        {"code": "gender-analysis", "min_level": 2}
    ]


def test_the_error_summary_links_each_message_to_its_field(auth, make_user):
    client = auth.page(make_user("lno", **NR))
    data = posted(client, "/requests/new", title="", ends_on="1999-12-31")
    data.update({"topics-0-code": "crsv"})
    page = client.post("/requests/new", data=data).get_data(as_text=True)
    summary = re.search(r"<div[^>]*data-error-summary.*?</div>", page, re.S)
    assert summary is not None
    assert 'tabindex="-1"' in summary.group(0) and 'role="alert"' in summary.group(0)
    links = re.findall(r'<a href="#([\w-]+)">', summary.group(0))
    assert links == ["title", "topics-0-level", "ends_on"]
    for target in links:
        assert f'id="{target}"' in page
    assert "error-summary.js" in page


def test_the_shared_form_errors_macro_draws_the_summary_too(app):
    with app.test_request_context("/", method="POST", data={"name": ""}):
        from flask_wtf import FlaskForm
        from wtforms import StringField
        from wtforms.validators import DataRequired

        class Probe(FlaskForm):
            name = StringField("Name", validators=[DataRequired()])

        form = Probe(meta={"csrf": False})
        assert not form.validate()
        html = app.jinja_env.from_string(
            '{% from "macros.html" import form_errors %}{{ form_errors(form) }}'
        ).render(form=form)
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert '<a href="#name">Name: This field is required.</a>' in html
