"""The search page's facet and chip links: a facet entry adds its filter and keeps the others,
a chip removes only its own, blanks and the page number are dropped, every link lands on the
results."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from werkzeug.datastructures import MultiDict

from roster.search import pages
from roster.search.forms import SearchForm

TOPICS = {"crsv": "Conflict-Related Sexual Violence (CRSV)", "poc": "Protection of Civilians"}
LABELS = pages.Labels(topics=TOPICS, languages={"fr": "French"}, countries={"ML": "Mali"})


def query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.path == "/search" and parts.fragment == "results"
    return parse_qs(parts.query)


def form_of(args: MultiDict) -> SearchForm:
    form = SearchForm(args, topics=TOPICS, may_vet=False)
    assert form.validate(), form.errors
    return form


ARGS = MultiDict(
    [
        ("topic", "crsv:3"),
        ("topic", ""),
        ("topic", "poc:2"),
        ("language", "fr:B2"),
        ("clearance", "NR"),
        ("page", "3"),
        ("sort", "name"),
    ]
)


def test_a_facet_entry_adds_its_filter_and_keeps_the_others(app):
    with app.test_request_context():
        added = query(pages.adding(ARGS, "region", "ML"))
        replaced = query(pages.adding(ARGS, "clearance", "NS"))
    assert added == {
        "topic": ["crsv:3", "poc:2"],
        "language": ["fr:B2"],
        "clearance": ["NR"],
        "sort": ["name"],
        "region": ["ML"],
    }
    assert replaced["clearance"] == ["NS"]  # one minimum level, replaced
    assert "page" not in replaced


def test_each_chip_removes_only_its_own_filter(app):
    with app.test_request_context():
        chips = pages.chips(form_of(ARGS), ARGS, LABELS)
        clear = query(pages.clear_all(ARGS))
    seen = [(c.name, c.value, c.shown) for c in chips]
    assert seen == [
        ("Topic", TOPICS["crsv"], "≥ 3"),
        ("Topic", TOPICS["poc"], "≥ 2"),
        ("Language", "French", "≥ B2"),
        ("Verified clearance", "NR", "or higher"),
    ]
    assert chips[0].spoken == "level 3 or higher"
    assert query(chips[0].href)["topic"] == ["poc:2"]
    assert query(chips[1].href)["topic"] == ["crsv:3"]
    assert "language" not in query(chips[2].href)
    assert "clearance" not in query(chips[3].href)
    assert clear == {"sort": ["name"]}


def test_facet_entries_mark_the_filters_already_on(app):
    facets = {"topic": {"crsv": 5, "poc": 2, "cpp": 1}, "language": {"fr": 4, "en": 3}}
    with app.test_request_context():
        entries = pages.facet_entries(facets, form_of(ARGS), ARGS, LABELS, shown=2)
    topics = entries["topic"]
    assert [(e.label, e.count, e.href) for e in topics] == [
        (TOPICS["crsv"], 5, None),
        (TOPICS["poc"], 2, None),
    ]
    french, english = entries["language"]
    assert french.href is None
    assert english.href and query(english.href)["language"] == ["fr:B2", "en"]
