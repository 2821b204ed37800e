"""What the cloud offers, as OCCI mixins: templates from flavors and images, floating-IP pools,
availability zones, volume types, security groups. Cached per project for a short time
(``ooi_cache_ttl``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from ooi.api import user_mixins
from ooi.api.cache import TTLCache
from ooi.api.context import Context
from ooi.occi import catalog, openstack
from ooi.occi.model import Mixin, Registry
from ooi.openstack import cinder, glance, neutron, nova
from ooi.openstack.errors import BackendError

LOG = logging.getLogger(__name__)

_CACHE = TTLCache()


def _flavor_mixin(flavor: dict[str, Any]) -> Mixin:
    swap = flavor.get("swap") or 0  # nova renders "no swap" as ""
    return openstack.resource_template(
        flavor_id=str(flavor["id"]),
        name=flavor.get("name") or str(flavor["id"]),
        cores=int(flavor.get("vcpus") or 0),
        memory_gib=float(flavor.get("ram") or 0) / 1024,
        disk_gib=int(flavor.get("disk") or 0),
        ephemeral_gib=int(flavor.get("OS-FLV-EXT-DATA:ephemeral") or 0),
        swap_mib=int(swap),
    )


def _cached(ctx: Context, part: str, fetch: Callable[[], list[Mixin]]) -> list[Mixin]:
    key = (ctx.openstack.project_id, part)
    return _CACHE.get_or_make(key, ctx.settings.cache_ttl, fetch)


# Each part is cached on its own, so that a compute's description needs only its templates.
def flavor_mixins(ctx: Context) -> list[Mixin]:
    return _cached(ctx, "flavors", lambda: [_flavor_mixin(f) for f in nova.flavors(ctx.openstack)])


def image_mixins(ctx: Context) -> list[Mixin]:
    return _cached(
        ctx,
        "images",
        lambda: [
            openstack.os_template(i["id"], i.get("name") or i["id"])
            for i in glance.images(ctx.openstack)
        ],
    )


def zone_mixins(ctx: Context) -> list[Mixin]:
    return _cached(
        ctx,
        "zones",
        lambda: [
            openstack.availability_zone(z["zoneName"])
            for z in nova.availability_zones(ctx.openstack)
            if (z.get("zoneState") or {}).get("available", True)
        ],
    )


def pool_mixins(ctx: Context) -> list[Mixin]:
    return _cached(
        ctx,
        "pools",
        lambda: [openstack.floating_ip_pool(n) for n in neutron.floating_ip_pools(ctx.openstack)],
    )


def volume_type_mixins(ctx: Context) -> list[Mixin]:
    """cinder's volume types (none without a block-storage endpoint)."""
    if not ctx.openstack.has("volume"):
        return []
    return _cached(
        ctx,
        "volume_types",
        lambda: [
            openstack.volume_type(str(t["id"]), str(t.get("name") or t["id"]))
            for t in cinder.volume_types(ctx.openstack)
        ],
    )


def security_group_mixins(ctx: Context) -> list[Mixin]:
    """The project's security groups (none without neutron)."""
    if not ctx.openstack.has("network"):
        return []
    return _cached(
        ctx,
        "security_groups",
        lambda: [
            openstack.security_group(str(g["id"]), g.get("name") or None)
            for g in neutron.security_groups(ctx.openstack)
        ],
    )


_PARTS = {
    "flavors": flavor_mixins,
    "images": image_mixins,
    "zones": zone_mixins,
    "pools": pool_mixins,
    "volume_types": volume_type_mixins,
    "security_groups": security_group_mixins,
}


# Parts from services other than nova, and what is missing without them: a failing one leaves
# the rest of the query interface (and every request that needs only nova) working.
_OPTIONAL = {
    "images": "OS templates are not listed",
    "pools": "floating-IP pools are not listed",
    "volume_types": "volume types are not listed",
    "security_groups": "security groups are not listed as mixins",
}


def optional(ctx: Context, part: str, fetch: Callable[[Context], list[Mixin]]) -> list[Mixin]:
    """``fetch(ctx)``; for an optional part whose service fails, none, and a warning on the
    answer (the failure is not cached: the next request asks again)."""
    if part not in _OPTIONAL:
        return fetch(ctx)
    try:
        return fetch(ctx)
    except BackendError as exc:
        LOG.warning("%s: %s (%s)", exc.service, _OPTIONAL[part], exc.message)
        ctx.warn(f"{exc.service} failed ({exc.status}): {_OPTIONAL[part]}")
        return []


def cached(ctx: Context, *parts: str) -> bool:
    """Whether the project's ``parts`` are all cached (reading them makes no call)."""
    return all(_CACHE.fresh((ctx.openstack.project_id, part)) for part in parts)


def _cloud_parts(ctx: Context) -> list[list[Mixin]]:
    """The cloud's mixins part by part: the parts not cached fetched in parallel, the cached
    read here (a thread per part would cost more than the read)."""
    cold = [name for name in _PARTS if not cached(ctx, name)]
    found = ctx.openstack.parallel(
        **{name: (lambda n=name: optional(ctx, n, _PARTS[n])) for name in cold}
    )
    return [found[name] if name in found else optional(ctx, name, f) for name, f in _PARTS.items()]


def cloud_mixins(ctx: Context) -> list[Mixin]:
    """Every mixin the cloud offers."""
    return [mixin for part in _cloud_parts(ctx) for mixin in part]


def forget(ctx: Context, *parts: str) -> None:
    """Drop the project's cached mixins (``parts``, else all), e.g. after `save` made a new
    image. (Other worker processes keep theirs for at most ``ooi_cache_ttl`` seconds.)"""
    for part in parts or _PARTS:
        _CACHE.forget((ctx.openstack.project_id, part))


def registry(ctx: Context, wanted: Iterable[str] = ()) -> Registry:
    """Every category this endpoint offers the caller: the static ones, the cloud's, and the
    project's own (user mixins, last). A security group among ``wanted`` (type ids a client
    sent) that the cached ones lack is looked up again: a client may boot in a group right
    after making it, through another worker process than the one that made it."""
    found = _registry(ctx)
    if any(t.startswith(openstack.SECURITY_GROUP_SCHEME) and t not in found for t in wanted):
        forget(ctx, "security_groups")
        found = _registry(ctx)
    return found


# The last registry made per project and OCCI version, with what it was made from: the cached
# parts (compared by identity: a cache refill makes new lists) and the user mixins' definitions
# (read from the store on every request). Most requests then build nothing.
_MADE: dict[tuple[str, str], tuple[list[list[Mixin]], tuple[Any, ...], Registry]] = {}
_MADE_MAX = 1024


def _registry(ctx: Context) -> Registry:
    parts = _cloud_parts(ctx)
    definitions = tuple(user_mixins.definitions(ctx))
    key = (ctx.openstack.project_id, ctx.version)
    made = _MADE.get(key)
    if (
        made is not None
        and len(made[0]) == len(parts)
        and all(old is new for old, new in zip(made[0], parts, strict=True))
        and made[1] == definitions
    ):
        return made[2]
    cloud = [mixin for part in parts for mixin in part]
    known = catalog.with_extra(ctx.version, cloud)
    own = user_mixins.mixins(ctx, known)
    registry = catalog.with_extra(ctx.version, [*cloud, *own]) if own else known
    if len(_MADE) >= _MADE_MAX:
        _MADE.clear()  # projects come and go; the next request of each makes its own again
    _MADE[key] = (parts, definitions, registry)
    return registry
