"""URL converters: ids in paths are database integers, so longer numbers simply match nothing."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """`<int:...>` limited to nine digits, well inside the INTEGER range of both engines. The
    limit sits in the routing regex, so an overlong id is a plain 404 for every method."""

    regex = r"\d{1,9}"
