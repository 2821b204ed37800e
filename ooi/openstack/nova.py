"""nova's compute API: the calls ooi makes, pinned to a microversion."""

from __future__ import annotations

from typing import Any

from ooi.openstack.client import OpenStack

# 2.1 is what every nova since Liberty speaks; calls that need newer behaviour pin their own.
MICROVERSION = "2.1"


def headers(microversion: str = MICROVERSION) -> dict[str, str]:
    return {"OpenStack-API-Version": f"compute {microversion}"}


def flavors(os: OpenStack) -> list[dict[str, Any]]:
    body = os.call("compute", "GET", "/flavors/detail", "listing flavors", headers=headers())
    return list(body.get("flavors", []))


def availability_zones(os: OpenStack) -> list[dict[str, Any]]:
    """Zones the caller may boot in: [{zoneName, zoneState: {available}}]."""
    body = os.call(
        "compute", "GET", "/os-availability-zone", "listing availability zones", headers=headers()
    )
    return list(body.get("availabilityZoneInfo", []))


def images(os: OpenStack) -> list[dict[str, Any]]:
    """Images through nova's proxy API: only for clouds whose catalog has no glance."""
    body = os.call("compute", "GET", "/images/detail", "listing images", headers=headers("2.1"))
    return [
        {"id": i["id"], "name": i.get("name"), "status": str(i.get("status", "")).lower()}
        for i in body.get("images", [])
    ]


def floating_ip_pools(os: OpenStack) -> list[str]:
    """Pool names through nova's proxy API: only for clouds whose catalog has no neutron."""
    body = os.call(
        "compute", "GET", "/os-floating-ip-pools", "listing floating IP pools", headers=headers()
    )
    return [p["name"] for p in body.get("floating_ip_pools", [])]


# --- Servers ------------------------------------------------------------------------------

# Reads of servers speak 2.47 (Pike): the server embeds its flavor (vcpus, ram, disk,
# original_name), so describing one needs no flavor call. Newer versions add nothing a compute
# rendering needs except image properties (2.98, too recent to require).
SERVER_MICROVERSION = "2.47"
# nova's default `[api] max_limit`; a page this long may have a next one.
_SERVER_PAGE = 1000


def server(os: OpenStack, server_id: str) -> dict[str, Any]:
    """One server in full (``GET /servers/{id}``); BackendError 404 when nova has none."""
    body = os.call(
        "compute",
        "GET",
        f"/servers/{server_id}",
        f"showing server {server_id}",
        headers=headers(SERVER_MICROVERSION),
    )
    return dict(body["server"])


def _paged(os: OpenStack, path: str, what: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": _SERVER_PAGE}
    while True:
        body = os.call(
            "compute", "GET", path, what, params=params, headers=headers(SERVER_MICROVERSION)
        )
        page = list(body.get("servers", []))
        found.extend(page)
        if len(page) < _SERVER_PAGE or not body.get("servers_links"):
            return found
        params = {**params, "marker": page[-1]["id"]}


def server_ids(os: OpenStack) -> list[str]:
    """Ids of the project's servers (``GET /servers``: ids and names only)."""
    return [s["id"] for s in _paged(os, "/servers", "listing servers")]


def servers_detail(os: OpenStack) -> list[dict[str, Any]]:
    """The project's servers in full (``GET /servers/detail``)."""
    return _paged(os, "/servers/detail", "listing servers")


def volume_attachments(os: OpenStack, server_id: str) -> list[dict[str, Any]]:
    """The volumes attached to a server: [{volumeId, device, ...}]."""
    body = os.call(
        "compute",
        "GET",
        f"/servers/{server_id}/os-volume_attachments",
        f"listing the volumes of server {server_id}",
        headers=headers(SERVER_MICROVERSION),
    )
    return list(body.get("volumeAttachments", []))


def delete_server(os: OpenStack, server_id: str) -> None:
    """Ask nova to delete a server (asynchronous: it is gone a moment later)."""
    os.call(
        "compute",
        "DELETE",
        f"/servers/{server_id}",
        f"deleting server {server_id}",
        headers=headers(SERVER_MICROVERSION),
    )
