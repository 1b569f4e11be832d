"""The search page at /search: the LNO's main screen (and the coordinators' roster view)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from roster import db, policy
from roster.experts.forms import VETTING_LABELS
from roster.reference.codes import CEFR_LEVELS
from roster.reference.taxonomy import country_names, language_names
from roster.search import pages
from roster.search.cards import CARD_TOPICS, topic_names
from roster.search.forms import SearchForm
from roster.search.service import search_roster

bp = Blueprint("search", __name__)


def page_url(args: MultiDict, **changes: object) -> str:
    """This search's URL with some parameters replaced (paging, removing a filter)."""
    merged = MultiDict(args)
    for key, value in changes.items():
        merged.setlist(key, [] if value is None else [str(value)])
    values: dict[str, Any] = merged.to_dict(flat=False)
    return url_for("search.search", **values)


@bp.get("/search")
@login_required
def search() -> tuple[str, int] | str:
    scope = policy.roster_scope(current_user)
    if scope is None:
        abort(403)
    session = db.session()
    names = topic_names(session)
    form = SearchForm(request.args, topics=names, may_vet=scope == "all")
    found = None
    status = 200
    labels = pages.Labels(topics=names, languages=language_names(), countries=country_names())
    chips: list[pages.Chip] = []
    facets: dict[str, list[pages.FacetEntry]] = {}
    if form.validate():
        found = search_roster(
            session=session, viewer=current_user, criteria=form.criteria(), today=db.today()
        )
        chips = pages.chips(form, request.args, labels)
        facets = pages.facet_entries(found.result.facets, form, request.args, labels)
    else:
        status = 422
    return render_template(
        "search/search.html",
        form=form,
        found=found,
        topic_names=names,
        country_names=country_names(),
        language_names=language_names(),
        cefr=CEFR_LEVELS,
        card_topics=CARD_TOPICS,
        vetting_labels=VETTING_LABELS,
        args=request.args,
        page_url=page_url,
        chips=chips,
        facets=facets,
        clear_url=pages.clear_all(request.args),
    ), status


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
