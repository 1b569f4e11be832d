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
