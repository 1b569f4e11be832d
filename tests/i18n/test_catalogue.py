"""THE GATE: every msgid the code and templates use has a French translation in the committed
catalogue (extracted now with babel's API, compared with roster/translations/fr/.../messages.po;
fuzzy and partly-translated plurals count as missing). When it fails, run the README's
"Languages" steps (extract, update, translate the empty msgstr, compile)."""

from __future__ import annotations

import pytest

from tests.support.catalogue import compile_catalogues, extracted_msgids, untranslated


@pytest.mark.catalogue_gate
def test_every_msgid_has_a_french_translation():
    absent, empty = untranslated("fr")
    shown = sorted(absent | empty)
    assert not shown, (
        f"{len(absent)} msgid(s) missing from the French catalogue (run pybabel update) and "
        f"{len(empty)} untranslated or fuzzy; the first: {shown[:15]}"
    )


def test_the_extraction_finds_the_code_and_the_templates():
    # A broken babel.cfg would find nothing and let the gate above pass on an empty set.
    found = extracted_msgids()
    assert "Skip to content" in found  # templates/base.html
    assert "Page not found" in found  # roster/web, a lazy_gettext
    assert "Offers expired on request {id}" in found  # roster/requests/mails.py


def test_the_catalogue_compiles(tmp_path):
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Save"\nmsgstr "Enregistrer"\n', "utf-8")
    assert compile_catalogues(tmp_path) == [po.with_suffix(".mo")]
    assert compile_catalogues(tmp_path) == []  # up to date: left alone


def test_without_a_compiled_catalogue_the_app_warns_once_and_serves_english(
    tmp_path, monkeypatch, caplog
):
    from roster import locales
    from roster.app import create_app
    from roster.extensions import babel

    monkeypatch.setattr(locales, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(locales, "_warned", [])
    with caplog.at_level("WARNING", logger="roster.locales"):
        app = create_app({"BABEL_TRANSLATION_DIRECTORIES": str(tmp_path), "TESTING": True})
        create_app({"BABEL_TRANSLATION_DIRECTORIES": str(tmp_path), "TESTING": True})
    warned = [r for r in caplog.records if "no compiled catalogue for fr" in r.getMessage()]
    assert len(warned) == 1
    with app.app_context():  # Flask-Babel keeps loaded catalogues process-wide: not these
        monkeypatch.setattr(babel.domain_instance, "cache", {})
    page = app.test_client().get("/login", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Sign in" in page.get_data(as_text=True)  # English, and no crash
