"""One OCCI site as the commands see it: its categories (read once per run), its collections,
and things named the way users name them — by id, title (name) or URL."""

from __future__ import annotations

import os
from urllib.parse import quote

import requests

from occi_client import parse
from occi_client.errors import Conflict, NotFound, Unsupported
from occi_client.http import OCCIClient, Response
from occi_client.model import Category, Entity

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
COMPUTE = INFRA + "compute"
STORAGE = INFRA + "storage"
NETWORK = INFRA + "network"
STORAGELINK = INFRA + "storagelink"
NETWORKINTERFACE = INFRA + "networkinterface"
# The OpenStack extension kinds (in the infrastructure scheme, as ooi and rOCCI-server name them).
IPRESERVATION = INFRA + "ipreservation"
SECURITYGROUP = INFRA + "securitygroup"
SECURITYGROUPLINK = INFRA + "securitygrouplink"
OS_TPL = INFRA + "os_tpl"
# The site's floating-IP pools are the mixins that depend on this one.
POOL = "http://schemas.openstack.org/network#floatingippool"
RESOURCE_TPL = INFRA + "resource_tpl"


def link_kind_of(url: str) -> str:
    """A link's kind, from the collection its URL is in."""
    if "/storagelink/" in url:
        return STORAGELINK
    return SECURITYGROUPLINK if "/securitygrouplink/" in url else NETWORKINTERFACE


def page_size() -> int:
    """Entities asked for per request (OCCI_PAGE_SIZE; servers may cap it, or not page)."""
    try:
        return max(1, int(os.environ.get("OCCI_PAGE_SIZE", "500")))
    except ValueError:
        return 500


def next_page(client: OCCIClient, resp: Response) -> str | None:
    """The URL of the next page, from an HTTP `Link: <…>; rel="next"` header."""
    for link in requests.utils.parse_header_links(resp.headers.get("Link", "")):
        if link.get("rel") == "next" and link.get("url"):
            return client.url(link["url"])
    return None


def _unique(entities: list[Entity]) -> list[Entity]:
    """Each entity once: pages shift when entities come and go while a client pages."""
    seen: set[str] = set()
    kept = []
    for entity in entities:
        key = entity.location or entity.id or str(id(entity))
        if key not in seen:
            seen.add(key)
            kept.append(entity)
    return kept


def _matches(category: Category, ref: str, client: OCCIClient) -> bool:
    if ref in (category.term, category.type_id, category.title):
        return True
    if category.location and client.url(ref) == client.url(category.location):
        return True
    # "Flavor: m1.tiny" is found as m1.tiny.
    return bool(category.title) and category.title.rsplit(": ", 1)[-1] == ref


class Site:
    def __init__(self, client: OCCIClient) -> None:
        self.client = client
        self._categories: list[Category] | None = None

    # --- discovery ----------------------------------------------------------------------------

    def categories(self) -> list[Category]:
        if self._categories is None:
            resp = self.client.negotiate()
            self._categories = parse.categories(resp.content_type, resp.text)
        return self._categories

    @property
    def media_type(self) -> str:
        """The rendering of request bodies: what the server answered /-/ in."""
        self.categories()
        return self.client.media_type or parse.TEXT

    def forget(self) -> None:
        """Read the categories again next time (after defining or deleting one)."""
        self._categories = None

    def category(self, type_id: str) -> Category | None:
        return next((c for c in self.categories() if c.type_id == type_id), None)

    def kind(self, type_id: str) -> Category:
        found = self.category(type_id)
        if found is None or found.cls != "kind":
            raise Unsupported(f"this site offers no {type_id.rpartition('#')[2]} kind")
        return found

    def templates(self, rel: str) -> list[Category]:
        """Mixins that depend on `rel` (os_tpl or resource_tpl): the site's templates."""
        return [c for c in self.categories() if c.cls == "mixin" and rel in c.related]

    def template(self, rel: str, ref: str) -> Category:
        return self.pick(self.templates(rel), ref, rel.rpartition("#")[2].replace("_", "-"))

    def pool(self, ref: str) -> Category:
        """A floating-IP pool (a mixin of links and reservations), by name, type id or URL."""
        return self.pick(self.templates(POOL), ref, "floating-IP pool", "occi discover")

    def pick(
        self, categories: list[Category], ref: str, what: str, listing: str | None = None
    ) -> Category:
        found = [c for c in categories if _matches(c, ref, self.client)]
        exact = [c for c in found if ref in (c.term, c.type_id)]
        found = exact or found
        if not found:
            raise NotFound(f"no {what} named {ref!r} (see `{listing or f'occi {what} list'}`)")
        if len(found) > 1:
            names = ", ".join(f"{c.term} ({c.title})" for c in found)
            raise Conflict(f"{ref!r} names several of {what}: {names}; give the id")
        return found[0]

    # --- entities -----------------------------------------------------------------------------

    def collection_url(self, kind_id: str) -> str:
        location = self.kind(kind_id).location or "/" + kind_id.rpartition("#")[2] + "/"
        return self.client.url(location)

    def _located(self, entity: Entity, kind_id: str) -> Entity:
        if entity.location is None and entity.id:
            entity.location = self.collection_url(kind_id) + quote(entity.id, safe="")
        elif entity.location:
            entity.location = self.client.url(entity.location)
        for link in entity.links:  # JSON renderings may give inline links their id only
            link_id = link.attributes.get("occi.core.id")
            if link.location is None and link_id and link.kind and self.category(link.kind):
                link.location = self.collection_url(link.kind) + quote(str(link_id), safe="")
        return entity

    def get(self, url: str, kind_id: str) -> Entity:
        resp = self.client.request("GET", url)
        found = parse.entity(resp.content_type, resp.text)
        if found.location is None:
            found.location = self.client.url(url)
        return self._located(found, kind_id)

    def entities(self, kind_id: str, params: dict[str, str] | None = None) -> list[Entity]:
        """Every entity of a kind (filtered by the server where `params` say so), page by page
        where the server pages (OCCI 1.2: `number`, and a `Link: <…>; rel="next"` header)."""
        self.categories()  # negotiates the media type first
        as_json = parse.is_json(self.client.media_type)
        accept = None if as_json else parse.URI_LIST
        found: list[Entity] = []
        locations: list[str] = []
        url: str | None = self.collection_url(kind_id)
        query: dict[str, str] | None = {**(params or {}), "number": str(page_size())}
        while url:
            resp = self.client.request("GET", url, params=query, accept=accept)
            entities, more = parse.collection(resp.content_type, resp.text)
            found += [self._located(e, kind_id) for e in entities]
            locations += more
            url, query = next_page(self.client, resp), None  # the next URL has its query
        if found or not locations:
            return _unique(found)
        shown = [self._still_there(location, kind_id) for location in locations]
        return _unique([e for e in shown if e is not None])

    def _still_there(self, location: str, kind_id: str) -> Entity | None:
        try:
            return self.get(location, kind_id)
        except NotFound:  # deleted since the listing
            return None

    def find(self, kind_id: str, ref: str) -> Entity:
        """An entity named by URL, path, id or title."""
        self.categories()
        if "/" in ref:
            return self.get(ref, kind_id)
        try:
            return self.get(self.collection_url(kind_id) + quote(ref, safe=""), kind_id)
        except NotFound:
            pass
        # Not an id: a title, filtered by the server (and here, for servers without filters).
        params = {"attribute": f"occi.core.title={ref}"}
        found = [e for e in self.entities(kind_id, params) if e.title == ref]
        what = kind_id.rpartition("#")[2]
        if not found:
            raise NotFound(f"no {what} with id or name {ref!r}")
        if len(found) > 1:
            ids = ", ".join(e.id or "?" for e in found)
            raise Conflict(f"several {what} resources are named {ref!r} ({ids}); give the id")
        return found[0]
