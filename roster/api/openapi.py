"""The OpenAPI 3 description, generated from the route registry and its marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Response

from roster.api.core import OPERATIONS, answer, route
from roster.api.schemas import ErrorSchema

ERROR_TEXT = {
    400: "Malformed body",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found or not visible to you",
    409: "Conflict",
    410: "Gone",
    422: "Validation failed",
    429: "Too many attempts",
}


def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="Roster API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "The alliance's vetted network of HS and WPS experts."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorSchema)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        operation: dict[str, Any] = {
            "summary": op.summary,
            "operationId": op.endpoint,
            "responses": {},
        }
        if op.description:
            operation["description"] = op.description
        params = [
            {
                "in": "path",
                "name": part[1:-1],
                "required": True,
                "schema": {"type": "integer" if part[1:-1].endswith("id") else "string"},
            }
            for part in op.path.split("/")
            if part.startswith("{")
        ]
        if params:
            operation["parameters"] = params
        if op.auth:
            operation["security"] = [{"bearer": []}]
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": op.body}},
            }
        ok: dict[str, Any] = {"description": "Success"}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": op.response}}
        operation["responses"][str(op.status)] = ok
        for status in op.errors:
            operation["responses"][str(status)] = {
                "description": ERROR_TEXT[status],
                "content": {"application/json": {"schema": "Error"}},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = operation
    for path, operations in paths.items():
        spec.path(path="/api/v1" + path, operations=operations)
    return spec.to_dict()


@route("/openapi.json", "GET", summary="This description", auth=False)
def openapi() -> Response:
    return answer(build_spec())
