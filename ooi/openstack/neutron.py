"""neutron's networking API v2.0."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack


def floating_ip_pools(os: OpenStack) -> list[str]:
    """Names of the external networks floating IPs come from."""
    if not os.has("network"):
        return nova.floating_ip_pools(os)
    body = os.call(
        "network",
        "GET",
        "/networks",
        "listing external networks",
        params={"router:external": "true", "fields": ["id", "name"]},
    )
    return [n.get("name") or n["id"] for n in body.get("networks", [])]


# Fields of a port and a floating IP that a network interface link shows.
_PORT_FIELDS = ["id", "network_id", "mac_address", "fixed_ips", "status", "device_id", "created_at"]
_FLOATING_FIELDS = ["id", "floating_ip_address", "fixed_ip_address", "port_id", "status"]
# device_id values per ports query: keeps the URL well under common 8 KiB limits.
_DEVICES_PER_QUERY = 100


def ports_of(os: OpenStack, device_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The ports of the given servers, in one call per hundred servers (run in parallel)."""
    if not device_ids:
        return []
    chunks = [
        list(device_ids[i : i + _DEVICES_PER_QUERY])
        for i in range(0, len(device_ids), _DEVICES_PER_QUERY)
    ]

    def fetch(ids: list[str]) -> Callable[[], list[dict[str, Any]]]:
        def call() -> list[dict[str, Any]]:
            body = os.call(
                "network",
                "GET",
                "/ports",
                "listing the ports of servers",
                params={"device_id": ids, "fields": _PORT_FIELDS},
            )
            return list(body.get("ports", []))

        return call

    found = os.parallel(**{f"chunk{i}": fetch(ids) for i, ids in enumerate(chunks)})
    return [port for ports in found.values() for port in ports]


def floating_ips(os: OpenStack) -> list[dict[str, Any]]:
    """The project's floating IPs (one call, matched to ports by the caller)."""
    body = os.call(
        "network",
        "GET",
        "/floatingips",
        "listing floating IPs",
        params={"project_id": os.project_id, "fields": _FLOATING_FIELDS},
    )
    return list(body.get("floatingips", []))
