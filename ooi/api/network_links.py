"""Network interfaces (``networkinterface`` links, ``/networklink/``): how a compute's ports and
floating IPs render as links, and what inline network links in a compute create ask of nova.

Decisions:
- A network interface is one link per fixed IP of a port (``networklink/{server}_{ip}``, target
  ``network/{network id}``) and one per floating IP (target ``network/PUBLIC``), named
  ``eth0``, ``eth1``, ... in the order the ports were made; a floating IP shares the name of its
  port. ``occi.networkinterface.gateway`` is left out (a subnet call per network).
- Inline network links become nova's ``networks: [{uuid[, fixed_ip]}]``; without any, nova picks
  the project's network or answers 409 when there are several (kept: IM retries with links).
  Links to ``network/PUBLIC`` (floating IPs) answer 501 for now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ooi.api import references
from ooi.api.boot_links import BootLinks
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.steps import Steps
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Kind, Link
from ooi.occi.validation import ResolvedLink

PUBLIC_NETWORK = "PUBLIC"


def _kind(version: str, kind: Kind) -> Kind:
    found = catalog.static_categories(version).kind(kind.type_id)
    assert found is not None  # every version's catalog has the infrastructure kinds
    return found


def _port_order(port: Mapping[str, Any]) -> tuple[str, str]:
    return (str(port.get("created_at") or ""), str(port.get("id") or ""))


def of_server(
    version: str,
    server_id: str,
    ports: Sequence[Mapping[str, Any]],
    floating_ips: Sequence[Mapping[str, Any]],
) -> list[Link]:
    compute = _kind(version, infra.COMPUTE)
    kind = _kind(version, infra.NETWORKINTERFACE)
    network = _kind(version, infra.NETWORK)
    source = f"{compute.location}{server_id}"

    def link(address: str, target: str, interface: str, mac: str, active: bool) -> Link:
        return Link(
            kind=kind,
            id=f"{server_id}_{address}",
            mixins=[infra.IPNETWORKINTERFACE],
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

    links: list[Link] = []
    mine = [p for p in ports if p.get("device_id") in (None, server_id)]
    for index, port in enumerate(sorted(mine, key=_port_order)):
        interface = f"eth{index}"
        mac = str(port.get("mac_address") or "")
        active = port.get("status") == "ACTIVE"
        target = f"{network.location}{port.get('network_id')}"
        for fixed in port.get("fixed_ips") or ():
            links.append(link(str(fixed["ip_address"]), target, interface, mac, active))
        for fip in floating_ips:
            if fip.get("port_id") == port.get("id") and fip.get("floating_ip_address"):
                public = f"{network.location}{PUBLIC_NETWORK}"
                links.append(link(str(fip["floating_ip_address"]), public, interface, mac, active))
    return links


def from_addresses(version: str, server: Mapping[str, Any]) -> list[Link]:
    """Network links from nova's own view, for clouds without neutron in the catalog."""
    ports: dict[str, dict[str, Any]] = {}
    floating: list[dict[str, Any]] = []
    for label, addresses in (server.get("addresses") or {}).items():
        for address in addresses or ():
            mac = str(address.get("OS-EXT-IPS-MAC:mac_addr") or "")
            if address.get("OS-EXT-IPS:type") == "floating":
                floating.append({"port_id": mac, "floating_ip_address": address["addr"]})
                continue
            port = ports.setdefault(
                mac,
                {
                    "id": mac,
                    "mac_address": mac,
                    "network_id": label,
                    "status": "ACTIVE",
                    "fixed_ips": [],
                    "created_at": str(len(ports)).zfill(4),
                },
            )
            port["fixed_ips"].append({"ip_address": address["addr"]})
    return of_server(version, str(server["id"]), list(ports.values()), floating)


# --- Inline links at compute create ---------------------------------------------------------


def requested_networks(links: Sequence[ResolvedLink], endpoint: str) -> list[dict[str, str]]:
    """nova's ``networks`` for the inline network links of a create (checked, nothing changed)."""
    networks: list[dict[str, str]] = []
    for link in links:
        location = references.to_location(link.target, endpoint)
        if location.startswith(openstack.IPRESERVATION.location or "ipreservation/") or any(
            m.is_a(openstack.FLOATING_IP_POOL) for m in link.mixins
        ):
            raise RequestRefused(
                501, f"Floating IPs at creation are not supported yet (link to {link.target})"
            )
        network_id = references.entity_id(link.target, endpoint, infra.NETWORK.location or "")
        if network_id == PUBLIC_NETWORK:
            raise RequestRefused(
                501,
                f"Floating IPs at creation are not supported yet (link to {link.target}): "
                "link to a private network, or create the compute without links",
            )
        if infra.MAC.name in link.attributes:
            raise InvalidInput(
                f"Attribute {infra.MAC.name} cannot be chosen (link to {link.target}): "
                "nova assigns MAC addresses"
            )
        network = {"uuid": network_id}
        address = link.attributes.get("occi.networkinterface.address")
        if address:
            network["fixed_ip"] = str(address)
        networks.append(network)
    return networks


def inline_plan(ctx: Context, links: Sequence[ResolvedLink]) -> BootLinks:
    """What the inline ``networkinterface`` links of a compute create (maybe none) add to it."""
    networks = requested_networks(links, ctx.endpoint_url)

    def prepare(steps: Steps, server: dict[str, Any]) -> None:
        if networks:
            server["networks"] = networks

    return BootLinks(prepare=prepare)
