"""`/ipreservation/`: the project's floating IPs as resources (the original ooi's extension kind,
a child of network), reserved from a pool and released.

Backend calls:
- list: neutron ``GET /floatingips`` (JSON: with the external networks, for the pool mixins,
  in parallel); nova's network mode: ``GET /os-floating-ips``.
- show: ``GET /floatingips/{id}`` and the external networks, in parallel.
- create: the pool's network (``network_public``), ``POST /floatingips`` → 201 + Location.
- delete: ``DELETE /floatingips/{id}`` → 204.

Decisions:
- ``occi.ipreservation.address`` is the floating address, ``.used`` whether it is associated
  to a port, ``.state`` active / inactive from neutron's status (ERROR → error). The pool is
  rendered as its floating-IP-pool mixin.
- Linking a compute to ``ipreservation/{id}`` (``/networklink/``) associates the address;
  unlinking only disassociates it: it stays reserved until this collection's DELETE.
- A reservation made here carries no compute mark, so deleting a compute never releases it.
- nova's network mode lists and shows; create and delete answer 501.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import webob

from ooi.api import answers, collections, discovery, ids, network_public, nova_interfaces
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.network_links import require_neutron
from ooi.api.router import Handler
from ooi.occi import catalog, openstack
from ooi.occi.model import Kind, Resource
from ooi.occi.validation import resolve_entity
from ooi.openstack import floating, network_nova, neutron

RESERVED = "ooi: reserved address"


def _kind(version: str) -> Kind:
    found = catalog.static_categories(version).kind(openstack.IPRESERVATION.type_id)
    assert found is not None
    return found


def _state(status: str) -> str:
    return {"ACTIVE": "active", "ERROR": "error"}.get(status, "inactive")


def to_resource(version: str, fip: Mapping[str, Any], pools: Mapping[str, str]) -> Resource:
    """A neutron floating IP (``pools``: external network id → name) as an ipreservation."""
    address = str(fip.get("floating_ip_address") or "")
    state = _state(str(fip.get("status") or ""))
    network_state = state if version == "1.2" or state != "error" else "inactive"
    pool = pools.get(str(fip.get("floating_network_id")))
    return Resource(
        kind=_kind(version),
        id=str(fip["id"]),
        title=address,
        mixins=[openstack.floating_ip_pool(pool)] if pool else [],
        attributes={
            "occi.ipreservation.address": address,
            "occi.ipreservation.used": bool(fip.get("port_id")),
            "occi.ipreservation.state": state,
            "occi.network.state": network_state,
        },
    )


def _from_nova(fip: Mapping[str, Any]) -> dict[str, Any]:
    used = bool(fip.get("instance_id") or fip.get("fixed_ip"))
    return {
        "id": fip["id"],
        "floating_ip_address": fip.get("ip"),
        "port_id": "nova" if used else None,
        "status": "ACTIVE" if used else "DOWN",
        "floating_network_id": fip.get("pool"),
    }


def _pools(os: Any) -> dict[str, str]:
    externals = neutron.networks(os, **{"router:external": "true"})
    return {str(n["id"]): str(n.get("name") or n["id"]) for n in externals}


def _all(ctx: Context) -> tuple[Sequence[Mapping[str, Any]], dict[str, str]]:
    os = ctx.openstack
    if not os.has("network"):
        fips = [_from_nova(f) for f in network_nova.floating_ips(os)]
        return fips, {str(f["floating_network_id"]): str(f["floating_network_id"]) for f in fips}
    found = os.parallel(fips=lambda: neutron.floating_ips(os), pools=lambda: _pools(os))
    return found["fips"], found["pools"]


def _not_found(reservation_id: str) -> RequestRefused:
    return RequestRefused(404, f"Not found: no ipreservation {reservation_id}")


def describe(ctx: Context, reservation_id: str) -> Resource:
    if not ids.is_uuid(reservation_id):
        raise _not_found(reservation_id)
    os = ctx.openstack
    if not os.has("network"):
        fips, pools = _all(ctx)
        found = [f for f in fips if str(f["id"]) == reservation_id]
        if not found:
            raise _not_found(reservation_id)
        return to_resource(ctx.version, found[0], pools)
    got = os.parallel(
        fip=lambda: answers.or_404(
            f"ipreservation {reservation_id}",
            lambda: neutron.floating_ip(os, reservation_id),
        ),
        pools=lambda: _pools(os),
    )
    return to_resource(ctx.version, got["fip"], got["pools"])


# --- Handlers -------------------------------------------------------------------------------


def _all_reservations(ctx: Context) -> list[Resource]:
    fips, pools = _all(ctx)
    return [to_resource(ctx.version, f, pools) for f in fips]


LISTING = collections.Listing(entities=_all_reservations)


def list_reservations(ctx: Context) -> webob.Response:
    return collections.respond(ctx, LISTING)


def show(ctx: Context) -> webob.Response:
    return ctx.respond(ctx.renderer.resource(describe(ctx, ctx.params["id"])))


def create(ctx: Context) -> webob.Response:
    registry = discovery.registry(ctx)
    kind = _kind(ctx.version)
    resolved = resolve_entity(ctx.parse("parse_entity"), registry, kind=kind, purpose="create")
    require_neutron(ctx, "reserving addresses")
    os = ctx.openstack
    network = network_public.external_network(os, network_public.chosen_pool(resolved.mixins))
    made = neutron.create_floating_ip(os, str(network["id"]), None, RESERVED)
    return answers.created(ctx, f"{kind.location}{made['id']}")


def delete(ctx: Context) -> webob.Response:
    reservation_id = ctx.params["id"]
    if not ids.is_uuid(reservation_id):
        raise _not_found(reservation_id)
    require_neutron(ctx, "releasing addresses")
    os = ctx.openstack
    fip = answers.or_404(
        f"ipreservation {reservation_id}", lambda: neutron.floating_ip(os, reservation_id)
    )
    # A compute using the address loses it: its next show must not still list it.
    server_id = neutron.port_device(os, str(fip["port_id"])) if fip.get("port_id") else ""
    floating.release(os, reservation_id)
    if server_id:
        nova_interfaces.wait_until_shown(
            ctx, server_id, str(fip["floating_ip_address"]), shown=False
        )
    return answers.no_content(ctx)


_RESERVATIONS = {"GET": list_reservations, "POST": create}

ROUTES: Mapping[str, Mapping[str, Handler]] = {
    "/ipreservation/": _RESERVATIONS,
    "/ipreservation": _RESERVATIONS,
    "/ipreservation/{id}": {"GET": show, "DELETE": delete},
}
