"""Where a page may send the browser after signing in: same-site absolute paths, nothing else."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit

from flask import url_for


def _has_unsafe_characters(text: str) -> bool:
    # Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil") and treat "\" as
    # "/"; controls, spaces, separators and invisible format characters have no place in a path.
    return "\\" in text or any(unicodedata.category(c)[0] in "CZ" for c in text)


def _without_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for an absolute path: "/a/./b/../c" is "/a/c"."""
    out: list[str] = []
    segments = path.split("/")[1:]
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        elif segment == ".":
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def same_site_path(target: object) -> str | None:
    """`target` as a normalized path on this site, or None when it could lead anywhere else."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    decoded = unquote(target)
    if _has_unsafe_characters(target) or _has_unsafe_characters(decoded):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    path = _without_dot_segments(parts.path)
    if path.startswith("//") or _without_dot_segments(unquote(parts.path)).startswith("//"):
        return None
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def next_or_home(target: object) -> str:
    """The page to open after sign-in: a safe `next`, or the home page."""
    return same_site_path(target) or url_for("web.home")
