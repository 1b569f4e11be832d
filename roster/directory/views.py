"""Pages of the CSAP panel, the focal-point directory (with the coordinators' edits) and the
admins' list of commands."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.accounts.forms import ConfirmForm
from roster.directory import editing, services
from roster.directory.forms import (
    COMMAND_KIND_LABELS,
    CSAP_ROLE_LABELS,
    FOCAL_POINT_ROLE_LABELS,
    VETTING_LABELS,
    CommandEditForm,
    CommandForm,
    DirectoryFilterForm,
    EndForm,
    FocalPointForm,
    TermForm,
)
from roster.reference import taxonomy
from roster.refusals import back_with_message, form_page

bp = Blueprint("directory", __name__)


def _labels(topic_names: dict[str, str]) -> dict[str, object]:
    """Names the panel and directory templates show instead of codes."""
    return {
        "countries": taxonomy.country_names(),
        "topic_names": topic_names,
        "role_labels": FOCAL_POINT_ROLE_LABELS,
        "kind_labels": COMMAND_KIND_LABELS,
        "vetting_labels": VETTING_LABELS,
        "csap_role_labels": CSAP_ROLE_LABELS,
        "show_vetting": policy.can_see_vetting_status(current_user),
        "can_edit": policy.can_edit_directory(current_user),
    }


def _require_admin() -> None:
    if not policy.can_manage_commands(current_user):
        abort(403)


@bp.get("/panel")
@login_required
def panel() -> str:
    if not policy.can_view_panel(current_user):
        abort(403)
    today = date.today()
    show_past = request.args.get("history") == "1"
    session = db.session()
    current = services.current_csap_members(session, today, viewer=current_user)
    past = services.past_csap_members(session, today, viewer=current_user) if show_past else []
    upcoming = services.upcoming_csap_members(session, today, viewer=current_user)
    return render_template(
        "directory/panel.html",
        current=current,
        past=past,
        upcoming=upcoming,
        show_past=show_past,
        end_form=EndForm(formdata=None, on=today),
        **_labels(taxonomy.topic_names(session)),
    )


@bp.get("/directory")
@login_required
def directory() -> str:
    if not policy.can_view_directory(current_user):
        abort(403)
    session = db.session()
    form = DirectoryFilterForm(request.args)
    topic_names = taxonomy.topic_names(session)
    commands = services.list_commands(session)
    form.set_choices([(c.code, f"{c.code} — {c.name}") for c in commands], topic_names)
    form.validate()
    today = date.today()
    show_ended = request.args.get("history") == "1"
    entries = services.focal_points(
        session,
        today=today,
        viewer=current_user,
        command_code=None if form.command.errors else form.command.data,
        topic=None if form.topic.errors else form.topic.data,
        role=None if form.role.errors else form.role.data,
        include_ended=show_ended,
    )
    return render_template(
        "directory/directory.html",
        form=form,
        entries=entries,
        today=today,
        show_ended=show_ended,
        end_form=EndForm(formdata=None, on=today),
        **_labels(topic_names),
    )


# --- Coordinators' edits of the panel and the directory ----------------------------------------


def _require_editor() -> None:
    if not policy.can_edit_directory(current_user):
        abort(403)


def _term_of(form: TermForm) -> editing.TermInput:
    return editing.TermInput(
        expert_id=form.expert_id.data,
        cohort=form.cohort.data,
        role=form.role.data or "",
        term_start=form.term_start.data,
        term_end=form.term_end.data,
    )


def _term_page(form: TermForm, membership_id: int | None) -> tuple[str, int] | Response:
    form.set_people(editing.person_choices(db.session()))
    page = form_page(
        form,
        lambda _p: render_template(
            "directory/term_form.html", form=form, membership_id=membership_id
        ),
    )
    if page.submitted():
        if membership_id is None:
            editing.add_membership(session=db.session(), actor=current_user, term=_term_of(form))
            flash(_("The term was added to the panel."), "info")
        else:
            editing.update_membership(
                session=db.session(),
                actor=current_user,
                membership_id=membership_id,
                term=_term_of(form),
            )
            flash(_("The term was saved."), "info")
        return redirect(url_for("directory.panel", history=1))
    return page.again()


@bp.route("/panel/terms/new", methods=["GET", "POST"])
@login_required
def new_term() -> tuple[str, int] | Response:
    _require_editor()
    return _term_page(TermForm(), None)


@bp.route("/panel/terms/<int:membership_id>/edit", methods=["GET", "POST"])
@login_required
def edit_term(membership_id: int) -> tuple[str, int] | Response:
    _require_editor()
    membership = editing.get_membership(db.session(), membership_id)
    return _term_page(TermForm(obj=membership), membership_id)


@bp.post("/panel/terms/<int:membership_id>/end")
@login_required
def end_term(membership_id: int) -> Response:
    _require_editor()
    back = url_for("directory.panel", history=1)
    back_with_message(back)
    form = EndForm()
    if not form.validate_on_submit():
        flash(_("Enter the last day of the term."), "error")
        return redirect(back)
    editing.end_membership(
        session=db.session(), actor=current_user, membership_id=membership_id, on=form.on.data
    )
    flash(_("The term ends on %(d)s; it stays on the panel's history.", d=form.on.data), "info")
    return redirect(back)


def _role_of(form: FocalPointForm) -> editing.RoleInput:
    return editing.RoleInput(
        expert_id=form.expert_id.data,
        command_id=form.command_id.data,
        role=form.role.data or "",
        topics=tuple(form.topics.data or ()),
        since=form.since.data,
        until=form.until.data,
    )


def _focal_point_page(
    form: FocalPointForm, focal_point_id: int | None
) -> tuple[str, int] | Response:
    session = db.session()
    commands = [(c.id, f"{c.code} — {c.name}") for c in services.list_commands(session)]
    form.set_choices(editing.person_choices(session), commands, taxonomy.topic_names(session))
    page = form_page(
        form,
        lambda _p: render_template(
            "directory/focal_point_form.html", form=form, focal_point_id=focal_point_id
        ),
    )
    if page.submitted():
        if focal_point_id is None:
            editing.add_focal_point(session=session, actor=current_user, role=_role_of(form))
            flash(_("The focal point was added to the directory."), "info")
        else:
            editing.update_focal_point(
                session=session,
                actor=current_user,
                focal_point_id=focal_point_id,
                role=_role_of(form),
            )
            flash(_("The focal point was saved."), "info")
        return redirect(url_for("directory.directory", history=1))
    return page.again()


@bp.route("/directory/focal-points/new", methods=["GET", "POST"])
@login_required
def new_focal_point() -> tuple[str, int] | Response:
    _require_editor()
    return _focal_point_page(FocalPointForm(), None)


@bp.route("/directory/focal-points/<int:focal_point_id>/edit", methods=["GET", "POST"])
@login_required
def edit_focal_point(focal_point_id: int) -> tuple[str, int] | Response:
    _require_editor()
    found = editing.get_focal_point(db.session(), focal_point_id)
    return _focal_point_page(FocalPointForm(obj=found), focal_point_id)


@bp.post("/directory/focal-points/<int:focal_point_id>/end")
@login_required
def end_focal_point(focal_point_id: int) -> Response:
    _require_editor()
    back = url_for("directory.directory", history=1)
    back_with_message(back)
    form = EndForm()
    if not form.validate_on_submit():
        flash(_("Enter the last day in the role."), "error")
        return redirect(back)
    editing.end_focal_point(
        session=db.session(), actor=current_user, focal_point_id=focal_point_id, on=form.on.data
    )
    flash(_("The role ends on %(d)s; it stays in the directory's history.", d=form.on.data), "info")
    return redirect(back)


def focal_points_of_command(command_id: int | None) -> list[services.FocalPointEntry]:
    """For a request's page (templates/directory/_focal_points.html): the requesting command's
    focal points as the signed-in user may see them; none for whoever may not open the directory."""
    if command_id is None or not policy.can_view_directory(current_user):
        return []
    return services.focal_points_for_command(
        db.session(), command_id, date.today(), viewer=current_user
    )


@bp.get("/admin/commands")
@login_required
def commands() -> str:
    _require_admin()
    return render_template(
        "directory/commands.html",
        usages=services.command_usage(db.session()),
        kind_labels=COMMAND_KIND_LABELS,
        confirm=ConfirmForm(),
    )


@bp.route("/admin/commands/new", methods=["GET", "POST"])
@login_required
def new_command() -> tuple[str, int] | Response:
    _require_admin()
    form = CommandForm()
    page = form_page(
        form, lambda _p: render_template("directory/command_form.html", form=form, command=None)
    )
    if page.submitted():
        created = services.create_command(
            session=db.session(),
            actor=current_user,
            code=form.code.data,
            name=form.name.data,
            kind=form.kind.data,
        )
        flash(_("%(code)s was added.", code=created.code), "info")
        return redirect(url_for("directory.commands"))
    return page.again()


@bp.route("/admin/commands/<int:command_id>/edit", methods=["GET", "POST"])
@login_required
def edit_command(command_id: int) -> tuple[str, int] | Response:
    _require_admin()
    command = services.get_command(db.session(), command_id)
    form = CommandEditForm(obj=command)
    page = form_page(
        form, lambda _p: render_template("directory/command_form.html", form=form, command=command)
    )
    if page.submitted():
        services.update_command(
            session=db.session(),
            actor=current_user,
            command_id=command_id,
            name=form.name.data,
            kind=form.kind.data,
        )
        flash(_("%(code)s was saved.", code=command.code), "info")
        return redirect(url_for("directory.commands"))
    return page.again()


@bp.post("/admin/commands/<int:command_id>/delete")
@login_required
def delete_command(command_id: int) -> Response:
    _require_admin()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back_with_message(url_for("directory.commands"))
    code = services.delete_command(session=db.session(), actor=current_user, command_id=command_id)
    flash(_("%(code)s was deleted.", code=code), "info")
    return redirect(url_for("directory.commands"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        focal_points_of_command=focal_points_of_command,
        focal_point_role_labels=FOCAL_POINT_ROLE_LABELS,
    )
