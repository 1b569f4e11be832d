"""Profile pages: view a profile, edit it, its availability, and new profiles by coordinators."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import col, select
from werkzeug.wrappers import Response

from roster import db, policy
from roster.errors import DomainError
from roster.experts import form_data, privacy, profiles
from roster.experts.forms import (
    GENDER_LABELS,
    LEVEL_LABELS,
    ActionForm,
    NewExpertForm,
    ProfileForm,
    VettingForm,
    WindowForm,
)
from roster.experts.models import Expert, VettingDecision
from roster.experts.rules import effective_vetting_status
from roster.reference.codes import countries, languages
from roster.reference.models import Topic
from roster.requests import services as request_services

bp = Blueprint("experts", __name__)


def _topics() -> list[tuple[str, str]]:
    rows = db.session().exec(select(Topic).order_by(col(Topic.position), Topic.code)).all()
    return [(t.code, t.name) for t in rows]


def visible_or_404(expert_id: int) -> Expert:
    expert = db.session().get(Expert, expert_id)
    if expert is None or not policy.can_view_expert(
        current_user,
        expert_user_id=expert.user_id,
        listed=profiles.listed_today(expert, db.today()),
    ):
        abort(404)
    return expert


def editable_or_403(expert_id: int) -> Expert:
    expert = visible_or_404(expert_id)
    if not policy.can_edit_expert(current_user, expert_user_id=expert.user_id):
        abort(403)
    return expert


@bp.get("/profile")
@login_required
def my_profile() -> Response:
    expert = db.session().exec(select(Expert).where(Expert.user_id == current_user.id)).first()
    if expert is None:
        abort(404)
    return redirect(url_for("experts.show", expert_id=expert.id))


@bp.get("/experts/<int:expert_id>")
@login_required
def show(expert_id: int) -> str:
    expert = visible_or_404(expert_id)
    session = db.session()
    fields = policy.expert_fields_for(
        current_user,
        expert_user_id=expert.user_id,
        contact_shared=request_services.contact_shared(session, current_user, expert.id),
    )
    if fields & policy.CONTACT_FIELDS and not policy.is_own_profile(current_user, expert.user_id):
        privacy.record_contact_read(session=session, actor=current_user, expert=expert)
    history: Sequence[VettingDecision] = []
    if "vetting_history" in fields:
        history = session.exec(
            select(VettingDecision)
            .where(col(VettingDecision.expert_id) == expert.id)
            .order_by(col(VettingDecision.decided_at).desc(), col(VettingDecision.id).desc())
        ).all()
    return render_template(
        "experts/show.html",
        p=profiles.load(session, expert),
        fields=fields,
        topic_names=dict(_topics()),
        countries=countries(),
        languages=languages(),
        genders=GENDER_LABELS,
        levels=LEVEL_LABELS,
        status=effective_vetting_status(expert, db.today()),
        history=history,
        can_edit=policy.can_edit_expert(current_user, expert_user_id=expert.user_id),
        can_vet=policy.can_vet(current_user),
        can_verify=policy.can_verify(current_user),
        can_export=policy.can_export_or_erase_expert(current_user, expert_user_id=expert.user_id),
        can_deactivate=policy.can_create_expert(current_user),
        vetting_form=VettingForm(),
        action=ActionForm(),
    )


@bp.route("/experts/<int:expert_id>/edit", methods=["GET", "POST"])
@login_required
def edit(expert_id: int) -> str | Response:
    expert = editable_or_403(expert_id)
    session, topics = db.session(), _topics()
    form = ProfileForm()
    problems: dict[str, list[str]] = {}
    if form.validate_on_submit():
        try:
            profiles.update_expert(
                session=session,
                actor=current_user,
                expert=expert,
                data=form_data.read(form, {code for code, _n in topics}),
                version=int(form.version.data or 0),
                today=db.today(),
            )
        except DomainError as exc:
            db.rollback()
            problems = form_data.attach_errors(form, exc)
        else:
            flash(_("Your changes were saved."), "info")
            return redirect(url_for("experts.show", expert_id=expert.id))
    elif not form.is_submitted():
        form_data.fill(form, profiles.load(session, expert), topics)
    form_data.prepare_topics(form, topics)
    return render_template(
        "experts/edit.html",
        form=form,
        expert=expert,
        problems=problems,
        topic_names=dict(topics),
        title=_("Edit profile"),
    )


@bp.route("/experts/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    if not policy.can_create_expert(current_user):
        abort(403)
    session, topics = db.session(), _topics()
    form = NewExpertForm()
    problems: dict[str, list[str]] = {}
    if form.validate_on_submit():
        data = form_data.read(form, {code for code, _n in topics})
        data["email"] = form.email.data
        try:
            expert, link = profiles.create_expert(
                session=session,
                actor=current_user,
                data=data,
                today=db.today(),
                invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
                base_url=current_app.config["ROSTER_BASE_URL"],
            )
        except DomainError as exc:
            db.rollback()
            problems = form_data.attach_errors(form, exc)
        else:
            flash(_("Profile created. Invitation link for its owner: %(link)s", link=link), "info")
            return redirect(url_for("experts.show", expert_id=expert.id))
    form_data.prepare_topics(form, topics)
    return render_template(
        "experts/edit.html",
        form=form,
        expert=None,
        problems=problems,
        topic_names=dict(topics),
        title=_("New expert profile"),
    )


@bp.route("/experts/<int:expert_id>/availability", methods=["GET", "POST"])
@login_required
def availability(expert_id: int) -> str | Response:
    expert = editable_or_403(expert_id)
    session = db.session()
    loaded = profiles.load(session, expert)
    form = WindowForm()
    current = [{"from": w.starts_on, "to": w.ends_on, "kind": w.kind} for w in loaded.windows]
    if form.validate_on_submit():
        new = {"from": form.starts_on.data, "to": form.ends_on.data, "kind": form.kind.data}
        try:
            profiles.set_availability(
                session=session, actor=current_user, expert=expert, windows=[*current, new]
            )
        except DomainError:
            db.rollback()
            form.ends_on.errors = [
                *form.ends_on.errors,
                _("The end date must not be before the start date."),
            ]
        else:
            flash(_("Availability saved."), "info")
            return redirect(url_for("experts.availability", expert_id=expert.id))
    return render_template(
        "experts/availability.html",
        expert=expert,
        windows=loaded.windows,
        form=form,
        action=ActionForm(),
    )


@bp.post("/experts/<int:expert_id>/availability/<int:index>/remove")
@login_required
def remove_window(expert_id: int, index: int) -> Response:
    expert = editable_or_403(expert_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = db.session()
    windows = [
        {"from": w.starts_on, "to": w.ends_on, "kind": w.kind}
        for w in profiles.load(session, expert).windows
    ]
    if 0 <= index < len(windows):
        windows.pop(index)
        profiles.set_availability(
            session=session, actor=current_user, expert=expert, windows=windows
        )
        flash(_("Window removed."), "info")
    return redirect(url_for("experts.availability", expert_id=expert.id))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
