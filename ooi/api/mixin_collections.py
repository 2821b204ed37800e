"""Mixin-defined collections: GET on any mixin's location lists the entities that carry it.

occi-spec/1.2/http_protocol.tex §HTTP Methods Overview: a mixin's location is a collection of
the entities it is applied to (``os_tpl/<image>`` → the computes booted from that image,
``resource_tpl/<flavor>``, ``availability_zone/<zone>``, and the base mixins such as
``os_tpl/`` → every compute with a template), filtered and paged like the kinds' collections.

Which entities: those of the kinds the mixin applies to (through the mixins it depends on) that
have a listing here, each checked for the mixin. Changing the membership of a provider mixin is
refused with a message saying how to get there (a resize, a new compute, ...); a user mixin's
members change by POST (add the computes named), PUT (exactly those) and DELETE (remove those
named, or all), as nova server tags.

These paths are not in the route table (the mixins are the cloud's, per project); the router
hands every path it does not know to ``handle``, which answers 404 unless a mixin lives there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import webob

from ooi.api import collections, discovery, ids, references, user_mixins
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Category, Entity, Kind, Mixin, Registry
from ooi.openstack import servers

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


def _computes_named(ctx: Context) -> list[str]:
    """The ids of the computes the request body names (X-OCCI-Location / JSON locations)."""
    locations = ctx.parse("parse_locations")
    collection = infra.COMPUTE.location or "compute/"
    return [references.entity_id(loc, ctx.endpoint_url, collection) for loc in locations]


def _tag_members(ctx: Context, mixin: Mixin, tag: str) -> webob.Response:
    """POST adds the computes named, PUT makes them the members, DELETE removes them (all
    members when none is named)."""
    method = ctx.request.method
    named = set(_computes_named(ctx))
    if method == "POST" and not named:
        raise InvalidInput(f"Name the computes to add to {mixin.type_id} (X-OCCI-Location)")
    members = {e.id for e in _members(ctx, mixin)}
    if method == "POST":
        add, drop = named - members, set()
    elif method == "PUT":
        add, drop = named - members, members - named
    else:
        add, drop = set(), (named & members if named else members)
    for server_id in sorted(add):
        if not ids.is_uuid(server_id):
            raise RequestRefused(404, f"Not found: no compute {server_id}")
        servers.tag(ctx.openstack, server_id, tag)
    for server_id in sorted(drop):
        servers.untag(ctx.openstack, server_id, tag)
    return ctx.respond(ctx.renderer.empty())


def change_members(ctx: Context) -> webob.Response:
    mixin = _category(ctx)
    if not isinstance(mixin, Mixin):
        raise RequestRefused(
            405, f"{mixin.type_id} lists the entities of its kinds; create them in their own"
        )
    tag = user_mixins.tag_of(ctx, mixin)
    if tag is not None:
        return _tag_members(ctx, mixin, tag)
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
