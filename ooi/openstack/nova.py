"""nova's compute API: the calls ooi makes, pinned to a microversion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ooi.openstack.client import OpenStack
from ooi.openstack.transport import check

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

# Reads of servers speak the newest of these that the cloud's nova has (tried newest first; the
# one that worked is remembered per endpoint): 2.98 (2024.1) embeds the image's properties (the
# architecture), 2.90 (Xena) shows project users the hostname, 2.47 (Pike) embeds the flavor
# (vcpus, ram, disk, original_name), so describing a server needs no flavor call.
READ_MICROVERSIONS = ("2.98", "2.90", "2.47")
# Other calls on servers (attachments, delete) need nothing newer than the flavor version.
SERVER_MICROVERSION = READ_MICROVERSIONS[-1]
_newest_read: dict[str, str] = {}
# nova's default `[api] max_limit`; a page this long may have a next one.
_SERVER_PAGE = 1000


def read(
    os: OpenStack, path: str, what: str, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``GET path`` on servers at the newest microversion of READ_MICROVERSIONS nova speaks
    (an older nova answers 406 to a newer one: the next is tried, and remembered)."""
    key = os.transport.endpoints.get("compute") or ""
    versions = READ_MICROVERSIONS[READ_MICROVERSIONS.index(_newest_read.get(key, "2.98")) :]
    for version in versions:
        resp = os.request("compute", "GET", path, params=params, headers=headers(version))
        if resp.status == 406 and version != versions[-1]:
            continue
        _newest_read[key] = version
        break
    return dict(check(resp, "compute", what).body or {})


def server(os: OpenStack, server_id: str) -> dict[str, Any]:
    """One server in full (``GET /servers/{id}``); BackendError 404 when nova has none."""
    return dict(read(os, f"/servers/{server_id}", f"showing server {server_id}")["server"])


def _paged(os: OpenStack, path: str, what: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    # Newest first, and the id among servers made in the same second: nova's default order
    # (created_at alone) leaves those in any order, and OCCI's pages must stay put.
    params: dict[str, Any] = {
        "limit": _SERVER_PAGE,
        "sort_key": ["created_at", "uuid"],
        "sort_dir": ["desc", "desc"],
    }
    while True:
        body = read(os, path, what, params)
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
