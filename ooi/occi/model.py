"""The OCCI core model (occi-spec/1.2/core.tex), as plain data.

Categories (Kind, Mixin, Action) are immutable and compare by their type identifier
(scheme + term), which is how every rendering names them. Entities are mutable plain data that
the API layer fills from OpenStack and the renderers turn into bytes.

Locations in the model are either relative to the OCCI endpoint root, without a leading slash
(``compute/``, ``compute/42``), or absolute URIs (a link target outside this provider). The
renderers join relative ones to a base URL of their choosing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


class AttributeType(enum.Enum):
    """Attribute value types. JSON renders INTEGER and NUMBER both as ``number``."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ARRAY = "array"
    OBJECT = "object"


@dataclass(frozen=True)
class Attribute:
    """An attribute definition (occi-spec/1.2/core.tex §Attribute)."""

    name: str
    type: AttributeType = AttributeType.STRING
    mutable: bool = True
    required: bool = False
    default: Any = None
    # An extended regular expression the (string) value must match in full, when set.
    pattern: str | None = None
    description: str | None = None


@dataclass(frozen=True, eq=False)
class Category:
    """Base of Kind, Mixin and Action; identity is ``scheme + term``."""

    term: str
    scheme: str
    title: str | None = None
    # The attributes this category defines itself (not inherited ones).
    attributes: tuple[Attribute, ...] = ()

    category_class = "category"

    @property
    def type_id(self) -> str:
        return self.scheme + self.term

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Category):
            return NotImplemented
        return self.category_class == other.category_class and self.type_id == other.type_id

    def __hash__(self) -> int:
        return hash((self.category_class, self.type_id))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.type_id!r})"


@dataclass(frozen=True, eq=False, repr=False)
class Action(Category):
    """An operation on entities; its attributes are the parameters of an invocation."""

    category_class = "action"


@dataclass(frozen=True, eq=False, repr=False)
class Kind(Category):
    """The immutable type of an entity (occi-spec/1.2/core.tex §Kind)."""

    parent: Kind | None = None
    actions: tuple[Action, ...] = ()
    location: str | None = None

    category_class = "kind"

    def ancestry(self) -> Iterator[Kind]:
        """This kind, then its parent, up to ``core#entity``."""
        kind: Kind | None = self
        while kind is not None:
            yield kind
            kind = kind.parent

    def is_a(self, other: Kind) -> bool:
        return any(k == other for k in self.ancestry())

    def all_attributes(self) -> dict[str, Attribute]:
        """Own and inherited attribute definitions by name; the nearer definition wins."""
        merged: dict[str, Attribute] = {}
        for kind in reversed(list(self.ancestry())):
            merged.update((a.name, a) for a in kind.attributes)
        return merged


@dataclass(frozen=True, eq=False, repr=False)
class Mixin(Category):
    """Extra capabilities for entities (occi-spec/1.2/core.tex §Mixin).

    A mixin that only `depends` on ``os_tpl`` or ``resource_tpl`` is a template; its attribute
    defaults override the kind's.
    """

    depends: tuple[Mixin, ...] = ()
    applies: tuple[Kind, ...] = ()
    actions: tuple[Action, ...] = ()
    location: str | None = None

    category_class = "mixin"

    def dependencies(self) -> Iterator[Mixin]:
        """This mixin and, depth first, every mixin it depends on (each once)."""
        seen: set[str] = set()
        stack: list[Mixin] = [self]
        while stack:
            mixin = stack.pop()
            if mixin.type_id in seen:
                continue
            seen.add(mixin.type_id)
            yield mixin
            stack.extend(reversed(mixin.depends))

    def is_a(self, other: Mixin) -> bool:
        return any(m == other for m in self.dependencies())

    def applies_to(self, kind: Kind) -> bool:
        """True when the mixin may be associated with an entity of ``kind``."""
        applies = [k for m in self.dependencies() for k in m.applies]
        return not applies or any(kind.is_a(k) for k in applies)

    def all_attributes(self) -> dict[str, Attribute]:
        merged: dict[str, Attribute] = {}
        for mixin in reversed(list(self.dependencies())):
            merged.update((a.name, a) for a in mixin.attributes)
        return merged


@dataclass
class Entity:
    """An instance of a Kind (occi-spec/1.2/core.tex §Entity).

    ``attributes`` holds the values of every attribute except the ones the model has as fields
    (``occi.core.id``, ``occi.core.title``, ``occi.core.summary``, ``occi.core.source``,
    ``occi.core.target``). ``actions`` are the actions applicable now; renderers show them as
    action links.
    """

    kind: Kind
    id: str
    title: str | None = None
    mixins: list[Mixin] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    # Where the entity lives; defaults to the kind's location plus the id.
    location: str | None = None

    def __post_init__(self) -> None:
        if self.location is None:
            self.location = (self.kind.location or "") + self.id

    def attribute_definitions(self) -> dict[str, Attribute]:
        """Definitions from the kind and every mixin, mixins last (templates override)."""
        merged = self.kind.all_attributes()
        for mixin in self.mixins:
            merged.update(mixin.all_attributes())
        return merged


@dataclass
class Link(Entity):
    """A typed association between a Resource and another Resource or URI."""

    source: str = ""
    target: str = ""
    source_kind: Kind | None = None
    # The target's kind (1.2 ``occi.core.target.kind``); None for a target outside OCCI.
    target_kind: Kind | None = None


@dataclass
class Resource(Entity):
    """An entity with links (occi-spec/1.2/core.tex §Resource)."""

    summary: str | None = None
    links: list[Link] = field(default_factory=list)


class Registry:
    """The categories one OCCI endpoint knows, looked up by type identifier."""

    def __init__(self, categories: Sequence[Category] = ()) -> None:
        self._by_id: dict[str, Category] = {}
        for category in categories:
            self.add(category)

    def add(self, category: Category) -> None:
        self._by_id[category.type_id] = category

    def get(self, type_id: str) -> Category | None:
        return self._by_id.get(type_id)

    def __contains__(self, type_id: object) -> bool:
        return type_id in self._by_id

    def __iter__(self) -> Iterator[Category]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    @property
    def kinds(self) -> list[Kind]:
        return [c for c in self if isinstance(c, Kind)]

    @property
    def mixins(self) -> list[Mixin]:
        return [c for c in self if isinstance(c, Mixin)]

    @property
    def actions(self) -> list[Action]:
        return [c for c in self if isinstance(c, Action)]

    def kind(self, type_id: str) -> Kind | None:
        category = self.get(type_id)
        return category if isinstance(category, Kind) else None

    def mixin(self, type_id: str) -> Mixin | None:
        category = self.get(type_id)
        return category if isinstance(category, Mixin) else None

    def action(self, type_id: str) -> Action | None:
        category = self.get(type_id)
        return category if isinstance(category, Action) else None
