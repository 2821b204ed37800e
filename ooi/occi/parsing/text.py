"""Parsers for the text renderings: text/plain (body lines) and text/occi (headers).

Grammar: occi-spec/1.2/text_rendering.tex §ABNF Definitions, occi-spec/1.1/http_rendering.tex
§Syntax and Semantics of the Rendering. Lenient in what is accepted, and never raising anything
but `InvalidInput`:

- header names in any case; CRLF, LF or CR line ends; blank lines skipped; lines of other
  headers (``Name: value``) ignored, as HTTP ignores unknown headers; a line without ``:``
  rejected; a line starting with whitespace continues the previous one (RFC 7230 obs-fold, as
  the spec's own examples are written) unless it starts a field itself;
- several values per field, comma-separated, in the body as well as in headers (1.1 §Syntax
  and Semantics: "This applies to both the text/occi and text/plain content types");
- parameters with or without spaces after ``;``, a trailing ``;``, quoted or bare values
  (``class``, ``rel``, ...), parameter names in any case, unknown parameters ignored;
- attribute values typed from their syntax (`ooi.occi.textsyntax.parse_value`);
- text/plain with an empty body is read from the headers, as the original ooi did;
- text/occi header values arrive as WSGI native strings (PEP 3333) and are decoded as UTF-8
  where they are valid UTF-8.

Errors name the field at fault (shortened to about 100 characters) and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ooi.occi.documents import ActionDoc, CategoryDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.textsyntax import (
    excerpt,
    is_attribute_name,
    is_term,
    parse_value,
    split_parameter,
    split_value,
    unquote,
    unquote_lenient,
)

Headers = Iterable[tuple[str, str]] | Mapping[str, str]

CATEGORY = "category"
LINK = "link"
ATTRIBUTE = "x-occi-attribute"
LOCATION = "x-occi-location"
_FIELD_NAMES = frozenset((CATEGORY, LINK, ATTRIBUTE, LOCATION))
_DISPLAY_NAMES = {
    CATEGORY: "Category",
    LINK: "Link",
    ATTRIBUTE: "X-OCCI-Attribute",
    LOCATION: "X-OCCI-Location",
}
_CLASSES = frozenset(("kind", "mixin", "action"))

# ActionLinks (``<…?action=term>``) are not links (1.2 §Link ABNF, action-uri).
_ACTION_URI = re.compile(r"[?&]action=")
# The attribute-defs of a Category's ``attributes``: a name with optional {properties}.
_ATTRIBUTE_DEF = re.compile(r"([^\s{}]+)(?:\{[^}]*\}?)?")
# A line that starts a field: a header name, then ":".
_FIELD_START = re.compile(r"[A-Za-z][A-Za-z0-9-]*\s*:")


class _Field:
    """One field value as sent: its lower-case name and value."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value

    def where(self) -> str:
        """The field as written, shortened, to name it in an error message."""
        return excerpt(f"{_DISPLAY_NAMES[self.name]}: {self.value}")


# -- reading fields -------------------------------------------------------------------------


def _decode_body(body: bytes | str | None) -> str:
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    try:
        return bytes(body).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"the request body is not valid UTF-8 (byte {error.start}): "
            "text/plain bodies must be UTF-8"
        ) from None
    except TypeError:
        raise InvalidInput("the request body is not text") from None


def _body_fields(text: str) -> list[_Field]:
    # (name, value parts): folded lines are collected and joined once, never concatenated
    # repeatedly (which would be quadratic on a body of many short continuation lines).
    fields: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if line[0] in " \t" and fields and not _FIELD_START.match(stripped):
            fields[-1][1].append(stripped)
            continue
        name, colon, value = stripped.partition(":")
        if not colon or not name.strip():
            raise InvalidInput(f"line {number} is not a 'Name: value' field: {excerpt(stripped)}")
        fields.append((name.strip().lower(), [value.strip()]))
    return [_Field(name, " ".join(parts)) for name, parts in fields if name in _FIELD_NAMES]


def _from_wsgi(value: str) -> str:
    """A header value from WSGI (bytes as Latin-1 code points) as text, UTF-8 when it is."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _header_fields(headers: Headers | None) -> list[_Field]:
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, Mapping) else headers
    fields = []
    try:
        for name, value in items:
            name = str(name).strip().lower()
            if name in _FIELD_NAMES:
                fields.append(_Field(name, _from_wsgi(str(value)).strip()))
    except (TypeError, ValueError):
        raise InvalidInput("the request headers cannot be read as (name, value) pairs") from None
    return fields


def read_fields(headers: Headers | None, body: bytes | None, media_type: str) -> list[_Field]:
    """The OCCI fields of a request: from the headers for text/occi, else from the body (or
    from the headers when the body is empty)."""
    if media_type == "text/occi":
        return _header_fields(headers)
    text = _decode_body(body)
    if not text.strip():
        return _header_fields(headers)
    return _body_fields(text)


# -- field values ---------------------------------------------------------------------------


def _parameters(params: list[str]) -> dict[str, str]:
    named: dict[str, str] = {}
    for param in params:
        name, raw = split_parameter(param)
        if raw is not None:
            named[name.lower()] = raw
    return named


def _parameter_text(raw: str, name: str, field: _Field) -> str:
    try:
        return unquote_lenient(raw)
    except InvalidInput as error:
        raise InvalidInput(f"{field.where()}: parameter {name}: {error.message}") from None


def _category(params: list[str], field: _Field) -> CategoryDoc:
    first_name, first_value = split_parameter(params[0])
    if first_value is not None:
        raise InvalidInput(f"{field.where()}: expected the Category's term first")
    term = _parameter_text(first_name, "term", field)
    if not is_term(term):
        raise InvalidInput(
            f"{field.where()}: {excerpt(term, 40)!r} is not a term "
            "(a letter or digit, then letters, digits, '-', '_' or '.')"
        )
    named = _parameters(params[1:])
    texts = {name: _parameter_text(raw, name, field) for name, raw in named.items()}
    scheme = texts.get("scheme", "").strip()
    if not scheme:
        raise InvalidInput(f"{field.where()}: Category {term!r} has no scheme")
    category_class = texts.get("class")
    if category_class is not None:
        category_class = category_class.strip().lower()
        if category_class not in _CLASSES:
            raise InvalidInput(
                f"{field.where()}: class must be kind, mixin or action, "
                f"not {excerpt(category_class, 40)!r}"
            )
    return CategoryDoc(
        term=term,
        scheme=scheme,
        category_class=category_class,
        title=texts.get("title"),
        related=texts.get("rel", "").split(),
        location=texts["location"].strip() if "location" in texts else None,
        attributes=_ATTRIBUTE_DEF.findall(texts.get("attributes", "")),
        actions=texts.get("actions", "").split(),
    )


def _attribute(param: str, field: _Field) -> tuple[str, Any]:
    name, raw = split_parameter(param)
    if raw is None:
        raise InvalidInput(f"{field.where()}: expected name=value, got {excerpt(param, 60)!r}")
    if not is_attribute_name(name):
        raise InvalidInput(f"{field.where()}: {excerpt(name, 60)!r} is not an attribute name")
    try:
        return name, parse_value(raw)
    except InvalidInput as error:
        raise InvalidInput(f"{field.where()}: attribute {name}: {error.message}") from None


def _link(params: list[str], field: _Field) -> LinkDoc | None:
    """A LinkDoc, or None for an ActionLink."""
    first = params[0]
    if not (first.startswith("<") and first.endswith(">")):
        raise InvalidInput(f"{field.where()}: expected <URI> first")
    uri = first[1:-1].strip()
    if _ACTION_URI.search(uri):
        return None
    link = LinkDoc(target=uri or None)
    for param in params[1:]:
        name, raw = split_parameter(param)
        lower = name.lower()
        if raw is None:
            continue
        if lower in ("rel", "self", "category"):
            text = _parameter_text(raw, lower, field)
            if lower == "rel":
                related = text.split()
                link.target_kind = related[0] if related else None
            elif lower == "self":
                link.location = text.strip() or None
            else:
                types = text.split()
                if types:
                    link.kind = types[0]
                    link.mixins = types[1:]
        else:
            attribute, value = _attribute(param, field)
            link.attributes[attribute] = value
    # The target and its kind live in the LinkDoc's own fields, as every parser puts them.
    # The original ooi named the link itself in <> and the target in occi.core.target (IM
    # sends both): the explicit attribute wins.
    target = link.attributes.pop("occi.core.target", None)
    if isinstance(target, str) and target:
        link.target = target
    target_kind = link.attributes.pop("occi.core.target.kind", None)
    if isinstance(target_kind, str) and target_kind:
        link.target_kind = target_kind
    return link


def _locations(field: _Field) -> list[str]:
    locations = []
    for element in split_value(field.value, parameters=False):
        location = element[0]
        if location.startswith("<") and location.endswith(">"):
            location = location[1:-1].strip()
        elif location.startswith('"'):
            try:
                location = unquote(location).strip()
            except InvalidInput as error:
                raise InvalidInput(f"{field.where()}: {error.message}") from None
        if location:
            locations.append(location)
    return locations


# -- the parser interface -------------------------------------------------------------------


def parse_entity(
    headers: Headers | None, body: bytes | None, *, media_type: str = "text/plain"
) -> EntityDoc:
    """A resource or link rendering: one kind at most, mixins, attributes and inline links.

    Categories without a class go to ``other_categories``; ActionLinks are skipped; an Action
    category is refused (use ``?action=``).
    """
    doc = EntityDoc()
    for field in read_fields(headers, body, media_type):
        if field.name == LOCATION:
            continue
        for params in split_value(field.value):
            if field.name == CATEGORY:
                category = _category(params, field)
                type_id = category.type_id
                if category.category_class == "kind":
                    if doc.kind is not None and doc.kind != type_id:
                        raise InvalidInput(
                            f"{field.where()}: more than one kind ({doc.kind} and {type_id}); "
                            "an entity has exactly one"
                        )
                    doc.kind = type_id
                elif category.category_class == "mixin":
                    if type_id not in doc.mixins:
                        doc.mixins.append(type_id)
                elif category.category_class == "action":
                    raise InvalidInput(
                        f"{field.where()}: an action Category in an entity rendering; "
                        "actions are triggered with POST ...?action=<term>"
                    )
                elif type_id not in doc.other_categories:
                    doc.other_categories.append(type_id)
            elif field.name == LINK:
                link = _link(params, field)
                if link is not None:
                    doc.links.append(link)
            else:
                for param in params:
                    name, value = _attribute(param, field)
                    doc.attributes[name] = value
    return doc


def parse_action(
    headers: Headers | None, body: bytes | None, *, media_type: str = "text/plain"
) -> ActionDoc:
    """An action invocation: exactly one Category (class action, or no class) and attributes
    (1.2 §Action Invocation Rendering). Links and locations are ignored."""
    categories: list[CategoryDoc] = []
    attributes: dict[str, Any] = {}
    for field in read_fields(headers, body, media_type):
        if field.name == CATEGORY:
            for params in split_value(field.value):
                category = _category(params, field)
                if category.category_class not in (None, "action"):
                    raise InvalidInput(
                        f"{field.where()}: an action invocation carries the action's Category "
                        f"(class action), not a {category.category_class}"
                    )
                categories.append(category)
        elif field.name == ATTRIBUTE:
            for params in split_value(field.value):
                for param in params:
                    name, value = _attribute(param, field)
                    attributes[name] = value
    if not categories:
        raise InvalidInput("an action invocation needs the action's Category; none was given")
    if len(categories) > 1:
        names = ", ".join(c.type_id for c in categories[:3])
        raise InvalidInput(
            f"an action invocation carries exactly one Category, got {len(categories)}: "
            f"{excerpt(names)}"
        )
    return ActionDoc(action=categories[0].type_id, attributes=attributes)


def parse_categories(
    headers: Headers | None, body: bytes | None, *, media_type: str = "text/plain"
) -> list[CategoryDoc]:
    """Every Category field (user mixin definitions, query filters); other fields ignored."""
    return [
        _category(params, field)
        for field in read_fields(headers, body, media_type)
        if field.name == CATEGORY
        for params in split_value(field.value)
    ]


def parse_locations(
    headers: Headers | None, body: bytes | None, *, media_type: str = "text/plain"
) -> list[str]:
    """The URIs of every ``X-OCCI-Location`` field, as written."""
    return [
        location
        for field in read_fields(headers, body, media_type)
        if field.name == LOCATION
        for location in _locations(field)
    ]


def parse_uri_list(body: bytes | None) -> list[str]:
    """A text/uri-list body (RFC 2483): one URI a line, ``#`` comment lines and blank lines
    skipped."""
    text = _decode_body(body)
    uris = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if line and not line.startswith("#"):
            uris.append(line)
    return uris
