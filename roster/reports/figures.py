"""The report pages' figures as server-side SVG: the coverage heatmap in blocks, the request
charts (time to staff against target, time bands, offer funnel) and the participation bars, with
their words in the reader's language. The chart builders escape every text."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from roster import policy
from roster.reports import charts, sheets, target_chart
from roster.reports.coverage import THIN_BELOW, Coverage, search_args
from roster.reports.participation import Breakdown, suppress_below
from roster.reports.performance import BUCKETS, Performance
from roster.requests.labels import URGENCY_LABELS


def _cell_link(cov: Coverage, topic: str, column: str) -> str:
    args = search_args(cov.query, cov.today, topic, column)
    if policy.roster_scope(current_user) == "all":
        args["vetting"] = "vetted"  # the listed experts the cell counts, not the pending ones
    values: dict[str, Any] = args
    return url_for("search.search", **values)


HEATMAP_COLUMNS = 20  # columns per heatmap: wider ones overflow a 1366 px screen


def coverage_chart(cov: Coverage, only: set[str] | None = None) -> Markup:
    """The heatmap, in blocks of `HEATMAP_COLUMNS` columns one under the other; `only` limits
    its columns (the table keeps them all). Country names title the cells."""
    columns = [(c, n) for c, n in cov.columns if only is None or c in only]
    blocks = [
        columns[i : i + HEATMAP_COLUMNS] for i in range(0, len(columns), HEATMAP_COLUMNS)
    ] or [[]]
    out = []
    for n, block in enumerate(blocks):
        cells = [
            [
                charts.Cell(cov.count(code, column), _cell_link(cov, code, column))
                for column, _name in block
            ]
            for code, _name in cov.topics
        ]
        title = _("Coverage heatmap")
        if len(blocks) > 1:
            title = _(
                "Coverage heatmap, columns %(first)s to %(last)s of %(total)s",
                first=n * HEATMAP_COLUMNS + 1,
                last=n * HEATMAP_COLUMNS + len(block),
                total=len(columns),
            )
        out.append(
            charts.heatmap(
                chart_id="coverage-chart" if n == 0 else f"coverage-chart-{n + 1}",
                title=title,
                desc=_(
                    "Experts per topic (rows) and %(dimension)s (columns). Cells with 0 are "
                    "empty (red outline), fewer than %(thin)s thin (amber). Each cell opens the "
                    "roster search for it. The table below holds the same numbers.",
                    dimension=_("region") if cov.query.dimension == "region" else _("language"),
                    thin=THIN_BELOW,
                ),
                row_labels=[name for _code, name in cov.topics],
                col_labels=[name for _code, name in block],
                col_titles=[f"{name} ({code})" for code, name in block],
                cells=cells,
                thin_below=THIN_BELOW,
            )
        )
    return Markup("".join(out))  # noqa: S704 - the builder escapes every text  # nosec B704


def performance_charts(perf: Performance) -> dict[str, Markup]:
    answered = perf.offers.get("accepted", 0) + perf.offers.get("declined", 0)
    sent = perf.offers.get("sent", 0)
    funnel = charts.funnel(
        chart_id="offers-chart",
        title=_("Offer funnel"),
        desc=_("Offers sent, answered and accepted in the period."),
        stages=[
            (_("Sent"), sent),
            (_("Answered"), answered),
            (_("Accepted"), perf.offers.get("accepted", 0)),
        ],
        shares=[
            "",
            *(
                _("%(n)s%% of sent", n=round(100 * n / sent)) if sent else ""
                for n in (answered, perf.offers.get("accepted", 0))
            ),
        ],
    )
    targets = target_chart.staffing_targets(
        chart_id="staffing-target-chart",
        title=_("Time to staff against each urgency's target"),
        desc=_(
            "For each urgency: the median time from submitted to staffed as a bar, the 90th "
            "percentile as a whisker, the target as a dashed line. A median past its target is "
            "hatched and marked over target. The table beside it holds the same numbers."
        ),
        rows=[
            target_chart.Row(
                key=t.urgency,
                label=str(URGENCY_LABELS[t.urgency]),
                target=t.target_hours,
                count=t.count,
                median=t.median_hours,
                p90=t.p90_hours,
            )
            for t in perf.staffing
        ],
        words=_target_words,
    )
    distribution = charts.columns(
        chart_id="staffing-chart",
        title=_("Time to staff, by time band"),
        desc=_("Requests staffed in each time band, one column per urgency."),
        axis=_("Requests staffed"),
        groups=[label for label, _top in BUCKETS],
        series=[str(URGENCY_LABELS[t.urgency]) for t in perf.staffing],
        values=[list(t.buckets) for t in perf.staffing],
    )
    return {
        "offers": Markup(funnel),  # noqa: S704 - escaped by the chart builders  # nosec B704
        "staffing": Markup(distribution),  # noqa: S704  # nosec B704
        "targets": Markup(targets),  # noqa: S704  # nosec B704
    }


def _target_words(kind: str, value: str) -> str:
    """The time-to-staff chart's words, in the reader's language."""
    if kind == "target":
        return _("target %(h)s", h=value)
    if kind == "median":
        return _("median %(h)s", h=value)
    if kind == "p90":
        return _("90th percentile %(h)s", h=value)
    if kind == "over":
        return _("%(figures)s: over target", figures=value)
    if kind == "count":
        return ngettext("%(num)d staffed", "%(num)d staffed", int(value))
    return _("none staffed in the period")


def participation_charts(parts: dict[str, Breakdown], names: dict[str, str]) -> dict[str, Markup]:
    hidden = sheets.suppressed_text()
    out = {}
    for name, b in parts.items():
        out[name] = Markup(  # noqa: S704 - the builder escapes every text  # nosec B704
            charts.bars(
                chart_id=f"participation-{name}-chart",
                title=str(sheets.DIMENSION_LABELS[name]),
                desc=_(
                    "Counts under %(n)s are hidden so no one can be singled out.",
                    n=suppress_below(),
                ),
                items=[(sheets.key_label(name, r.key, names), r.count) for r in b.rows],
                value_text=[hidden if r.suppressed else str(r.count) for r in b.rows],
                suppressed_note=_("hidden: fewer than %(n)s", n=suppress_below()),
            )
        )
    return out
