"""HTML to PDF with WeasyPrint, for the printable annual report: the page's own HTML and print
stylesheet, no browser. WeasyPrint needs the system's Pango; where it cannot load, callers get
`PdfUnavailable` and answer without a PDF. Stylesheets and images come only from the folders
given (`files`), never over the network, so rendering cannot be made to fetch anything."""

from __future__ import annotations

import mimetypes
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit


class PdfUnavailable(RuntimeError):
    """WeasyPrint, or a system library it needs, cannot be loaded on this machine."""


def load_weasyprint() -> ModuleType:
    """The weasyprint module, or `PdfUnavailable` saying why not."""
    try:
        with warnings.catch_warnings():
            # Without HarfBuzz-Subset WeasyPrint still draws (fonts embedded whole) but warns
            # that a later version will need it; where warnings are errors, that is no reason
            # to refuse the PDF.
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            import weasyprint
    except (ImportError, OSError) as exc:  # OSError: a missing shared library (Pango)
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def local_file(files: dict[str, Path], url: str) -> tuple[bytes, str]:
    """The bytes and type of `/prefix/name` from `files[prefix]`; anything else, including a
    path that climbs out of its folder, is refused with ValueError."""
    path = urlsplit(url).path
    for prefix, folder in files.items():
        if path.startswith(prefix):
            root = folder.resolve()
            target = (root / path[len(prefix) :]).resolve()
            if target.is_file() and target.is_relative_to(root):
                mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                return target.read_bytes(), mime
    raise ValueError(f"not fetched while rendering a PDF: {path}")


def document(html: str, *, base_url: str, files: dict[str, Path]) -> Any:
    """The laid-out document (print media), before it is written as PDF."""
    weasyprint = load_weasyprint()

    base: Any = weasyprint.urls.URLFetcher

    class LocalFetcher(base):
        def fetch(self, url: str, headers: Any = None) -> Any:
            body, mime = local_file(files, url)
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": mime})

    page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher())
    return page.render()


def to_pdf(html: str, *, base_url: str, files: dict[str, Path]) -> bytes:
    """The PDF bytes of `html` (raises `PdfUnavailable` where WeasyPrint cannot load)."""
    written = document(html, base_url=base_url, files=files).write_pdf()
    return bytes(written)
