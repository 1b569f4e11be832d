"""Request pages: the list and coordinators' queue, raising and editing a draft, the detail page
with its workflow actions, team, engagement log and feedback."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.db import utcnow
from roster.errors import DomainError, Forbidden, NotFound, ValidationFailed
from roster.experts import privacy
from roster.reference import taxonomy
from roster.reference.codes import countries, languages
from roster.requests import (
    engagement,
    form_data,
    offers,
    pages,
    requalify,
    services,
    waiting,
    workflow,
)
from roster.requests.forms import (
    ACTION_LABELS,
    EXCLUSION_LABELS,
    KIND_LABELS,
    LOG_KIND_LABELS,
    MODE_LABELS,
    STATE_LABELS,
    URGENCY_LABELS,
    ActionForm,
    ExpertFeedbackForm,
    LogForm,
    RequestFeedbackForm,
    RequestForm,
    StateFilterForm,
)
from roster.requests.models import CrisisRequest
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
}


def _is_requester(req: CrisisRequest) -> bool:
    return current_user.id == req.requested_by_id


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
    form_data.prepare(form, topics)
    return render_template(
        "requests/edit.html",
        form=form,
        topic_names=topics,
        **context,
    )


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    if not policy.can_raise_request(current_user):
        abort(403)
    session = db.session()
    topics = taxonomy.topic_names(session)
    form = RequestForm()
    problems: dict[str, list[str]] = {}
    if form.validate_on_submit():
        try:
            created = services.create_request(
                session=session,
                actor=current_user,
                data=form_data.read(form, topics),
                today=db.today(),
            )
        except DomainError as exc:
            db.rollback()
            problems = form_data.attach_errors(form, exc)
        else:
            flash(_("Request saved as a draft. Submit it when it is ready."), "info")
            return redirect(url_for("requests.show", request_id=created.id))
    return _form_page(form, topics, req=None, problems=problems, title=_("New request"))


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit(request_id: int) -> str | Response:
    req = visible_or_404(request_id)
    if not policy.can_edit_request(current_user, requester_id=req.requested_by_id):
        abort(403)
    if req.state not in workflow.EDITABLE_STATES:
        flash(_("Only a draft can be edited."), "error")
        return redirect(url_for("requests.show", request_id=req.id))
    session = db.session()
    topics = taxonomy.topic_names(session)
    form = RequestForm()
    problems: dict[str, list[str]] = {}
    if form.validate_on_submit():
        try:
            services.update_request(
                session=session,
                actor=current_user,
                request=req,
                data=form_data.read(form, topics),
                today=db.today(),
            )
        except DomainError as exc:
            db.rollback()
            problems = form_data.attach_errors(form, exc)
        else:
            flash(_("Your changes were saved."), "info")
            return redirect(url_for("requests.show", request_id=req.id))
    elif not form.is_submitted():
        form_data.prepare(form, topics)
        form_data.fill(form, req, services.needs(session, req))
    return _form_page(form, topics, req=req, problems=problems, title=_("Edit request"))


def _team(req: CrisisRequest) -> list[dict[str, Any]]:
    """The assigned experts, with contact details for those who need them (and a record of
    each read)."""
    session = db.session()
    members = []
    for assignment, expert in offers.team(session, req):
        fields = policy.expert_fields_for(
            current_user, expert_user_id=expert.user_id, contact_shared=_is_requester(req)
        )
        contact = (
            fields >= policy.CONTACT_FIELDS
            and not policy.is_own_profile(current_user, expert.user_id)
            and (policy.can_match(current_user) or _is_requester(req))
        )
        if contact:
            privacy.record_contact_read(session=session, actor=current_user, expert=expert)
        members.append({"assignment": assignment, "expert": expert, "contact": contact})
    return members


def render_show(req: CrisisRequest, **forms: Any) -> str:
    """The detail page; `forms` replaces a blank form with one that carries errors."""
    session = db.session()
    fields = policy.request_fields_for(current_user)
    events = services.history(session, req) if "history" in fields else []
    team = _team(req) if "team" in fields else []
    assigned = engagement.is_assigned(session, current_user, req)
    reads_log = policy.can_read_log(current_user, assigned=assigned)
    can_log = req.state in engagement.LOGGABLE_STATES and policy.can_log_engagement(
        current_user, requester_id=req.requested_by_id, assigned=assigned
    )
    feedback = engagement.feedback_for(session, req) if req.state == "completed" else []
    coordinator = policy.can_match(current_user)
    rater = current_user.role == "lno" and _is_requester(req)
    rated = {f.expert_id for f in feedback if f.direction == "lno_on_expert"}
    rates_request = assigned and not any(
        f.direction == "expert_on_request" and f.author_id == current_user.id for f in feedback
    )
    expert_forms = forms.get("expert_forms", {})
    if req.state == "completed" and rater:
        expert_forms = {
            m["expert"].id: expert_forms.get(m["expert"].id)
            or ExpertFeedbackForm(prefix=f"expert-{m['expert'].id}", formdata=None)
            for m in team
            if m["expert"].id not in rated
        }
    show_log = reads_log and req.state in engagement.LOGGABLE_STATES
    entries = engagement.log_entries(session, req) if show_log else []
    named = (
        [e.actor_id for e in events]
        + [e.author_id for e in entries]
        + [f.author_id for f in feedback]
        + [req.requested_by_id]
    )
    if "names" not in fields:
        named = [current_user.id]
    people = pages.user_names(session, named)
    return render_template(
        "requests/show.html",
        req=req,
        fields=fields,
        show_log=show_log,
        needs=services.needs(session, req),
        topic_names=taxonomy.topic_names(session),
        countries=countries(),
        languages=languages(),
        events=events,
        people=people,
        actions=workflow.available_actions(
            req.state,
            policy.request_workflow_role(current_user),
            is_requester=_is_requester(req),
        ),
        can_edit=req.state in workflow.EDITABLE_STATES
        and policy.can_edit_request(current_user, requester_id=req.requested_by_id),
        can_match=coordinator and req.state == "matching",
        team=team,
        seat_warnings=requalify.seat_warnings(session, req, db.today()) if coordinator else {},
        exclusion_labels=EXCLUSION_LABELS,
        entries=entries,
        can_log=can_log,
        log_form=forms.get("log_form") or LogForm(formdata=None),
        feedback=[f for f in feedback if coordinator or f.author_id == current_user.id],
        expert_names={m["expert"].id: m["expert"].full_name for m in team},
        expert_forms=expert_forms if req.state == "completed" and rater else {},
        request_form=(forms.get("request_form") or RequestFeedbackForm(formdata=None))
        if req.state == "completed" and rates_request
        else None,
        labels=LABELS,
    )


@bp.get("/requests/<int:request_id>")
@login_required
def show(request_id: int) -> str:
    return render_show(visible_or_404(request_id))


def _back(req: CrisisRequest) -> Response:
    return redirect(url_for("requests.show", request_id=req.id))


def _refused(exc: DomainError) -> None:
    """Undo the refused work; answer 403 and 404 with their status, the caller handles the rest."""
    db.rollback()
    if isinstance(exc, Forbidden):
        abort(403)
    if isinstance(exc, NotFound):
        abort(404)


@bp.post("/requests/<int:request_id>/actions/<action>")
@login_required
def act(request_id: int, action: str) -> Response:
    req = visible_or_404(request_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The note is too long (2,000 characters at most)."), "error")
        return _back(req)
    try:
        engagement.take_action(
            session=db.session(),
            actor=current_user,
            request=req,
            action=action,
            note=form.note.data or "",
        )
    except DomainError as exc:
        _refused(exc)
        flash(exc.message, "error")
    else:
        flash(_("Done: %(action)s.", action=ACTION_LABELS.get(action, action)), "info")
    return _back(req)


def _submitted(
    req: CrisisRequest, form: Any, field: Any, change: Any, done: str
) -> Response | None:
    """Save a valid form through `change`; a refusal shows beside `field` (bad input) or as a
    message on the request page. None means: show the page with the form again."""
    if not form.validate_on_submit():
        return None
    try:
        change()
    except DomainError as exc:
        _refused(exc)
        if not isinstance(exc, ValidationFailed):
            flash(exc.message, "error")
            return _back(req)
        field.errors = [*field.errors, exc.message]
        return None
    flash(done, "info")
    return _back(req)


@bp.post("/requests/<int:request_id>/log")
@login_required
def log(request_id: int) -> Response | str:
    req = visible_or_404(request_id)
    if not policy.can_log_engagement(
        current_user,
        requester_id=req.requested_by_id,
        assigned=engagement.is_assigned(db.session(), current_user, req),
    ):
        abort(403)
    form = LogForm()
    done = _submitted(
        req,
        form,
        form.summary,
        lambda: engagement.add_log_entry(
            session=db.session(),
            actor=current_user,
            request=req,
            kind=form.kind.data,
            summary=form.summary.data,
        ),
        _("Entry added to the engagement log."),
    )
    return done or render_show(req, log_form=form)


@bp.post("/requests/<int:request_id>/feedback/experts/<int:expert_id>")
@login_required
def rate_expert(request_id: int, expert_id: int) -> Response | str:
    req = visible_or_404(request_id)
    form = ExpertFeedbackForm(prefix=f"expert-{expert_id}")
    done = _submitted(
        req,
        form,
        form.rating,
        lambda: engagement.give_feedback(
            session=db.session(),
            actor=current_user,
            request=req,
            expert_id=expert_id,
            rating=int(form.rating.data),
            comment=form.comment.data or "",
        ),
        _("Thank you: your feedback was recorded."),
    )
    return done or render_show(req, expert_forms={expert_id: form})


@bp.post("/requests/<int:request_id>/feedback")
@login_required
def rate_request(request_id: int) -> Response | str:
    req = visible_or_404(request_id)
    form = RequestFeedbackForm()
    done = _submitted(
        req,
        form,
        form.clarity,
        lambda: engagement.give_feedback(
            session=db.session(),
            actor=current_user,
            request=req,
            clarity=int(form.clarity.data),
            usefulness=int(form.usefulness.data),
            comment=form.comment.data or "",
        ),
        _("Thank you: your feedback was recorded."),
    )
    return done or render_show(req, request_form=form)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
