"""The admins' settings page: each value, where it comes from, and a form for those not fixed
by the environment."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from roster import db, policy
from roster.refusals import form_page
from roster.settings import services, store
from roster.settings.catalogue import DEFINITIONS, GROUPS
from roster.settings.forms import (
    GROUP_LABELS,
    SOURCE_LABELS,
    label_of,
    settings_form,
    submitted_values,
)

bp = Blueprint("app_settings", __name__)


@bp.route("/admin/settings", methods=["GET", "POST"])
@login_required
def edit() -> tuple[str, int] | Response:
    if not policy.can_change_settings(current_user):
        abort(403)
    resolved = store.resolve_all()
    form = settings_form(resolved)
    groups = [(GROUP_LABELS[g], [d for d in DEFINITIONS if d.group == g]) for g in GROUPS]
    page = form_page(
        form,
        lambda _p: render_template(
            "settings/settings.html",
            form=form,
            groups=groups,
            resolved=resolved,
            labels={d.key: label_of(d) for d in DEFINITIONS},
            sources=SOURCE_LABELS,
        ),
    )
    if page.submitted():
        changed = services.save(
            session=db.session(), actor=current_user, submitted=submitted_values(form)
        )
        if changed:
            flash(_("Saved: %(n)s setting(s) changed.", n=len(changed)), "info")
        else:
            flash(_("Nothing changed."), "info")
        return redirect(url_for("app_settings.edit"))
    return page.again()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
