"""Entity collections as every kind's location serves them: filtering and pagination.

occi-spec/1.2/http_protocol.tex §Pagination and §Filtering, and what clients can send:

- **Pagination**: ``?page=P&number=N`` (``;`` separates them as well as ``&``, as the spec's
  example writes it). ``page`` counts from 1; a page past the end is an empty collection (200);
  ``number`` above ``ooi_max_page_size`` is a 413 naming the maximum (the spec's status for "too
  large for the provider"); ``page`` alone pages by the maximum. Pages follow the order the
  collection lists in, which is the backend's (nova and cinder: newest first, then by id), so
  they are stable while the collection does not change (a server nova has not yet placed in a
  cell is listed ahead of the others, so it moves once placed: a change too). JSON and uri-list
  answers that have a next page say so in an HTTP ``Link: <…>; rel="next"`` header (never for
  the text renderings, whose ``Link`` headers are OCCI links).
- **Filtering**: by Category (kind, or a mixin the entity carries; a parent or a depended-on
  mixin matches too) and by attribute value (exact match on the rendered value), given as an
  entity rendering in the request headers (``Category``, ``X-OCCI-Attribute``, as the spec has
  it) or, for any rendering, as query parameters ``category=<scheme#term>`` and
  ``attribute=<name>=<value>`` (repeatable; all must match).

A collection module hands ``respond`` two ways of listing: the cheap one (locations only, e.g.
``GET /servers``) used when nothing needs the entities, and the full one (entities, for JSON and
for filters).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlencode

import webob

from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Entity, Link, Resource
from ooi.occi.parsing import parser_for
from ooi.occi.rendering.json import MEDIA_TYPE as JSON_MEDIA_TYPE

# The renderings whose answers may carry an HTTP Link header for the next page.
_NEXT_LINK_TYPES = {JSON_MEDIA_TYPE, "application/json", "text/uri-list"}
# Their WSGI environ keys: looked up there, not through webob's header view (cheaper).
_FILTER_HEADERS = ("HTTP_CATEGORY", "HTTP_X_OCCI_ATTRIBUTE")


@dataclass(frozen=True)
class CollectionQuery:
    """What the client asked of a collection: filters and a page."""

    categories: frozenset[str] = frozenset()
    attributes: dict[str, Any] = field(default_factory=dict)
    page: int | None = None
    number: int | None = None

    @property
    def filters(self) -> bool:
        return bool(self.categories or self.attributes)

    def matches(self, entity: Entity) -> bool:
        return all(_has_category(entity, c) for c in self.categories) and all(
            _same(_attribute(entity, name), value) for name, value in self.attributes.items()
        )

    def page_of(self, items: Sequence[Any]) -> tuple[list[Any], bool]:
        """The items of the asked page, and whether a next page has any."""
        if self.number is None:
            return list(items), False
        start = ((self.page or 1) - 1) * self.number
        end = start + self.number
        return list(items[start:end]), len(items) > end


def _query_pairs(query_string: str) -> list[tuple[str, str]]:
    pairs = []
    for part in query_string.replace(";", "&").split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote_plus(name), unquote_plus(value)))
    return pairs


def _positive(name: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput(
            f"Query parameter {name} must be a whole number from 1 on, not {value!r}"
        )
    return int(value)


def _typed(value: str) -> Any:
    """A query-parameter value as the attribute it is compared with may be typed."""
    for parse in (int, float):
        try:
            return parse(value)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(value, value)


def parse_query(ctx: Context, max_number: int) -> CollectionQuery:
    """The filters and page of the request; 400 for malformed ones, 413 for too large a page."""
    categories: set[str] = set()
    attributes: dict[str, Any] = {}
    page = number = None
    for name, value in _query_pairs(ctx.request.query_string):
        if name == "page":
            page = _positive(name, value)
        elif name == "number":
            number = _positive(name, value)
        elif name == "category":
            if "#" not in value:
                raise InvalidInput(f"category={value!r} is not a type identifier (scheme#term)")
            categories.add(value)
        elif name == "attribute":
            attribute, sep, wanted = value.partition("=")
            if not sep or not attribute:
                raise InvalidInput(f"attribute={value!r} is not of the form name=value")
            attributes[attribute] = _typed(wanted)
    if any(key in ctx.request.environ for key in _FILTER_HEADERS):
        parse = parser_for("text/occi", "parse_entity")
        doc = parse(ctx.request.headers.items(), b"")
        categories.update(c for c in (doc.kind, *doc.mixins) if c)
        attributes.update(doc.attributes)
    if number is not None and number > max_number:
        raise RequestRefused(
            413, f"number={number} is more than this server serves at once (at most {max_number})"
        )
    if page is not None and number is None:
        number = max_number
    return CollectionQuery(frozenset(categories), attributes, page, number)


def _has_category(entity: Entity, type_id: str) -> bool:
    if any(kind.type_id == type_id for kind in entity.kind.ancestry()):
        return True
    return any(m.type_id == type_id for mixin in entity.mixins for m in mixin.dependencies())


def _attribute(entity: Entity, name: str) -> Any:
    core = {"occi.core.id": entity.id, "occi.core.title": entity.title}
    if isinstance(entity, Resource):
        core["occi.core.summary"] = entity.summary
    if isinstance(entity, Link):
        core["occi.core.source"] = entity.source
        core["occi.core.target"] = entity.target
    return core[name] if name in core else entity.attributes.get(name)


def _same(value: Any, wanted: Any) -> bool:
    if value is None:
        return False
    numbers = (int, float)
    if isinstance(value, numbers) and isinstance(wanted, numbers):
        if isinstance(value, bool) or isinstance(wanted, bool):
            return value is wanted
        return float(value) == float(wanted)
    if isinstance(value, bool):
        return str(value).lower() == str(wanted).lower()
    return str(value) == str(wanted)


@dataclass(frozen=True)
class Listing:
    """How one collection lists: ``entities`` in full; ``locations`` cheaply, when it can."""

    entities: Callable[[Context], Sequence[Entity]]
    locations: Callable[[Context], Sequence[str]] | None = None


def _next_page_header(ctx: Context, query: CollectionQuery) -> tuple[str, str]:
    kept = [
        (n, v) for n, v in _query_pairs(ctx.request.query_string) if n not in ("page", "number")
    ]
    kept += [("page", str((query.page or 1) + 1)), ("number", str(query.number))]
    url = ctx.absolute_url(ctx.request.path_info.lstrip("/"))
    return ("Link", f'<{url}?{urlencode(kept)}>; rel="next"')


def respond(ctx: Context, listing: Listing) -> webob.Response:
    """The answer to GET on a collection: its entities (JSON) or locations, filtered and paged
    as the request asks."""
    query = parse_query(ctx, ctx.settings.max_page_size)
    full = ctx.renderer.media_type in (JSON_MEDIA_TYPE, "application/json")
    if full or query.filters or listing.locations is None:
        entities = [e for e in listing.entities(ctx) if query.matches(e)]
        page, more = query.page_of(entities)
        rendered = (
            ctx.renderer.entities(page)
            if full
            else ctx.renderer.locations([e.location or "" for e in page])
        )
    else:
        locations, more = query.page_of(listing.locations(ctx))
        rendered = ctx.renderer.locations(locations)
    headers = []
    if more and ctx.renderer.media_type in _NEXT_LINK_TYPES:
        headers.append(_next_page_header(ctx, query))
    return ctx.respond(rendered, headers=headers)
