"""nova's volume attachments (``os-volume_attachments``): attaching and detaching volumes.

nova is the one to ask (not cinder's attachments API directly): it reserves the volume in
cinder, connects it to the hypervisor and records the device, and reverses all of it on detach.
Microversion 2.1: the request and answer have not changed since (later versions only add tags,
``delete_on_termination`` and the attachment id).
"""

from __future__ import annotations

from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack


def attach(os: OpenStack, server_id: str, volume_id: str, device: str | None) -> dict[str, Any]:
    """Attach a volume to a server (asynchronous: the volume is attaching, then in-use);
    nova's attachment {id, serverId, volumeId, device}."""
    request: dict[str, Any] = {"volumeId": volume_id}
    if device:
        request["device"] = device
    body = os.call(
        "compute",
        "POST",
        f"/servers/{server_id}/os-volume_attachments",
        f"attaching volume {volume_id} to server {server_id}",
        body={"volumeAttachment": request},
        headers=nova.headers(),
    )
    return dict(body.get("volumeAttachment") or {})


def detach(os: OpenStack, server_id: str, volume_id: str) -> None:
    """Detach a volume from a server (asynchronous: detaching, then available)."""
    os.call(
        "compute",
        "DELETE",
        f"/servers/{server_id}/os-volume_attachments/{volume_id}",
        f"detaching volume {volume_id} from server {server_id}",
        headers=nova.headers(),
    )
