"""Reference names in the reader's language: every seeded topic and clearance level has a
translatable name (roster/reference/names.py) matching its seed and translated into French;
country and language names come from Babel's locale data, and the request form offers them so
French typing finds them ("Allemagne")."""

from __future__ import annotations

from pathlib import Path

import yaml
from babel.messages.pofile import read_po
from flask_babel import force_locale

from roster.locales import TRANSLATIONS
from roster.reference import codes, names

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seeded(name: str) -> dict[str, str]:
    entries = yaml.safe_load((SEEDS / f"{name}.yaml").read_text(encoding="utf-8"))
    return {entry["code"]: entry["name"] for entry in entries}


def french_catalogue():
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale="fr")


def test_every_seeded_topic_has_its_name_here_and_in_french(app):
    catalogue = french_catalogue()
    topics = seeded("topics")
    assert set(names.TOPIC_NAMES) == set(topics)
    for code, english in topics.items():
        assert names.TOPIC_NAMES[code]._args[0] == english, code  # the msgid is the seed's name
        message = catalogue.get(english)
        assert message is not None and message.string and not message.fuzzy, english


def test_every_seeded_clearance_level_has_its_name_here_and_in_french():
    catalogue = french_catalogue()
    levels = seeded("clearance_levels")
    assert set(names.CLEARANCE_NAMES) == set(levels)
    for english in levels.values():
        message = catalogue.get(english)
        assert message is not None and message.string and not message.fuzzy, english


def test_topic_names_follow_the_locale(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert names.topic_name("crsv", "x") == "Violences sexuelles liées aux conflits (CRSV)"
            assert names.topic_name("new-topic", "A topic added later") == "A topic added later"
        with force_locale("en"):
            assert names.topic_name("crsv", "x") == "Conflict-Related Sexual Violence (CRSV)"


def test_country_and_language_names_come_from_babel(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert codes.countries()["DE"] == "Allemagne"
            assert codes.languages()["de"] == "Allemand"
            ordered = [name for _code, name in codes.by_name(codes.countries())]
            assert ordered.index("Égypte") < ordered.index("Espagne")  # accents aside
        with force_locale("en"):
            assert codes.countries()["DE"] == "Germany"
    assert codes.is_country("DE") and not codes.is_country("Allemagne")


def test_the_request_form_offers_french_country_names(auth, make_user, db_session):
    lno = make_user("lno", clearance="NS")
    lno.locale = "fr"
    db_session.add(lno)
    db_session.commit()
    html = auth.page(lno).get("/requests/new").get_data(as_text=True)
    assert '<option value="DE">Allemagne</option>' in html
    assert "Violences sexuelles liées aux conflits (CRSV)" in html
