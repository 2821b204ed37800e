"""Storage links (``storagelink`` links, ``/storagelink/``): volume attachments as OCCI links,
their collection, and what inline storage links in a compute create ask of nova.

Backend calls:
- list: cinder ``GET /volumes/detail`` (attached volumes with server and device) and
  ``GET /attachments`` (attachments still being made, or failed) in parallel: two calls
  whatever the number of servers.
- show ``storagelink/{server}_{volume}``: cinder ``GET /volumes/{volume}`` and
  ``GET /attachments?volume_id=`` in parallel.
- create: nova ``POST /servers/{server}/os-volume_attachments`` (nova reserves the volume in
  cinder and attaches it); delete: nova ``DELETE /servers/{server}/os-volume_attachments/{volume}``.

Decisions:
- A storage link's id is ``{server id}_{volume id}`` (as the original ooi), split at the first
  ``_`` (nova and cinder ids are UUIDs); its source ``compute/{server}``, target
  ``storage/{volume}``.
- States (storage_state.link_state): attached → active; reserved/attaching → inactive; error →
  error (1.1: inactive). A link being detached stays active until cinder lets it go, so that
  clients polling ``GET self`` until 404 (IM) see it gone only once the volume is free.
  OCCI 1.1 has no state message: the message of a link not active goes to its title.
- ``occi.storagelink.mountpoint`` is where the guest mounts the disk, which only the guest
  knows: rendered when cinder has a mount point recorded (it records nova's device), else left
  out. A create may name the device (``occi.storagelink.deviceid``); nova decides in the end.
- A create answers 201 as soon as nova accepted the attachment (the link is inactive until the
  volume is attached); a delete answers 204 as soon as nova accepted the detach.
- Inline storage links in a compute create answer 501 for now.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import webob

from ooi.api import answers, ids, references
from ooi.api.boot_links import BootLinks
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Kind, Link
from ooi.occi.validation import ResolvedLink, resolve_entity
from ooi.openstack import cinder, volume_attachments
from ooi.openstack.errors import BackendError
from ooi.openstack.storage_state import link_state


def _kind(version: str, kind: Kind) -> Kind:
    found = catalog.static_categories(version).kind(kind.type_id)
    assert found is not None  # every version's catalog has the infrastructure kinds
    return found


def link(
    version: str,
    server_id: str,
    volume_id: str,
    device: str | None,
    state: str = "active",
    message: str | None = None,
) -> Link:
    """The storage link between a compute and a volume."""
    compute = _kind(version, infra.COMPUTE)
    storage = _kind(version, infra.STORAGE)
    attributes: dict[str, Any] = {"occi.storagelink.state": state}
    if device:
        attributes["occi.storagelink.deviceid"] = device
        attributes["occi.storagelink.mountpoint"] = device
    title = None
    if message:
        if version == "1.1":
            title = message
        else:
            attributes["occi.storagelink.state.message"] = message
    return Link(
        kind=_kind(version, infra.STORAGELINK),
        id=f"{server_id}_{volume_id}",
        title=title,
        attributes=attributes,
        source=f"{compute.location}{server_id}",
        source_kind=compute,
        target=f"{storage.location}{volume_id}",
        target_kind=storage,
    )


def of_server(version: str, server_id: str, attachments: Sequence[Mapping[str, Any]]) -> list[Link]:
    """The links of a server from nova's attachments ({volumeId, device}) or cinder's
    volume attachments ({volume_id, device, server_id})."""
    found = []
    for attachment in attachments:
        volume_id = str(
            attachment.get("volumeId") or attachment.get("volume_id") or attachment.get("id")
        )
        found.append(link(version, server_id, volume_id, attachment.get("device") or None))
    return found


def of_volume(
    version: str, volume: Mapping[str, Any], pending: Sequence[Mapping[str, Any]] = ()
) -> list[Link]:
    """The links of a cinder volume: its attachments (active), and ``pending`` attachments of
    cinder's attachments API ({instance, volume_id, status}) that are not attached yet."""
    volume_id = str(volume["id"])
    found = []
    attached = set()
    for attachment in volume.get("attachments") or ():
        server_id = str(attachment.get("server_id"))
        attached.add(server_id)
        found.append(link(version, server_id, volume_id, attachment.get("device") or None))
    for attachment in pending:
        server_id = str(attachment.get("instance"))
        if str(attachment.get("volume_id")) != volume_id or server_id in attached:
            continue
        state = link_state(str(attachment.get("status") or ""), version)
        if state is None or state[0] == "active":
            continue  # detached, or attached but not shown by the volume yet: no link
        attached.add(server_id)
        found.append(link(version, server_id, volume_id, None, *state))
    return found


def by_server(volumes: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """cinder's attachments of ``volumes`` by server id (for computes' links)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for volume in volumes:
        for attachment in volume.get("attachments") or ():
            server_id = str(attachment.get("server_id"))
            found.setdefault(server_id, []).append(
                {"volume_id": str(volume["id"]), "device": attachment.get("device")}
            )
    return found


# --- Handlers -------------------------------------------------------------------------------


def require_cinder(ctx: Context) -> None:
    if not ctx.openstack.has("volume"):
        raise RequestRefused(
            501, "This cloud has no block storage: its catalog lists no block-storage endpoint"
        )


@contextmanager
def refusals(not_found: RequestRefused, refused: str) -> Iterator[None]:
    """OpenStack's 404 as ``not_found``; its 400 (the volume's status forbids the change) as a
    409 that starts with ``refused`` and gives the service's reason."""
    try:
        yield
    except BackendError as exc:
        if exc.status == 404:
            raise not_found from exc
        if exc.status == 400:
            raise RequestRefused(409, f"{refused}: {exc.message}") from exc
        raise


def _not_found(link_id: str) -> RequestRefused:
    return RequestRefused(404, f"Not found: no storagelink {link_id}")


def _split(link_id: str) -> tuple[str, str]:
    server_id, _, volume_id = link_id.partition("_")
    if not ids.is_uuid(server_id) or not ids.is_uuid(volume_id):
        raise _not_found(link_id)
    return server_id, volume_id


def all_links(ctx: Context) -> list[Link]:
    os = ctx.openstack
    found = os.parallel(
        volumes=lambda: cinder.volumes_detail(os), pending=lambda: cinder.attachments(os)
    )
    links = []
    for volume in found["volumes"]:
        links.extend(of_volume(ctx.version, volume, found["pending"]))
    return links


def list_links(ctx: Context) -> webob.Response:
    require_cinder(ctx)
    links = all_links(ctx)
    if ctx.renderer.media_type == "application/occi+json":
        return ctx.respond(ctx.renderer.entities(links))
    kind = _kind(ctx.version, infra.STORAGELINK)
    return ctx.respond(ctx.renderer.locations([f"{kind.location}{lk.id}" for lk in links]))


def describe(ctx: Context, link_id: str) -> Link:
    require_cinder(ctx)
    server_id, volume_id = _split(link_id)
    os = ctx.openstack
    try:
        found = os.parallel(
            volume=lambda: cinder.volume(os, volume_id),
            pending=lambda: cinder.attachments(os, volume_id),
        )
    except BackendError as exc:
        if exc.status == 404:
            raise _not_found(link_id) from exc
        raise
    for candidate in of_volume(ctx.version, found["volume"], found["pending"]):
        if candidate.id == f"{server_id}_{volume_id}":
            return candidate
    raise _not_found(link_id)


def show(ctx: Context) -> webob.Response:
    return ctx.respond(ctx.renderer.link(describe(ctx, ctx.params["id"])))


def _ends(ctx: Context, source: str | None, target: str | None) -> tuple[str, str]:
    if not source or not target:
        raise InvalidInput("A storagelink needs occi.core.source (a compute) and occi.core.target")
    server_id = references.entity_id(source, ctx.endpoint_url, infra.COMPUTE.location or "")
    volume_id = references.entity_id(target, ctx.endpoint_url, infra.STORAGE.location or "")
    for name, value in (("compute", server_id), ("storage", volume_id)):
        if not ids.is_uuid(value):
            raise RequestRefused(404, f"Not found: no {name} {value}")
    return server_id, volume_id


def attach(ctx: Context, server_id: str, volume_id: str, device: str | None) -> None:
    """Ask nova to attach; 404 naming what is missing, 409 when the volume is not free."""
    try:
        volume_attachments.attach(ctx.openstack, server_id, volume_id, device)
    except BackendError as exc:
        if exc.status == 404:
            what = f"storage {volume_id}" if "olume" in exc.message else f"compute {server_id}"
            raise RequestRefused(404, f"Not found: no {what} ({exc.message})") from exc
        if exc.status == 400:
            raise RequestRefused(409, f"Cannot link storage {volume_id}: {exc.message}") from exc
        raise


def create(ctx: Context) -> webob.Response:
    require_cinder(ctx)
    registry = catalog.static_categories(ctx.version)
    kind = _kind(ctx.version, infra.STORAGELINK)
    resolved = resolve_entity(ctx.parse("parse_entity"), registry, kind=kind, purpose="create")
    server_id, volume_id = _ends(ctx, resolved.source, resolved.target)
    device = resolved.attributes.get("occi.storagelink.deviceid")
    attach(ctx, server_id, volume_id, str(device) if device else None)
    return answers.created(ctx, f"{kind.location}{server_id}_{volume_id}")


def delete(ctx: Context) -> webob.Response:
    link_id = ctx.params["id"]
    describe(ctx, link_id)  # 404 unless cinder shows the attachment
    server_id, volume_id = _split(link_id)
    with refusals(_not_found(link_id), f"Cannot unlink storage {volume_id}"):
        volume_attachments.detach(ctx.openstack, server_id, volume_id)
    return answers.no_content(ctx)


# --- Inline links at compute create ---------------------------------------------------------


def inline_plan(ctx: Context, links: Sequence[ResolvedLink]) -> BootLinks:
    """What the inline ``storagelink`` links of a compute create (maybe none) add to it."""
    if links:
        raise RequestRefused(
            501,
            f"Storage links at creation are not supported yet (link to {links[0].target}): "
            "create the compute, then link the storage with POST /storagelink/",
        )
    return BootLinks()
