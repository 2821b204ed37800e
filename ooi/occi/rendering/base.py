"""What every rendering offers; one subclass per media type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

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

    ``base_url`` is prefixed to every relative entity location in the model (``Location``,
    ``X-OCCI-Location``, link ends): the endpoint's absolute URL such as
    ``http://cloud:8787/occi1.2/``, since clients need those absolute. ``category_base`` is
    prefixed to Category locations: by default the path of ``base_url`` (``/occi1.2/``), a
    host-absolute path that rOCCI, jOCCI and the Infrastructure Manager resolve against
    ``scheme://host:port`` and that clients joining endpoint and location resolve on an
    endpoint at a port's root (reference/clients-in-the-wild.md §4). Both end with ``/``.
    """

    media_type: str = ""

    def __init__(
        self, base_url: str = "/", version: str = "1.2", category_base: str | None = None
    ) -> None:
        if category_base is None:
            category_base = urlsplit(base_url).path or "/"
        for name, value in (("base_url", base_url), ("category_base", category_base)):
            if not value.endswith("/"):
                raise ValueError(f"{name} must end with '/': {value!r}")
        if version not in VERSIONS:
            raise ValueError(f"unknown OCCI version {version!r}")
        self.base_url = base_url
        self.category_base = category_base
        self.version = version

    def url(self, location: str) -> str:
        """A model location as rendered: absolute URIs stay, relative ones join the base."""
        if "://" in location or location.startswith("urn:"):
            return location
        return self.base_url + location.lstrip("/")

    def category_url(self, location: str) -> str:
        """A Category's location as rendered (see ``category_base``)."""
        if "://" in location:
            return location
        return self.category_base + location.lstrip("/")

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
