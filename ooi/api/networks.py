"""`/network/`: the networks a project can use, over neutron or nova's network API.

Which backend: neutron when ooi has its endpoint (``neutron_ooi_endpoint`` or the catalog),
else nova's ``os-networks`` (read-only: create and delete answer 501 there).

Backend calls:
- list, text renderings: neutron ``GET /networks`` (ids and ``router:external`` only); JSON:
  ``GET /networks`` and ``GET /subnets`` in parallel. nova: ``GET /os-networks`` with the
  floating-IP pools (cached discovery).
- show: neutron ``GET /networks/{id}`` with ``GET /subnets?network_id=`` in parallel;
  ``PUBLIC``: the external networks and the subnets, in parallel. nova: ``GET /os-networks/{id}``.

Decisions:
- External networks (neutron's ``router:external``; in nova's API, the networks named as
  floating-IP pools) are not listed one by one: together they are the ``network/PUBLIC``
  network of the original ooi, which links ask floating IPs from. An external network asked for
  by id is shown as itself (clients may hold its id from elsewhere).
- ``occi.core.title`` and ``occi.network.label`` are the network's name.
- A network renders the user mixins it carries (neutron tags, mixin_carriers.py).
- ``occi.network.vlan`` is neutron's ``provider:segmentation_id`` where neutron shows it (to
  admins, on VLAN networks); nothing otherwise.
- ``occi.network.state``: admin state down → inactive; status ACTIVE → active; ERROR → error
  with a message (OCCI 1.1: inactive, the message in the summary); anything else (BUILD, DOWN)
  → inactive. nova's API knows no state: active.
- The ipnetwork mixin comes from the network's first IPv4 subnet (else its first subnet):
  address = CIDR, gateway, allocation = dynamic when DHCP is on, static otherwise; the osnetwork
  mixin carries its IP version. ``PUBLIC`` shows the subnet of the external network when there
  is exactly one (clients tell public addresses by that range).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import webob

from ooi.api import collections, discovery, ids, network_links, user_mixins
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.model import Kind, Mixin, Resource
from ooi.openstack import network_nova, neutron
from ooi.openstack.errors import BackendError

PUBLIC = network_links.PUBLIC_NETWORK


def not_found(network_id: str) -> RequestRefused:
    return RequestRefused(404, f"Not found: no network {network_id}")


def network_kind(version: str) -> Kind:
    found = catalog.static_categories(version).kind(infra.NETWORK.type_id)
    assert found is not None
    return found


@dataclass(frozen=True)
class NetworkView:
    """What a network rendering needs, whichever API it came from."""

    id: str
    name: str | None
    state: str  # active | inactive | error
    message: str | None = None
    vlan: int | None = None
    subnet: Mapping[str, Any] | None = None
    # The network as neutron shows it (its tags name the user mixins it carries).
    raw: Mapping[str, Any] | None = field(default=None, compare=False)


def _state(network: Mapping[str, Any]) -> tuple[str, str | None]:
    status = str(network.get("status") or "")
    if network.get("admin_state_up") is False:
        return "inactive", None
    if status == "ACTIVE":
        return "active", None
    if status == "ERROR":
        return "error", "neutron reports the network in ERROR"
    return "inactive", None


def _main_subnet(subnets: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    ipv4 = [s for s in subnets if s.get("ip_version") == 4]
    return (ipv4 or list(subnets) or [None])[0]


def _vlan(network: Mapping[str, Any]) -> int | None:
    value = network.get("provider:segmentation_id")
    if isinstance(value, int) and 0 <= value <= 4095:
        return value
    return None


def from_neutron(network: Mapping[str, Any], subnets: Sequence[Mapping[str, Any]]) -> NetworkView:
    state, message = _state(network)
    own = [s for s in subnets if s.get("network_id") == network.get("id")]
    return NetworkView(
        id=str(network["id"]),
        name=network.get("name") or None,
        state=state,
        message=message,
        vlan=_vlan(network),
        subnet=_main_subnet(own),
        raw=network,
    )


def public_from_neutron(
    externals: Sequence[Mapping[str, Any]], subnets: Sequence[Mapping[str, Any]]
) -> NetworkView:
    views = [from_neutron(n, subnets) for n in externals]
    active = any(v.state == "active" for v in views)
    return NetworkView(
        id=PUBLIC,
        name=PUBLIC,
        state="active" if active else "inactive",
        subnet=views[0].subnet if len(views) == 1 else None,
    )


def from_nova(network: Mapping[str, Any]) -> NetworkView:
    subnet = None
    if network.get("cidr"):
        subnet = {
            "cidr": network["cidr"],
            "gateway_ip": network.get("gateway"),
            "ip_version": 4,
            "enable_dhcp": True,
        }
    return NetworkView(
        id=str(network["id"]), name=network.get("label") or None, state="active", subnet=subnet
    )


def to_resource(version: str, view: NetworkView) -> Resource:
    kind = network_kind(version)
    attributes: dict[str, Any] = {"occi.network.state": view.state}
    summary = None
    if view.state == "error" and version == "1.1":
        attributes["occi.network.state"] = "inactive"
        summary = view.message
    elif view.message:
        attributes["occi.network.state.message"] = view.message
    if view.name:
        attributes["occi.network.label"] = view.name
    if view.vlan is not None:
        attributes["occi.network.vlan"] = view.vlan
    mixins: list[Mixin] = []
    subnet = view.subnet
    if subnet is not None:
        mixins.append(infra.IPNETWORK)
        attributes["occi.network.address"] = str(subnet.get("cidr"))
        if subnet.get("gateway_ip"):
            attributes["occi.network.gateway"] = str(subnet["gateway_ip"])
        attributes["occi.network.allocation"] = (
            "dynamic" if subnet.get("enable_dhcp", True) else "static"
        )
        if subnet.get("ip_version") in (4, 6):
            mixins.append(openstack.OSNETWORK)
            attributes["org.openstack.network.ip_version"] = int(subnet["ip_version"])
    actions = [a for a in kind.actions if view.id != PUBLIC]
    return Resource(
        kind=kind,
        id=view.id,
        title=view.name,
        summary=summary,
        mixins=mixins,
        attributes=attributes,
        actions=actions,
    )


# --- Reading --------------------------------------------------------------------------------


def _nova_externals(ctx: Context) -> set[str]:
    """Names of the pools: nova's API does not say which networks are external otherwise."""
    return {m.title or "" for m in discovery.pool_mixins(ctx)}


def _nova_views(ctx: Context) -> list[NetworkView]:
    found = ctx.openstack.parallel(
        networks=lambda: network_nova.networks(ctx.openstack),
        pools=lambda: _nova_externals(ctx),
    )
    views = [from_nova(n) for n in found["networks"] if n.get("label") not in found["pools"]]
    if found["pools"]:
        views.append(NetworkView(id=PUBLIC, name=PUBLIC, state="active"))
    return views


def _neutron_views(ctx: Context) -> list[NetworkView]:
    os = ctx.openstack
    found = os.parallel(networks=lambda: neutron.networks(os), subnets=lambda: neutron.subnets(os))
    own = [n for n in found["networks"] if not n.get("router:external")]
    externals = [n for n in found["networks"] if n.get("router:external")]
    views = [from_neutron(n, found["subnets"]) for n in own]
    if externals:
        views.append(public_from_neutron(externals, found["subnets"]))
    return views


def all_views(ctx: Context) -> list[NetworkView]:
    """Every network the project can use, ``PUBLIC`` last when there are floating IPs."""
    return _neutron_views(ctx) if ctx.openstack.has("network") else _nova_views(ctx)


def _ids(ctx: Context) -> list[str]:
    os = ctx.openstack
    if not os.has("network"):
        return [v.id for v in _nova_views(ctx)]
    body = os.call(
        "network",
        "GET",
        "/networks",
        "listing networks",
        params={"fields": ["id", "router:external"]},
    )
    networks = body.get("networks", [])
    ids = [str(n["id"]) for n in networks if not n.get("router:external")]
    return ids + [PUBLIC] * any(n.get("router:external") for n in networks)


def _view(ctx: Context, network_id: str) -> NetworkView:
    os = ctx.openstack
    if network_id == PUBLIC:
        if not os.has("network"):
            public = [v for v in _nova_views(ctx) if v.id == PUBLIC]
            if not public:
                raise RequestRefused(404, "Not found: this cloud has no floating-IP pools")
            return public[0]
        found = os.parallel(
            networks=lambda: neutron.networks(os, **{"router:external": "true"}),
            subnets=lambda: neutron.subnets(os),
        )
        if not found["networks"]:
            raise RequestRefused(404, "Not found: this cloud has no external network (PUBLIC)")
        return public_from_neutron(found["networks"], found["subnets"])
    if not ids.is_uuid(network_id):
        raise not_found(network_id)
    try:
        if not os.has("network"):
            return from_nova(network_nova.network(os, network_id))
        found = os.parallel(
            network=lambda: neutron.network(os, network_id),
            subnets=lambda: neutron.subnets(os, network_id=network_id),
        )
    except BackendError as exc:
        if exc.status == 404:
            raise not_found(network_id) from exc
        raise
    return from_neutron(found["network"], found["subnets"])


def _network(ctx: Context, view: NetworkView) -> Resource:
    """The network of a view, with the user mixins it carries (its neutron tags)."""
    resource = to_resource(ctx.version, view)
    if view.raw is not None:
        resource.mixins.extend(user_mixins.carried(ctx, infra.NETWORK, view.raw))
    return resource


def describe(ctx: Context, network_id: str) -> Resource:
    """The network ``network_id`` (or ``PUBLIC``) as it is now; 404 when there is none."""
    return _network(ctx, _view(ctx, network_id))


# --- Handlers -------------------------------------------------------------------------------


def _all_networks(ctx: Context) -> list[Resource]:
    return [_network(ctx, v) for v in all_views(ctx)]


def _locations(ctx: Context) -> list[str]:
    location = network_kind(ctx.version).location
    return [f"{location}{i}" for i in _ids(ctx)]


LISTING = collections.Listing(entities=_all_networks, locations=_locations)


def list_networks(ctx: Context) -> webob.Response:
    """Locations (one neutron call) or, for JSON and filters, full networks; paged."""
    return collections.respond(ctx, LISTING)


def show(ctx: Context) -> webob.Response:
    return ctx.respond(ctx.renderer.resource(describe(ctx, ctx.params["id"])))
