"""The text renderings: text/plain, text/occi and text/uri-list (OCCI 1.2 and 1.1).

Authority: occi-spec/1.2/text_rendering.tex and occi-spec/1.1/http_rendering.tex; where the spec
leaves room, what the clients in the wild parse (rOCCI, jOCCI, IM, pOCCI). Choices made here:

- Category lines carry their parameters in the ABNF order ``term; scheme; class; title; rel;
  location; attributes; actions`` (rOCCI matches them with one regular expression in that
  order), every value quoted, ``class`` too, and no other parameter (pOCCI rejects unknown
  ones). A Kind's ``rel`` is its parent, a Mixin's its *first* ``depends`` (1.2 §Mixin Instance
  Attribute Rendering Specifics); Actions have neither ``rel`` nor ``location``.
- The query interface renders each Category in full. ``attributes`` lists the attributes the
  Category defines itself, not inherited ones: the spec's own storage example lists
  ``occi.storage.size{required} occi.storage.state{immutable}`` without the ``occi.core.*``
  ones (1.1 §Rendering of the OCCI Category, Kind and Mixin Types), and ``rel`` names the
  parent to inherit from.
- Inside entity renderings categories are rendered without ``attributes`` and ``actions``
  (``title``, ``rel`` and ``location`` stay, as the original ooi rendered them): the query
  interface already describes them, and entity renderings stay small.
- Resource: Categories (kind, then mixins), one ``Link`` per link (target in ``<>``, ``rel`` the
  target's kind, ``self`` the link, ``category`` its kind and mixins, then ``occi.core.id``,
  ``occi.core.title``, ``occi.core.source``, ``occi.core.target`` and the link's attributes, as
  IM greps them from that line), one ActionLink per applicable action, then ``X-OCCI-Attribute``
  lines: ``occi.core.id``, ``occi.core.title``, ``occi.core.summary``, then the other attributes
  in the entity's order. ``None`` values are not rendered.
- URIs outside quotes (``<target>``, ``X-OCCI-Location``, uri-list lines) are percent-encoded
  where they hold characters that are not plain URI syntax, ``,`` and ``;`` included, so that a
  comma can only ever appear inside quotes (what pOCCI relies on when it splits headers).
- text/plain: ``Name: value`` lines joined by ``\\n``, no newline after the last (IM reads the
  last line of a create answer verbatim). Empty collection: empty body.
- text/occi: the same fields as response headers, one header per name with comma-separated
  values (RECOMMENDED by 1.2 §OCCI Header Rendering) but never longer than `MAX_HEADER_VALUE`
  characters: a longer list continues in a repeated header of the same name, which the spec
  makes equivalent. That keeps every header line under the common 8 KiB limits of proxies and
  client libraries, and the number of header lines small (Python's http.client refuses more than
  100 headers). Values are WSGI "native strings" (UTF-8 bytes as Latin-1 code points, PEP 3333),
  ready for WebOb. Body ``OK`` on success.
- Errors: text/plain body = the message, one line; text/occi the same body (not ``OK``, which
  means success) plus an ``X-OCCI-Error`` header for header-only clients; text/uri-list the
  message as an RFC 2483 comment line (``# ...``).
- text/uri-list renders listings only; a resource or link raises `InvalidInput` (400, 1.2 §URI
  Listing Rendering: "a Bad Request MUST be returned"). The query interface is a listing of
  Categories, and the uri-list "cannot render ... Kinds or Mixins directly but just links to
  them": it lists their type identifiers, which are URIs (kinds, mixins, then actions).
- Content types: ``text/plain; charset=utf-8`` (titles and attribute values may be non-ASCII,
  and text/* without charset used to mean ISO-8859-1), ``text/occi; charset=utf-8``,
  ``text/uri-list`` (ASCII only, since URIs are percent-encoded). Clients compare the media type
  with parameters aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action, Attribute, Category, Entity, Kind, Link, Mixin, Resource
from ooi.occi.rendering.base import Rendered, Renderer
from ooi.occi.textsyntax import quote, render_value, safe_uri

CATEGORY = "Category"
LINK = "Link"
ATTRIBUTE = "X-OCCI-Attribute"
LOCATION = "X-OCCI-Location"
ERROR = "X-OCCI-Error"

# Longest combined text/occi header value before a repeated header of the same name is started.
MAX_HEADER_VALUE = 8000

# The rel of a link whose target is not a known OCCI resource: the ABNF makes rel mandatory.
_RESOURCE_TYPE_ID = "http://schemas.ogf.org/occi/core#resource"

# Attribute names rendered from the model's fields; never rendered twice from `attributes`.
_CORE_NAMES = frozenset(
    (
        "occi.core.id",
        "occi.core.title",
        "occi.core.summary",
        "occi.core.source",
        "occi.core.target",
        "occi.core.source.kind",
        "occi.core.target.kind",
    )
)

Field = tuple[str, str]


# Control characters cannot stand in a header value or a text/plain line (a NUL echoed from a
# request path into X-OCCI-Error made gunicorn refuse the whole answer).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _one_line(message: str) -> str:
    return " ".join(_CONTROL.sub(" ", message).split()) if message else ""


def _wsgi_native(value: str) -> str:
    """A header value as PEP 3333 wants it: UTF-8 bytes carried as Latin-1 code points."""
    return value if value.isascii() else value.encode("utf-8").decode("latin-1")


# Category values by (class, type id, full?, where locations start), with the category object
# itself, shared by the renderers of all requests: the static categories, and the cloud's while
# cached, are the same objects request after request, so each is rendered once (identity-checked:
# two objects with one type identifier may differ in title or location).
_CATEGORY_VALUES: dict[tuple[str, str, bool, str], tuple[Category, str]] = {}
_CATEGORY_VALUES_MAX = 8192


class _TextRenderer(Renderer):
    """Turns the model into ``(name, value)`` fields; subclasses place them in body or headers."""

    def __init__(
        self, base_url: str = "/", version: str = "1.2", category_base: str | None = None
    ) -> None:
        super().__init__(base_url, version, category_base)

    # -- fields -------------------------------------------------------------------------------

    def category_value(self, category: Category, full: bool = True) -> str:
        """The value of a ``Category`` field; ``full`` adds ``attributes`` and ``actions``."""
        key = (category.category_class, category.type_id, full, self.category_base)
        cached = _CATEGORY_VALUES.get(key)
        if cached is not None and cached[0] is category:
            return cached[1]
        value = self._render_category(category, full)
        if len(_CATEGORY_VALUES) >= _CATEGORY_VALUES_MAX:
            _CATEGORY_VALUES.clear()
        _CATEGORY_VALUES[key] = (category, value)
        return value

    def _render_category(self, category: Category, full: bool) -> str:
        parts = [
            category.term,
            f"scheme={quote(category.scheme)}",
            f'class="{category.category_class}"',
        ]
        if category.title is not None:
            parts.append(f"title={quote(category.title)}")
        actions: Sequence[Action] = ()
        if isinstance(category, Kind | Mixin):
            if isinstance(category, Kind):
                related = category.parent
            else:
                related = category.depends[0] if category.depends else None
            if related is not None:
                parts.append(f"rel={quote(related.type_id)}")
            if category.location:
                parts.append(f"location={quote(safe_uri(self.category_url(category.location)))}")
            actions = category.actions
        if full:
            if category.attributes:
                definitions = " ".join(_attribute_definition(a) for a in category.attributes)
                parts.append(f"attributes={quote(definitions)}")
            if actions:
                parts.append(f"actions={quote(' '.join(a.type_id for a in actions))}")
        return "; ".join(parts)

    def _entity_categories(self, entity: Entity) -> list[Field]:
        fields = [(CATEGORY, self.category_value(entity.kind, full=False))]
        fields.extend((CATEGORY, self.category_value(m, full=False)) for m in entity.mixins)
        return fields

    def _action_links(self, entity: Entity) -> list[Field]:
        if not entity.actions:
            return []
        url = safe_uri(self.url(entity.location or ""))
        joiner = "&" if "?" in url else "?"
        return [
            (LINK, f"<{url}{joiner}action={safe_uri(a.term)}>; rel={quote(a.type_id)}")
            for a in entity.actions
        ]

    def link_value(self, link: Link) -> str:
        """The value of the ``Link`` field that shows ``link`` inside its source's rendering."""
        target = self.url(link.target)
        target_type = link.target_kind.type_id if link.target_kind else _RESOURCE_TYPE_ID
        categories = " ".join([link.kind.type_id, *(m.type_id for m in link.mixins)])
        parts = [
            f"<{safe_uri(target)}>",
            f"rel={quote(target_type)}",
            f"self={quote(safe_uri(self.url(link.location or '')))}",
            f"category={quote(categories)}",
            f"occi.core.id={quote(link.id)}",
        ]
        if link.title is not None:
            parts.append(f"occi.core.title={quote(link.title)}")
        if link.source:
            parts.append(f"occi.core.source={quote(safe_uri(self.url(link.source)))}")
        parts.append(f"occi.core.target={quote(safe_uri(target))}")
        parts.extend(_attribute_reprs(link.attributes))
        return "; ".join(parts)

    def _resource_fields(self, resource: Resource) -> list[Field]:
        fields = self._entity_categories(resource)
        fields.extend((LINK, self.link_value(link)) for link in resource.links)
        fields.extend(self._action_links(resource))
        fields.append((ATTRIBUTE, f"occi.core.id={quote(resource.id)}"))
        if resource.title is not None:
            fields.append((ATTRIBUTE, f"occi.core.title={quote(resource.title)}"))
        if resource.summary is not None:
            fields.append((ATTRIBUTE, f"occi.core.summary={quote(resource.summary)}"))
        fields.extend((ATTRIBUTE, a) for a in _attribute_reprs(resource.attributes))
        return fields

    def _link_fields(self, link: Link) -> list[Field]:
        fields = self._entity_categories(link)
        fields.extend(self._action_links(link))
        core = [f"occi.core.id={quote(link.id)}"]
        if link.title is not None:
            core.append(f"occi.core.title={quote(link.title)}")
        if link.source:
            core.append(f"occi.core.source={quote(safe_uri(self.url(link.source)))}")
        core.append(f"occi.core.target={quote(safe_uri(self.url(link.target)))}")
        # source.kind and target.kind are OCCI 1.2 (1.2 §Entity Instance Attribute Rendering
        # Specifics); 1.1 has no such attributes.
        if self.version != "1.1":
            if link.source_kind is not None:
                core.append(f"occi.core.source.kind={quote(link.source_kind.type_id)}")
            if link.target_kind is not None:
                core.append(f"occi.core.target.kind={quote(link.target_kind.type_id)}")
        fields.extend((ATTRIBUTE, a) for a in core)
        fields.extend((ATTRIBUTE, a) for a in _attribute_reprs(link.attributes))
        return fields

    def _query_fields(
        self, kinds: Sequence[Kind], mixins: Sequence[Mixin], actions: Sequence[Action]
    ) -> list[Field]:
        return [(CATEGORY, self.category_value(c)) for c in (*kinds, *mixins, *actions)]

    def _location_fields(self, locations: Iterable[str]) -> list[Field]:
        return [(LOCATION, safe_uri(self.url(location))) for location in locations]

    # -- the Renderer interface ---------------------------------------------------------------

    def _rendered(self, fields: list[Field]) -> Rendered:
        raise NotImplementedError

    def query(
        self, kinds: Sequence[Kind], mixins: Sequence[Mixin], actions: Sequence[Action]
    ) -> Rendered:
        return self._rendered(self._query_fields(kinds, mixins, actions))

    def resource(self, resource: Resource) -> Rendered:
        return self._rendered(self._resource_fields(resource))

    def link(self, link: Link) -> Rendered:
        return self._rendered(self._link_fields(link))

    def entities(self, entities: Sequence[Entity]) -> Rendered:
        return self._rendered(self._location_fields(e.location or "" for e in entities))

    def locations(self, locations: Sequence[str]) -> Rendered:
        return self._rendered(self._location_fields(locations))

    def empty(self) -> Rendered:
        return self._rendered([])


def _attribute_definition(attribute: Attribute) -> str:
    """``name`` or ``name{immutable required}`` (1.2 §Category ABNF, attribute-def)."""
    flags = []
    if not attribute.mutable:
        flags.append("immutable")
    if attribute.required:
        flags.append("required")
    return f"{attribute.name}{{{' '.join(flags)}}}" if flags else attribute.name


def _attribute_reprs(attributes: dict[str, object]) -> list[str]:
    return [
        f"{name}={render_value(value)}"
        for name, value in attributes.items()
        if value is not None and name not in _CORE_NAMES
    ]


class TextPlainRenderer(_TextRenderer):
    """text/plain (1.2 §OCCI Text Plain rendering): the fields as lines of the body."""

    media_type = "text/plain"
    content_type = "text/plain; charset=utf-8"

    def _rendered(self, fields: list[Field]) -> Rendered:
        body = "\n".join(f"{name}: {value}" for name, value in fields)
        return Rendered(self.content_type, (), body.encode("utf-8"))

    def error(self, status: int, message: str) -> Rendered:
        return Rendered(self.content_type, (), _error_line(status, message).encode("utf-8"))


class TextOCCIRenderer(_TextRenderer):
    """text/occi (1.2 §OCCI Header Rendering): the fields as headers, body ``OK``."""

    media_type = "text/occi"
    content_type = "text/occi; charset=utf-8"

    def _rendered(self, fields: list[Field]) -> Rendered:
        by_name: dict[str, list[str]] = {}
        for name, value in fields:
            by_name.setdefault(name, []).append(value)
        headers: list[tuple[str, str]] = []
        for name, values in by_name.items():
            headers.extend((name, _wsgi_native(v)) for v in combine_values(values))
        return Rendered(self.content_type, tuple(headers), b"OK")

    def error(self, status: int, message: str) -> Rendered:
        line = _error_line(status, message)
        header = line if len(line) <= MAX_HEADER_VALUE else line[: MAX_HEADER_VALUE - 3] + "..."
        return Rendered(self.content_type, ((ERROR, _wsgi_native(header)),), line.encode("utf-8"))


def combine_values(values: list[str], limit: int = MAX_HEADER_VALUE) -> list[str]:
    """``values`` joined with ``", "`` into as few header values as fit ``limit`` characters
    each (a single value longer than ``limit`` stays whole: it cannot be split)."""
    combined: list[str] = []
    current: list[str] = []
    size = 0
    for value in values:
        if current and size + 2 + len(value) > limit:
            combined.append(", ".join(current))
            current, size = [], 0
        size += len(value) + (2 if current else 0)
        current.append(value)
    if current:
        combined.append(", ".join(current))
    return combined


class UriListRenderer(_TextRenderer):
    """text/uri-list (RFC 2483; 1.2 §URI Listing Rendering): listings only, one URI a line."""

    media_type = "text/uri-list"
    content_type = "text/uri-list"

    def _uris(self, uris: Iterable[str]) -> Rendered:
        return Rendered(self.content_type, (), "\n".join(uris).encode("utf-8"))

    def _rendered(self, fields: list[Field]) -> Rendered:
        return self._uris(value for _, value in fields)

    def query(
        self, kinds: Sequence[Kind], mixins: Sequence[Mixin], actions: Sequence[Action]
    ) -> Rendered:
        return self._uris(safe_uri(c.type_id) for c in (*kinds, *mixins, *actions))

    def resource(self, resource: Resource) -> Rendered:
        raise InvalidInput(_NOT_A_LISTING, status=400)

    def link(self, link: Link) -> Rendered:
        raise InvalidInput(_NOT_A_LISTING, status=400)

    def error(self, status: int, message: str) -> Rendered:
        return Rendered(self.content_type, (), f"# {_error_line(status, message)}".encode())


_NOT_A_LISTING = (
    "text/uri-list can only render listings (collections, the query interface); "
    "ask for text/plain or text/occi to get an entity"
)


def _error_line(status: int, message: str) -> str:
    line = _one_line(message)
    if line:
        return line
    try:
        from http import HTTPStatus

        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"
