"""The topic taxonomy as every page, form, report and API answer lists it: in its display order;
and the names of countries and languages in the language of the page (or mail) being built."""

from __future__ import annotations

import flask_babel
from flask import has_app_context
from sqlmodel import Session, col, select

from roster.reference.codes import countries_in, languages_in
from roster.reference.models import Topic


def topics_in_order(session: Session) -> list[Topic]:
    """Every topic, by its position in the taxonomy, then by code."""
    return list(session.exec(select(Topic).order_by(col(Topic.position), col(Topic.code))).all())


def topic_names(session: Session) -> dict[str, str]:
    """Topic code -> name, in the taxonomy's display order."""
    return {t.code: t.name for t in topics_in_order(session)}


def reader_language() -> str:
    """The language of the page or mail being built ("en" outside any, or when unknown)."""
    if not has_app_context():
        return "en"
    try:
        locale = flask_babel.get_locale()
    except RuntimeError:  # a locale selector that needs a request, called outside one
        return "en"
    return locale.language if locale is not None else "en"


def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> country name, in the reader's language."""
    return countries_in(reader_language())


def language_names() -> dict[str, str]:
    """ISO 639-1 code -> language name, in the reader's language."""
    return languages_in(reader_language())
