"""Request pages: the list and coordinators' queue, raising and editing a draft, the detail page
with its workflow actions, team, engagement log and feedback."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.db import utcnow
from roster.reference import taxonomy
from roster.reference.codes import countries, languages
from roster.refusals import back_with_message, form_page, onto
from roster.requests import engagement, form_data, pages, presenters, services, waiting, workflow
from roster.requests.forms import (
    ACTION_LABELS,
    EXCLUSION_LABELS,
    KIND_LABELS,
    LOG_KIND_LABELS,
    MODE_LABELS,
    OFFER_STATE_LABELS,
    ActionForm,
    ExpertFeedbackForm,
    LogForm,
    RequestFeedbackForm,
    RequestForm,
    StateFilterForm,
)
from roster.requests.labels import STATE_LABELS, URGENCY_LABELS
from roster.requests.models import CrisisRequest
from roster.requests.offers import LAST_SEAT_NOTE
from roster.requests.pages import visible_or_404

bp = Blueprint("requests", __name__)
PER_PAGE = 50
LABELS = {
    "kinds": KIND_LABELS,
    "urgencies": URGENCY_LABELS,
    "modes": MODE_LABELS,
    "states": STATE_LABELS,
    "actions": ACTION_LABELS,
    "log_kinds": LOG_KIND_LABELS,
    # History notes the system writes, stored in English: shown in the reader's language.
    "notes": {LAST_SEAT_NOTE: _l("The last seat was accepted.")},
}


@bp.get("/requests")
@login_required
def index() -> str:
    session = db.session()
    form = StateFilterForm(request.args)
    state = form.state.data if form.validate() and form.state.data in STATE_LABELS else None
    page = max(request.args.get("page", 1, type=int), 1)
    viewer = services.viewer_for(session, current_user, db.today())
    rows, total = services.visible_requests(
        session, viewer, state=state, page=page, per_page=PER_PAGE
    )
    queue = policy.can_match(current_user)
    ages: dict[int, Any] = {}
    if queue:
        now = utcnow()
        ages = {r.id: waiting.response_age(r, now) for r in rows}
        rows = waiting.queue_order(rows, ages)
    return render_template(
        "requests/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        state=state,
        form=form,
        queue=queue,
        ages=ages,
        can_raise=policy.can_raise_request(current_user),
        labels=LABELS,
    )


def _form_page(form: RequestForm, topics: dict[str, str], **context: Any) -> str:
    form_data.prepare(form, topics, _classifications())
    return render_template(
        "requests/edit.html",
        form=form,
        topic_names=topics,
        row_labels=form_data.row_labels,
        errors=form_data.error_list(form, context["problems"]),
        **context,
    )


def _classifications() -> list[str]:
    return policy.raisable_classifications(current_user, db.today())


def _request_form(topics: dict[str, str]) -> RequestForm:
    """The posted (or blank) request form with this user's choices, ready to validate."""
    form = RequestForm()
    form_data.prepare(form, topics, _classifications())
    return form


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new() -> tuple[str, int] | Response:
    if not policy.can_raise_request(current_user):
        abort(403)
    session = db.session()
    topics = taxonomy.topic_names(session)
    form = _request_form(topics)
    page = form_page(
        form,
        lambda problems: _form_page(
            form, topics, req=None, problems=problems, title=_("New request")
        ),
        attach=form_data.attach_errors,
    )
    if page.submitted():
        created = services.create_request(
            session=session,
            actor=current_user,
            data=form_data.read(form, topics),
            today=db.today(),
        )
        if request.form.get("and_submit"):  # "Save and submit": one step, one transaction
            services.apply_action(
                session=session, actor=current_user, request=created, action="submit"
            )
            flash(_("Request submitted. Coordinators have been told."), "info")
        else:
            flash(_("Request saved as a draft. Submit it when it is ready."), "info")
        return redirect(url_for("requests.show", request_id=created.id))
    return page.again()


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit(request_id: int) -> tuple[str, int] | Response:
    req = visible_or_404(request_id)
    if not policy.can_edit_request(current_user, requester_id=req.requested_by_id):
        abort(403)
    if req.state not in workflow.EDITABLE_STATES:
        flash(_("Only a draft can be edited."), "error")
        return redirect(url_for("requests.show", request_id=req.id))
    session = db.session()
    topics = taxonomy.topic_names(session)
    form = _request_form(topics)
    page = form_page(
        form,
        lambda problems: _form_page(
            form, topics, req=req, problems=problems, title=_("Edit request")
        ),
        attach=form_data.attach_errors,
    )
    if page.submitted():
        services.update_request(
            session=session,
            actor=current_user,
            request=req,
            data=form_data.read(form, topics),
            today=db.today(),
        )
        flash(_("Your changes were saved."), "info")
        return redirect(url_for("requests.show", request_id=req.id))
    if not form.is_submitted():
        form_data.fill(form, req, services.needs(session, req))
    return page.again()


def render_show(req: CrisisRequest, **forms: Any) -> str:
    """The detail page; `forms` replaces a blank form with one that carries errors."""
    session = db.session()
    view = presenters.present_request(session, current_user, req, db.today())
    given = forms.get("expert_forms", {})
    expert_forms = {
        m.expert.id: given.get(m.expert.id)
        or ExpertFeedbackForm(prefix=f"expert-{m.expert.id}", formdata=None)
        for m in view.feedback_targets
    }
    return render_template(
        "requests/show.html",
        view=view,
        req=req,
        topic_names=taxonomy.topic_names(session),
        countries=countries(),
        languages=languages(),
        people=pages.user_names(session, view.named_people()),
        exclusion_labels=EXCLUSION_LABELS,
        offer_states=OFFER_STATE_LABELS,
        log_form=forms.get("log_form") or LogForm(formdata=None),
        expert_forms=expert_forms,
        request_form=(forms.get("request_form") or RequestFeedbackForm(formdata=None))
        if view.rates_request
        else None,
        labels=LABELS,
    )


@bp.get("/requests/<int:request_id>")
@login_required
def show(request_id: int) -> str:
    return render_show(visible_or_404(request_id))


def _back(req: CrisisRequest) -> Response:
    return redirect(url_for("requests.show", request_id=req.id))


@bp.post("/requests/<int:request_id>/actions/<action>")
@login_required
def act(request_id: int, action: str) -> Response:
    req = visible_or_404(request_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The note is too long (2,000 characters at most)."), "error")
        return _back(req)
    back_with_message(url_for("requests.show", request_id=req.id))
    engagement.take_action(
        session=db.session(),
        actor=current_user,
        request=req,
        action=action,
        note=form.note.data or "",
    )
    flash(_("Done: %(action)s.", action=ACTION_LABELS.get(action, action)), "info")
    return _back(req)


def _submitted(
    req: CrisisRequest, form: Any, field: str, change: Any, done: str, render: Any
) -> Response | tuple[str, int]:
    """Save a valid form through `change`; a refusal shows beside `field` (bad input) or as a
    message on the request page. The page shown again with the form answers 200: drawing it
    records the reads of the team's contact details, which a 4xx would roll back."""
    page = form_page(
        form,
        lambda _p: render(),
        attach=onto(field),
        back_to=url_for("requests.show", request_id=req.id),
        status=200,
    )
    if not page.submitted():
        return page.again()
    change()
    flash(done, "info")
    return _back(req)


@bp.post("/requests/<int:request_id>/log")
@login_required
def log(request_id: int) -> Response | tuple[str, int]:
    req = visible_or_404(request_id)
    if not policy.can_log_engagement(
        current_user,
        requester_id=req.requested_by_id,
        assigned=engagement.is_assigned(db.session(), current_user, req),
    ):
        abort(403)
    form = LogForm()
    return _submitted(
        req,
        form,
        "summary",
        lambda: engagement.add_log_entry(
            session=db.session(),
            actor=current_user,
            request=req,
            kind=form.kind.data,
            summary=form.summary.data,
        ),
        _("Entry added to the engagement log."),
        lambda: render_show(req, log_form=form),
    )


@bp.post("/requests/<int:request_id>/feedback/experts/<int:expert_id>")
@login_required
def rate_expert(request_id: int, expert_id: int) -> Response | tuple[str, int]:
    req = visible_or_404(request_id)
    form = ExpertFeedbackForm(prefix=f"expert-{expert_id}")
    return _submitted(
        req,
        form,
        "rating",
        lambda: engagement.give_feedback(
            session=db.session(),
            actor=current_user,
            request=req,
            expert_id=expert_id,
            rating=int(form.rating.data),
            comment=form.comment.data or "",
        ),
        _("Thank you: your feedback was recorded."),
        lambda: render_show(req, expert_forms={expert_id: form}),
    )


@bp.post("/requests/<int:request_id>/feedback")
@login_required
def rate_request(request_id: int) -> Response | tuple[str, int]:
    req = visible_or_404(request_id)
    form = RequestFeedbackForm()
    return _submitted(
        req,
        form,
        "clarity",
        lambda: engagement.give_feedback(
            session=db.session(),
            actor=current_user,
            request=req,
            clarity=int(form.clarity.data),
            usefulness=int(form.usefulness.data),
            comment=form.comment.data or "",
        ),
        _("Thank you: your feedback was recorded."),
        lambda: render_show(req, request_form=form),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
