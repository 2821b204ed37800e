"""Reading the renderings a server answers: application/occi+json, text/plain (and text/occi
bodies, which have the same lines), text/uri-list.

Lenient: unknown members and parameters are skipped, so answers of other OCCI servers read too.
A body that cannot be read at all is a `ParseError` (the client reports it, never a traceback).
"""

from __future__ import annotations

import json
import re
from typing import Any

from occi_client.errors import ServerError
from occi_client.model import OCCI_ID, OCCI_SUMMARY, OCCI_TITLE, Category, Entity, Link

JSON = "application/occi+json"
TEXT = "text/plain"
URI_LIST = "text/uri-list"

_MEMBERS = {"id": OCCI_ID, "title": OCCI_TITLE, "summary": OCCI_SUMMARY}


class ParseError(ServerError):
    """The server answered something the client cannot read."""


def base_type(content_type: str | None) -> str:
    """`application/occi+json; charset=utf-8` → `application/occi+json`."""
    return (content_type or "").split(";")[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    return base_type(content_type).endswith("json")


def _load_json(body: str) -> dict[str, Any]:
    try:
        document = json.loads(body) if body.strip() else {}
    except ValueError as exc:
        raise ParseError(f"the server's JSON cannot be read: {exc}") from exc
    if not isinstance(document, dict):
        raise ParseError("the server's JSON is not an object")
    return document


# --- text/plain -------------------------------------------------------------------------------


def split_outside_quotes(text: str, separator: str) -> list[str]:
    """`a; b="x;y"` split at `;` outside double quotes (backslash escapes honoured)."""
    parts, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def attribute_value(raw: str) -> Any:
    """An X-OCCI-Attribute value: a quoted string, a number, true or false."""
    raw = raw.strip()
    if raw.startswith('"'):
        return unquote(raw)
    if raw in ("true", "false"):
        return raw == "true"
    try:
        number = float(raw)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and "." not in raw else number


def _parameters(parts: list[str]) -> dict[str, str]:
    params = {}
    for part in parts:
        name, _, value = part.partition("=")
        params[name.strip()] = unquote(value)
    return params


def _text_lines(body: str) -> list[tuple[str, str]]:
    lines = []
    for line in body.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            lines.append((name.strip().lower(), value.strip()))
    return lines


def _category_from_text(value: str) -> Category:
    term, *rest = split_outside_quotes(value, ";")
    params = _parameters(rest)
    return Category(
        term=term.strip(),
        scheme=params.get("scheme", ""),
        cls=params.get("class", ""),
        title=params.get("title"),
        related=params.get("rel", "").split(),
        location=params.get("location"),
        attributes=re.sub(r"\{[^}]*\}", "", params.get("attributes", "")).split(),
        actions=params.get("actions", "").split(),
    )


def _categories_in(value: str) -> list[Category]:
    # A text/occi-style header may carry several categories separated by commas.
    return [_category_from_text(v) for v in split_outside_quotes(value, ",")]


def _link_from_text(value: str) -> tuple[Link | None, str | None]:
    """A Link line: (link, None), or (None, action type id) for an action link."""
    match = re.match(r"\s*<([^>]*)>\s*;?(.*)", value)
    if not match:
        raise ParseError(f"cannot read the Link line {value!r}")
    target, rest = match.group(1), split_outside_quotes(match.group(2), ";")
    params = {}
    for part in rest:
        name, _, raw = part.partition("=")
        params[name.strip()] = raw.strip()
    rel = unquote(params.pop("rel", ""))
    if "?action=" in target:
        return None, rel
    categories = unquote(params.pop("category", "")).split()
    link = Link(
        kind=categories[0] if categories else None,
        target=target,
        target_kind=rel or None,
        location=unquote(params.pop("self", "")) or None,
        mixins=categories[1:],
    )
    link.attributes = {name: attribute_value(raw) for name, raw in params.items()}
    return link, None


def _entity_from_text(body: str) -> Entity:
    entity = Entity(kind=None)
    for name, value in _text_lines(body):
        if name == "category":
            for category in _categories_in(value):
                if category.cls == "kind" and entity.kind is None:
                    entity.kind = category.type_id
                else:
                    entity.mixins.append(category.type_id)
        elif name == "link":
            link, action = _link_from_text(value)
            if link is not None:
                entity.links.append(link)
            elif action:
                entity.actions.append(action)
        elif name == "x-occi-attribute":
            attr, _, raw = value.partition("=")
            entity.attributes[attr.strip()] = attribute_value(raw)
        elif name in ("x-occi-location", "location") and entity.location is None:
            entity.location = value
    entity.source = entity.attributes.get("occi.core.source")
    entity.target = entity.attributes.get("occi.core.target")
    return entity


# --- application/occi+json --------------------------------------------------------------------


def _category_from_json(obj: dict[str, Any], cls: str) -> Category:
    related = obj.get("depends") or []
    if obj.get("parent"):
        related = [obj["parent"], *related]
    attributes = obj.get("attributes") or {}
    return Category(
        term=str(obj.get("term", "")),
        scheme=str(obj.get("scheme", "")),
        cls=cls,
        title=obj.get("title"),
        related=list(related),
        location=obj.get("location"),
        attributes=list(attributes),
        actions=list(obj.get("actions") or []),
        applies=list(obj.get("applies") or []),
    )


def _ends(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict):
        return value.get("location"), value.get("kind")
    return (value if isinstance(value, str) else None), None


def _with_members(obj: dict[str, Any]) -> dict[str, Any]:
    attributes = dict(obj.get("attributes") or {})
    for member, name in _MEMBERS.items():
        if obj.get(member) is not None:
            attributes[name] = obj[member]
    return attributes


def _link_from_json(obj: dict[str, Any]) -> Link:
    target, target_kind = _ends(obj.get("target"))
    return Link(
        kind=obj.get("kind"),
        target=target,
        target_kind=target_kind,
        location=obj.get("location"),
        mixins=list(obj.get("mixins") or []),
        attributes=_with_members(obj),
    )


def _entity_from_json(obj: dict[str, Any]) -> Entity:
    source, _ = _ends(obj.get("source"))
    target, _ = _ends(obj.get("target"))
    return Entity(
        kind=obj.get("kind"),
        mixins=list(obj.get("mixins") or []),
        attributes=_with_members(obj),
        actions=list(obj.get("actions") or []),
        links=[_link_from_json(link) for link in obj.get("links") or [] if isinstance(link, dict)],
        location=obj.get("location"),
        source=source,
        target=target,
    )


# --- what the client calls --------------------------------------------------------------------


def categories(content_type: str | None, body: str) -> list[Category]:
    """The categories of a query interface (`/-/`) answer."""
    if is_json(content_type):
        document = _load_json(body)
        found = []
        for key, cls in (("kinds", "kind"), ("mixins", "mixin"), ("actions", "action")):
            found += [_category_from_json(c, cls) for c in document.get(key) or []]
        return found
    return [
        category
        for name, value in _text_lines(body)
        if name == "category"
        for category in _categories_in(value)
    ]


def entity(content_type: str | None, body: str) -> Entity:
    """One resource or link."""
    if is_json(content_type):
        document = _load_json(body)
        if "kind" not in document:  # a collection holding one entity
            for key in ("resources", "links"):
                if isinstance(document.get(key), list) and document[key]:
                    return _entity_from_json(document[key][0])
        return _entity_from_json(document)
    return _entity_from_text(body)


def collection(content_type: str | None, body: str) -> tuple[list[Entity], list[str]]:
    """A collection answer: (entities rendered in full, bare locations)."""
    if is_json(content_type):
        document = _load_json(body)
        entities = [
            _entity_from_json(obj)
            for key in ("resources", "links")
            for obj in document.get(key) or []
            if isinstance(obj, dict)
        ]
        return entities, [str(url) for url in document.get("locations") or []]
    if base_type(content_type) == URI_LIST:
        lines = [line.strip() for line in body.splitlines()]
        return [], [line for line in lines if line and not line.startswith("#")]
    locations = [v for n, v in _text_lines(body) if n == "x-occi-location"]
    return [], locations
