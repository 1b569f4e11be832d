"""How long each kind of text may be: one number per field, used alike by the table column, the
page's form and the API's schema (and the bulk import), so the three cannot drift apart."""

from __future__ import annotations

EMAIL = 254  # the longest address SMTP carries (RFC 5321)
PERSON_NAME = 200  # a user's or an expert's full name
ORGANISATION_NAME = 200  # an expert's affiliation
PHONE = 40
BIO = 5000  # an expert's short biography
LINKS_TEXT = 5000  # the profile form's links, one per line
NOTE = 2000  # a vetting decision's or a workflow action's note
REQUEST_TITLE = 200
REQUEST_DESCRIPTION = 10_000
DECLINE_REASON = 500
LOG_SUMMARY = 5000  # an engagement log entry
FEEDBACK_COMMENT = 2000  # the feedback forms' comment (the API's feedback comment allows 5000)
TOPIC_CODE = 40
REFERENCE_NAME = 120  # a topic's or a command's name
COMMAND_CODE = 20
AUDIT_REFERENCE = 60  # an audit entry's actor, action and subject
