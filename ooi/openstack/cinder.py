"""cinder's block-storage API v3: the calls ooi makes, pinned to one microversion.

The catalog's ``block-storage`` (or ``volumev3``) endpoint already ends in ``/v3/{project_id}``,
so paths here start at the project (``/volumes/detail``).

Decisions:
- Every call speaks microversion 3.42 (Queens): the attachments API (3.27) lists attachments
  still being made, with their instance and status, and 3.42 lets an attached volume be
  extended. Older clouds are out of scope.
- Lists are paged with ``limit``/``marker`` (cinder's ``osapi_max_limit`` is 1000 by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from ooi.openstack.client import OpenStack
from ooi.openstack.errors import BackendError

MICROVERSION = "3.42"
_PAGE = 1000


def headers() -> dict[str, str]:
    return {"OpenStack-API-Version": f"volume {MICROVERSION}"}


def _call(os: OpenStack, method: str, path: str, what: str, **kwargs: Any) -> Any:
    return os.call("volume", method, path, what, headers=headers(), **kwargs)


def _paged(
    os: OpenStack, path: str, key: str, what: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    query: dict[str, Any] = {**(params or {}), "limit": _PAGE}
    while True:
        body = _call(os, "GET", path, what, params=query)
        page = list(body.get(key, []))
        found.extend(page)
        if len(page) < _PAGE or not body.get(f"{key}_links"):
            return found
        query = {**query, "marker": page[-1]["id"]}


# --- Volumes ----------------------------------------------------------------------------------


def volumes(os: OpenStack) -> list[dict[str, Any]]:
    """The project's volumes, ids and names only (``GET /volumes``)."""
    return _paged(os, "/volumes", "volumes", "listing volumes")


def volumes_detail(os: OpenStack) -> list[dict[str, Any]]:
    """The project's volumes in full, with their attachments (server_id, device)."""
    return _paged(os, "/volumes/detail", "volumes", "listing volumes")


def volume(os: OpenStack, volume_id: str) -> dict[str, Any]:
    """One volume in full; BackendError 404 when cinder has none."""
    return dict(_call(os, "GET", f"/volumes/{volume_id}", f"showing volume {volume_id}")["volume"])


def create_volume(os: OpenStack, spec: Mapping[str, Any]) -> dict[str, Any]:
    """Ask cinder for a volume (``spec``: size, name, description, volume_type, ...)."""
    body = _call(os, "POST", "/volumes", "creating a volume", body={"volume": dict(spec)})
    return dict(body["volume"])


def delete_volume(os: OpenStack, volume_id: str) -> None:
    _call(os, "DELETE", f"/volumes/{volume_id}", f"deleting volume {volume_id}")


def update_volume(os: OpenStack, volume_id: str, changes: Mapping[str, Any]) -> None:
    """Change a volume's name and/or description."""
    body = {"volume": dict(changes)}
    _call(os, "PUT", f"/volumes/{volume_id}", f"updating volume {volume_id}", body=body)


def set_metadata(os: OpenStack, volume_id: str, items: Mapping[str, str]) -> None:
    """Add (or overwrite) metadata items of a volume; the others stay."""
    body = {"metadata": dict(items)}
    _call(os, "POST", f"/volumes/{volume_id}/metadata", f"tagging volume {volume_id}", body=body)


def delete_metadata(os: OpenStack, volume_id: str, key: str) -> None:
    """Remove one metadata item of a volume; an item it does not have is no error."""
    try:
        _call(os, "DELETE", f"/volumes/{volume_id}/metadata/{key}", f"untagging volume {volume_id}")
    except BackendError as exc:
        if exc.status != 404:
            raise


def volume_action(os: OpenStack, volume_id: str, action: str, argument: Any, what: str) -> Any:
    return _call(os, "POST", f"/volumes/{volume_id}/action", what, body={action: argument})


def extend(os: OpenStack, volume_id: str, size: int) -> None:
    volume_action(os, volume_id, "os-extend", {"new_size": size}, f"extending volume {volume_id}")


def attachments(os: OpenStack, volume_id: str | None = None) -> list[dict[str, Any]]:
    """Attachments of the project's volumes (``GET /attachments``): [{id, status, instance,
    volume_id}], including those being made (reserved, attaching) that volumes do not list.
    Worth asking only while a volume's status says one is under way
    (storage_state.attachments_unsettled)."""
    params = {"volume_id": volume_id} if volume_id else None
    return _paged(os, "/attachments", "attachments", "listing volume attachments", params)


# --- Snapshots, backups, types ---------------------------------------------------------------


def create_snapshot(os: OpenStack, volume_id: str, name: str | None) -> dict[str, Any]:
    """A snapshot of the volume (``force`` so that an attached volume can be snapshotted)."""
    spec: dict[str, Any] = {"volume_id": volume_id, "force": True}
    if name:
        spec["name"] = name
    body = _call(
        os, "POST", "/snapshots", f"snapshotting volume {volume_id}", body={"snapshot": spec}
    )
    return dict(body["snapshot"])


def create_backup(os: OpenStack, volume_id: str, name: str | None) -> dict[str, Any]:
    """A backup of the volume (``incremental`` off, ``force`` for an attached volume)."""
    spec: dict[str, Any] = {"volume_id": volume_id, "force": True}
    if name:
        spec["name"] = name
    body = _call(os, "POST", "/backups", f"backing up volume {volume_id}", body={"backup": spec})
    return dict(body["backup"])


def backup(os: OpenStack, backup_id: str) -> dict[str, Any]:
    return dict(_call(os, "GET", f"/backups/{backup_id}", f"showing backup {backup_id}")["backup"])


def volume_types(os: OpenStack) -> list[dict[str, Any]]:
    """The volume types the project may use: [{id, name, description}]."""
    return list(_call(os, "GET", "/types", "listing volume types").get("volume_types", []))


def availability_zones(os: OpenStack) -> list[dict[str, Any]]:
    """cinder's zones: [{zoneName, zoneState: {available}}]."""
    body = _call(os, "GET", "/os-availability-zone", "listing volume availability zones")
    return list(body.get("availabilityZoneInfo", []))


# --- Waiting ----------------------------------------------------------------------------------

_POLL = 0.5


def wait(
    os: OpenStack, volume_id: str, done: Callable[[dict[str, Any] | None], bool], timeout: float
) -> dict[str, Any] | None:
    """Poll the volume until ``done(volume)`` (``None``: cinder has it no more) or ``timeout``
    seconds passed; the volume as last seen."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found: dict[str, Any] | None = volume(os, volume_id)
        except BackendError as exc:
            if exc.status != 404:
                raise
            found = None
        if done(found) or time.monotonic() >= deadline:
            return found
        time.sleep(_POLL)
