"""Every user-facing string in a template goes through `_()`/`ngettext`: after the Jinja
expressions, tags and comments are taken out, no text node and no title, placeholder,
aria-label or alt attribute may still hold words."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# Not words to translate: units and codes shown as they are.
ALLOWED = {"UTC", "CSV", "XLSX", "ICS", "PDF", "API", "TOTP", "ID", "NATO", "WPS", "LNO", "OK"}
WORD = re.compile(r"[^\W\d_]{2,}")


class _Unmarked(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self._check(f"{tag}[{name}]", value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._check("text", data)

    def _check(self, where: str, text: str) -> None:
        words = [w for w in WORD.findall(text) if w not in ALLOWED]
        if words:
            self.found.append(f"{where}: {text.strip()[:60]!r}")


def unmarked(source: str) -> list[str]:
    parser = _Unmarked()
    parser.feed(JINJA.sub(" ", source))
    parser.close()
    return parser.found


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_no_unmarked_text_in(template):
    found = unmarked((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not found, f"{template} holds unmarked text: {found}"


def test_the_check_sees_text_and_attributes_but_not_marked_strings():
    assert unmarked("<p>Hello</p>") == ["text: 'Hello'"]
    assert unmarked('<input placeholder="Type here">') == ["input[placeholder]: 'Type here'"]
    assert unmarked("<p>{{ _('Hello') }} · UTC</p><script>var x = 'a b';</script>") == []
