"""nova's interface attachments (``os-interface``): plugging ports into servers."""

from __future__ import annotations

from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack


def attach_interface(
    os: OpenStack, server_id: str, network_id: str, address: str | None = None
) -> dict[str, Any]:
    """A new port on ``network_id`` plugged into the server (nova makes the port, and deletes
    it again on detach); nova's ``interfaceAttachment`` (port_id, fixed_ips, mac_addr)."""
    attachment: dict[str, Any] = {"net_id": network_id}
    if address:
        attachment["fixed_ips"] = [{"ip_address": address}]
    body = os.call(
        "compute",
        "POST",
        f"/servers/{server_id}/os-interface",
        f"attaching an interface on network {network_id} to server {server_id}",
        body={"interfaceAttachment": attachment},
        headers=nova.headers(),
    )
    return dict(body["interfaceAttachment"])


def detach_interface(os: OpenStack, server_id: str, port_id: str) -> None:
    os.call(
        "compute",
        "DELETE",
        f"/servers/{server_id}/os-interface/{port_id}",
        f"detaching port {port_id} from server {server_id}",
        headers=nova.headers(),
    )
