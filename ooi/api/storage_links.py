"""Storage links (``storagelink`` links, ``/storagelink/``): volume attachments as OCCI links,
their collection, and what inline storage links in a compute create ask of nova.

Backend calls:
- list: cinder ``GET /volumes/detail`` (attached volumes with server and device): one call
  whatever the number of servers. Only when some volume's status says an attachment is under
  way (reserved, attaching, detaching: storage_state.attachments_unsettled) is cinder's
  ``GET /attachments`` asked as well, once for all of them (the attachments being made, or
  failed, that volumes do not list).
- show ``storagelink/{server}_{volume}``: cinder ``GET /volumes/{volume}``; then
  ``GET /attachments?volume_id=`` only when the volume's status says one is under way.
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
  cinder's attachments are read after the volume (only when its status asks for them): an
  attachment that became attached in between is active, without its device until the next
  read, rather than missing (a client polling a new link would take a 404 for its end).
- ``occi.storagelink.mountpoint`` is where the guest mounts the disk, which only the guest
  knows: rendered when cinder has a mount point recorded (it records nova's device), else left
  out. A create may name the device (``occi.storagelink.deviceid``); nova decides in the end.
- A create answers 201 as soon as nova accepted the attachment (the link is inactive until the
  volume is attached); a delete answers 204 as soon as nova accepted the detach.
- Inline storage links in a compute create become nova block-device mappings (source volume,
  not bootable, ``delete_on_termination`` off): nova attaches them as part of the build, so a
  volume it cannot attach fails the boot request itself (400/409) and no server exists to undo;
  attaching after the boot would need to wait for ACTIVE first. An existing volume must be
  available and unlinked (checked before anything is made: 404 / 409). A link to the storage
  collection (``.../storage/``) with ``occi.storage.size`` (and the link's title as name) makes a
  new volume first (ooi makes it, not nova: nova would delete it with the server, and a storage
  outlives its compute in OCCI), waits until it is available, then maps it. On any failure the
  create's Steps undo in reverse: the server is deleted first, then each volume ooi made once no
  server holds it (bounded wait, ``VOLUME_WAIT``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import webob

from ooi.api import answers, collections, ids, references
from ooi.api.boot_links import BootLinks
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.steps import Steps
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action, Category, Kind, Link, Mixin
from ooi.occi.validation import ResolvedLink, resolve_entity
from ooi.openstack import cinder, volume_attachments
from ooi.openstack.errors import BackendError
from ooi.openstack.storage_state import attachments_unsettled, link_state


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
    cinder's attachments API ({instance, volume_id, status}) that the volume does not list:
    not attached yet, failed, or attached since the volume was read (active, its device
    unknown: the attachments are read after the volume, and the link exists)."""
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
        if state is None:
            continue  # detached: no link
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


def storage_categories(category: Category) -> bool:
    """Whether ``category`` is block storage's (its kinds, actions and volume types): what
    ``/-/`` leaves out on a cloud without a block-storage endpoint."""
    kinds = (infra.STORAGE.type_id, infra.STORAGELINK.type_id)
    schemes = (infra.STORAGE_ACTION_SCHEME, openstack.STORAGE_ACTION_SCHEME)
    if isinstance(category, Kind):
        return category.type_id in kinds
    if isinstance(category, Action):
        return category.scheme in schemes
    return isinstance(category, Mixin) and category.is_a(openstack.VOLUME_TYPE)


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


def pending_attachments(
    ctx: Context, volumes: Sequence[Mapping[str, Any]], volume_id: str | None = None
) -> list[dict[str, Any]]:
    """cinder's attachments (of ``volume_id``, else of the project) for ``of_volume``, asked
    once and only when one of ``volumes`` is in a status under which it may have attachments
    it does not list; else none (the volumes say all)."""
    if not any(attachments_unsettled(str(v.get("status") or "")) for v in volumes):
        return []
    return cinder.attachments(ctx.openstack, volume_id)


def all_links(ctx: Context) -> list[Link]:
    volumes = cinder.volumes_detail(ctx.openstack)
    pending = pending_attachments(ctx, volumes)
    links = []
    for volume in volumes:
        links.extend(of_volume(ctx.version, volume, pending))
    return links


def list_links(ctx: Context) -> webob.Response:
    """Every storage link of the project (one cinder call while no attachment is under way),
    filtered and paged."""
    require_cinder(ctx)
    return collections.respond(ctx, collections.Listing(entities=all_links))


def describe(ctx: Context, link_id: str) -> Link:
    require_cinder(ctx)
    server_id, volume_id = _split(link_id)
    try:
        volume = cinder.volume(ctx.openstack, volume_id)
    except BackendError as exc:
        if exc.status == 404:
            raise _not_found(link_id) from exc
        raise
    pending = pending_attachments(ctx, [volume], volume_id)
    for candidate in of_volume(ctx.version, volume, pending):
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

# How long a create waits for a volume it made to become available, and for a volume it made
# to be let go by a server being deleted (undo), before deleting it.
VOLUME_WAIT = 60.0
_FREE = ("available", "error")


@dataclass(frozen=True)
class _Disk:
    """One inline storage link: an existing volume, or a new one of ``size`` GiB."""

    target: str
    volume_id: str | None
    size: int | None
    name: str | None
    device: str | None


def _disk(ctx: Context, link: ResolvedLink) -> _Disk:
    location = references.to_location(link.target, ctx.endpoint_url).rstrip("/")
    size = link.attributes.get(infra.STORAGE_SIZE.name)
    device = link.attributes.get(infra.DEVICEID.name)
    device = str(device) if device else None
    where = f"(link to {link.target})"
    if location == (infra.STORAGE.location or "storage/").rstrip("/"):
        if size is None:
            raise InvalidInput(
                f"A link to the storage collection makes a new storage: give it "
                f"{infra.STORAGE_SIZE.name} {where}"
            )
        return _Disk(link.target, None, whole_gib(size), link.title, device)
    if size is not None:
        raise InvalidInput(
            f"{infra.STORAGE_SIZE.name} describes a new storage: link to .../storage/ for one, "
            f"or leave it out to link an existing storage {where}"
        )
    volume_id = references.entity_id(link.target, ctx.endpoint_url, infra.STORAGE.location or "")
    return _Disk(link.target, volume_id, None, None, device)


def whole_gib(value: Any) -> int:
    """A size in GiB as cinder takes it; InvalidInput for a fraction or less than 1."""
    size = float(value)
    if size != int(size) or size < 1:
        raise InvalidInput(
            f"Attribute {infra.STORAGE_SIZE.name} must be a whole number of GiB, at least 1 "
            f"(not {value})"
        )
    return int(size)


def _check_free(ctx: Context, disk: _Disk) -> None:
    """An existing volume must be there and free before anything is made."""
    assert disk.volume_id is not None
    if not ids.is_uuid(disk.volume_id):
        raise RequestRefused(404, f"Not found: no storage {disk.volume_id}")
    try:
        volume = cinder.volume(ctx.openstack, disk.volume_id)
    except BackendError as exc:
        if exc.status == 404:
            raise RequestRefused(404, f"Not found: no storage {disk.volume_id}") from exc
        raise
    if volume.get("status") != "available" or volume.get("attachments"):
        raise RequestRefused(
            409,
            f"Storage {disk.volume_id} cannot be linked to a new compute: it is "
            f"{volume.get('status')} (link a storage that is online and not linked)",
        )


def _make_volume(ctx: Context, disk: _Disk, server_name: str) -> str:
    spec: dict[str, Any] = {"size": disk.size, "name": disk.name or f"{server_name}-disk"}
    volume_id = str(cinder.create_volume(ctx.openstack, spec)["id"])
    return volume_id


def _wait_available(ctx: Context, volume_id: str) -> None:
    found = cinder.wait(
        ctx.openstack,
        volume_id,
        lambda v: v is None or v.get("status") != "creating",
        VOLUME_WAIT,
    )
    status = (found or {}).get("status")
    if status != "available":
        raise RequestRefused(
            409 if status == "creating" else 502,
            f"The new storage {volume_id} did not become available (cinder: {status}); "
            "nothing was created",
        )


def _forget_volume(ctx: Context, volume_id: str) -> None:
    """Undo a volume made for a boot: wait (bounded) until no server holds it, then delete."""
    cinder.wait(
        ctx.openstack,
        volume_id,
        lambda v: v is None or (v.get("status") in _FREE and not v.get("attachments")),
        VOLUME_WAIT,
    )
    try:
        cinder.delete_volume(ctx.openstack, volume_id)
    except BackendError as exc:
        if exc.status != 404:
            raise


def _mapping(volume_id: str, device: str | None) -> dict[str, Any]:
    # delete_on_termination off: a storage outlives the compute it was linked to (OCCI's
    # storage is a resource of its own, deleted by DELETE /storage/{id}).
    mapping: dict[str, Any] = {
        "source_type": "volume",
        "destination_type": "volume",
        "uuid": volume_id,
        "boot_index": None,
        "delete_on_termination": False,
    }
    if device:
        mapping["device_name"] = device
    return mapping


def _image_mapping(image_id: str) -> dict[str, Any]:
    return {
        "source_type": "image",
        "destination_type": "local",
        "uuid": image_id,
        "boot_index": 0,
        "delete_on_termination": True,
    }


def inline_plan(ctx: Context, links: Sequence[ResolvedLink]) -> BootLinks:
    """What the inline ``storagelink`` links of a compute create (maybe none) add to it: block
    device mappings for existing volumes (checked free now) and for new ones (made, as undoable
    steps, before the boot)."""
    if not links:
        return BootLinks()
    require_cinder(ctx)
    disks = [_disk(ctx, link) for link in links]
    for disk in disks:
        if disk.volume_id is not None:
            _check_free(ctx, disk)

    def prepare(steps: Steps, server: dict[str, Any]) -> None:
        mappings = []
        for disk in disks:
            volume_id = disk.volume_id
            if volume_id is None:
                volume_id = steps.run(
                    f"creating a volume for {disk.target}",
                    lambda disk=disk: _make_volume(ctx, disk, str(server.get("name") or "")),
                    undo=lambda vid: _forget_volume(ctx, vid),
                )
                _wait_available(ctx, volume_id)
            mappings.append(_mapping(volume_id, disk.device))
        if server.get("imageRef") and "block_device_mapping_v2" not in server:
            # With mappings, nova wants the image's own place in the boot sequence stated.
            mappings.insert(0, _image_mapping(str(server["imageRef"])))
        server.setdefault("block_device_mapping_v2", []).extend(mappings)

    return BootLinks(prepare=prepare)
