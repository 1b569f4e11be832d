"""The import's upload form and its confirm (or discard) form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from roster.forms import RosterForm
from roster.imports.read import MAX_BYTES, MAX_ROWS, MiB


class ImportForm(RosterForm):
    file = FileField(
        _l("Spreadsheet of experts (CSV or XLSX)"),
        validators=[FileRequired(_l("Choose a file to upload."))],
        description=_l(
            "One expert per row. Columns: email and full_name (required), gender, nationalities, "
            "country_of_residence, affiliation_name, affiliation_kind, categories, topics "
            "(e.g. crsv:3;poc:2), languages (e.g. en:C2;fr:B2), regions, phone, deployable, bio. "
            "Separate several values with a semicolon. At most %(mib)s MiB and %(rows)s rows.",
            mib=MAX_BYTES // MiB,
            rows=MAX_ROWS,
        ),
    )


class ConfirmForm(RosterForm):
    """Only the CSRF token: the rows to import are the server's copy of the upload."""
