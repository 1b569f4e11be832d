"""The names of the reference data the seeds load, translatable: the database keeps the English
name of each topic and clearance level (seeds/*.yaml), pages show it in the reader's language.
Keyed by code; tests/i18n/test_reference_names.py fails when a seeded topic or level is missing
here or its English name differs from the seed's."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

TOPIC_NAMES: dict[str, LazyString] = {
    "poc": _l("Protection of Civilians (PoC)"),
    "crsv": _l("Conflict-Related Sexual Violence (CRSV)"),
    "cthb": _l("Combating Trafficking in Human Beings (CTHB)"),
    "caac": _l("Children and Armed Conflict (CAAC)"),
    "cpp": _l("Cultural Property Protection (CPP)"),
    "wps-participation": _l("WPS: Participation"),
    "wps-prevention": _l("WPS: Prevention"),
    "wps-protection": _l("WPS: Protection"),
    "wps-relief-recovery": _l("WPS: Relief and Recovery"),
    "wps-leadership": _l("Gender-Responsive Leadership and Accountability"),
    "gender-analysis": _l("Gender Analysis and Gender Perspectives in Operations"),
    "tfgbv": _l("Technology-Facilitated Gender-Based Violence (TFGBV)"),
    "disinformation": _l("Gendered Disinformation"),
    "sea": _l("Sexual Exploitation and Abuse (SEA)"),
    "climate-security": _l("Climate Change and Security"),
    "resilience": _l("Societal Resilience"),
    "counter-terrorism": _l("Counter-Terrorism"),
    "human-environment": _l("Understanding the Human Environment"),
    "civilian-harm-mitigation": _l("Civilian Harm Mitigation"),
    "ai-bias": _l("AI and Technology Bias"),
}

CLEARANCE_NAMES: dict[str, LazyString] = {
    "NU": _l("NATO UNCLASSIFIED"),
    "NR": _l("NATO RESTRICTED"),
    "NC": _l("NATO CONFIDENTIAL"),
    "NS": _l("NATO SECRET"),
    "CTS": _l("COSMIC TOP SECRET"),
}


def topic_name(code: str, stored: str) -> str:
    """A topic's name in the current language; a topic added since (not here) keeps its own."""
    known = TOPIC_NAMES.get(code)
    return str(known) if known is not None else stored


def clearance_name(code: str, stored: str | None = None) -> str:
    known = CLEARANCE_NAMES.get(code)
    return str(known) if known is not None else (stored or code)


def translated_topics(stored: dict[str, str]) -> dict[str, str]:
    """code -> stored name, as code -> name in the current language (same order)."""
    return {code: topic_name(code, name) for code, name in stored.items()}
