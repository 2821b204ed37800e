"""What the client reads from a server: categories and entities, as plain data.

A small model of its own (the server's `ooi.occi` is not installed beside the client).
Categories and kinds are named by type id (scheme + term) throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OCCI_ID = "occi.core.id"
OCCI_TITLE = "occi.core.title"
OCCI_SUMMARY = "occi.core.summary"


@dataclass
class Category:
    term: str
    scheme: str
    cls: str  # kind, mixin or action
    title: str | None = None
    related: list[str] = field(default_factory=list)  # parent / depends (type ids)
    location: str | None = None
    attributes: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    applies: list[str] = field(default_factory=list)

    @property
    def type_id(self) -> str:
        return self.scheme + self.term


@dataclass
class Link:
    kind: str | None
    target: str | None
    target_kind: str | None = None
    location: str | None = None  # the link's own URL ("self")
    mixins: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Entity:
    kind: str | None
    mixins: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)  # action type ids offered now
    links: list[Link] = field(default_factory=list)
    location: str | None = None
    # A standalone link's ends.
    source: str | None = None
    target: str | None = None

    @property
    def id(self) -> str | None:
        value = self.attributes.get(OCCI_ID)
        return None if value is None else str(value)

    @property
    def title(self) -> str | None:
        value = self.attributes.get(OCCI_TITLE)
        return None if value is None else str(value)
