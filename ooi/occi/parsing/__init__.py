"""Parsers by request media type.

Each parser module offers `parse_entity`, `parse_action`, `parse_categories` and
`parse_locations`, all `(headers, body) -> document`, raising only `InvalidInput`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from ooi.occi.parsing import json as json_parsing
from ooi.occi.parsing import text as text_parsing

Headers = Iterable[tuple[str, str]]

PARSABLE_MEDIA_TYPES = ("text/plain", "text/occi", "application/occi+json", "application/json")

_OPERATIONS = ("parse_entity", "parse_action", "parse_categories", "parse_locations")


def parser_for(media_type: str, operation: str) -> Callable[[Headers, bytes], Any]:
    """The parse function ``operation`` for a request body of ``media_type``.

    text/plain reads the body and text/occi the headers; both come from one module that is told
    which. KeyError for an unknown media type or operation.
    """
    if operation not in _OPERATIONS:
        raise KeyError(operation)
    if media_type in ("application/occi+json", "application/json"):
        return getattr(json_parsing, operation)
    if media_type in ("text/plain", "text/occi", "text/occi+plain"):
        text_type = "text/occi" if media_type == "text/occi" else "text/plain"
        return functools.partial(getattr(text_parsing, operation), media_type=text_type)
    raise KeyError(media_type)
