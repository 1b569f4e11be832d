"""Each report as the tables the page shows beside its charts and the exports write, with
translated captions and headings. One builder per report, so page and download cannot differ."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from roster import locales
from roster.reference.codes import countries
from roster.reports.coverage import Coverage
from roster.reports.participation import Breakdown, suppress_below
from roster.reports.performance import BUCKETS, Performance
from roster.reports.tables import Table, Value
from roster.reports.watchlist import Due
from roster.requests.labels import STATE_LABELS, URGENCY_LABELS

OFFER_LABELS = {
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "open": _l("Awaiting an answer"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
DIMENSION_LABELS = {
    "gender": _l("Engagements by gender"),
    "origin": _l("Engagements by origin"),
    "nationality": _l("Engagements by nationality"),
    "affiliation": _l("Engagements by affiliation kind"),
    "topic": _l("Engagements by requested topic"),
}
KEY_LABELS = {
    "woman": _l("Women"),
    "man": _l("Men"),
    "non-binary": _l("Non-binary"),
    "self-described": _l("Self-described"),
    "undisclosed": _l("Undisclosed"),
    "conflict-affected": _l("From a conflict-affected country"),
    "other": _l("From another country"),
    "not-recorded": _l("Nationality not recorded"),
}


def suppressed_text() -> str:
    return _("< %(n)s", n=suppress_below())


def hours(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def against_target(value: float | None, target: float) -> str | None:
    """ "within target" or "over target", in words, so the table never relies on colour."""
    if value is None:
        return None
    return _("over target") if value > target else _("within target")


def coverage_tables(report: Coverage) -> list[Table]:
    dimension = _("Region") if report.query.dimension == "region" else _("Language")
    matrix = Table(
        key="coverage",
        caption=_(
            "Listed, cleared, available experts per topic and %(dimension)s on %(day)s",
            dimension=dimension.lower(),
            day=locales.day(report.today),
        ),
        headers=[_("Topic"), _("All"), *(f"{name} ({code})" for code, name in report.columns)],
        rows=[
            [
                name,
                report.topic_totals.get(code, 0),
                *(report.count(code, column) for column, _name in report.columns),
            ]
            for code, name in report.topics
        ],
    )
    topic_names, column_names = dict(report.topics), dict(report.columns)
    gaps = Table(
        key="gaps",
        caption=_("Coverage gaps: empty and thin cells"),
        headers=[_("Topic"), dimension, _("Experts"), _("Gap")],
        rows=[
            [
                topic_names[t],
                f"{column_names[c]} ({c})",
                n,
                _("empty") if n == 0 else _("thin"),
            ]
            for t, c, n in report.gaps()
        ],
    )
    return [matrix, gaps]


def watch_tables(lists: dict[str, list[Due]], days: int) -> list[Table]:
    specs = {
        "vettings": (_("Vettings ending within %(days)s days", days=days), _("Valid until")),
        "clearances": (_("Clearances expiring within %(days)s days", days=days), _("Expires on")),
        "csap": (_("CSAP terms ending within %(days)s days", days=days), _("Term ends")),
        "dormant": (_("Dormant experts: not engaged for 12 months"), _("Last engaged")),
    }
    detail = {
        "vettings": None,
        "clearances": _("Level"),
        "csap": _("Cohort"),
        "dormant": None,
    }
    tables = []
    for key, (caption, when) in specs.items():
        headers = [_("Expert"), when] + ([detail[key]] if detail[key] else [])
        rows: list[list[Value]] = [
            [d.full_name, d.on, *([d.what] if detail[key] else [])] for d in lists.get(key, [])
        ]
        tables.append(Table(key=key, caption=caption, headers=headers, rows=rows))
    return tables


def performance_tables(report: Performance) -> list[Table]:
    urgencies = list(URGENCY_LABELS)
    states = [s for s in STATE_LABELS if report.state_total(s)] or ["submitted"]
    by_state = Table(
        key="requests_by_state",
        caption=_("Requests by state and urgency"),
        headers=[_("State"), *(str(URGENCY_LABELS[u]) for u in urgencies), _("Total")],
        rows=[
            [
                str(STATE_LABELS[s]),
                *(report.by_state.get((s, u), 0) for u in urgencies),
                report.state_total(s),
            ]
            for s in states
        ],
    )
    staffing = Table(
        key="time_to_staff",
        caption=_("Time from submitted to staffed, in hours, against each urgency's target"),
        headers=[
            _("Urgency"),
            _("Target (h)"),
            _("Staffed"),
            _("Median (h)"),
            _("90th percentile (h)"),
            _("Within target"),
            _("Median against target"),
        ],
        rows=[
            [
                str(URGENCY_LABELS[t.urgency]),
                hours(t.target_hours),
                t.count,
                hours(t.median_hours),
                hours(t.p90_hours),
                t.within_target,
                against_target(t.median_hours, t.target_hours),
            ]
            for t in report.staffing
        ],
    )
    distribution = Table(
        key="time_to_staff_distribution",
        caption=_("Requests staffed, by time from submitted to staffed"),
        headers=[_("Urgency"), *(label for label, _top in BUCKETS)],
        rows=[[str(URGENCY_LABELS[t.urgency]), *t.buckets] for t in report.staffing],
    )
    offers = Table(
        key="offers",
        caption=_("Offers sent and their answers"),
        headers=[_("Offers"), _("Count")],
        rows=[[str(OFFER_LABELS[k]), n] for k, n in report.offers.items()],
    )
    reasons = Table(
        key="decline_reasons",
        caption=_("Most frequent decline reasons"),
        headers=[_("Reason"), _("Declines")],
        rows=[[r or _("(no reason given)"), n] for r, n in report.decline_reasons],
    )
    overdue = Table(
        key="overdue",
        caption=_("Requests overdue now"),
        headers=[
            _("Request"),
            _("Title"),
            _("Urgency"),
            _("State"),
            _("Submitted"),
            _("Waiting (h)"),
            _("Target (h)"),
        ],
        rows=[
            [
                w.request_id,
                w.title,
                str(URGENCY_LABELS[w.urgency]),
                str(STATE_LABELS[w.state]),
                w.submitted_at,
                w.hours_waiting,
                hours(w.target_hours),
            ]
            for w in report.overdue
        ],
    )
    return [by_state, staffing, distribution, offers, reasons, overdue]


def key_label(dimension: str, key: str, topic_names: dict[str, str]) -> str:
    if dimension == "topic":
        return topic_names.get(key, key)
    if dimension == "nationality" and key in countries():
        return f"{countries()[key]} ({key})"
    return str(KEY_LABELS.get(key, key))


def participation_tables(
    breakdowns: dict[str, Breakdown], topic_names: dict[str, str]
) -> list[Table]:
    hidden = suppressed_text()
    tables = []
    for name, b in breakdowns.items():
        rows: list[list] = [
            [
                key_label(name, row.key, topic_names),
                hidden if row.suppressed else row.count,
                None if row.share is None else round(100 * row.share, 1),
            ]
            for row in b.rows
        ]
        rows.append([_("All engagements"), hidden if b.total is None else b.total, None])
        caption = str(DIMENSION_LABELS[name])
        if b.overlapping:
            caption += " " + _("(one engagement may count under several rows)")
        tables.append(
            Table(
                key=f"participation_{name}",
                caption=caption,
                headers=[_("Group"), _("Engagements"), _("Share (%)")],
                rows=rows,
            )
        )
    return tables
