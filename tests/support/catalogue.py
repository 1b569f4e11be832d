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
