"""One English word, several French forms: a request is "Rejetée", an expert's vetting "Refusé",
an account "Actif" (message contexts, `pgettext`), and the catalogue gate checks each context."""

from __future__ import annotations

from flask_babel import force_locale

from roster.directory.forms import VETTING_LABELS
from roster.experts.forms import VettingForm
from roster.requests.forms import STATE_LABELS
from tests.support.catalogue import extracted_messages


def test_a_word_takes_the_form_its_noun_needs(app):
    with app.test_request_context("/"):
        with force_locale("fr"):
            assert str(STATE_LABELS["rejected"]) == "Rejetée"  # une demande
            assert str(VETTING_LABELS["rejected"]) == "Refusé"  # un contrôle
            assert str(VETTING_LABELS["expired"]) == "Expiré"
            decisions = {c.value: c.label for c in VettingForm.status.kwargs["choices"]}
            assert str(decisions["rejected"]) == "Refusé"
        with force_locale("en"):
            assert str(VETTING_LABELS["rejected"]) == str(STATE_LABELS["rejected"]) == "Rejected"


def test_the_users_page_calls_an_account_active_in_the_masculine(auth, db_session, make_user):
    user = make_user("admin")
    user.locale = "fr"
    db_session.add(user)
    db_session.commit()
    page = auth.page(user).get("/admin/users").get_data(as_text=True)
    assert "<td>Actif" in page and "En cours" not in page


def test_the_extraction_keeps_each_context_apart():
    found = extracted_messages()
    assert ("vetting", "Rejected") in found and (None, "Rejected") in found
    assert ("account", "Active") in found


def test_the_catalogue_calls_mail_e_mail_throughout():
    """One word for one thing: "e-mail" (and "adresse e-mail"), never "courriel" or
    "(courrier|adresse) électronique" beside it."""
    from babel.messages.pofile import read_po

    from roster.locales import TRANSLATIONS

    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale="fr")
    mixed = [
        m.id
        for m in catalogue
        if m.id
        and any(
            word in text
            for text in (m.string if isinstance(m.string, tuple | list) else (m.string,))
            for word in ("courriel", "courrier électronique", "adresse électronique")
        )
    ]
    assert mixed == []
