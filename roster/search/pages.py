"""The search page's links: a facet entry adds its filter to the current query, a chip removes
one, "Clear all" removes them all. Plain URLs, so the page works without a script; each one
lands on the results (`#results`), where keyboard focus and a screen reader pick up again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from roster.search.forms import SearchForm

# Facet -> the query parameter its entries add; the clearance facet sets the one minimum level.
FACET_PARAMS = {
    "topic": "topic",
    "language": "language",
    "region": "region",
    "category": "category",
    "clearance": "clearance",
}
SINGLE = {"clearance"}
KEPT = ("sort", "per_page")  # not filters: "Clear all" keeps them


@dataclass(frozen=True)
class Chip:
    """One active filter: "Topic: CRSV ≥ 3" (`shown`), said as "level 3 or higher" (`spoken`)."""

    name: str
    value: str
    href: str
    shown: str = ""
    spoken: str = ""


@dataclass(frozen=True)
class FacetEntry:
    label: str
    count: int
    href: str | None  # None: this filter is already on


@dataclass(frozen=True)
class Labels:
    """Display names of the codes the page shows."""

    topics: Mapping[str, str]
    languages: Mapping[str, str]
    countries: Mapping[str, str]

    def of(self, facet: str, key: str) -> str:
        names = {"topic": self.topics, "language": self.languages, "region": self.countries}
        return names.get(facet, {}).get(key, key)


def _cleaned(args: MultiDict) -> MultiDict:
    """The query without blank values (the form sends one per empty select) or the page."""
    kept: MultiDict = MultiDict()
    for key, value in args.items(multi=True):
        if key != "page" and value.strip():
            kept.add(key, value)
    return kept


def _url(args: MultiDict) -> str:
    values: dict[str, Any] = args.to_dict(flat=False)
    return url_for("search.search", _anchor="results", **values)


def _code(value: str) -> str:
    return value.partition(":")[0].strip()


def adding(args: MultiDict, facet: str, key: str) -> str:
    """This search with one more filter: the facet's entry `key`."""
    merged = _cleaned(args)
    name = FACET_PARAMS[facet]
    if facet in SINGLE:
        merged.setlist(name, [key])
    else:
        merged.add(name, key)
    return _url(merged)


def removing(args: MultiDict, names: tuple[str, ...], drop: Callable[[str], bool]) -> str:
    """This search without the values of `names` that `drop` picks."""
    merged = _cleaned(args)
    for name in names:
        merged.setlist(name, [v for v in merged.getlist(name) if not drop(v)])
    return _url(merged)


def clear_all(args: MultiDict) -> str:
    merged = _cleaned(args)
    return _url(MultiDict([(k, v) for k, v in merged.items(multi=True) if k in KEPT]))


def _every(_value: str) -> bool:
    return True


def _is(wanted: str) -> Callable[[str], bool]:
    return lambda value: value == wanted


def _coded(wanted: str) -> Callable[[str], bool]:
    return lambda value: _code(value) == wanted


def chips(form: SearchForm, args: MultiDict, labels: Labels) -> list[Chip]:
    """Every filter of a valid search, in the order of the form, each with its removing link."""
    found: list[Chip] = []
    if form.q.data:
        found.append(Chip(_("Words"), f"“{form.q.data}”", removing(args, ("q",), _every)))
    for need in form.topic.data or []:
        level = need.min_level
        found.append(
            Chip(
                _("Topic"),
                labels.of("topic", need.code),
                removing(args, ("topic",), _coded(need.code)),
                f"≥ {level}" if level > 1 else "",
                _("level %(n)s or higher", n=level) if level > 1 else "",
            )
        )
    if form.topic.data and form.topic_mode.data == "any":
        found.append(
            Chip(_("Match topics"), _("Any chosen topic"), removing(args, ("topic_mode",), _every))
        )
    for lang in form.language.data or []:
        level = lang.min_level
        found.append(
            Chip(
                _("Language"),
                labels.of("language", lang.code),
                removing(args, ("language",), _coded(lang.code)),
                f"≥ {level}" if level != "A1" else "",
                _("%(level)s or better", level=level) if level != "A1" else "",
            )
        )
    for name, title in (("region", _("Region known")), ("nationality", _("Nationality"))):
        for code in form[name].data or []:
            found.append(
                Chip(title, labels.countries.get(code, code), removing(args, (name,), _is(code)))
            )
    for category in form.category.data or []:
        found.append(Chip(_("Category"), category, removing(args, ("category",), _is(category))))
    if form.clearance.data:
        found.append(
            Chip(
                _("Verified clearance"),
                form.clearance.data,
                removing(args, ("clearance",), _every),
                _("or higher"),
            )
        )
    if form.available_from.data and form.available_to.data:
        window = f"{form.available_from.data.isoformat()} – {form.available_to.data.isoformat()}"
        found.append(
            Chip(
                _("Available"),
                window,
                removing(args, ("available_from", "available_to"), _every),
            )
        )
    if form.deployable.data:
        said = _("Yes") if form.deployable.data == "true" else _("No")
        found.append(Chip(_("Deployable"), said, removing(args, ("deployable",), _every)))
    if form.may_vet:
        for status in form.vetting.data or []:
            found.append(Chip(_("Vetting"), status, removing(args, ("vetting",), _is(status))))
    return found


def _active(form: SearchForm) -> dict[str, set[str]]:
    return {
        "topic": {need.code for need in form.topic.data or []},
        "language": {lang.code for lang in form.language.data or []},
        "region": set(form.region.data or []),
        "category": set(form.category.data or []),
        "clearance": {form.clearance.data} if form.clearance.data else set(),
    }


def facet_entries(
    facets: Mapping[str, Mapping[str, int]],
    form: SearchForm,
    args: MultiDict,
    labels: Labels,
    *,
    shown: int = 10,
) -> dict[str, list[FacetEntry]]:
    """The first `shown` entries of each facet, counted as the search counted them; each adds
    its filter unless that filter is already on."""
    active = _active(form)
    return {
        facet: [
            FacetEntry(
                labels.of(facet, key),
                count,
                None if key in active.get(facet, set()) else adding(args, facet, key),
            )
            for key, count in list(counts.items())[:shown]
        ]
        for facet, counts in facets.items()
        if counts and facet in FACET_PARAMS
    }
