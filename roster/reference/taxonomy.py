"""The topic taxonomy as every page, form, report and API answer lists it: in its display order;
and the names of countries and languages in the language of the page (or mail) being built."""

from __future__ import annotations

from sqlmodel import Session, col, select

from roster.reference.codes import countries, languages
from roster.reference.models import Topic
from roster.reference.names import translated_topics


def topics_in_order(session: Session) -> list[Topic]:
    """Every topic, by its position in the taxonomy, then by code."""
    return list(session.exec(select(Topic).order_by(col(Topic.position), col(Topic.code))).all())


def stored_topic_names(session: Session) -> dict[str, str]:
    """Topic code -> the name the database keeps (English), in the taxonomy's display order."""
    return {t.code: t.name for t in topics_in_order(session)}


def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> country name, in the reader's language."""
    return countries()


def language_names() -> dict[str, str]:
    """ISO 639-1 code -> language name, in the reader's language."""
    return languages()


def topic_names(session: Session) -> dict[str, str]:
    """Topic code -> name in the current language, in the taxonomy's display order."""
    return translated_topics(stored_topic_names(session))
