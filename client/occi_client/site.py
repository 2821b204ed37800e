"""One OCCI site as the commands see it: its categories (read once per run), its collections,
and things named the way users name them — by id, title (name) or URL."""

from __future__ import annotations

from urllib.parse import quote

from occi_client import parse
from occi_client.errors import Conflict, NotFound
from occi_client.http import OCCIClient
from occi_client.model import Category, Entity

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
COMPUTE = INFRA + "compute"
STORAGE = INFRA + "storage"
NETWORK = INFRA + "network"
STORAGELINK = INFRA + "storagelink"
NETWORKINTERFACE = INFRA + "networkinterface"
OS_TPL = INFRA + "os_tpl"
RESOURCE_TPL = INFRA + "resource_tpl"
KINDS = {"compute": COMPUTE, "storage": STORAGE, "network": NETWORK}


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
            raise NotFound(f"this site offers no {type_id.rpartition('#')[2]} kind")
        return found

    def templates(self, rel: str) -> list[Category]:
        """Mixins that depend on `rel` (os_tpl or resource_tpl): the site's templates."""
        return [c for c in self.categories() if c.cls == "mixin" and rel in c.related]

    def template(self, rel: str, ref: str) -> Category:
        return self.pick(self.templates(rel), ref, rel.rpartition("#")[2].replace("_", "-"))

    def pick(self, categories: list[Category], ref: str, what: str) -> Category:
        found = [c for c in categories if _matches(c, ref, self.client)]
        exact = [c for c in found if ref in (c.term, c.type_id)]
        found = exact or found
        if not found:
            raise NotFound(f"no {what} named {ref!r} (see `occi {what} list`)")
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
        return entity

    def get(self, url: str, kind_id: str) -> Entity:
        resp = self.client.request("GET", url)
        found = parse.entity(resp.content_type, resp.text)
        if found.location is None:
            found.location = self.client.url(url)
        return self._located(found, kind_id)

    def entities(self, kind_id: str, params: dict[str, str] | None = None) -> list[Entity]:
        """Every entity of a kind (filtered by the server where `params` say so)."""
        self.categories()  # negotiates the media type first
        url = self.collection_url(kind_id)
        if parse.is_json(self.client.media_type):
            resp = self.client.request("GET", url, params=params)
            found, locations = parse.collection(resp.content_type, resp.text)
            if found or not locations:
                return [self._located(e, kind_id) for e in found]
        else:
            resp = self.client.request("GET", url, params=params, accept=parse.URI_LIST)
            _, locations = parse.collection(resp.content_type, resp.text)
        return [self.get(location, kind_id) for location in locations]

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
