"""Checking what a client sent (an EntityDoc or ActionDoc) against the categories of an endpoint.

Pure functions: a Registry and a parsed document in, checked and typed data out, or
``InvalidInput`` (400) with a message naming the category or attribute at fault.

Rules beyond the letter of the spec, each for the clients in the wild:
- ``occi.core.id`` in a body is ignored: clients send their own ids on create
  (reference/clients-in-the-wild.md §6) and the URL names the entity otherwise.
- An immutable attribute is refused on create and update, except when its value equals the
  definition's default (a client echoing a resource template's value); on a full replace it is
  ignored, since a replace body is a rendering the client got from us, server values included.
- Required attributes the provider fills in (a MAC, a device id, an assigned address) are not
  required from the client: multiplicity 1 in the spec says what an instance exposes.
- Inline links: ``occi.core.source`` and ``self`` are ignored (the source is the resource being
  created, possibly with a client-made id); the link kind defaults from the target kind
  (storage -> storagelink, network -> networkinterface), else from the target's path.
- Legacy attribute spellings (``infrastructure.ATTRIBUTE_ALIASES``) are read as the spec names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ooi.occi import core
from ooi.occi import infrastructure as infra
from ooi.occi.documents import ActionDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action, Attribute, AttributeType, Kind, Mixin, Registry

Purpose = Literal["create", "replace", "update"]
_PURPOSES = ("create", "replace", "update")

# Required by the spec tables, but supplied by OpenStack when the client leaves them out.
PROVIDER_SUPPLIED = frozenset(
    {
        "occi.networkinterface.mac",
        "occi.networkinterface.address",
        "occi.networkinterface.allocation",
        "occi.storagelink.deviceid",
    }
)

# Core values the model keeps as fields of Entity/Resource/Link, not in ``attributes``.
_ID = core.ID.name
_TITLE = core.TITLE.name
_SUMMARY = core.SUMMARY.name
_SOURCE = core.SOURCE.name
_TARGET = core.TARGET.name
_SOURCE_KIND = core.SOURCE_KIND.name
_TARGET_KIND = core.TARGET_KIND.name
# Ignored on inline links: the source is the resource being created.
_INLINE_IGNORED = frozenset({_ID, _SOURCE, _SOURCE_KIND, _TARGET, _TARGET_KIND})
# An inline storage link to the storage collection describes a new storage by its size.
_INLINE_STORAGE_SIZE = replace(infra.STORAGE_SIZE, required=False)

# Only one template of each family per entity (occi-spec/1.2/infrastructure.tex §OS Template,
# §Resource Template: a new one replaces the old one).
_TEMPLATE_BASES = ((infra.OS_TPL, "OS template"), (infra.RESOURCE_TPL, "resource template"))


@dataclass
class ResolvedLink:
    """An inline link of a resource rendering, checked."""

    kind: Kind
    target: str
    # The target's kind when the client named it (``rel``); None otherwise.
    target_kind: Kind | None = None
    mixins: list[Mixin] = field(default_factory=list)
    title: str | None = None
    # Checked values of every non-core attribute, by name.
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ResolvedEntity:
    """An entity rendering checked against a registry."""

    kind: Kind
    mixins: list[Mixin] = field(default_factory=list)
    # Checked values of every non-core attribute the client sent, by (spec) name.
    attributes: dict[str, Any] = field(default_factory=dict)
    links: list[ResolvedLink] = field(default_factory=list)
    title: str | None = None
    summary: str | None = None
    # For a link sent on its own.
    source: str | None = None
    target: str | None = None
    target_kind: Kind | None = None

    def template(self, base: Mixin) -> Mixin | None:
        """The mixin that depends on ``base`` (e.g. ``infrastructure.OS_TPL``), if any."""
        for mixin in self.mixins:
            if mixin != base and mixin.is_a(base):
                return mixin
        return None

    def value(self, name: str) -> Any:
        """The client's value for ``name``, else the default of the kind or a mixin."""
        if name in self.attributes:
            return self.attributes[name]
        definition = definitions_for(self.kind, self.mixins).get(name)
        return None if definition is None else definition.default


# --- Attribute definitions and values ---------------------------------------------------------

_DEFINITIONS: dict[tuple[int, ...], tuple[tuple[Any, ...], dict[str, Attribute]]] = {}
_MAX_CACHED = 4096


def definitions_for(kind: Kind, mixins: Sequence[Mixin] = ()) -> dict[str, Attribute]:
    """Attribute definitions of ``kind`` and ``mixins`` by name; mixins (templates) override.

    Cached by identity of the categories (the cache holds them, so identities stay unique);
    do not change the returned dict.
    """
    key = (id(kind), *map(id, mixins))
    hit = _DEFINITIONS.get(key)
    if hit is not None:
        return hit[1]
    merged = kind.all_attributes()
    for mixin in mixins:
        merged.update(mixin.all_attributes())
    if len(_DEFINITIONS) >= _MAX_CACHED:
        _DEFINITIONS.clear()
    _DEFINITIONS[key] = ((kind, *mixins), merged)
    return merged


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(text: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(text)
    if compiled is None:
        compiled = _PATTERNS[text] = re.compile(text)
    return compiled


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else '"' + value + '"'
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {_show(value)}"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    if isinstance(value, int | float):
        return f"the number {_show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else f"a {type(value).__name__}"


_EXPECTED = {
    AttributeType.STRING: "a string",
    AttributeType.INTEGER: "an integer",
    AttributeType.NUMBER: "a number",
    AttributeType.BOOLEAN: "a boolean (true or false, unquoted)",
    AttributeType.ARRAY: "a list",
    AttributeType.OBJECT: "an object",
}


def check_value(definition: Attribute, value: Any, where: str = "") -> Any:
    """``value`` converted to the definition's type (NUMBER -> float, integral float ->
    INTEGER), or InvalidInput naming the attribute; ``where`` ends the message."""
    type_ = definition.type
    result: Any = _UNSET
    if type_ is AttributeType.STRING:
        if isinstance(value, str):
            result = value
    elif type_ is AttributeType.INTEGER:
        if isinstance(value, int) and not isinstance(value, bool):
            result = value
        elif isinstance(value, float) and value.is_integer():
            result = int(value)
    elif type_ is AttributeType.NUMBER:
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            result = float(value)
    elif type_ is AttributeType.BOOLEAN:
        if isinstance(value, bool):
            result = value
    elif type_ is AttributeType.ARRAY:
        if isinstance(value, list):
            result = value
    elif type_ is AttributeType.OBJECT and isinstance(value, dict):
        result = value
    if result is _UNSET:
        hint = ""
        if isinstance(value, str) and type_ in (AttributeType.INTEGER, AttributeType.NUMBER):
            hint = " (write numbers unquoted)"
        elif isinstance(value, str) and type_ is AttributeType.BOOLEAN:
            hint = " (write true or false unquoted)"
        raise InvalidInput(
            f"Attribute {definition.name} expects {_EXPECTED[type_]}, "
            f"got {_describe(value)}{hint}{where}"
        )
    if definition.pattern is not None and isinstance(result, str | int):
        text = result if isinstance(result, str) else str(result)
        if not _pattern(definition.pattern).fullmatch(text):
            raise InvalidInput(
                f"Attribute {definition.name} must match {definition.pattern}, "
                f"got {_show(result)}{where}"
            )
    return result


class _Unset:
    pass


_UNSET = _Unset()


def _check_attributes(
    values: Mapping[str, Any],
    definitions: Mapping[str, Attribute],
    purpose: Purpose,
    owner: str,
    where: str,
    skip: Iterable[str] = (),
) -> dict[str, Any]:
    """Checked values of ``values`` (aliases resolved), minus ``occi.core.id`` and ``skip``."""
    skipped = set(skip)
    skipped.add(_ID)
    checked: dict[str, Any] = {}
    for sent_name, value in values.items():
        if sent_name in skipped:
            continue
        name = sent_name
        definition = definitions.get(name)
        if definition is None:
            alias_of = infra.ATTRIBUTE_ALIASES.get(name)
            if alias_of is not None:
                if alias_of in values:
                    continue  # the spec name was sent too and wins
                name, definition = alias_of, definitions.get(alias_of)
            if definition is None:
                raise InvalidInput(f"Unknown attribute {sent_name} for {owner}{where}")
        result = check_value(definition, value, where)
        if not definition.mutable:
            if definition.default is not None and result == definition.default:
                continue
            if purpose == "replace":
                continue
            if definition.default is not None:
                raise InvalidInput(
                    f"Attribute {sent_name} is fixed to {_show(definition.default)} by a "
                    f"template: remove it or choose another template{where}"
                )
            raise InvalidInput(
                f"Attribute {sent_name} is immutable (set by the provider): "
                f"remove it from the request{where}"
            )
        checked[name] = result
    if purpose == "create":
        for definition in definitions.values():
            if (
                definition.required
                and definition.mutable
                and definition.default is None
                and definition.name not in checked
                and definition.name not in skipped
                and definition.name not in PROVIDER_SUPPLIED
            ):
                raise InvalidInput(
                    f"Missing required attribute {definition.name} for {owner}{where}"
                )
    return checked


# --- Categories -------------------------------------------------------------------------------


def _kind(registry: Registry, type_id: str, where: str) -> Kind:
    kind = registry.kind(type_id)
    if kind is None:
        other = registry.get(type_id)
        if other is not None:
            raise InvalidInput(f"{type_id} is a {other.category_class}, not a kind{where}")
        raise InvalidInput(f"Unknown kind {type_id}{where}")
    return kind


def _mixins(registry: Registry, type_ids: Iterable[str], kind: Kind, where: str) -> list[Mixin]:
    mixins: list[Mixin] = []
    seen: set[str] = set()
    for type_id in type_ids:
        if type_id in seen:
            continue
        seen.add(type_id)
        mixin = registry.mixin(type_id)
        if mixin is None:
            other = registry.get(type_id)
            if other is not None:
                raise InvalidInput(f"{type_id} is a {other.category_class}, not a mixin{where}")
            raise InvalidInput(f"Unknown mixin {type_id}{where}")
        if not mixin.applies_to(kind):
            applies = ", ".join(k.type_id for m in mixin.dependencies() for k in m.applies)
            raise InvalidInput(
                f"Mixin {type_id} cannot be applied to {kind.type_id} "
                f"(it applies to {applies}){where}"
            )
        mixins.append(mixin)
    for base, what in _TEMPLATE_BASES:
        chosen = [m.type_id for m in mixins if m != base and m.is_a(base)]
        if len(chosen) > 1:
            raise InvalidInput(f"Only one {what} may be given, got {' and '.join(chosen)}{where}")
    return mixins


def _owner(kind: Kind, mixins: Sequence[Mixin]) -> str:
    if not mixins:
        return kind.type_id
    return f"{kind.type_id} with mixins {', '.join(m.type_id for m in mixins)}"


def _split_categories(doc: EntityDoc, registry: Registry) -> tuple[str | None, list[str]]:
    """The kind and mixin type ids, with categories the rendering sent without a class sorted
    out by what the registry knows them as."""
    kind_id = doc.kind
    mixin_ids = list(doc.mixins)
    for type_id in doc.other_categories:
        category = registry.get(type_id)
        if category is None:
            raise InvalidInput(f"Unknown category {type_id}")
        if category.category_class == "kind":
            if kind_id is not None and kind_id != type_id:
                raise InvalidInput(f"Only one kind may be given, got {kind_id} and {type_id}")
            kind_id = type_id
        elif category.category_class == "mixin":
            mixin_ids.append(type_id)
        else:
            raise InvalidInput(
                f"Action {type_id} cannot be part of an entity rendering; "
                f"trigger it with POST ...?action={category.term}"
            )
    return kind_id, mixin_ids


def _optional_str(values: Mapping[str, Any], name: str, where: str = "") -> str | None:
    value = values.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"Attribute {name} expects a string, got {_describe(value)}{where}")
    return value


# --- Entities ---------------------------------------------------------------------------------


def resolve_entity(
    doc: EntityDoc,
    registry: Registry,
    *,
    kind: Kind | None = None,
    purpose: Purpose = "create",
) -> ResolvedEntity:
    """Check a resource or link rendering against ``registry``.

    ``kind`` is the kind the request's collection or entity has (e.g. compute for
    ``POST /compute/``); the rendering's kind must be that one. ``purpose`` is ``create``
    (kind required, required attributes checked), ``replace`` (full rendering, PUT) or
    ``update`` (partial, POST on an entity); the last two may leave out the kind.
    """
    if purpose not in _PURPOSES:
        raise ValueError(f"purpose must be one of {_PURPOSES}, not {purpose!r}")
    kind_id, mixin_ids = _split_categories(doc, registry)
    if kind_id is None:
        if purpose == "create" or kind is None:
            wanted = kind.type_id if kind is not None else "the kind of the entity"
            raise InvalidInput(f"Missing kind: send the category {wanted} with class kind")
        resolved_kind = kind
    else:
        resolved_kind = _kind(registry, kind_id, "")
        if kind is not None and resolved_kind != kind:
            raise InvalidInput(f"Kind {kind_id} does not belong here: expected {kind.type_id}")
    mixins = _mixins(registry, mixin_ids, resolved_kind, "")
    definitions = definitions_for(resolved_kind, mixins)
    is_link = resolved_kind.is_a(core.LINK)
    skip = (_SOURCE_KIND, _TARGET_KIND) if is_link else ()
    attributes = _check_attributes(
        doc.attributes, definitions, purpose, _owner(resolved_kind, mixins), "", skip
    )
    entity = ResolvedEntity(kind=resolved_kind, mixins=mixins)
    entity.title = attributes.pop(_TITLE, None)
    entity.summary = attributes.pop(_SUMMARY, None)
    if is_link:
        entity.source = attributes.pop(_SOURCE, None)
        entity.target = attributes.pop(_TARGET, None)
        _optional_str(doc.attributes, _SOURCE_KIND)
        target_kind = _optional_str(doc.attributes, _TARGET_KIND)
        if target_kind is not None:
            entity.target_kind = _kind(registry, target_kind, f" (in {_TARGET_KIND})")
        if doc.links:
            raise InvalidInput(f"A link ({resolved_kind.type_id}) cannot carry links itself")
    entity.attributes = attributes
    entity.links = [
        _resolve_link(link, registry, number) for number, link in enumerate(doc.links, 1)
    ]
    return entity


def _link_kind_for_target(registry: Registry, target: str, target_kind: Kind | None) -> Kind | None:
    """storagelink for a storage target, networkinterface for a network (ipreservation
    included); the target's kind from ``rel``, else from the kind location in its path."""
    if target_kind is None:
        path = "/" + target.split("?", 1)[0]
        for candidate in registry.kinds:
            if (
                candidate.location
                and f"/{candidate.location}" in path
                and (candidate.is_a(infra.STORAGE) or candidate.is_a(infra.NETWORK))
            ):
                target_kind = candidate
                break
        if target_kind is None:
            return None
    if target_kind.is_a(infra.STORAGE):
        return registry.kind(infra.STORAGELINK.type_id)
    if target_kind.is_a(infra.NETWORK):
        return registry.kind(infra.NETWORKINTERFACE.type_id)
    return None


def _resolve_link(link: LinkDoc, registry: Registry, number: int) -> ResolvedLink:
    where_first = f" (in link {number}"
    target = link.target if link.target else link.attributes.get(_TARGET)
    if not isinstance(target, str) or not target:
        raise InvalidInput(
            f'Link {number} has no target: write it as Link: <target URL>; rel="<kind>"'
        )
    where = f"{where_first} to {target})"
    target_kind: Kind | None = None
    target_kind_id = link.target_kind or link.attributes.get(_TARGET_KIND)
    if target_kind_id:
        if not isinstance(target_kind_id, str):
            raise InvalidInput(f"{_TARGET_KIND} expects a kind type identifier{where}")
        target_kind = _kind(registry, target_kind_id, where)
    if link.kind:
        link_kind = _kind(registry, link.kind, where)
        if not link_kind.is_a(core.LINK):
            raise InvalidInput(f"{link.kind} is not a link kind{where}")
    else:
        found = _link_kind_for_target(registry, target, target_kind)
        if found is None:
            raise InvalidInput(
                f"Cannot tell the kind of link {number} to {target}: name it with "
                f'category="<link kind>" or the target kind with rel="<kind>"'
            )
        link_kind = found
    mixins = _mixins(registry, link.mixins, link_kind, where)
    definitions = definitions_for(link_kind, mixins)
    if link_kind.is_a(infra.STORAGELINK):
        definitions = {**definitions, _INLINE_STORAGE_SIZE.name: _INLINE_STORAGE_SIZE}
    attributes = _check_attributes(
        link.attributes,
        definitions,
        "create",
        _owner(link_kind, mixins),
        where,
        skip=_INLINE_IGNORED,
    )
    title = attributes.pop(_TITLE, None)
    return ResolvedLink(
        kind=link_kind,
        target=target,
        target_kind=target_kind,
        mixins=mixins,
        title=title,
        attributes=attributes,
    )


# --- Actions ----------------------------------------------------------------------------------


def resolve_action(
    doc: ActionDoc,
    registry: Registry,
    *,
    allowed: Sequence[Action],
    expected_term: str | None = None,
) -> tuple[Action, dict[str, Any]]:
    """The action a client triggers and its checked parameters.

    ``allowed`` are the actions of the entity's kind and mixins; ``expected_term`` the
    ``?action=`` value of the request, which must be the body's action term. A body without an
    action category takes the allowed action named by ``expected_term``.
    """
    type_id = doc.action
    if not type_id:
        matches = [a for a in allowed if a.term == expected_term]
        if expected_term is None or len(matches) != 1:
            raise InvalidInput("Missing action: send the action category to trigger")
        action = matches[0]
    else:
        action_or_none = next((a for a in allowed if a.type_id == type_id), None)
        if action_or_none is None:
            known = registry.get(type_id)
            names = ", ".join(a.type_id for a in allowed) or "none"
            if known is None:
                raise InvalidInput(f"Unknown action {type_id}")
            if not isinstance(known, Action):
                raise InvalidInput(f"{type_id} is a {known.category_class}, not an action")
            raise InvalidInput(
                f"Action {type_id} is not defined for this entity; its actions are: {names}"
            )
        action = action_or_none
        if expected_term is not None and action.term != expected_term:
            raise InvalidInput(
                f"The request names action {expected_term!r} (?action=) but the body "
                f"triggers {action.type_id}"
            )
    definitions = {a.name: a for a in action.attributes}
    where = f" (parameter of action {action.type_id})"
    params: dict[str, Any] = {}
    for name, value in doc.attributes.items():
        definition = definitions.get(name)
        if definition is None:
            expected = ", ".join(definitions) or "none"
            raise InvalidInput(
                f"Unknown parameter {name} for action {action.type_id}; "
                f"its parameters are: {expected}"
            )
        params[name] = check_value(definition, value, where)
    for definition in action.attributes:
        if definition.required and definition.name not in params:
            if definition.default is not None:
                params[definition.name] = definition.default
                continue
            raise InvalidInput(
                f"Missing required parameter {definition.name} for action {action.type_id}"
            )
    return action, params
