"""The OCCI JSON rendering, ``application/occi+json`` (occi-spec/1.2/json_rendering.tex).

OCCI 1.1 defines no JSON rendering; 1.1 clients asking for JSON get the 1.2 one.

Choices where the spec leaves room (see also the module docstring of ooi.occi.parsing.json):

- Members follow the order of the spec's declarations; attribute values are sorted by name,
  so a rendering does not depend on how the backend filled the entity.
- Empty arrays and null members are omitted (rOCCI 5 validates with ``minItems: 1``);
  resources and links always carry ``attributes`` (rOCCI 5 requires it, ``{}`` is valid);
  attribute descriptions always carry ``mutable``, ``required`` and ``type``.
- An entity collection is ``{"resources": [...], "links": [...]}`` (the schema's ``model``
  shape, each key only when non-empty, ``{}`` when empty), as rOCCI 5 renders it.
- Bare locations (no JSON rendering in the spec) are ``{"locations": [<URL>, ...]}``, the form
  rOCCI 5 renders; the key is always present.
- ``empty()`` is ``{}`` (a JSON client can always parse the body); errors are
  ``{"code": <status>, "message": "..."}`` as the original ooi rendered them.
- An attribute ``pattern`` (an extended regular expression the whole value must match) is
  rendered as the JSON Schema the spec asks for, anchored because JSON Schema patterns match
  anywhere: ``{"$schema": <draft-04>, "type": <type>, "pattern": "^(?:<ERE>)$"}``. (rOCCI 5's
  own validator wants a string there; the spec's schema wants this object, and the spec wins.)
- ``occi.core.*`` names are never rendered inside ``attributes`` (they are members); an inline
  link without source takes the resource it is in. A mixin without location, a standalone
  link without source or target, or a plain Entity in a collection is a `ValueError`.
- Compact separators, ``ensure_ascii=False``, UTF-8; NaN and infinities are refused
  (`ValueError`): the model holding one is a programming error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ooi.occi.model import (
    Action,
    Attribute,
    AttributeType,
    Category,
    Entity,
    Kind,
    Link,
    Mixin,
    Resource,
)
from ooi.occi.rendering.base import Rendered, Renderer

MEDIA_TYPE = "application/occi+json"
_DRAFT_04 = "http://json-schema.org/draft-04/schema#"

# Attribute description ``type`` (json_rendering.tex §Attribute Description Rendering) allows
# only these five; INTEGER is a ``number``.
_DESCRIPTION_TYPES = {
    AttributeType.STRING: "string",
    AttributeType.INTEGER: "number",
    AttributeType.NUMBER: "number",
    AttributeType.BOOLEAN: "boolean",
    AttributeType.ARRAY: "array",
    AttributeType.OBJECT: "object",
}
# Inside the ``pattern`` JSON Schema the precise JSON Schema type can be said.
_SCHEMA_TYPES = {**_DESCRIPTION_TYPES, AttributeType.INTEGER: "integer"}

# Rendered as top-level members (id, title, summary, source, target), never in ``attributes``
# even if an entity's attribute dict holds them by mistake.
_MEMBER_ATTRIBUTES = frozenset(
    (
        "occi.core.id",
        "occi.core.title",
        "occi.core.summary",
        "occi.core.source",
        "occi.core.source.kind",
        "occi.core.target",
        "occi.core.target.kind",
    )
)

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
# Fallback for strings Python holds but UTF-8 cannot carry (lone surrogates).
_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def encode(document: Any) -> bytes:
    """A JSON document as UTF-8 bytes; ValueError for NaN, infinities or non-JSON values."""
    try:
        text = _ENCODER.encode(document)
    except ValueError as exc:
        raise ValueError(f"cannot render NaN or infinity as JSON: {exc}") from exc
    except TypeError as exc:
        raise ValueError(f"cannot render as JSON: {exc}") from exc
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _ASCII_ENCODER.encode(document).encode("ascii")


def _type_ids(categories: Iterable[Category]) -> list[str]:
    return [c.type_id for c in categories]


def attribute_description(attribute: Attribute) -> dict[str, Any]:
    """An attribute definition as a JSON attribute description."""
    description: dict[str, Any] = {
        "mutable": attribute.mutable,
        "required": attribute.required,
        "type": _DESCRIPTION_TYPES[attribute.type],
    }
    if attribute.pattern is not None:
        description["pattern"] = {
            "$schema": _DRAFT_04,
            "type": _SCHEMA_TYPES[attribute.type],
            "pattern": _anchored(attribute.pattern),
        }
    if attribute.default is not None:
        description["default"] = attribute.default
    if attribute.description is not None:
        description["description"] = attribute.description
    return description


def _anchored(pattern: str) -> str:
    # Always wrapped: even "^a|b$" is only anchored per alternative.
    return f"^(?:{pattern})$"


class JSONRenderer(Renderer):
    """``application/occi+json`` for OCCI 1.2 (and 1.1 clients)."""

    media_type = MEDIA_TYPE

    # --- documents (plain dicts, for reuse and tests) ----------------------------------------

    def _category_members(self, category: Category) -> dict[str, Any]:
        members: dict[str, Any] = {"term": category.term, "scheme": category.scheme}
        if category.title is not None:
            members["title"] = category.title
        if category.attributes:
            members["attributes"] = {a.name: attribute_description(a) for a in category.attributes}
        return members

    def kind_document(self, kind: Kind) -> dict[str, Any]:
        document = self._category_members(kind)
        if kind.actions:
            document["actions"] = _type_ids(kind.actions)
        if kind.parent is not None:
            document["parent"] = kind.parent.type_id
        if kind.location is not None:
            document["location"] = self.category_url(kind.location)
        return document

    def mixin_document(self, mixin: Mixin) -> dict[str, Any]:
        if mixin.location is None:
            # The schema requires it and every mixin has a collection (http_protocol.tex
            # §Namespace): a mixin without one is a bug in the category definitions.
            raise ValueError(f"mixin {mixin.type_id} has no location")
        document = self._category_members(mixin)
        if mixin.actions:
            document["actions"] = _type_ids(mixin.actions)
        if mixin.depends:
            document["depends"] = _type_ids(mixin.depends)
        if mixin.applies:
            document["applies"] = _type_ids(mixin.applies)
        document["location"] = self.category_url(mixin.location)
        return document

    def action_document(self, action: Action) -> dict[str, Any]:
        return self._category_members(action)

    def query_document(
        self, kinds: Sequence[Kind], mixins: Sequence[Mixin], actions: Sequence[Action]
    ) -> dict[str, Any]:
        document: dict[str, Any] = {}
        if kinds:
            document["kinds"] = [self.kind_document(k) for k in kinds]
        if mixins:
            document["mixins"] = [self.mixin_document(m) for m in mixins]
        if actions:
            document["actions"] = [self.action_document(a) for a in actions]
        return document

    @staticmethod
    def _attribute_values(entity: Entity) -> dict[str, Any]:
        values = entity.attributes
        return {
            name: values[name]
            for name in sorted(values)
            if values[name] is not None and name not in _MEMBER_ATTRIBUTES
        }

    def link_document(self, link: Link, source: Resource | None = None) -> dict[str, Any]:
        """A link; ``source`` is the resource it is rendered inside, if any.

        Inside a resource an unset source (location or kind) is that resource's.
        """
        document: dict[str, Any] = {"kind": link.kind.type_id}
        if link.mixins:
            document["mixins"] = _type_ids(link.mixins)
        document["attributes"] = self._attribute_values(link)
        if link.actions:
            document["actions"] = _type_ids(link.actions)
        document["id"] = link.id

        source_location = link.source
        source_kind = link.source_kind
        if source is not None:
            source_location = source_location or source.location or ""
            source_kind = source_kind or source.kind
        if not source_location:
            raise ValueError(f"link {link.id!r} has no source")
        if not link.target:
            raise ValueError(f"link {link.id!r} has no target")
        document["source"] = self._kinded_uri(source_location, source_kind)
        document["target"] = self._kinded_uri(link.target, link.target_kind)
        if link.title is not None:
            document["title"] = link.title
        return document

    def _kinded_uri(self, location: str, kind: Kind | None) -> dict[str, str]:
        if kind is None:
            return {"location": self.url(location)}
        return {"location": self.url(location), "kind": kind.type_id}

    def resource_document(self, resource: Resource) -> dict[str, Any]:
        document: dict[str, Any] = {"kind": resource.kind.type_id}
        if resource.mixins:
            document["mixins"] = _type_ids(resource.mixins)
        document["attributes"] = self._attribute_values(resource)
        if resource.actions:
            document["actions"] = _type_ids(resource.actions)
        document["id"] = resource.id
        if resource.links:
            document["links"] = [self.link_document(link, resource) for link in resource.links]
        if resource.summary is not None:
            document["summary"] = resource.summary
        if resource.title is not None:
            document["title"] = resource.title
        return document

    def entities_document(self, entities: Sequence[Entity]) -> dict[str, Any]:
        resources: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for entity in entities:
            if isinstance(entity, Resource):
                resources.append(self.resource_document(entity))
            elif isinstance(entity, Link):
                links.append(self.link_document(entity))
            else:
                raise ValueError(
                    f"{type(entity).__name__} {entity.id!r} is neither resource nor link"
                )
        document: dict[str, Any] = {}
        if resources:
            document["resources"] = resources
        if links:
            document["links"] = links
        return document

    # --- the Renderer interface --------------------------------------------------------------

    def _rendered(self, document: Any) -> Rendered:
        return Rendered(self.media_type, (), encode(document))

    def query(
        self, kinds: Sequence[Kind], mixins: Sequence[Mixin], actions: Sequence[Action]
    ) -> Rendered:
        return self._rendered(self.query_document(kinds, mixins, actions))

    def resource(self, resource: Resource) -> Rendered:
        return self._rendered(self.resource_document(resource))

    def link(self, link: Link) -> Rendered:
        return self._rendered(self.link_document(link))

    def entities(self, entities: Sequence[Entity]) -> Rendered:
        return self._rendered(self.entities_document(entities))

    def locations(self, locations: Sequence[str]) -> Rendered:
        return self._rendered({"locations": [self.url(location) for location in locations]})

    def empty(self) -> Rendered:
        return self._rendered({})

    def error(self, status: int, message: str) -> Rendered:
        return self._rendered({"code": status, "message": message})

    def action_invocation(
        self, action: Action, attributes: dict[str, Any] | None = None
    ) -> Rendered:
        """An action invocation document (what a client sends; useful for tests and tools)."""
        document: dict[str, Any] = {"action": action.type_id}
        if attributes:
            document["attributes"] = {name: attributes[name] for name in sorted(attributes)}
        return self._rendered(document)
