"""nova's network API (``os-networks``), for clouds whose catalog has no neutron.

nova answers it only up to microversion 2.35 (a read-only proxy over neutron since nova-network
was removed); creating and deleting networks there answers 410, so ooi never tries.
"""

from __future__ import annotations

from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack

# The last microversion that has ``os-networks``.
MICROVERSION = "2.35"


def networks(os: OpenStack) -> list[dict[str, Any]]:
    """[{id, label, cidr, gateway, ...}]: what nova lists to the project."""
    body = os.call(
        "compute", "GET", "/os-networks", "listing networks", headers=nova.headers(MICROVERSION)
    )
    return list(body.get("networks", []))


def network(os: OpenStack, network_id: str) -> dict[str, Any]:
    """One network; BackendError 404 when nova has none."""
    body = os.call(
        "compute",
        "GET",
        f"/os-networks/{network_id}",
        f"showing network {network_id}",
        headers=nova.headers(MICROVERSION),
    )
    return dict(body["network"])


def floating_ips(os: OpenStack) -> list[dict[str, Any]]:
    """The project's floating IPs: [{id, ip, pool, instance_id, fixed_ip}]."""
    body = os.call(
        "compute",
        "GET",
        "/os-floating-ips",
        "listing floating IPs",
        headers=nova.headers(MICROVERSION),
    )
    return list(body.get("floating_ips", []))
