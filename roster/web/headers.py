"""Security headers on every response: pages, API answers, errors and static files alike."""

from __future__ import annotations

from flask import Response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
STATIC_ENDPOINTS = frozenset({"static", "reports.static"})


def secure(response: Response, *, https: bool) -> Response:
    """Add the headers; `https` when the site is served over TLS (then HSTS too)."""
    headers = response.headers
    if request.endpoint not in STATIC_ENDPOINTS:
        # Pages, API answers and exports may carry personal data: never keep a copy.
        headers["Cache-Control"] = "no-store"
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.status_code == 429:
        # The sign-in window slides over 15 minutes: waiting that long always suffices.
        headers.setdefault("Retry-After", "900")
    if https:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if (response.mimetype or "").startswith("text/") and "charset" not in headers.get(
        "Content-Type", ""
    ):
        response.content_type = f"{response.mimetype}; charset=utf-8"
    return response
