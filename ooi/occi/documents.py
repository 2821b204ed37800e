"""What a client sent, as parsed from any rendering, before it is checked against the model.

Parsers of every media type produce these same shapes, so the layers above never see how a
request was rendered. Category references are type identifiers (``scheme + term``); attribute
values are already typed as the rendering says (str, int, float, bool, list, dict); every
``occi.core.*`` value (id, title, summary, source, target, source.kind, target.kind) is in
``attributes`` under its attribute name, whatever the rendering — except the target of a link,
which is in `LinkDoc.target` / `LinkDoc.target_kind` for inline links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CategoryDoc:
    """A Category as a client rendered it (user mixin definitions, query filters)."""

    term: str
    scheme: str
    category_class: str | None = None  # "kind", "mixin", "action" or None when not given
    title: str | None = None
    # Type identifiers from `rel` (text) or `parent` / `depends` (JSON).
    related: list[str] = field(default_factory=list)
    location: str | None = None
    # Attribute names the client declared (definitions are not accepted from clients).
    attributes: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def type_id(self) -> str:
        return self.scheme + self.term


@dataclass
class LinkDoc:
    """A link: sent on its own (POST to a link kind's location) or inline in a resource."""

    # The target as written (URL, host-absolute path or endpoint-relative path).
    target: str | None = None
    # The target's kind, from `rel` (text) or `target.kind` (JSON), when given.
    target_kind: str | None = None
    # The link's kind and mixins, from `category` (text) or `kind` / `mixins` (JSON).
    kind: str | None = None
    mixins: list[str] = field(default_factory=list)
    # The link's own location (`self` in text), when given.
    location: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class EntityDoc:
    """A resource or link rendering: create, full replace, partial update, or a filter."""

    kind: str | None = None
    mixins: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    links: list[LinkDoc] = field(default_factory=list)
    # Categories whose class the rendering did not say (text filters may omit `class`).
    other_categories: list[str] = field(default_factory=list)


@dataclass
class ActionDoc:
    """An action invocation: the action's type identifier and its parameters."""

    action: str
    attributes: dict[str, Any] = field(default_factory=dict)
