"""Bulk import pages: upload a file, see every row's problems, then confirm or discard.

The preview lives server-side (`ImportBatch`); the confirm form carries only its CSRF token and
the batch id in the URL, never rows."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from roster import db, policy
from roster.errors import DomainError
from roster.experts import invitation_views, invitations
from roster.experts.forms import InviteSelectedForm
from roster.extensions import allow_body
from roster.imports import apply as import_apply
from roster.imports.check import COLUMNS, ImportFileError
from roster.imports.forms import ConfirmForm, ImportForm
from roster.imports.read import MAX_BYTES, refuse
from roster.refusals import back_with_message, on_refusal
from roster.reports import exports
from roster.reports.tables import Table

bp = Blueprint("imports", __name__)
SHOWN_PROBLEMS = 500
SHOWN_IMPORTED = 500
# A 10,000-row file is larger than the app's default body limit; only the upload accepts it,
# with room for the multipart envelope and the CSRF token around a file of MAX_BYTES.
UPLOAD_BODY = MAX_BYTES + 64 * 1024


def _upload_page(form: ImportForm, status: int) -> tuple[str, int]:
    return render_template("imports/upload.html", form=form, columns=COLUMNS), status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> tuple[str, int]:
    # The limit is checked before login and CSRF: only an importer gets the form back.
    if not policy.can_import_experts(current_user):
        title = _("Upload too large")
        return render_template("errors/error.html", status=413, title=title, message=None), 413
    # The body was refused unread, so the form is built empty: the message sits by the field.
    form = ImportForm(formdata=None)
    form.file.errors = [str(refuse("too_big"))]
    return _upload_page(form, 413)


def _require_import() -> None:
    if not policy.can_import_experts(current_user):
        abort(403)


@bp.route("/reports/import", methods=["GET", "POST"])
@login_required
def upload() -> ResponseReturnValue:
    _require_import()
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        upload_file = form.file.data
        content = upload_file.read()
        try:
            batch, _checked = import_apply.upload(
                session=db.session(),
                actor=current_user,
                filename=upload_file.filename or "",
                content=content,
            )
        except ImportFileError as exc:
            form.file.errors = [str(exc)]
            status = 422
        else:
            return redirect(url_for("imports.show", batch_id=batch.id))
    elif request.method == "POST":
        status = 422
    return _upload_page(form, status)


def _unreadable(exc: DomainError) -> tuple[str, int]:
    """A batch that exists but cannot be previewed (tampered, or past today's bounds)."""
    title = _("This upload cannot be previewed")
    return render_template(
        "errors/error.html", status=exc.status, title=title, message=exc.message
    ), exc.status


@bp.get("/reports/import/<int:batch_id>")
@login_required
def show(batch_id: int) -> tuple[str, int]:
    _require_import()
    session = db.session()
    on_refusal(_unreadable)
    batch = import_apply.own_batch(session, current_user, batch_id)
    checked = import_apply.stored_preview(session, batch) if batch.state == "preview" else None
    problems = checked.problem_rows if checked else []
    imported = import_apply.imported_experts(session, batch)
    accounts = invitations.account_states(session, imported[:SHOWN_IMPORTED])
    return render_template(
        "imports/preview.html",
        batch=batch,
        checked=checked,
        problems=problems[:SHOWN_PROBLEMS],
        more=max(0, len(problems) - SHOWN_PROBLEMS),
        form=ConfirmForm(),
        imported=imported[:SHOWN_IMPORTED],
        more_imported=max(0, len(imported) - SHOWN_IMPORTED),
        accounts=accounts,
        invitable={
            e.id for e in imported[:SHOWN_IMPORTED] if invitations.can_be_invited(e, accounts[e.id])
        },
        invite_form=InviteSelectedForm(),
    ), 200


@bp.post("/reports/import/<int:batch_id>/invitations")
@login_required
def invite(batch_id: int) -> ResponseReturnValue:
    """Invite the owners of the ticked profiles this import created (others are refused)."""
    _require_import()
    session = db.session()
    on_refusal(_unreadable)
    batch = import_apply.own_batch(session, current_user, batch_id)
    form = InviteSelectedForm()
    back = url_for("imports.show", batch_id=batch_id)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        for message in form.expert_ids.errors:
            flash(str(message), "error")
        return redirect(back, 303)
    created = {e.id for e in import_apply.imported_experts(session, batch)}
    chosen = [i for i in form.expert_ids.data if i in created]
    if len(chosen) < len(form.expert_ids.data):
        flash(_("Profiles this import did not create were left out."), "error")
    return invitation_views.invite_selected(chosen, back, _("Back to the import"))


@bp.get("/reports/import/<int:batch_id>/problems.csv")
@login_required
def problems_csv(batch_id: int) -> Response | tuple[str, int]:
    _require_import()
    session = db.session()
    on_refusal(_unreadable)
    batch = import_apply.own_batch(session, current_user, batch_id)
    checked = import_apply.stored_preview(session, batch)
    table = Table(
        key="problems",
        caption=_("Rows with problems"),
        headers=[_("Line"), _("Email"), _("Status"), _("Problems")],
        rows=[
            [r.line, r.email, r.status, " ".join(p.message() for p in r.problems)]
            for r in checked.problem_rows
        ],
    )
    response = Response(exports.to_csv([table]), mimetype=exports.CSV_MIMETYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="import-{batch.id}-problems.csv"'
    )
    return response


@bp.post("/reports/import/<int:batch_id>/confirm")
@login_required
def confirm(batch_id: int) -> ResponseReturnValue:
    _require_import()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    back_with_message(url_for("imports.show", batch_id=batch_id), 303)
    outcome = import_apply.confirm(session=db.session(), actor=current_user, batch_id=batch_id)
    flash(
        _(
            "Imported %(n)s experts as pending profiles; %(d)s duplicates and %(i)s rows with "
            "problems were left out.",
            n=outcome.imported,
            d=outcome.duplicates,
            i=outcome.invalid,
        ),
        "success",
    )
    return redirect(url_for("imports.show", batch_id=batch_id), 303)


@bp.post("/reports/import/<int:batch_id>/discard")
@login_required
def discard(batch_id: int) -> ResponseReturnValue:
    _require_import()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    back_with_message(url_for("imports.show", batch_id=batch_id), 303)
    import_apply.discard(session=db.session(), actor=current_user, batch_id=batch_id)
    flash(_("The upload was discarded; nothing was imported."), "success")
    return redirect(url_for("imports.upload"), 303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    allow_body(app, "imports.upload", UPLOAD_BODY)
