"""In French, in Chromium: a French-speaking LNO raises and submits a request, a coordinator
(who reads English) triages it and sends the offers, a French-speaking expert accepts; each sees
their pages in their own language. And every page of the navigation, for each role, passes
axe-core in French as it does in English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from roster.accounts.models import User
from roster.db import today
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

TITLE = "Conseil immédiat VSLC à la JTF"
EXPERT = "Amina Diallo"


def in_french(db_session, user: User) -> User:
    user.locale = "fr"
    db_session.add(user)
    db_session.commit()
    return user


def test_a_french_lno_raises_a_request_and_a_french_expert_accepts(
    new_page, sign_in, make_user, make_expert, db_session, auth
):
    starts = today() + timedelta(days=3)
    amina = make_expert(
        full_name=EXPERT, topics={"crsv": 4}, languages={"fr": "C2"}, clearance="NS"
    )
    in_french(db_session, auth.account(amina))
    lno_user = in_french(db_session, make_user("lno", clearance="NS"))
    coordinator_user = make_user("coordinator", clearance="NS")

    # The LNO, in French, fills the form by its French labels and submits.
    lno = new_page()
    sign_in(lno, lno_user)
    expect(lno.locator("html")).to_have_attribute("lang", "fr")
    lno.goto("/requests/new")
    lno.get_by_label("Titre").fill(TITLE)
    lno.get_by_label("Description").fill("Conseiller la JTF sur les risques de VSLC.")
    lno.get_by_label("Type de demande").select_option("crisis")
    lno.get_by_label("Urgence").select_option("immediate")
    lno.get_by_label("Classification de la demande").select_option("NR")
    lno.get_by_label("Thème 1", exact=True).select_option("crsv")
    lno.get_by_label("Niveau minimum du thème 1").select_option("3")
    lno.get_by_label("Début le").fill(starts.isoformat())
    lno.get_by_label("Fin le").fill((starts + timedelta(days=10)).isoformat())
    assert_accessible(lno)
    lno.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(lno.get_by_text("Demande soumise. Les coordinateurs ont été prévenus.")).to_be_visible()
    expect(lno.locator(".meta").first).to_contain_text("Soumise")
    assert_accessible(lno)
    request_url = lno.url

    # The coordinator reads English: the request is the same, the words are not.
    coordinator = new_page()
    sign_in(coordinator, coordinator_user)
    expect(coordinator.locator("html")).to_have_attribute("lang", "en")
    coordinator.goto(request_url)
    coordinator.get_by_role("button", name="Accept for matching").click()
    expect(coordinator.locator(".meta").first).to_contain_text("Matching")
    coordinator.get_by_role("link", name="See candidates and send offers").click()
    expect(coordinator.get_by_label(f"Select {EXPERT}")).to_be_checked()
    coordinator.get_by_role("button", name="Send offers").click()
    expect(coordinator.get_by_text(EXPERT).first).to_be_visible()

    # The expert, in French, hears of the offer, reads it and accepts.
    expert = new_page()
    sign_in(expert, amina)
    expect(expert.get_by_role("heading", level=1)).to_contain_text("Bienvenue, ")
    expert.locator("header a.notifications").click()
    expect(expert.get_by_role("link", name=TITLE).first).to_contain_text("Une place vous est")
    expert.get_by_role("link", name=TITLE).first.click()
    if "/offers/" not in expert.url:  # the notification may lead to the offers list
        expert.get_by_role("link", name=TITLE).first.click()
    expect(expert).to_have_title("Votre proposition · Roster")
    assert_accessible(expert)
    for box in expert.locator('section[aria-labelledby="accept-h"] input[type="checkbox"]').all():
        box.check()
    expert.get_by_role("button", name="Accepter la proposition").click()
    expect(expert.get_by_text("Vous avez accepté la proposition.")).to_be_visible()
    assert_accessible(expert)

    # The LNO sees the team, in French.
    lno.goto(request_url)
    expect(lno.locator(".meta").first).to_contain_text("Pourvue")
    team = lno.get_by_role("table", name="Experts ayant accepté une place")
    expect(team).to_contain_text(EXPERT)
    assert_accessible(lno)


def test_an_anonymous_visitor_switches_to_french_on_the_sign_in_page(page):
    page.goto("/login")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize("role", ["expert", "lno", "coordinator", "admin"])
def test_every_page_of_the_navigation_passes_axe(
    page, sign_in, make_user, make_expert, db_session, auth, role, locale
):
    who = make_expert(clearance="NS") if role == "expert" else make_user(role, clearance="NS")
    user = auth.account(who)
    user.locale = locale
    db_session.add(user)
    db_session.commit()
    sign_in(page, who)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    links = page.locator("header nav[aria-label] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in [*dict.fromkeys(links), "/notifications", "/settings"]:
        page.goto(href)
        assert_accessible(page)
        assert_landmarks_unique(page)


def assert_landmarks_unique(page) -> None:
    """axe's landmark rules at any impact (they are "moderate"): one main, one banner, each
    navigation or region named apart; the dashboard once had two alike."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["id"].startswith("landmark") or v["id"] == "region"
    ]
    assert bad == [], f"landmark problems on {page.url}: {bad}"
