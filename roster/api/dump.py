"""A marshmallow schema compiled to one plain function, for a hot list answer (GET /experts).

`compile_dump(schema)` reads the schema's dump fields once and returns a function that turns a
dict into exactly what `schema.dump` gives for it: the same keys, values and types, so the JSON is
byte for byte the same (tests/api/test_fast_dump.py compares them on random answers). It accepts
only what it can reproduce: the plain field types below, no dump hooks, no defaults, no `only` or
`exclude` on nested schemas; anything else is refused when compiling, not guessed at. The input
is a dict (or nested dicts) with absent keys left out, as marshmallow leaves them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import Schema, fields, missing, utils

Convert = Callable[[Any], Any]


class NotCompilable(TypeError):
    """The schema uses something `compile_dump` does not reproduce."""


def _same(value: Any) -> Any:
    return value


# Each conversion returns a value of the exact type as it is (most of them), the others as the
# field's `_serialize` does: `ensure_text_type`, `int`, `float`.
def _text(value: Any) -> Any:
    if type(value) is str or value is None:
        return value
    return utils.ensure_text_type(value)


def _integer(value: Any) -> Any:
    if type(value) is int or value is None:
        return value
    return int(value)


def _float(value: Any) -> Any:
    if type(value) is float or value is None:
        return value
    return float(value)


def _date(value: Any) -> Any:
    return None if value is None else dt.date.isoformat(value)


def _datetime(value: Any) -> Any:
    return None if value is None else dt.datetime.isoformat(value)


def _nullable(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


def _list(inner: Convert) -> Convert:
    return lambda value: None if value is None else [inner(each) for each in value]


def _mapping(keys: Convert | None, values: Convert | None) -> Convert:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        if keys is None and values is None:
            return dict(value)
        k = keys or _same
        v = values or _same
        return {k(key): v(item) for key, item in value.items()}

    return convert


def _iso(field: fields.Field) -> bool:
    return getattr(field, "format", None) in (None, "iso", "iso8601")


def _number(field: fields.Field, convert: Convert) -> Convert:
    if getattr(field, "as_string", False):
        raise NotCompilable(f"{type(field).__name__}(as_string=True)")
    return convert


def _converter(field: fields.Field) -> Convert:
    """The value conversion of one field, as its `_serialize` does it."""
    kind = type(field)
    if kind is fields.String:
        return _text
    if kind is fields.Integer:
        return _number(field, _integer)
    if kind is fields.Float:
        return _number(field, _float)
    if kind is fields.Boolean:
        return _same
    if kind is fields.Date and _iso(field):
        return _date
    if kind in (fields.DateTime, fields.AwareDateTime) and _iso(field):
        return _datetime
    if kind is fields.List:
        return _list(_converter(field.inner))  # type: ignore[attr-defined]
    if kind is fields.Dict:
        key_field = field.key_field  # type: ignore[attr-defined]
        value_field = field.value_field  # type: ignore[attr-defined]
        return _mapping(
            _converter(key_field) if key_field else None,
            _converter(value_field) if value_field else None,
        )
    if kind is fields.Nested:
        nested: fields.Nested = field  # type: ignore[assignment]
        if nested.only is not None or nested.exclude:
            raise NotCompilable("Nested with only or exclude")
        inner = compile_dump(nested.schema)
        if nested.schema.many or nested.many:
            return _list(inner)
        return _nullable(inner)
    raise NotCompilable(f"field type {kind.__name__}")


def compile_dump(schema: Schema) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """A function equal to `schema.dump` on dicts (see the module's docstring)."""
    if schema.many:
        raise NotCompilable("a many=True schema")
    hooks = getattr(schema, "_hooks", {})
    if any(hooks.get(tag) for tag in hooks if "dump" in str(tag)):
        raise NotCompilable("dump hooks")
    plan: list[tuple[str, str, Convert]] = []
    for name, field in schema.dump_fields.items():
        if field.dump_default is not missing:
            raise NotCompilable(f"a dump default on {name}")
        source = field.attribute or name
        if "." in source:
            raise NotCompilable(f"a dotted attribute on {name}")
        plan.append((source, field.data_key or name, _converter(field)))

    def dump(obj: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for source, key, convert in plan:
            if source in obj:
                out[key] = convert(obj[source])
        return out

    return dump
