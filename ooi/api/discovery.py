"""What the cloud offers, as OCCI mixins: templates from flavors and images, floating-IP pools,
availability zones. Cached per project for a short time (``ooi_cache_ttl``)."""

from __future__ import annotations

from typing import Any

from ooi.api.cache import TTLCache
from ooi.api.context import Context
from ooi.occi import catalog, openstack
from ooi.occi.model import Mixin, Registry
from ooi.openstack import glance, neutron, nova

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


def _fetch(ctx: Context) -> list[Mixin]:
    os = ctx.openstack
    found = os.parallel(
        flavors=lambda: nova.flavors(os),
        images=lambda: glance.images(os),
        pools=lambda: neutron.floating_ip_pools(os),
        zones=lambda: nova.availability_zones(os),
    )
    mixins = [_flavor_mixin(f) for f in found["flavors"]]
    mixins += [openstack.os_template(i["id"], i.get("name") or i["id"]) for i in found["images"]]
    mixins += [
        openstack.availability_zone(z["zoneName"])
        for z in found["zones"]
        if (z.get("zoneState") or {}).get("available", True)
    ]
    mixins += [openstack.floating_ip_pool(name) for name in found["pools"]]
    return mixins


def cloud_mixins(ctx: Context) -> list[Mixin]:
    key = (ctx.openstack.project_id, "mixins")
    return _CACHE.get_or_make(key, ctx.settings.cache_ttl, lambda: _fetch(ctx))


def forget(ctx: Context) -> None:
    """Drop the project's cached mixins, e.g. after `save` made a new image."""
    _CACHE.forget((ctx.openstack.project_id, "mixins"))


def registry(ctx: Context) -> Registry:
    """Every category this endpoint offers the caller: the static ones and the cloud's."""
    return catalog.with_extra(ctx.version, cloud_mixins(ctx))
