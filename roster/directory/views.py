"""Pages of the CSAP panel, the focal-point directory and the admins' list of commands."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.accounts.forms import ConfirmForm
from roster.directory import services
from roster.directory.forms import (
    COMMAND_KIND_LABELS,
    FOCAL_POINT_ROLE_LABELS,
    VETTING_LABELS,
    CommandEditForm,
    CommandForm,
    DirectoryFilterForm,
)
from roster.reference import taxonomy
from roster.reference.codes import countries
from roster.refusals import back_with_message, form_page

bp = Blueprint("directory", __name__)


def _labels(topic_names: dict[str, str]) -> dict[str, object]:
    """Names the panel and directory templates show instead of codes."""
    return {
        "countries": countries(),
        "topic_names": topic_names,
        "role_labels": FOCAL_POINT_ROLE_LABELS,
        "kind_labels": COMMAND_KIND_LABELS,
        "vetting_labels": VETTING_LABELS,
        "show_vetting": policy.can_see_vetting_status(current_user),
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
    return render_template(
        "directory/panel.html",
        current=current,
        past=past,
        show_past=show_past,
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
    entries = services.focal_points(
        session,
        today=date.today(),
        viewer=current_user,
        command_code=None if form.command.errors else form.command.data,
        topic=None if form.topic.errors else form.topic.data,
        role=None if form.role.errors else form.role.data,
    )
    return render_template(
        "directory/directory.html", form=form, entries=entries, **_labels(topic_names)
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
