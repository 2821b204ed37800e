"""Network interfaces (``networkinterface`` links, ``/networklink/``): how a compute's ports and
floating IPs render as links, the collection, and what inline network links in a compute
create ask of nova and neutron.

Backend calls:
- list: neutron's project ports and floating IPs, in parallel (2 calls whatever the number of
  servers; in full renderings with floating IPs, the cached networks for the pools' names);
  nova's network mode: ``GET /servers/detail`` (addresses).
- show: ``GET /servers/{id}`` (its addresses, joined with the cached network names by
  ``nova_interfaces``; neutron's ports and floating IPs only when those cannot settle it).
- create: ``GET /servers/{id}`` (the compute must exist), then: to a private network, nova's
  ``POST /servers/{id}/os-interface {net_id[, fixed_ips]}`` (nova makes the port and deletes it
  on detach); to ``PUBLIC`` (or an external network, or with a pool mixin), the pool's network,
  the server's ports and ``POST /floatingips`` associated in the same call
  (``network_public``); to ``ipreservation/{id}``, ``PUT /floatingips/{id} {port_id}``.
- delete: the server's ports (``GET /ports?device_id=``) and the floating IPs, then
  ``DELETE /floatingips/{id}`` (ooi allocated it for this compute) or ``PUT /floatingips/{id}
  {port_id: null}`` (a reservation), or nova's ``DELETE /servers/{id}/os-interface/{port}``
  plus the release of ooi's floating IPs on it.
- After a public IP is given or taken back, or an interface unplugged, ``GET /servers/{id}``
  until nova shows the change (``nova_interfaces.wait_until_shown``): the next read is right.

Decisions:
- A network interface is one link per fixed IP of a port (``networklink/{server}_{ip}``, target
  ``network/{network id}``) and one per floating IP (target ``network/PUBLIC``), named
  ``eth0``, ``eth1``, ... in nova's order of the server's interfaces (the guest's; ports nova
  does not show yet last; the list, which reads no server, in the order the ports were made,
  which is nova's but for ports made in the same second); a floating IP shares the name of its
  port; active while both the server and (where neutron is asked) the port are (the list:
  the port). ``occi.networkinterface.gateway`` is left out (a subnet call per network).
- A public IP's link carries the floating-IP-pool mixin of the external network its address
  comes from (neutron's ``floating_network_id``; from nova's view, the cached external network
  whose subnets hold the address), however the pool was chosen: by the link's mixin, as the
  only pool, through an ipreservation, or outside ooi. occi-spec 1.2 core §Mixin: a mixin is
  associated with an entity at its creation or later and stays in its ``mixins``; ooi
  associates the pool at creation whether the client named it or not (as a compute created
  with the site's default template carries that template): the pool is a fact of the
  address, not of the request, so the mixin's collection (``floatingippool/<pool>``) holds
  every public link of the pool and a client reads back the pool it would name. The names
  come from ``nova_interfaces.pools`` (cached; looked up only for floating IPs whose pool is
  known). nova's network mode shows no pool: nova's addresses do not say it.
- A create answers 201 once nova has the interface or shows the public IP; a delete answers
  204 once nova no longer shows the address (at most ``nova_interfaces.SHOWN_WAIT`` seconds).
- Inline links at compute create: to private networks → nova's ``networks``; none of them →
  ``default_network``; to ``PUBLIC`` / a pool / a reservation → a floating IP once the server's
  port exists, a step of the create (undone with it on failure).
- nova's network mode reads links from nova's addresses, which name networks by label: the
  targets are made ``network/<id>`` from ``GET /os-networks`` (cached), as ``/network/`` lists
  them; creates and deletes answer 501.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import webob

from ooi.api import (
    answers,
    collections,
    discovery,
    ids,
    network_public,
    nova_interfaces,
    references,
)
from ooi.api.boot_links import BootLinks
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.nova_interfaces import Interfaces
from ooi.api.router import Handler
from ooi.api.steps import Steps
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Kind, Link
from ooi.occi.validation import ResolvedEntity, ResolvedLink, resolve_entity
from ooi.openstack import floating, network_interfaces, neutron, nova
from ooi.openstack.compute_state import is_gone

PUBLIC_NETWORK = "PUBLIC"


def _kind(version: str, kind: Kind) -> Kind:
    found = catalog.static_categories(version).kind(kind.type_id)
    assert found is not None  # every version's catalog has the infrastructure kinds
    return found


def _macs(server: Mapping[str, Any] | None) -> list[str]:
    """The MACs of the server's interfaces in nova's order (the guest's)."""
    macs: list[str] = []
    for addresses in ((server or {}).get("addresses") or {}).values():
        for address in addresses or ():
            mac = str(address.get("OS-EXT-IPS-MAC:mac_addr") or "")
            if mac and mac not in macs:
                macs.append(mac)
    return macs


def of_server(
    version: str,
    server_id: str,
    ports: Sequence[Mapping[str, Any]],
    floating_ips: Sequence[Mapping[str, Any]],
    server: Mapping[str, Any] | None = None,
    pools: Mapping[str, str] | None = None,
) -> list[Link]:
    """The links of a server's ports (neutron's, or nova's view of them shaped alike by
    ``nova_interfaces``) and floating IPs. With the ``server``: ports in nova's order of its
    interfaces (ports nova does not show yet last, oldest first), and active only while the
    server is. ``pools`` (external network id → pool name): a floating IP's link carries the
    mixin of the pool its ``floating_network_id`` names."""
    compute = _kind(version, infra.COMPUTE)
    kind = _kind(version, infra.NETWORKINTERFACE)
    network = _kind(version, infra.NETWORK)
    source = f"{compute.location}{server_id}"

    def link(
        address: str, target: str, interface: str, mac: str, active: bool, pool: str | None = None
    ) -> Link:
        mixins = [infra.IPNETWORKINTERFACE]
        if pool:
            mixins.append(openstack.floating_ip_pool(pool))
        return Link(
            kind=kind,
            id=f"{server_id}_{address}",
            mixins=mixins,
            attributes={
                "occi.networkinterface.interface": interface,
                "occi.networkinterface.mac": mac,
                "occi.networkinterface.address": address,
                "occi.networkinterface.allocation": "dynamic",
                "occi.networkinterface.state": "active" if active else "inactive",
            },
            source=source,
            source_kind=compute,
            target=target,
            target_kind=network,
        )

    macs = _macs(server)

    def order(port: Mapping[str, Any]) -> tuple[int, str, str]:
        mac = str(port.get("mac_address") or "")
        place = macs.index(mac) if mac in macs else len(macs)
        return (place, str(port.get("created_at") or ""), str(port.get("id") or ""))

    server_active = server is None or server.get("status") == "ACTIVE"
    links: list[Link] = []
    mine = [p for p in ports if p.get("device_id") in (None, server_id)]
    for index, port in enumerate(sorted(mine, key=order)):
        interface = f"eth{index}"
        mac = str(port.get("mac_address") or "")
        active = server_active and port.get("status") == "ACTIVE"
        target = f"{network.location}{port.get('network_id')}"
        for fixed in port.get("fixed_ips") or ():
            links.append(link(str(fixed["ip_address"]), target, interface, mac, active))
        for fip in floating_ips:
            if fip.get("port_id") == port.get("id") and fip.get("floating_ip_address"):
                public = f"{network.location}{PUBLIC_NETWORK}"
                pool = (pools or {}).get(str(fip.get("floating_network_id")))
                address = str(fip["floating_ip_address"])
                links.append(link(address, public, interface, mac, active, pool))
    return links


def _pools_for(
    ctx: Context, ports: Sequence[Mapping[str, Any]], floating_ips: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """The pool names (cached) that the floating IPs on these ports need; none looked up
    when no floating IP on them says its pool."""
    port_ids = {p.get("id") for p in ports}
    if not any(
        f.get("port_id") in port_ids and f.get("floating_network_id")
        for f in floating_ips
        if f.get("port_id")
    ):
        return {}
    return nova_interfaces.pools(ctx)


def of_interfaces(ctx: Context, server: Mapping[str, Any], found: Interfaces) -> list[Link]:
    """The server's network links from its interfaces (``nova_interfaces.of_servers``)."""
    pools = _pools_for(ctx, found.ports, found.floating_ips)
    return of_server(ctx.version, str(server["id"]), found.ports, found.floating_ips, server, pools)


# --- /networklink/ --------------------------------------------------------------------------


def _not_found(link_id: str) -> RequestRefused:
    return RequestRefused(404, f"Not found: no network link {link_id}")


def split_id(link_id: str) -> tuple[str, str]:
    """``{server id}_{address}`` → (server id, address); 404 for anything else (checked before
    any backend call)."""
    server_id, sep, address = link_id.partition("_")
    if not sep or not ids.is_uuid(server_id):
        raise _not_found(link_id)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise _not_found(link_id) from None
    return server_id, address


def all_links(ctx: Context) -> list[Link]:
    """Every network interface of the project's computes: neutron's ports and floating IPs
    (two calls whatever their number, far lighter than nova's servers in detail, and the
    cached pool names when there are floating IPs); nova's network mode: nova's servers."""
    return _project_links(ctx, with_pools=True)


def _all_locations(ctx: Context) -> list[str]:
    """The links' locations: their pools are not needed."""
    return [link.location or "" for link in _project_links(ctx, with_pools=False)]


def _project_links(ctx: Context, with_pools: bool) -> list[Link]:
    os = ctx.openstack
    if not os.has("network"):
        servers = sorted(
            (s for s in nova.servers_detail(os) if not is_gone(s)), key=lambda s: s["id"]
        )
        found = nova_interfaces.of_servers(ctx, servers)
        return [link for s in servers for link in of_interfaces(ctx, s, found[str(s["id"])])]
    asked = os.parallel(
        ports=lambda: neutron.project_ports(os), floating_ips=lambda: neutron.floating_ips(os)
    )
    by_server: dict[str, list[dict[str, Any]]] = {}
    for port in asked["ports"]:
        if str(port.get("device_owner") or "").startswith("compute:") and port.get("device_id"):
            by_server.setdefault(str(port["device_id"]), []).append(port)
    pools = {}
    if with_pools:
        compute_ports = [p for ports in by_server.values() for p in ports]
        pools = _pools_for(ctx, compute_ports, asked["floating_ips"])
    return [
        link
        for server_id, ports in sorted(by_server.items())
        for link in of_server(ctx.version, server_id, ports, asked["floating_ips"], pools=pools)
    ]


@dataclass(frozen=True)
class _Found:
    link: Link
    port: Mapping[str, Any] | None = None
    floating_ip: Mapping[str, Any] | None = None


def _find(ctx: Context, link_id: str) -> _Found:
    """The link with the port and floating IP behind it (neutron's, to change them)."""
    server_id, address = split_id(link_id)
    os = ctx.openstack
    found = os.parallel(
        ports=lambda: neutron.ports_of(os, [server_id]),
        floating_ips=lambda: neutron.floating_ips(os),
    )
    links = of_server(ctx.version, server_id, found["ports"], found["floating_ips"])
    link = next((lk for lk in links if lk.id == link_id), None)
    if link is None:
        raise _not_found(link_id)
    fip = next((f for f in found["floating_ips"] if f.get("floating_ip_address") == address), None)
    if fip is not None and fip.get("port_id"):
        port = next((p for p in found["ports"] if p.get("id") == fip["port_id"]), None)
        return _Found(link, port, fip)
    port = next(
        p
        for p in found["ports"]
        if any(f.get("ip_address") == address for f in p.get("fixed_ips") or ())
    )
    return _Found(link, port)


def describe(ctx: Context, link_id: str) -> Link:
    """The link as nova's server shows it (one call, when names settle it)."""
    server_id, _ = split_id(link_id)
    server = answers.or_404(
        f"network link {link_id}", lambda: nova.server(ctx.openstack, server_id)
    )
    if is_gone(server):
        raise _not_found(link_id)
    found = nova_interfaces.of_servers(ctx, [server])[server_id]
    link = next((lk for lk in of_interfaces(ctx, server, found) if lk.id == link_id), None)
    if link is None:
        raise _not_found(link_id)
    return link


LISTING = collections.Listing(entities=all_links, locations=_all_locations)


def list_links(ctx: Context) -> webob.Response:
    """Every interface of the project's computes (two neutron calls), filtered and paged."""
    return collections.respond(ctx, LISTING)


def show(ctx: Context) -> webob.Response:
    return ctx.respond(ctx.renderer.link(describe(ctx, ctx.params["id"])))


def require_neutron(ctx: Context, doing: str) -> None:
    if not ctx.openstack.has("network"):
        raise RequestRefused(
            501,
            f"This site has no network service (neutron) for {doing}: nova's network API "
            "can only list and show",
        )


def _server_must_exist(ctx: Context, server_id: str) -> None:
    if not ids.is_uuid(server_id):
        raise RequestRefused(404, f"Not found: no compute {server_id}")
    server = answers.or_404(f"compute {server_id}", lambda: nova.server(ctx.openstack, server_id))
    if is_gone(server):
        raise RequestRefused(404, f"Not found: no compute {server_id}")


def _public_ip(ctx: Context, server_id: str, pool: str | None, network_id: str | None) -> str:
    os = ctx.openstack
    network = network_public.external_network(os, pool, network_id)
    port = network_public.server_port(os, server_id)
    made = network_public.allocate(os, network, str(port["id"]), server_id)
    nova_interfaces.wait_until_shown(ctx, server_id, str(made["floating_ip_address"]))
    return str(made["floating_ip_address"])


def _reserved_ip(ctx: Context, server_id: str, reservation_id: str, wait: float = 0.0) -> str:
    os = ctx.openstack
    if not ids.is_uuid(reservation_id):
        raise RequestRefused(404, f"Not found: no ipreservation {reservation_id}")
    port = network_public.server_port(os, server_id, wait)
    found = answers.or_404(
        f"ipreservation {reservation_id}",
        lambda: neutron.associate_floating_ip(os, reservation_id, str(port["id"])),
    )
    nova_interfaces.wait_until_shown(ctx, server_id, str(found["floating_ip_address"]))
    return str(found["floating_ip_address"])


def _interface(ctx: Context, server_id: str, network_id: str, address: str | None) -> str:
    os = ctx.openstack
    attached = answers.or_404(
        f"network {network_id}",
        lambda: network_interfaces.attach_interface(os, server_id, network_id, address),
    )
    # Its network may be one the cached names do not know, or share a name with: look again.
    nova_interfaces.forget(ctx)
    fixed = attached.get("fixed_ips") or [{}]
    return str(fixed[0].get("ip_address") or "")


def _is_external(ctx: Context, network_id: str) -> bool:
    network = answers.or_404(
        f"network {network_id}", lambda: neutron.network(ctx.openstack, network_id)
    )
    return bool(network.get("router:external"))


def _link_to(ctx: Context, server_id: str, target: str, link: ResolvedEntity) -> str:
    """Make the link; the address its id ends with."""
    location = references.to_location(target, ctx.endpoint_url)
    pool = network_public.chosen_pool(link.mixins)
    reservations = openstack.IPRESERVATION.location or "ipreservation/"
    if location.startswith(reservations):
        reservation = references.entity_id(target, ctx.endpoint_url, reservations)
        return _reserved_ip(ctx, server_id, reservation)
    network_id = references.entity_id(target, ctx.endpoint_url, infra.NETWORK.location or "")
    if network_id == PUBLIC_NETWORK:
        return _public_ip(ctx, server_id, pool, None)
    if not ids.is_uuid(network_id):
        raise RequestRefused(404, f"Not found: no network {network_id}")
    if pool is not None or _is_external(ctx, network_id):
        return _public_ip(ctx, server_id, pool, network_id)
    address = link.attributes.get("occi.networkinterface.address")
    return _interface(ctx, server_id, network_id, str(address) if address else None)


def create(ctx: Context) -> webob.Response:
    """POST /networklink/: plug a compute into a network, or give it a public IP."""
    registry = discovery.registry(ctx)
    kind = registry.kind(infra.NETWORKINTERFACE.type_id)
    assert kind is not None
    doc = ctx.parse("parse_entity")
    resolved = resolve_entity(doc, registry, kind=kind, purpose="create")
    if not resolved.source or not resolved.target:
        raise InvalidInput("A network link needs occi.core.source (a compute) and occi.core.target")
    if infra.MAC.name in resolved.attributes:
        raise InvalidInput(f"Attribute {infra.MAC.name} cannot be chosen: nova assigns MACs")
    require_neutron(ctx, "linking computes to networks")
    compute_location = _kind(ctx.version, infra.COMPUTE).location or "compute/"
    server_id = references.entity_id(resolved.source, ctx.endpoint_url, compute_location)
    _server_must_exist(ctx, server_id)
    address = _link_to(ctx, server_id, resolved.target, resolved)
    location = f"{kind.location}{server_id}_{address}"
    return answers.created(ctx, location)


def delete(ctx: Context) -> webob.Response:
    """DELETE /networklink/{id}: unplug the port, or take the public IP back (released when
    ooi allocated it for this compute, only disassociated otherwise)."""
    link_id = ctx.params["id"]
    split_id(link_id)
    require_neutron(ctx, "unlinking computes from networks")
    found = _find(ctx, link_id)
    os = ctx.openstack
    server_id, address = split_id(link_id)
    fip = found.floating_ip
    if fip is not None:
        if floating.is_ours(fip, server_id):
            floating.release(os, str(fip["id"]))
        else:
            neutron.associate_floating_ip(os, str(fip["id"]), None)
        nova_interfaces.wait_until_shown(ctx, server_id, address, shown=False)
        return answers.no_content(ctx)
    assert found.port is not None
    # The port goes; public IPs ooi allocated on it would otherwise stay allocated.
    ours = [
        f
        for f in neutron.floating_ips(os)
        if f.get("port_id") == found.port["id"] and floating.is_ours(f, server_id)
    ]
    port_id = str(found.port["id"])
    answers.or_404(
        f"network link {link_id}",
        lambda: network_interfaces.detach_interface(os, server_id, port_id),
    )
    for fip in ours:
        floating.release(os, str(fip["id"]))
    nova_interfaces.wait_until_shown(ctx, server_id, address, shown=False)
    return answers.no_content(ctx)


_LINKS = {"GET": list_links, "POST": create}

ROUTES: Mapping[str, Mapping[str, Handler]] = {
    "/networklink/": _LINKS,
    "/networklink": _LINKS,
    "/networklink/{id}": {"GET": show, "DELETE": delete},
}


# --- Inline links at compute create ---------------------------------------------------------


def _is_public(link: ResolvedLink, endpoint: str) -> bool:
    """Whether an inline link asks for a public IP (PUBLIC, a pool mixin or a reservation)."""
    location = references.to_location(link.target, endpoint)
    if location.startswith(openstack.IPRESERVATION.location or "ipreservation/"):
        return True
    if network_public.chosen_pool(link.mixins) is not None:
        return True
    return location == f"{infra.NETWORK.location}{PUBLIC_NETWORK}"


def requested_networks(links: Sequence[ResolvedLink], endpoint: str) -> list[dict[str, str]]:
    """nova's ``networks`` for the inline links to private networks (checked, nothing
    changed)."""
    networks: list[dict[str, str]] = []
    for link in links:
        if infra.MAC.name in link.attributes:
            raise InvalidInput(
                f"Attribute {infra.MAC.name} cannot be chosen (link to {link.target}): "
                "nova assigns MAC addresses"
            )
        if _is_public(link, endpoint):
            continue
        network_id = references.entity_id(link.target, endpoint, infra.NETWORK.location or "")
        network = {"uuid": network_id}
        address = link.attributes.get("occi.networkinterface.address")
        if address:
            network["fixed_ip"] = str(address)
        networks.append(network)
    return networks


def default_network(ctx: Context) -> str | None:
    """The network of a compute created without links to one: ``ooi_default_network``, else
    the project's only usable network; 409 listing them when there are several; None (nova
    decides) in nova's network mode or when there is none."""
    if ctx.settings.default_network:
        return ctx.settings.default_network
    if not ctx.openstack.has("network"):
        return None
    usable = [n for n in neutron.networks(ctx.openstack) if not n.get("router:external")]
    if len(usable) <= 1:
        return str(usable[0]["id"]) if usable else None
    location = _kind(ctx.version, infra.NETWORK).location
    choices = ", ".join(
        "{} ({})".format(ctx.absolute_url(f"{location}{n['id']}"), n.get("name") or "no name")
        for n in usable
    )
    raise RequestRefused(
        409, f"Several networks could take this compute: link it to one of them: {choices}"
    )


def _public_plan(ctx: Context, link: ResolvedLink) -> Callable[[Steps, str], None]:
    """What a public inline link does once the server exists (its pool is chosen now, so a
    wrong one fails before the boot)."""
    os = ctx.openstack
    endpoint = ctx.endpoint_url
    location = references.to_location(link.target, endpoint)
    reservations = openstack.IPRESERVATION.location or "ipreservation/"
    if location.startswith(reservations):
        reservation = references.entity_id(link.target, endpoint, reservations)

        def associate(steps: Steps, server_id: str) -> None:
            steps.run(
                f"associating reservation {reservation}",
                lambda: _reserved_ip(ctx, server_id, reservation, network_public.PORT_WAIT),
                undo=lambda _: neutron.associate_floating_ip(os, reservation, None),
            )

        return associate
    network_id = references.entity_id(link.target, endpoint, infra.NETWORK.location or "")
    pool = network_public.chosen_pool(link.mixins)
    network = network_public.external_network(
        os, pool, None if network_id == PUBLIC_NETWORK else network_id
    )

    def allocate(steps: Steps, server_id: str) -> None:
        port = network_public.server_port(os, server_id, wait=network_public.PORT_WAIT)
        made = steps.run(
            "allocating a public IP",
            lambda: network_public.allocate(os, network, str(port["id"]), server_id),
            undo=lambda made: floating.release(os, str(made["id"])),
        )
        nova_interfaces.wait_until_shown(ctx, server_id, str(made["floating_ip_address"]))

    return allocate


def inline_plan(ctx: Context, links: Sequence[ResolvedLink]) -> BootLinks:
    """What the inline ``networkinterface`` links of a compute create (maybe none) add to it."""
    networks = requested_networks(links, ctx.endpoint_url)
    public = [link for link in links if _is_public(link, ctx.endpoint_url)]
    if public:
        require_neutron(ctx, "public IPs")
    afterwards = [_public_plan(ctx, link) for link in public]

    def prepare(steps: Steps, server: dict[str, Any]) -> None:
        chosen = networks
        if not chosen:
            network_id = default_network(ctx)
            chosen = [{"uuid": network_id}] if network_id else []
        if chosen:
            server["networks"] = chosen

    def finish(steps: Steps, server_id: str) -> None:
        for then in afterwards:
            then(steps, server_id)

    return BootLinks(prepare=prepare, finish=finish)
