"""Domain errors that services raise and the web and API layers turn into answers."""

from __future__ import annotations

from flask import Response, jsonify


class DomainError(Exception):
    """Base of every error a service raises on purpose; `code` is the API error code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotAuthenticated(DomainError):
    status, code = 401, "not_authenticated"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class ReauthenticationRequired(Forbidden):
    """Allowed, but only right after signing in again (erasure, credential changes)."""

    code = "reauthentication_required"


class Conflict(DomainError):
    status, code = 409, "conflict"


class Gone(DomainError):
    status, code = 410, "gone"


class ValidationFailed(DomainError):
    status, code = 422, "validation_failed"


class TooManyAttempts(DomainError):
    status, code = 429, "too_many_attempts"


def envelope(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> Response:
    """The API's one error shape: {"error": {"code", "message", "fields"}}."""
    body: dict[str, object] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    return response
