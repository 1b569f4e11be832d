"""What every API route shares: the blueprint, bearer auth, body parsing and the route registry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from roster import db
from roster.accounts.services import token_lookup
from roster.db import utcnow
from roster.errors import DomainError, Forbidden, NotAuthenticated, ValidationFailed, envelope

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# No honest document nests deeper; the parser and the validators below recurse.
MAX_JSON_DEPTH = 64
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Operation:
    """One documented route: what it takes and answers, for the OpenAPI description."""

    path: str
    method: str
    summary: str
    body: Schema | type[Schema] | None = None
    response: Schema | None = None
    status: int = 200
    auth: bool = True
    errors: tuple[int, ...] = ()
    query: type[Schema] | None = None
    endpoint: str = ""
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def route(
    path: str,
    method: str,
    *,
    summary: str,
    body: Schema | type[Schema] | None = None,
    response: Schema | None = None,
    status: int = 200,
    auth: bool = True,
    errors: tuple[int, ...] = (),
    query: type[Schema] | None = None,
    description: str = "",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an API route and its description; `auth` routes need a bearer token."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if auth and g.get("api_user") is None:
                raise NotAuthenticated("A valid bearer token is required.")
            return view(*args, **kwargs)

        op = Operation(
            path,
            method,
            summary,
            body,
            response,
            status,
            auth,
            errors,
            query,
            endpoint=view.__name__,
            description=description,
        )
        OPERATIONS.append(op)
        flask_path = path.replace("{", "<").replace("}", ">")
        for name, converter in (("id", "int"), ("user_id", "int")):
            flask_path = flask_path.replace(f"<{name}>", f"<{converter}:{name}>")
        bp.add_url_rule(flask_path, view.__name__, wrapper, methods=[method])
        return wrapper

    return decorate


def current_api_user():
    return g.api_user


def token_is_fresh() -> bool:
    """Whether the caller's token was issued within the fresh-login window, that is, right after
    the password (and second factor) were given; what a page asks of a recent sign-in."""
    token = g.get("api_token")
    minutes = current_app.config["ROSTER_FRESH_LOGIN_MINUTES"]
    return token is not None and token.created_at >= utcnow() - timedelta(minutes=minutes)


def require(allowed: bool, message: str = "You may not do this.") -> None:
    """Refuse with 403 before a body is even read: who may act is decided first."""
    if not allowed:
        raise Forbidden(message)


class HostileJSON(ValueError):
    """Valid JSON syntax no roster document takes: nested too deeply, or text that is no Unicode."""


def _check_document(value: Any) -> None:
    """Refuse nesting past MAX_JSON_DEPTH and strings with unpaired surrogates (they cannot be
    encoded, so hashing, logging or storing them would fail later). Iterative: no recursion."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if LONE_SURROGATE.search(item):
                raise HostileJSON("Text may not contain unpaired surrogates (\\ud800-\\udfff).")
            continue
        if isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise HostileJSON(f"The document nests deeper than {MAX_JSON_DEPTH} levels.")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


class GuardedJSONProvider(DefaultJSONProvider):
    """The app's JSON: every body parsed through `request.get_json` (the API, the login throttle)
    is checked by `_check_document`; a refusal is a ValueError, as for any malformed body."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError as exc:
            raise HostileJSON(f"The document nests deeper than {MAX_JSON_DEPTH} levels.") from exc
        _check_document(value)
        return value


def install_json(app: Flask) -> None:
    app.json = GuardedJSONProvider(app)


def load_body(schema: Schema) -> Any:
    """Parse and validate the JSON body; 400 when it is not JSON, 422 when it does not fit."""
    if not request.is_json:
        raise MalformedBody("The body must be a JSON document.")
    try:
        data = current_app.json.loads(request.get_data(cache=True))
    except HostileJSON as exc:
        raise MalformedBody(str(exc)) from exc
    except ValueError:
        data = None
    if data is None:
        raise MalformedBody("The body must be a JSON document.")
    bad = list(_nul_paths(data, ""))
    if bad:
        raise ValidationFailed(
            "Text may not contain NUL characters.",
            {path or "_schema": ["Contains a NUL character."] for path in bad},
        )
    return schema.load(data)


def _nul_paths(value: Any, path: str) -> Any:
    """Where in a JSON document a string holds a NUL (which no database column accepts)."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_paths(key, path)
            yield from _nul_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}.{index}" if path else str(index))


class MalformedBody(DomainError):
    status, code = 400, "malformed_body"


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"a.b": ["..."]}."""
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_schema": list(messages)}
        out: dict[str, list[str]] = {}
        for index, item in enumerate(messages):
            out.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    if isinstance(messages, dict):
        out = {}
        for key, value in messages.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix or "_schema": [str(messages)]}


def answer(payload: Any, status: int = 200) -> Response:
    response = jsonify(payload)
    response.status_code = status
    return response


@bp.before_request
def _authenticate() -> None:
    if any("\x00" in value for value in request.args.values()):
        raise ValidationFailed(
            "Query parameters may not contain NUL characters.",
            {"query": ["Contains a NUL character."]},
        )
    g.api_user = None
    g.api_token = None
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        found = token_lookup(db.session(), raw.strip())
        if found is not None:
            g.api_token, g.api_user = found


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError) -> Response:
    return envelope(exc.status, exc.code, exc.message, exc.fields)


@bp.errorhandler(ValidationError)
def _invalid(exc: ValidationError) -> Response:
    return envelope(
        422, "validation_failed", _("The request did not pass validation."), flatten(exc.messages)
    )
