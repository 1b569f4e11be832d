"""Profile pages: view a profile, edit it, its availability, and new profiles by coordinators."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select
from werkzeug.wrappers import Response

from roster import db, policy
from roster.experts import form_data, presenters, profiles
from roster.experts.forms import (
    AFFILIATION_LABELS,
    CATEGORY_LABELS,
    GENDER_LABELS,
    LEVEL_LABELS,
    VETTING_LABELS,
    ActionForm,
    NewExpertForm,
    ProfileForm,
    VettingForm,
    WindowForm,
)
from roster.experts.models import Expert
from roster.reference import taxonomy
from roster.refusals import form_page, onto

bp = Blueprint("experts", __name__)


def _topics() -> list[tuple[str, str]]:
    return list(taxonomy.topic_names(db.session()).items())


def visible_or_404(expert_id: int) -> Expert:
    return presenters.visible_expert(db.session(), current_user, expert_id, db.today())


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
    view = presenters.view_expert(db.session(), current_user, expert_id, db.today())
    return render_template(
        "experts/show.html",
        view=view,
        p=view.loaded,
        topic_names=taxonomy.topic_names(db.session()),
        countries=taxonomy.country_names(),
        languages=taxonomy.language_names(),
        genders=GENDER_LABELS,
        levels=LEVEL_LABELS,
        affiliations=AFFILIATION_LABELS,
        category_labels=CATEGORY_LABELS,
        vetting_labels=VETTING_LABELS,
        vetting_form=VettingForm(),
        action=ActionForm(),
    )


def _edit_page(form: ProfileForm, topics: list[tuple[str, str]], **context: object) -> str:
    form_data.prepare_topics(form, topics)
    return render_template("experts/edit.html", form=form, topic_names=dict(topics), **context)


@bp.route("/experts/<int:expert_id>/edit", methods=["GET", "POST"])
@login_required
def edit(expert_id: int) -> tuple[str, int] | Response:
    expert = editable_or_403(expert_id)
    session, topics = db.session(), _topics()
    form = ProfileForm()
    page = form_page(
        form,
        lambda problems: _edit_page(
            form, topics, expert=expert, problems=problems, title=_("Edit profile")
        ),
        attach=form_data.attach_errors,
    )
    if page.submitted():
        profiles.update_expert(
            session=session,
            actor=current_user,
            expert=expert,
            data=form_data.read(form, {code for code, _n in topics}),
            version=int(form.version.data or 0),
            today=db.today(),
        )
        flash(_("Your changes were saved."), "info")
        return redirect(url_for("experts.show", expert_id=expert.id))
    if not form.is_submitted():
        form_data.fill(form, profiles.load(session, expert), topics)
    return page.again()


@bp.route("/experts/new", methods=["GET", "POST"])
@login_required
def new() -> tuple[str, int] | Response:
    if not policy.can_create_expert(current_user):
        abort(403)
    session, topics = db.session(), _topics()
    form = NewExpertForm()
    page = form_page(
        form,
        lambda problems: _edit_page(
            form, topics, expert=None, problems=problems, title=_("New expert profile")
        ),
        attach=form_data.attach_errors,
    )
    if page.submitted():
        data = form_data.read(form, {code for code, _n in topics})
        data["email"] = form.email.data
        expert, link = profiles.create_expert(
            session=session,
            actor=current_user,
            data=data,
            today=db.today(),
            invitation_days=current_app.config["ROSTER_INVITATION_DAYS"],
            base_url=current_app.config["ROSTER_BASE_URL"],
        )
        flash(_("Profile created. Invitation link for its owner: %(link)s", link=link), "info")
        return redirect(url_for("experts.show", expert_id=expert.id))
    return page.again()


@bp.route("/experts/<int:expert_id>/availability", methods=["GET", "POST"])
@login_required
def availability(expert_id: int) -> tuple[str, int] | Response:
    expert = editable_or_403(expert_id)
    session = db.session()
    loaded = profiles.load(session, expert)
    form = WindowForm()
    current = [{"from": w.starts_on, "to": w.ends_on, "kind": w.kind} for w in loaded.windows]
    page = form_page(
        form,
        lambda _p: render_template(
            "experts/availability.html",
            expert=expert,
            windows=loaded.windows,
            form=form,
            action=ActionForm(),
        ),
        attach=onto("ends_on", _("The end date must not be before the start date.")),
    )
    if page.submitted():
        new = {"from": form.starts_on.data, "to": form.ends_on.data, "kind": form.kind.data}
        profiles.set_availability(
            session=session, actor=current_user, expert=expert, windows=[*current, new]
        )
        flash(_("Availability saved."), "info")
        return redirect(url_for("experts.availability", expert_id=expert.id))
    return page.again()


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
