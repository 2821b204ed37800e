"""nova's compute API: the calls ooi makes, pinned to a microversion."""

from __future__ import annotations

from typing import Any

from ooi.openstack.client import OpenStack

# 2.1 is what every nova since Liberty speaks; calls that need newer behaviour pin their own.
MICROVERSION = "2.1"


def _headers(microversion: str = MICROVERSION) -> dict[str, str]:
    return {"OpenStack-API-Version": f"compute {microversion}"}


def flavors(os: OpenStack) -> list[dict[str, Any]]:
    body = os.call("compute", "GET", "/flavors/detail", "listing flavors", headers=_headers())
    return list(body.get("flavors", []))


def availability_zones(os: OpenStack) -> list[dict[str, Any]]:
    """Zones the caller may boot in: [{zoneName, zoneState: {available}}]."""
    body = os.call(
        "compute", "GET", "/os-availability-zone", "listing availability zones", headers=_headers()
    )
    return list(body.get("availabilityZoneInfo", []))


def images(os: OpenStack) -> list[dict[str, Any]]:
    """Images through nova's proxy API: only for clouds whose catalog has no glance."""
    body = os.call("compute", "GET", "/images/detail", "listing images", headers=_headers("2.1"))
    return [
        {"id": i["id"], "name": i.get("name"), "status": str(i.get("status", "")).lower()}
        for i in body.get("images", [])
    ]


def floating_ip_pools(os: OpenStack) -> list[str]:
    """Pool names through nova's proxy API: only for clouds whose catalog has no neutron."""
    body = os.call(
        "compute", "GET", "/os-floating-ip-pools", "listing floating IP pools", headers=_headers()
    )
    return [p["name"] for p in body.get("floating_ip_pools", [])]
