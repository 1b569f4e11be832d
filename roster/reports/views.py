"""Dashboard pages: the /dashboard overview, one page per report, the printable annual report,
and every report and roster search as CSV or XLSX. Thin: the reports come from `dashboard`, the
overview from `overview`, their tables from `sheets`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from roster import db, policy
from roster.db import utcnow
from roster.reports import charts, dashboard, exports, figures, overview, pdf, sheets
from roster.reports.coverage import Coverage, ranked_gaps
from roster.reports.forms import AnnualForm, ReportFilterForm
from roster.reports.period import Period
from roster.reports.tables import Table, pick
from roster.requests.labels import URGENCY_LABELS
from roster.requests.services import viewer_for
from roster.search.cards import topic_names
from roster.search.export import export_search
from roster.search.forms import SearchForm

bp = Blueprint(
    "reports",
    __name__,
    static_folder="static",
    static_url_path="/reports/static",
)
FORMATS = ("csv", "xlsx")


def _require_dashboard() -> None:
    if not policy.can_view_dashboard(current_user):
        abort(403)


def _filters() -> tuple[ReportFilterForm, int]:
    """The filter form from the URL; invalid input falls back to the defaults (answer 422)."""
    form = ReportFilterForm(request.args)
    if form.validate():
        return form, 200
    fallback = ReportFilterForm(MultiDict())
    fallback.validate()
    for name, errors in form.errors.items():
        getattr(fallback, name).errors = errors
    return fallback, 422


def _report(kind: str, form: ReportFilterForm) -> tuple[Any, list[Table]]:
    session, today = db.session(), db.today()
    if kind == "coverage":
        cov = dashboard.coverage_report(session, current_user, form.coverage_query(), today=today)
        return cov, sheets.coverage_tables(cov)
    if kind == "watchlist":
        days = form.horizon()
        lists = dashboard.watch_report(session, current_user, days=days, today=today)
        return lists, sheets.watch_tables(lists, days)
    period = form.period(today)
    if kind == "requests":
        perf = dashboard.requests_report(session, current_user, period=period, now=utcnow())
        return perf, sheets.performance_tables(perf)
    parts = dashboard.participation_report(session, current_user, period=period, today=today)
    return parts, sheets.participation_tables(parts, topic_names(session))


REPORT_TITLES = {
    "coverage": _l("Coverage gaps"),
    "watchlist": _l("Expiring soon and dormant"),
    "requests": _l("Request performance"),
    "participation": _l("Participation and balance"),
}


@bp.get("/dashboard")
@login_required
def dashboard_page() -> str:
    """The overview: headline figures, each linking to its report page."""
    _require_dashboard()
    return render_template(
        "reports/dashboard.html",
        ov=overview.overview(db.session(), current_user, now=utcnow()),
        urgency_labels=URGENCY_LABELS,
        titles=REPORT_TITLES,
        can_import=policy.can_import_experts(current_user),
    )


@bp.get("/dashboard/<kind>")
@login_required
def report_page(kind: str) -> tuple[str, int]:
    """One report in full: its settings, charts, tables and downloads."""
    if kind not in dashboard.KINDS:
        abort(404)
    _require_dashboard()
    form, status = _filters()
    report, tables = _report(kind, form)
    charts_: dict[str, Markup] = {}
    extra: dict[str, Any] = {}
    if kind == "coverage":
        extra = _coverage_extra(report)
        charts_ = {"coverage": figures.coverage_chart(report, extra["only"])}
    elif kind == "requests":
        charts_ = figures.performance_charts(report)
        extra = _monthly_extra()
    elif kind == "participation":
        charts_ = figures.participation_charts(report, topic_names(db.session()))
    return render_template(
        "reports/report.html",
        kind=kind,
        titles=REPORT_TITLES,
        form=form,
        report=report,
        tables=tables,
        charts=charts_,
        export_args=request.args.to_dict(flat=True),
        formats=FORMATS,
        **extra,
    ), status


TOP_GAPS = 20


def _monthly_extra() -> dict[str, Any]:
    """Requests raised and staffed per month over 24 months: the chart and its table."""
    months = dashboard.monthly_report(db.session(), current_user, today=db.today())
    table = Table(
        key="monthly",
        caption=_("Requests raised and staffed per month, last 24 months"),
        headers=[_("Month"), _("Raised"), _("Staffed")],
        rows=[[m, raised, staffed] for m, raised, staffed in months],
    )
    chart = charts.monthly(
        chart_id="monthly-chart",
        title=_("Requests raised and staffed per month"),
        desc=_("Requests raised (created) and staffed in each of the last 24 months."),
        months=[m for m, _r, _s in months],
        series=[_("Raised"), _("Staffed")],
        values=[[r for _m, r, _s in months], [s for _m, _r, s in months]],
        axis=_("Requests"),
    )
    return {"monthly_chart": Markup(chart), "monthly_table": table}  # noqa: S704 - escaped by the chart builder  # nosec B704


def _coverage_extra(cov: Coverage) -> dict[str, Any]:
    """Gaps ranked by need and the heatmap's columns: by region, the regions requests were
    raised for in the last 24 months unless all are asked for (`columns=all`)."""
    session, today = db.session(), db.today()
    viewer = viewer_for(session, current_user, today)
    by_region = cov.query.dimension == "region"
    regions = overview.asked_regions(session, viewer, today) if by_region else set()
    asked = overview.asked_cells(session, viewer, today) if by_region else {}
    ranked = ranked_gaps(cov.gaps(), asked, regions)
    every = request.args.get("gaps") == "all"
    shown_columns = {c for c, _n in cov.columns} & regions
    limited = by_region and bool(shown_columns) and request.args.get("columns") != "all"
    return {
        "ranked": ranked if every else ranked[:TOP_GAPS],
        "ranked_total": len(ranked),
        "all_gaps": every,
        "only": shown_columns if limited else None,
        "column_names": dict(cov.columns),
        "topic_labels": dict(cov.topics),
    }


def download(tables: list[Table], name: str, fmt: str) -> Response:
    body, mimetype = exports.write(tables, fmt)
    response = Response(body, mimetype=mimetype)
    filename = f"roster-{name}-{db.today().isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/reports/<kind>.<fmt>")
@login_required
def export_report(kind: str, fmt: str) -> Response:
    if kind not in dashboard.KINDS or fmt not in FORMATS:
        abort(404)
    _require_dashboard()
    form, status = _filters()
    if status != 200:
        abort(400)
    _report_value, tables = _report(kind, form)
    chosen = pick(tables, request.args.get("table"))
    if not chosen:
        abort(404)
    return download(chosen, kind, fmt)


@bp.get("/reports/search.<fmt>")
@login_required
def export_search_results(fmt: str) -> Response:
    scope = policy.roster_scope(current_user)
    if fmt not in FORMATS:
        abort(404)
    if scope is None or not policy.can_export_search(current_user):
        abort(403)
    session = db.session()
    form = SearchForm(request.args, topics=topic_names(session), may_vet=scope == "all")
    if not form.validate():
        abort(400)
    table = export_search(
        session=session, viewer=current_user, criteria=form.criteria(), today=db.today()
    )
    return download([table], "search", fmt)


def _annual_page(form: AnnualForm, *, pdf: bool) -> str:
    """The annual report's HTML for the year the form names (this year when it names none):
    one template for the page and the PDF, which differ only by the print stylesheet."""
    today = db.today()
    year = form.year.data if not form.errors and form.year.data else today.year
    period = Period(date(year, 1, 1), min(date(year, 12, 31), today))
    filters = ReportFilterForm(
        MultiDict({"start": period.start.isoformat(), "end": period.end.isoformat()})
    )
    filters.validate()
    reports = {kind: _report(kind, filters) for kind in dashboard.KINDS}
    names = topic_names(db.session())
    gaps = _coverage_extra(reports["coverage"][0])
    return render_template(
        "reports/annual.html",
        gaps=gaps,
        form=form,
        year=year,
        period=period,
        today=today,
        pdf=pdf,
        tables={kind: tables for kind, (_r, tables) in reports.items()},
        coverage_chart=figures.coverage_chart(reports["coverage"][0], gaps["only"]),
        performance_charts=figures.performance_charts(reports["requests"][0]),
        participation_charts=figures.participation_charts(reports["participation"][0], names),
    )


@bp.get("/reports/annual")
@login_required
def annual() -> tuple[str, int]:
    _require_dashboard()
    form = AnnualForm(request.args)
    status = 200 if form.validate() else 422
    return _annual_page(form, pdf=False), status


@bp.get("/reports/annual.pdf")
@login_required
def annual_pdf() -> Response | tuple[str, int]:
    """The same report as PDF, laid out by WeasyPrint from the same HTML; 503 where WeasyPrint
    cannot load on this machine (the HTML page still works)."""
    _require_dashboard()
    form = AnnualForm(request.args)
    if not form.validate():
        abort(400)
    html = _annual_page(form, pdf=True)
    files = {
        "/reports/static/": Path(bp.static_folder or "missing"),
        "/static/": Path(current_app.static_folder or "missing"),
    }
    try:
        body = pdf.to_pdf(html, base_url=request.host_url, files=files)
    except pdf.PdfUnavailable:
        title = _("PDF not available")
        message = _(
            "This server cannot draw PDF files at the moment (a system library is missing). "
            "Use the printable page and your browser's Print to PDF instead."
        )
        return render_template("errors/error.html", status=503, title=title, message=message), 503
    year = form.year.data or db.today().year
    response = Response(body, mimetype="application/pdf")
    filename = f"roster-annual-report-{year}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
