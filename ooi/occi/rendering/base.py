"""What every rendering offers; one subclass per media type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ooi.occi.model import Action, Entity, Kind, Link, Mixin, Resource

VERSIONS = ("1.1", "1.2")


@dataclass(frozen=True)
class Rendered:
    """A rendering ready to send: the Content-Type, extra headers in order, and the body."""

    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


class Renderer:
    """Turns model objects into a `Rendered` for one media type and OCCI version.

    ``base_url`` is prefixed to every relative location in the model: an absolute URL such as
    ``http://cloud:8787/occi1.2/`` for absolute renderings, or ``/`` for endpoint-relative ones.
    It must end with ``/``.
    """

    media_type: str = ""

    def __init__(self, base_url: str = "/", version: str = "1.2") -> None:
        if not base_url.endswith("/"):
            raise ValueError(f"base_url must end with '/': {base_url!r}")
        if version not in VERSIONS:
            raise ValueError(f"unknown OCCI version {version!r}")
        self.base_url = base_url
        self.version = version

    def url(self, location: str) -> str:
        """A model location as rendered: absolute URIs stay, relative ones join the base."""
        if "://" in location or location.startswith("urn:"):
            return location
        return self.base_url + location.lstrip("/")

    # The query interface: kinds, mixins and actions, each with its full definition.
    def query(
        self, kinds: Sequence[Kind], mixins: Sequence[Mixin], actions: Sequence[Action]
    ) -> Rendered:
        raise NotImplementedError

    def resource(self, resource: Resource) -> Rendered:
        raise NotImplementedError

    def link(self, link: Link) -> Rendered:
        raise NotImplementedError

    # An entity collection (a kind or mixin location): locations in the text renderings,
    # full entities in JSON.
    def entities(self, entities: Sequence[Entity]) -> Rendered:
        raise NotImplementedError

    # Bare locations, e.g. what a create made.
    def locations(self, locations: Sequence[str]) -> Rendered:
        raise NotImplementedError

    # A success with nothing to show (text/occi still says `OK`).
    def empty(self) -> Rendered:
        raise NotImplementedError

    def error(self, status: int, message: str) -> Rendered:
        raise NotImplementedError
