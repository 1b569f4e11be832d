"""Compile the committed catalogues for the suite, so that plain `pytest` in a fresh clone
serves French pages: `make` compiles them too, but a test run must not depend on it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from roster.locales import TRANSLATIONS


def compile_catalogues(root: Path = TRANSLATIONS) -> list[Path]:
    """Write each messages.mo beside its .po when missing or older; atomically, as several
    test workers may do it at once. The compiled files it wrote."""
    written = []
    for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalogue)
        Path(temporary).replace(mo)
        written.append(mo)
    return written


ROOT = TRANSLATIONS.parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}


def extracted_msgids(root: Path = ROOT) -> set[str]:
    """Every msgid in the code and templates, whatever its context."""
    return {msgid for _context, msgid in extracted_messages(root)}


def extracted_messages(root: Path = ROOT) -> set[tuple[str | None, str]]:
    """Every (context, msgid) in the code and templates, extracted now as `pybabel extract -F
    babel.cfg` would (its method map, the same keywords): a plural's singular stands for it."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.add((context, msgid))
    return found


def untranslated(locale: str = "fr", root: Path = TRANSLATIONS) -> tuple[set[str], set[str]]:
    """(msgids missing from the committed catalogue, msgids in it without a usable
    translation: empty, fuzzy, or a plural with an empty form)."""
    with (root / locale / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale=locale)
    absent, empty = set(), set()
    for context, msgid in extracted_messages():
        message = catalogue.get(msgid, context=context)
        shown = msgid if context is None else f"{context}|{msgid}"
        if message is None:
            absent.add(shown)
            continue
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(forms):
            empty.add(shown)
    return absent, empty
