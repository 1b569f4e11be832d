"""Bulk import of expert profiles from CSV or XLSX: read the file, check every row, preview.
Nothing here writes; `apply` writes the good rows once the coordinator confirms.

Rows are keyed by email: a row whose email an expert already has is a duplicate and is skipped,
so importing the same file twice changes nothing the second time."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col

from roster import limits
from roster.experts.models import AFFILIATION_KINDS, CATEGORIES, GENDERS, Expert
from roster.imports.read import ImportFileError, read_lines
from roster.inputs import clean_text, has_controls
from roster.reference.codes import CEFR_LEVELS, is_country, is_language
from roster.reference.models import Topic

COLUMNS = (
    "email",
    "full_name",
    "gender",
    "nationalities",
    "country_of_residence",
    "affiliation_name",
    "affiliation_kind",
    "categories",
    "topics",
    "languages",
    "regions",
    "phone",
    "deployable",
    "bio",
)
REQUIRED = ("email", "full_name")
SEPARATOR = ";"
# Each row shows at most this many problems, then how many more; a value quoted in a message
# is cut to SHOWN_VALUE characters. The preview and the problems CSV stay small either way.
MAX_PROBLEMS = 10
SHOWN_VALUE = 80
LIMITS = {
    "full_name": limits.PERSON_NAME,
    "phone": limits.PHONE,
    "affiliation_name": limits.ORGANISATION_NAME,
    "bio": limits.BIO,
}
TRUE, FALSE = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}

PROBLEMS = {
    "missing": _l("%(field)s is required."),
    "bad_email": _l("Not a valid email address: %(value)s."),
    "duplicate_existing": _l("An expert with the email %(value)s is already on the roster."),
    "duplicate_in_file": _l("The email %(value)s already appears on line %(line)s."),
    "unknown_country": _l("Unknown country code in %(field)s: %(value)s."),
    "unknown_language": _l("Unknown language code: %(value)s."),
    "bad_language_level": _l("Language level must be one of A1-C2 or native: %(value)s."),
    "unknown_topic": _l("Unknown topic: %(value)s."),
    "bad_topic_level": _l("Topic level must be 1 to 4: %(value)s."),
    "bad_choice": _l("%(field)s cannot be %(value)s."),
    "bad_boolean": _l("%(field)s must be yes or no: %(value)s."),
    "too_long": _l("%(field)s is longer than %(value)s characters."),
    "control_character": _l(
        "%(field)s contains a control character (such as NUL); remove it and upload again."
    ),
    "more": _l("And %(value)s more problems on this line."),
}

__all__ = ["ImportFileError"]  # raised by preview(); the pages and the CLI catch it from here


def shown(text: str) -> str:
    """Text from the file as a message or page may quote it: no controls, not too long."""
    text = clean_text(text)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row; `code` keys `PROBLEMS`."""

    code: str
    field: str
    value: str = ""
    line: int | None = None

    def message(self) -> str:
        return str(PROBLEMS[self.code]) % {
            "field": self.field,
            "value": shown(self.value),
            "line": self.line,
        }


@dataclass
class Row:
    """One data line of the file: the values as read, as they would be stored, and problems."""

    line: int
    raw: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def email(self) -> str:
        """The email as read, safe to show."""
        return shown(self.raw.get("email", ""))

    @property
    def status(self) -> str:
        """ "new" (will be imported), "duplicate" (already on the roster) or "invalid"."""
        if any(p.code == "duplicate_existing" for p in self.problems):
            return "duplicate"
        return "invalid" if self.problems else "new"


@dataclass
class Preview:
    rows: list[Row]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if r.status == "new"]

    @property
    def problem_rows(self) -> list[Row]:
        return [r for r in self.rows if r.problems]


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_kind(filename: str, content: bytes) -> str:
    """ "xlsx" for a zip (an Office Open XML workbook), else "csv"."""
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def read_rows(content: bytes, kind: str) -> list[dict[str, str]]:
    """The data lines as {column: text}, header names folded; raises ImportFileError."""
    lines = read_lines(content, kind)
    if not lines:
        raise ImportFileError(str(_l("The file is empty.")))
    header = [h.strip().lower().replace(" ", "_") for h in lines[0]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        raise ImportFileError(
            str(_l("Columns missing: %(missing)s. Unknown columns: %(unknown)s. Allowed: %(all)s."))
            % {
                "missing": ", ".join(missing) or "-",
                "unknown": ", ".join(shown(h) for h in unknown) or "-",
                "all": ", ".join(COLUMNS),
            }
        )
    return [
        {name: (line[i] if i < len(line) else "") for i, name in enumerate(header) if name}
        for line in lines[1:]
    ]


def _items(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in text.split(SEPARATOR) if p.strip()))


def _check(raw: dict[str, str], topics: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    data: dict[str, Any] = {}

    def bad(code: str, name: str, value: str = "") -> None:
        problems.append(Problem(code, name, value))

    # The forms' rule for typed text, as a refusal: a row is imported as written or not at all.
    for name, value in raw.items():
        if has_controls(value):
            bad("control_character", name)

    for name in REQUIRED:
        if not raw.get(name, "").strip():
            bad("missing", name)
    if raw.get("email"):
        try:
            data["email"] = validate_email(
                raw["email"], check_deliverability=False
            ).normalized.lower()
        except EmailNotValidError:
            bad("bad_email", "email", raw["email"])
    for name, limit in LIMITS.items():
        value = raw.get(name, "")
        if len(value) > limit:
            bad("too_long", name, str(limit))
        data[name] = value or None
    data["full_name"], data["bio"] = raw.get("full_name", ""), raw.get("bio", "")
    for name, allowed, default in (
        ("gender", GENDERS, "undisclosed"),
        ("affiliation_kind", AFFILIATION_KINDS, "independent"),
    ):
        value = raw.get(name, "").lower() or default
        if value not in allowed:
            bad("bad_choice", name, value)
        data[name] = value
    for name in ("nationalities", "regions"):
        data[name] = [c.upper() for c in _items(raw.get(name, ""))]
        for code in data[name]:
            if not is_country(code):
                bad("unknown_country", name, code)
    residence = raw.get("country_of_residence", "").upper() or None
    if residence and not is_country(residence):
        bad("unknown_country", "country_of_residence", residence)
    data["country_of_residence"] = residence
    data["categories"] = [c.lower() for c in _items(raw.get("categories", ""))]
    for category in data["categories"]:
        if category not in CATEGORIES:
            bad("bad_choice", "categories", category)
    data["topics"], data["languages"] = [], []
    for item in _items(raw.get("topics", "")):
        code, _, level = item.partition(":")
        code = code.strip().lower()
        if code not in topics:
            bad("unknown_topic", "topics", code)
        elif level.strip() not in {"1", "2", "3", "4"}:
            bad("bad_topic_level", "topics", item)
        else:
            data["topics"].append((code, int(level)))
    for item in _items(raw.get("languages", "")):
        code, _, level = item.partition(":")
        code, level = code.strip().lower(), level.strip()
        level = "native" if level.lower() == "native" else level.upper()
        if not is_language(code):
            bad("unknown_language", "languages", code)
        elif level not in CEFR_LEVELS:
            bad("bad_language_level", "languages", item)
        else:
            data["languages"].append((code, level))
    # A code given twice keeps its first level (the profile holds one level per topic/language).
    data["topics"] = list({c: (c, lv) for c, lv in reversed(data["topics"])}.values())[::-1]
    data["languages"] = list({c: (c, lv) for c, lv in reversed(data["languages"])}.values())[::-1]
    deployable = raw.get("deployable", "").strip().lower()
    if deployable not in TRUE | FALSE:
        bad("bad_boolean", "deployable", deployable)
    data["deployable"] = deployable in TRUE
    return data, problems


def check_rows(session: Session, raw_rows: list[dict[str, str]]) -> Preview:
    """Check every row against the reference data, the roster and the rows before it."""
    topics = set(session.execute(sa.select(col(Topic.code))).scalars())
    rows = []
    for i, raw in enumerate(raw_rows):
        data, problems = _check(raw, topics)
        if len(problems) > MAX_PROBLEMS:
            extra = len(problems) - MAX_PROBLEMS + 1
            problems = [*problems[: MAX_PROBLEMS - 1], Problem("more", "", str(extra))]
        rows.append(Row(line=i + 2, raw=raw, data=data, problems=problems))
    emails = sorted({r.data["email"] for r in rows if "email" in r.data})
    existing: set[str] = set()
    for start in range(0, len(emails), 1000):
        chunk = emails[start : start + 1000]
        existing.update(
            e.lower()
            for e in session.execute(
                sa.select(col(Expert.email)).where(sa.func.lower(Expert.email).in_(chunk))
            ).scalars()
        )
    first_line: dict[str, int] = {}
    for row in rows:
        email = row.data.get("email")
        if email is None:
            continue
        if email in existing:
            row.problems.insert(0, Problem("duplicate_existing", "email", email))
        elif email in first_line:
            row.problems.append(
                Problem("duplicate_in_file", "email", email, line=first_line[email])
            )
        else:
            first_line[email] = row.line
    return Preview(rows=rows)


def preview(session: Session, content: bytes, kind: str) -> Preview:
    """Read and check a whole file; raises ImportFileError when it cannot be read at all."""
    return check_rows(session, read_rows(content, kind))
