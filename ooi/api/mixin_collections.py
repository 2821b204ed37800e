"""Mixin-defined collections: GET on any mixin's location lists the entities that carry it.

occi-spec/1.2/http_protocol.tex §HTTP Methods Overview: a mixin's location is a collection of
the entities it is applied to (``os_tpl/<image>`` → the computes booted from that image,
``resource_tpl/<flavor>``, ``availability_zone/<zone>``, and the base mixins such as
``os_tpl/`` → every compute with a template), filtered and paged like the kinds' collections.

Which entities: those of the kinds the mixin applies to (through the mixins it depends on) that
have a listing here, each checked for the mixin. Changing the membership of a provider mixin is
refused with a message saying how to get there (a resize, a new compute, ...); a user mixin's
members change by POST (add the entities named: computes, storages, networks), PUT (exactly
those) and DELETE (remove those named, or all), through mixin_carriers.py.

These paths are not in the route table (the mixins are the cloud's, per project); the router
hands every path it does not know to ``handle``, which answers 404 unless a mixin lives there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import webob

from ooi import store
from ooi.api import answers, collections, discovery, ids, mixin_carriers, references, user_mixins
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Category, Entity, Kind, Mixin, Registry

# How to change what carries a provider mixin, by the mixin it depends on.
_HOW = {
    infra.OS_TPL.type_id: "the OS template of a compute is chosen when it is created",
    infra.RESOURCE_TPL.type_id: "resize the compute: update it with another resource template",
    openstack.AVAILABILITY_ZONE.type_id: "the zone of a compute is chosen when it is created",
    openstack.SECURITY_GROUP.type_id: "link the compute to the group at /securitygrouplink/",
}


def _listings() -> Mapping[str, collections.Listing]:
    """The collections that list entities, by their kind's type identifier."""
    # Imported here: the collection modules import this package's modules in turn.
    from ooi.api import (
        compute,
        ipreservation,
        network_links,
        networks,
        security_groups,
        storage,
        storage_links,
    )

    return {
        infra.COMPUTE.type_id: compute.LISTING,
        infra.STORAGE.type_id: storage.LISTING,
        infra.STORAGELINK.type_id: collections.Listing(entities=storage_links.all_links),
        infra.NETWORK.type_id: networks.LISTING,
        infra.NETWORKINTERFACE.type_id: network_links.LISTING,
        openstack.IPRESERVATION.type_id: ipreservation.LISTING,
        openstack.SECURITYGROUP.type_id: security_groups.GROUPS,
        openstack.SECURITYGROUPLINK.type_id: security_groups.LINKS,
    }


def find(ctx: Context, path: str) -> Category | None:
    """The mixin, or the kind without a collection of its own (``resource/``, ``link/``),
    whose location is ``path`` (endpoint-relative, with or without the slash)."""
    wanted = path.strip("/")
    if not wanted:
        return None
    registry = discovery.registry(ctx)
    found = _located(registry, wanted)
    group_base = (openstack.SECURITY_GROUP.location or "").strip("/") + "/"
    if found is None and wanted.startswith(group_base):
        # A group made through another worker process: not in this one's cache yet.
        group = openstack.SECURITY_GROUP_SCHEME + wanted[len(group_base) :]
        found = _located(discovery.registry(ctx, [group]), wanted)
    return found


def _located(registry: Registry, wanted: str) -> Category | None:
    for category in [*registry.mixins, *registry.kinds]:
        location = getattr(category, "location", None)
        if location and location.strip("/") == wanted:
            return category
    return None


def _category(ctx: Context) -> Category:
    path = ctx.request.path_info or "/"
    category = find(ctx, path)
    if category is None:
        raise RequestRefused(404, f"Not found: {path}")
    return category


def _includes(ctx: Context, category: Category, kind_id: str) -> bool:
    """Whether entities of kind ``kind_id`` may belong to ``category``'s collection."""
    kind = catalog.static_categories(ctx.version).kind(kind_id)
    if kind is None:
        return False
    if isinstance(category, Kind):
        return kind.is_a(category)
    return isinstance(category, Mixin) and category.applies_to(kind)


def _entities(ctx: Context, listing: collections.Listing) -> Sequence[Entity]:
    try:
        return listing.entities(ctx)
    except RequestRefused as exc:
        if exc.status == 501:  # a kind this cloud has no service for: no such entities
            return []
        raise


def _members(ctx: Context, category: Category) -> Sequence[Entity]:
    member = collections.CollectionQuery(frozenset({category.type_id}))
    # One kind after the other: each listing fans out in parallel itself.
    return [
        entity
        for kind_id, listing in _listings().items()
        if _includes(ctx, category, kind_id)
        for entity in _entities(ctx, listing)
        if member.matches(entity)
    ]


def list_members(ctx: Context) -> webob.Response:
    category = _category(ctx)
    listing = collections.Listing(entities=lambda c: _members(c, category))
    return collections.respond(ctx, listing)


def _named(ctx: Context) -> list[tuple[mixin_carriers.Carrier, str]]:
    """The entities the request body names (X-OCCI-Location / JSON locations), each with the
    adapter of its kind; 4xx for one that cannot carry a user mixin or does not exist."""
    registry = catalog.static_categories(ctx.version)
    by_collection = {}
    for carrier in mixin_carriers.CARRIERS:
        kind = registry.kind(carrier.kind.type_id)
        if kind is not None and kind.location:
            by_collection[kind.location.strip("/")] = carrier
    found = []
    for reference in ctx.parse("parse_locations"):
        collection, _, entity_id = references.to_location(reference, ctx.endpoint_url).partition(
            "/"
        )
        carrier = by_collection.get(collection)
        if carrier is None or not entity_id or "/" in entity_id:
            raise InvalidInput(
                f"{reference} names no compute, storage or network: only those carry user mixins"
            )
        if not ids.is_uuid(entity_id) or not ctx.openstack.has(carrier.service):
            raise RequestRefused(404, f"Not found: no {carrier.kind.term} {entity_id}")
        found.append((carrier, entity_id))
    return found


def _tag_members(ctx: Context, mixin: Mixin, definition: store.UserMixin) -> webob.Response:
    """POST adds the entities named, PUT makes them the members, DELETE removes them (all
    members when none is named)."""
    method = ctx.request.method
    named = {(c.kind.type_id, entity_id): c for c, entity_id in _named(ctx)}
    if method == "POST" and not named:
        raise InvalidInput(f"Name the entities to add to {mixin.type_id} (X-OCCI-Location)")
    members = {
        (e.kind.type_id, e.id): carrier
        for e in _members(ctx, mixin)
        if (carrier := mixin_carriers.carrier(e.kind)) is not None
    }
    if method == "POST":
        add, drop = set(named) - set(members), set()
    elif method == "PUT":
        add, drop = set(named) - set(members), set(members) - set(named)
    else:
        add, drop = set(), (set(named) & set(members) if named else set(members))
    os = ctx.openstack
    for key in sorted(add):
        carrier, entity_id = named[key], key[1]
        answers.or_404(
            f"{carrier.kind.term} {entity_id}",
            lambda c=carrier, i=entity_id: c.add(os, i, definition),
        )
    for key in sorted(drop):
        carrier, entity_id = members[key], key[1]
        carrier.remove(os, entity_id, definition)
    return ctx.respond(ctx.renderer.empty())


def change_members(ctx: Context) -> webob.Response:
    mixin = _category(ctx)
    if not isinstance(mixin, Mixin):
        raise RequestRefused(
            405, f"{mixin.type_id} lists the entities of its kinds; create them in their own"
        )
    definition = user_mixins.definition_of(ctx, mixin)
    if definition is not None:
        return _tag_members(ctx, mixin, definition)
    how = next((_HOW[m.type_id] for m in mixin.dependencies() if m.type_id in _HOW), None)
    raise RequestRefused(
        400,
        f"{mixin.type_id} is the provider's: what carries it cannot be changed through its "
        f"collection" + (f" ({how})" if how else ""),
    )


HANDLERS = {
    "GET": list_members,
    "POST": change_members,
    "PUT": change_members,
    "DELETE": change_members,
}
