"""Parsing ``application/occi+json`` request bodies (occi-spec/1.2/json_rendering.tex).

Every function takes ``(headers, body)``; headers are not needed (JSON is UTF-8 by definition)
and ignored. Each returns the documents of ooi.occi.documents or raises `InvalidInput` whose
message names the JSON path at fault (``links[1].target.location must be a string, not a
number``) — never anything else, whatever the body.

Lenient where it costs nothing, strict about shapes so the layers above can trust them:

- Unknown members are ignored (``rel``, ``location``, rendering extras of other servers);
  a member that is ``null`` counts as absent. Nothing is required here except what a document
  cannot be read without (an action's ``action``, a category's ``term`` and ``scheme``): a
  partial update may leave out ``kind``, so required members are checked by the layers above.
- Known members must have their JSON types: strings, arrays of strings, ``attributes`` an
  object whose values are not ``null`` (the schema's ``attributes`` definition excludes null).
- The body is not validated against the JSON schema: its errors cannot be turned into
  messages as precise as these checks, it rejects unknown members, and it costs time.
- Invalid UTF-8 or JSON, NaN/Infinity, numbers too large for a float, unpaired surrogate
  escapes, nesting deeper than the parser allows or attribute values nested deeper than
  `MAX_VALUE_DEPTH`, and a top level that is not an object are all `InvalidInput`.

Shapes accepted:

- `parse_entity`: a resource or a link object (a link is recognised by ``source`` or
  ``target``), or a ``{"resources": [...]}`` / ``{"links": [...]}`` collection holding exactly
  one entity. ``id``, ``title``, ``summary`` go into ``attributes`` as ``occi.core.id``,
  ``occi.core.title``, ``occi.core.summary`` (they win over the same names inside
  ``attributes``); a link's ``source`` and ``target`` become ``occi.core.source``,
  ``occi.core.source.kind``, ``occi.core.target``, ``occi.core.target.kind``. Inline links
  become `LinkDoc`: target and its kind from ``target`` (else from ``occi.core.target`` /
  ``occi.core.target.kind`` attributes, which are moved out of ``attributes`` as the text
  parser does); ``id``, ``title`` and ``source`` (location and kind) into the link's
  attributes under their ``occi.core.*`` names.
  ``source`` / ``target`` may also be a bare location string.
- `parse_action`: ``{"action": "<type id>", "attributes": {...}}``.
- `parse_categories`: one category object (``term`` and ``scheme``), or an object with any of
  ``kinds``, ``mixins``, ``actions`` arrays (the class follows the array); ``{}`` is no
  category. ``parent`` and ``depends`` become ``related``; ``attributes`` may be an object of
  descriptions or an array of names (only the names are kept); ``applies`` is not kept (no
  field for it in `CategoryDoc`).
- `parse_locations`: a JSON array of location strings, ``{"locations": [...]}`` (what this
  rendering renders and rOCCI 5 sends), or an entity collection ``{"resources": [...],
  "links": [...]}`` (http_protocol.tex: mixin association takes an entity collection). An
  entity object's location is its ``id`` when that is a path or URL (contains ``/``), else the
  location of its kind plus the id, looked up in ``kind_locations`` when the caller gives it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ooi.occi.documents import ActionDoc, CategoryDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput

Headers = Iterable[tuple[str, str]]

# Attribute values may be arrays and objects; deeper than this is not a sensible value and
# would only make recursive code above (copies, comparisons, renderings) fragile.
MAX_VALUE_DEPTH = 32

ID = "occi.core.id"
TITLE = "occi.core.title"
SUMMARY = "occi.core.summary"
SOURCE = "occi.core.source"
SOURCE_KIND = "occi.core.source.kind"
TARGET = "occi.core.target"
TARGET_KIND = "occi.core.target.kind"

# A \uD800-\uDFFF escape: only then can a string hold an unpaired surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


# --- loading -----------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise InvalidInput(f"invalid JSON: {name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise InvalidInput(f"invalid JSON: the number {text[:40]} is too large")
    return value


def _load(body: bytes | str | None, *, allow_array: bool = False) -> Any:
    if body is None:  # no body at all reads as an empty one, as in the text parsers
        body = b""
    if isinstance(body, str):
        text = body
    else:
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"the body is not UTF-8 (invalid byte at offset {exc.start})"
            ) from None
    if text.startswith("\ufeff"):  # a BOM: RFC 8259 §8.1 lets parsers ignore it
        text = text[1:]
    if not text.strip():
        raise InvalidInput("the body is empty; expected a JSON object")
    try:
        document = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except InvalidInput:
        raise
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise InvalidInput("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise InvalidInput(f"invalid JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput("invalid JSON: a string holds an unpaired surrogate") from None
        except RecursionError:
            raise InvalidInput("invalid JSON: nested too deeply") from None
    if isinstance(document, dict) or (allow_array and isinstance(document, list)):
        return document
    expected = "a JSON object or array" if allow_array else "a JSON object"
    raise InvalidInput(f"the body must be {expected}, not {_describe(document)}")


# --- shape checks ------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _member(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _wrong(path: str, expected: str, value: Any) -> InvalidInput:
    return InvalidInput(f"{path} must be {expected}, not {_describe(value)}")


def _string(obj: Mapping[str, Any], key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _wrong(_member(path, key), "a string", value)


def _required_string(obj: Mapping[str, Any], key: str, path: str, hint: str = "") -> str:
    value = _string(obj, key, path)
    if value is None:
        raise InvalidInput(f"{_member(path, key)} is missing{hint}")
    return value


def _strings(obj: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    where = _member(path, key)
    if not isinstance(value, list):
        raise _wrong(where, "an array of strings", value)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _wrong(f"{where}[{index}]", "a string", item)
    return list(value)


def _objects(obj: Mapping[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The objects of an array member, each with its path."""
    value = obj.get(key)
    if value is None:
        return []
    where = _member(path, key)
    if not isinstance(value, list):
        raise _wrong(where, "an array of objects", value)
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise _wrong(f"{where}[{index}]", "an object", item)
        items.append((f"{where}[{index}]", item))
    return items


def _check_depth(value: Any, path: str) -> None:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_VALUE_DEPTH:
            raise InvalidInput(f"{path} is nested more than {MAX_VALUE_DEPTH} levels deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _attributes(obj: Mapping[str, Any], path: str) -> dict[str, Any]:
    value = obj.get("attributes")
    if value is None:
        return {}
    where = _member(path, "attributes")
    if not isinstance(value, dict):
        raise _wrong(where, "an object of attribute values", value)
    for name, item in value.items():
        if not name:
            raise InvalidInput(f"{where} has an attribute with an empty name")
        if item is None:
            raise InvalidInput(f"{where}[{json.dumps(name)}] must not be null")
        if isinstance(item, dict | list):
            _check_depth(item, f"{where}[{json.dumps(name)}]")
    return dict(value)


def _kinded_uri(obj: Mapping[str, Any], key: str, path: str) -> tuple[str | None, str | None]:
    """``source`` / ``target``: (location, kind); a bare string is taken as the location."""
    value = obj.get(key)
    if value is None:
        return None, None
    if isinstance(value, str):
        return value, None
    where = _member(path, key)
    if not isinstance(value, dict):
        raise _wrong(where, 'an object {"location": ..., "kind": ...}', value)
    return _required_string(value, "location", where), _string(value, "kind", where)


def _put(attributes: dict[str, Any], name: str, value: str | None) -> None:
    if value is not None:
        attributes[name] = value


# --- entities ----------------------------------------------------------------------------------


def _inline_link(obj: Mapping[str, Any], path: str) -> LinkDoc:
    attributes = _attributes(obj, path)
    _put(attributes, ID, _string(obj, "id", path))
    _put(attributes, TITLE, _string(obj, "title", path))
    source, source_kind = _kinded_uri(obj, "source", path)
    _put(attributes, SOURCE, source)
    _put(attributes, SOURCE_KIND, source_kind)
    target, target_kind = _kinded_uri(obj, "target", path)
    # Like the text parsers: target and its kind live in the LinkDoc's fields; an
    # ``occi.core.target`` attribute is only a fallback for a missing ``target`` member.
    target_attribute = attributes.pop(TARGET, None)
    target_kind_attribute = attributes.pop(TARGET_KIND, None)
    if target is None and isinstance(target_attribute, str):
        target = target_attribute
    if target_kind is None and isinstance(target_kind_attribute, str):
        target_kind = target_kind_attribute
    return LinkDoc(
        target=target,
        target_kind=target_kind,
        kind=_string(obj, "kind", path),
        mixins=_strings(obj, "mixins", path),
        attributes=attributes,
    )


def _entity(obj: Mapping[str, Any], path: str) -> EntityDoc:
    kind = _string(obj, "kind", path)
    mixins = _strings(obj, "mixins", path)
    attributes = _attributes(obj, path)
    _put(attributes, ID, _string(obj, "id", path))
    _put(attributes, TITLE, _string(obj, "title", path))
    if obj.get("source") is not None or obj.get("target") is not None:
        if obj.get("links") is not None:
            raise InvalidInput(
                f"{_member(path, 'links')}: a link (it has source or target) has no links"
            )
        source, source_kind = _kinded_uri(obj, "source", path)
        target, target_kind = _kinded_uri(obj, "target", path)
        _put(attributes, SOURCE, source)
        _put(attributes, SOURCE_KIND, source_kind)
        _put(attributes, TARGET, target)
        _put(attributes, TARGET_KIND, target_kind)
        return EntityDoc(kind=kind, mixins=mixins, attributes=attributes)
    _put(attributes, SUMMARY, _string(obj, "summary", path))
    links = [_inline_link(item, where) for where, item in _objects(obj, "links", path)]
    return EntityDoc(kind=kind, mixins=mixins, attributes=attributes, links=links)


_COLLECTION_KEYS = frozenset(("resources", "links"))


def parse_entity(headers: Headers, body: bytes) -> EntityDoc:
    """A resource or link rendering (create, replace, partial update)."""
    document = _load(body)
    if "kind" not in document and document.keys() and document.keys() <= _COLLECTION_KEYS:
        entities = _objects(document, "resources", "") + _objects(document, "links", "")
        if len(entities) != 1:
            raise InvalidInput(f"expected one entity, the collection holds {len(entities)}")
        path, entity = entities[0]
        return _entity(entity, path)
    return _entity(document, "")


def parse_action(headers: Headers, body: bytes) -> ActionDoc:
    """An action invocation ``{"action": <type id>, "attributes": {...}}``."""
    document = _load(body)
    action = _required_string(
        document, "action", "", ' (expected {"action": "<action type id>", "attributes": {...}})'
    )
    return ActionDoc(action=action, attributes=_attributes(document, ""))


# --- categories --------------------------------------------------------------------------------

_CATEGORY_ARRAYS = (("kinds", "kind"), ("mixins", "mixin"), ("actions", "action"))


def _attribute_names(obj: Mapping[str, Any], path: str) -> list[str]:
    value = obj.get("attributes")
    if value is None:
        return []
    if isinstance(value, list):
        return _strings(obj, "attributes", path)
    if not isinstance(value, dict):
        raise _wrong(_member(path, "attributes"), "an object of attribute descriptions", value)
    return list(value)


def _category(obj: Mapping[str, Any], path: str, category_class: str | None) -> CategoryDoc:
    parent = _string(obj, "parent", path)
    depends = _strings(obj, "depends", path)
    applies = _strings(obj, "applies", path)  # shape-checked, not kept
    if category_class is None:
        if parent is not None:
            category_class = "kind"
        elif depends or applies:
            category_class = "mixin"
    return CategoryDoc(
        term=_required_string(obj, "term", path),
        scheme=_required_string(obj, "scheme", path),
        category_class=category_class,
        title=_string(obj, "title", path),
        related=([parent] if parent is not None else []) + depends,
        location=_string(obj, "location", path),
        attributes=_attribute_names(obj, path),
        actions=_strings(obj, "actions", path),
    )


def parse_categories(headers: Headers, body: bytes) -> list[CategoryDoc]:
    """One category object, or ``kinds`` / ``mixins`` / ``actions`` arrays of them."""
    document = _load(body)
    if "term" in document or "scheme" in document:
        return [_category(document, "", None)]
    categories = []
    for key, category_class in _CATEGORY_ARRAYS:
        for path, item in _objects(document, key, ""):
            categories.append(_category(item, path, category_class))
    if not categories and document and not any(key in document for key, _ in _CATEGORY_ARRAYS):
        raise InvalidInput(
            "expected a category (with term and scheme) or an object with kinds, mixins or "
            "actions arrays"
        )
    return categories


# --- locations ---------------------------------------------------------------------------------


def _location_strings(items: Any, path: str) -> list[str]:
    if not isinstance(items, list):
        raise _wrong(path or "the body", "an array of locations", items)
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(item, str):
            raise _wrong(where, "a location string", item)
        if not item:
            raise InvalidInput(f"{where} is an empty location")
    return list(items)


def _entity_location(
    obj: Mapping[str, Any], path: str, kind_locations: Mapping[str, str] | None
) -> str:
    entity_id = _required_string(obj, "id", path)
    if "/" in entity_id:
        return entity_id
    kind = _string(obj, "kind", path)
    location = (kind_locations or {}).get(kind) if kind is not None else None
    if location is None:
        raise InvalidInput(
            f"{path}: cannot tell where entity {entity_id!r} of kind {kind!r} is; "
            "give its location as id"
        )
    return location + entity_id


def parse_locations(
    headers: Headers, body: bytes, *, kind_locations: Mapping[str, str] | None = None
) -> list[str]:
    """Entity locations: an array, ``{"locations": [...]}`` or an entity collection.

    ``kind_locations`` maps kind type identifiers to their locations, to find entities that a
    collection names by bare id; without it such entities are `InvalidInput`.
    """
    document = _load(body, allow_array=True)
    if isinstance(document, list):
        return _location_strings(document, "")
    if "locations" in document:
        return _location_strings(document["locations"], "locations")
    if document and "resources" not in document and "links" not in document:
        raise InvalidInput(
            "expected an array of locations, an object with a locations array, or an entity "
            "collection with resources or links"
        )
    return [
        _entity_location(item, path, kind_locations)
        for key in ("resources", "links")
        for path, item in _objects(document, key, "")
    ]
