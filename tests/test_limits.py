"""Each text field's length limit is one number: the column, the page's form and the API's schema
(and the bulk import) all refuse past `roster.limits`, so a value one boundary accepts is never
refused by another."""

from __future__ import annotations

import pytest
from wtforms.validators import Length

from roster import limits
from roster.accounts.forms import InviteForm
from roster.accounts.models import User
from roster.api.expert_schemas import ExpertCreateSchema, VettingDecisionSchema
from roster.api.request_schemas import (
    DeclineSchema,
    LogEntryInSchema,
    NoteSchema,
    RequestCreateSchema,
)
from roster.api.schemas import UserCreateSchema
from roster.experts.forms import NewExpertForm, VettingForm
from roster.experts.models import Expert
from roster.imports.check import LIMITS
from roster.requests.forms import ActionForm, DeclineForm, LogForm, RequestForm
from roster.requests.models import CrisisRequest, Offer

COLUMNS = [
    (User, "email", limits.EMAIL),
    (User, "full_name", limits.PERSON_NAME),
    (Expert, "email", limits.EMAIL),
    (Expert, "full_name", limits.PERSON_NAME),
    (Expert, "phone", limits.PHONE),
    (Expert, "affiliation_name", limits.ORGANISATION_NAME),
    (CrisisRequest, "title", limits.REQUEST_TITLE),
    (Offer, "decline_reason", limits.DECLINE_REASON),
]
FORMS = [
    (InviteForm, "email", limits.EMAIL),
    (InviteForm, "full_name", limits.PERSON_NAME),
    (NewExpertForm, "email", limits.EMAIL),
    (NewExpertForm, "full_name", limits.PERSON_NAME),
    (NewExpertForm, "phone", limits.PHONE),
    (NewExpertForm, "affiliation_name", limits.ORGANISATION_NAME),
    (NewExpertForm, "bio", limits.BIO),
    (VettingForm, "note", limits.NOTE),
    (RequestForm, "title", limits.REQUEST_TITLE),
    (RequestForm, "description", limits.REQUEST_DESCRIPTION),
    (ActionForm, "note", limits.NOTE),
    (LogForm, "summary", limits.LOG_SUMMARY),
    (DeclineForm, "reason", limits.DECLINE_REASON),
]
SCHEMAS = [
    (UserCreateSchema, "email", limits.EMAIL),
    (UserCreateSchema, "full_name", limits.PERSON_NAME),
    (ExpertCreateSchema, "email", limits.EMAIL),
    (ExpertCreateSchema, "full_name", limits.PERSON_NAME),
    (ExpertCreateSchema, "phone", limits.PHONE),
    (ExpertCreateSchema, "bio", limits.BIO),
    (VettingDecisionSchema, "note", limits.NOTE),
    (RequestCreateSchema, "title", limits.REQUEST_TITLE),
    (RequestCreateSchema, "description", limits.REQUEST_DESCRIPTION),
    (NoteSchema, "note", limits.NOTE),
    (LogEntryInSchema, "summary", limits.LOG_SUMMARY),
    (DeclineSchema, "reason", limits.DECLINE_REASON),
]


@pytest.mark.parametrize(("model", "name", "limit"), COLUMNS)
def test_the_column_holds_the_limit(model, name: str, limit: int) -> None:
    assert model.__table__.c[name].type.length == limit


@pytest.mark.parametrize(("form", "name", "limit"), FORMS)
def test_the_form_refuses_past_the_limit(form, name: str, limit: int) -> None:
    validators = getattr(form, name).kwargs["validators"]
    assert [v.max for v in validators if isinstance(v, Length)] == [limit]


@pytest.mark.parametrize(("schema", "name", "limit"), SCHEMAS)
def test_the_schema_refuses_past_the_limit(schema, name: str, limit: int) -> None:
    field = schema().fields[name]
    assert [v.max for v in field.validators if hasattr(v, "max")] == [limit]


def test_the_import_checks_the_profile_limits() -> None:
    assert LIMITS == {
        "full_name": limits.PERSON_NAME,
        "phone": limits.PHONE,
        "affiliation_name": limits.ORGANISATION_NAME,
        "bio": limits.BIO,
    }
