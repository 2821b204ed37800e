"""neutron's networking API v2.0."""

from __future__ import annotations

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
