"""`/storage/` and `/storagelink/`: block storage (cinder volumes) as OCCI resources.

Backend calls (cinder v3, cinder.py; every handler first checks that the catalog has a
block-storage endpoint, else 501):
- list: ``GET /volumes`` for the text renderings (locations only); for JSON (full entities)
  ``GET /volumes/detail`` (attachments included), one call; ``GET /attachments`` once more
  only while some volume's status says an attachment is under way (as for a show).
- show: ``GET /volumes/{id}``. Its links are the volume's attachments; only while its status
  says one is under way (reserved, attaching, detaching) is cinder's
  ``GET /attachments?volume_id=`` asked too (storage_links.pending_attachments), so that the
  storage shows the link being made, inactive, as ``/storagelink/`` does.
- create: ``POST /volumes``.
- delete: ``GET /volumes/{id}`` (attached? → 409), then ``DELETE /volumes/{id}``.
- delete-all: ``GET /volumes/detail``, then the deletes of the deletable ones in parallel.

Decisions:
- ``occi.storage.size`` is in GiB, as cinder's sizes: a fraction is a 400 (cinder has whole
  GiB only). ``occi.core.title`` is the volume's name, ``occi.core.summary`` its description.
- Mixins at create: a cinder volume type (``http://schemas.openstack.org/storage/volume_type#``,
  the type's id as term and its name as title, listed in ``/-/`` through discovery.py) and an
  availability zone (the zone mixins apply to storage as to compute; cinder refuses a zone it
  does not have with a 400). A storage renders both. Quota and capacity refusals are cinder's
  413, passed through with its message. User mixins given at create are the volume's metadata
  items (mixin_carriers.py), and a storage renders those it carries.
- Lists are filtered and paged as every collection (collections.py).
- States: storage_state.py (1.2: online/offline/error with a message; 1.1: six states, the
  message of an error in the summary).
- A storage renders its links (its attachments, with the compute as source): a client that
  shows a volume sees where it is attached, and where it is being attached (inactive).
- Delete of an attached volume → 409 naming the computes; of one cinder cannot delete in its
  status (creating, attaching, ...) → 409 with cinder's reason. A volume cinder is deleting is
  still shown (offline, "being deleted") until it is gone; a second delete of it is a 409.
- Delete-all deletes every volume that is detached and available or in error, and answers 204
  when that was all of them; otherwise 409 listing the volumes it left and why (the deletable
  ones are deleted all the same).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import webob

# storage_changes imports this module back (for volume, describe): it only uses them in calls.
from ooi.api import (
    answers,
    collections,
    discovery,
    ids,
    mixin_carriers,
    storage_changes,
    storage_links,
    user_mixins,
)
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.api.router import Handler
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Kind, Mixin, Resource
from ooi.occi.validation import resolve_entity
from ooi.openstack import cinder
from ooi.openstack.errors import BackendError
from ooi.openstack.storage_state import ONLINE, storage_state

# cinder deletes volumes in these statuses only (cinder/volume/api.py ``delete``).
_DELETABLE = frozenset(
    {"available", "error", "error_restoring", "error_extending", "error_managing"}
)


def _storage_kind(version: str) -> Kind:
    kind = catalog.static_categories(version).kind(infra.STORAGE.type_id)
    assert kind is not None
    return kind


def not_found(volume_id: str) -> RequestRefused:
    return RequestRefused(404, f"Not found: no storage {volume_id}")


def _types_by_name(ctx: Context) -> dict[str, Mixin]:
    """The cloud's volume-type mixins by cinder type name (volumes name their type)."""
    return {str(m.title): m for m in discovery.volume_type_mixins(ctx)}


def volume_to_resource(
    version: str,
    volume: Mapping[str, Any],
    types: Mapping[str, Mixin] | None = None,
    pending: Sequence[Mapping[str, Any]] = (),
) -> Resource:
    """The storage for a cinder volume (as ``GET /volumes/{id}`` shows it); ``types``: the
    volume-type mixins by type name; ``pending``: cinder's attachments not attached yet."""
    kind = _storage_kind(version)
    state, message = storage_state(str(volume.get("status") or "")).for_version(version)
    attributes: dict[str, Any] = {"occi.storage.state": state}
    if volume.get("size") is not None:
        attributes["occi.storage.size"] = int(volume["size"])
    summary = volume.get("description") or None
    if message:
        if version == "1.1":
            summary = summary or message
        else:
            attributes["occi.storage.state.message"] = message
    mixins = []
    volume_type = (types or {}).get(str(volume.get("volume_type") or ""))
    if volume_type is not None:
        mixins.append(volume_type)
    if volume.get("availability_zone"):
        mixins.append(openstack.availability_zone(str(volume["availability_zone"])))
    return Resource(
        kind=kind,
        id=str(volume["id"]),
        mixins=mixins,
        title=volume.get("name") or None,
        summary=summary,
        attributes=attributes,
        # Actions that can run now: none while cinder is busy with the volume or failed it.
        actions=[
            a
            for a in storage_changes.actions(version)
            if state == ONLINE and a.term not in ("online", "offline")
        ],
        links=storage_links.of_volume(version, volume, pending),
    )


def find_volume(ctx: Context, volume_id: str) -> dict[str, Any]:
    """The volume, or 404: ids are checked before cinder is asked."""
    storage_links.require_cinder(ctx)
    if not ids.is_uuid(volume_id):
        raise not_found(volume_id)
    try:
        return cinder.volume(ctx.openstack, volume_id)
    except BackendError as exc:
        if exc.status == 404:
            raise not_found(volume_id) from exc
        raise


def _storage(
    ctx: Context,
    volume: Mapping[str, Any],
    types: Mapping[str, Mixin],
    pending: Sequence[Mapping[str, Any]],
) -> Resource:
    """The storage for a volume, with the user mixins it carries (its metadata)."""
    resource = volume_to_resource(ctx.version, volume, types, pending)
    resource.mixins.extend(user_mixins.carried(ctx, infra.STORAGE, volume))
    return resource


def describe(ctx: Context, volume_id: str) -> Resource:
    volume = find_volume(ctx, volume_id)
    pending = storage_links.pending_attachments(ctx, [volume], volume_id)
    return _storage(ctx, volume, _types_by_name(ctx), pending)


# --- Handlers -------------------------------------------------------------------------------


def _all_storage(ctx: Context) -> list[Resource]:
    storage_links.require_cinder(ctx)
    types = _types_by_name(ctx)
    volumes = cinder.volumes_detail(ctx.openstack)
    pending = storage_links.pending_attachments(ctx, volumes)
    return [_storage(ctx, v, types, pending) for v in volumes]


def _locations(ctx: Context) -> list[str]:
    storage_links.require_cinder(ctx)
    kind = _storage_kind(ctx.version)
    return [f"{kind.location}{v['id']}" for v in cinder.volumes(ctx.openstack)]


LISTING = collections.Listing(entities=_all_storage, locations=_locations)


def list_storage(ctx: Context) -> webob.Response:
    """Locations (``GET /volumes``) or, for JSON and filters, full storages
    (``GET /volumes/detail``); filtered and paged (collections.py)."""
    storage_links.require_cinder(ctx)
    return collections.respond(ctx, LISTING)


def show(ctx: Context) -> webob.Response:
    return ctx.respond(ctx.renderer.resource(describe(ctx, ctx.params["id"])))


def _create(ctx: Context) -> webob.Response:
    storage_links.require_cinder(ctx)
    kind = _storage_kind(ctx.version)
    registry = discovery.registry(ctx)
    resolved = resolve_entity(ctx.parse("parse_entity"), registry, kind=kind, purpose="create")
    if resolved.links:
        raise InvalidInput(
            "A storage cannot be created with links: link it to a compute with POST "
            "/storagelink/ once it exists"
        )
    spec: dict[str, Any] = {
        "size": storage_links.whole_gib(resolved.attributes["occi.storage.size"])
    }
    if resolved.title:
        spec["name"] = resolved.title
    if resolved.summary:
        spec["description"] = resolved.summary
    volume_type = resolved.template(openstack.VOLUME_TYPE)
    if volume_type is not None:
        spec["volume_type"] = openstack.raw_id(volume_type.term)
    zone = resolved.template(openstack.AVAILABILITY_ZONE)
    if zone is not None:
        spec["availability_zone"] = openstack.raw_id(zone.term)
    metadata = {}
    for definition in user_mixins.definitions_among(ctx, resolved.mixins):
        metadata.update(mixin_carriers.volume_metadata(definition))
    if metadata:
        spec["metadata"] = metadata
    volume = cinder.create_volume(ctx.openstack, spec)
    return answers.created(ctx, f"{kind.location}{volume['id']}")


def create_or_act(ctx: Context) -> webob.Response:
    """POST on the collection: create a storage."""
    if ctx.request.GET.get("action") is not None:
        raise RequestRefused(501, "Actions on the whole storage collection are not supported")
    return _create(ctx)


def _attached_to(volume: Mapping[str, Any]) -> list[str]:
    return [str(a.get("server_id")) for a in volume.get("attachments") or ()]


def delete(ctx: Context) -> webob.Response:
    volume_id = ctx.params["id"]
    volume = find_volume(ctx, volume_id)
    servers = _attached_to(volume)
    if servers:
        computes = ", ".join(f"compute/{s}" for s in servers)
        raise RequestRefused(
            409,
            f"Storage {volume_id} is linked to {computes}: delete the storage link(s) first",
        )
    with storage_links.refusals(not_found(volume_id), f"Cannot delete storage {volume_id}"):
        cinder.delete_volume(ctx.openstack, volume_id)
    return answers.no_content(ctx)


def _why_kept(volume: Mapping[str, Any]) -> str | None:
    servers = _attached_to(volume)
    if servers:
        return "linked to " + ", ".join(f"compute/{s}" for s in servers)
    status = str(volume.get("status") or "")
    if status not in _DELETABLE:
        return f"in status {status}"
    return None


def _delete_if_there(ctx: Context, volume_id: str) -> str | None:
    try:
        cinder.delete_volume(ctx.openstack, volume_id)
    except BackendError as exc:
        if exc.status != 404:  # gone meanwhile: what was asked for
            return exc.message
    return None


def delete_all(ctx: Context) -> webob.Response:
    storage_links.require_cinder(ctx)
    volumes = cinder.volumes_detail(ctx.openstack)
    kept = {str(v["id"]): why for v in volumes if (why := _why_kept(v))}
    doomed = [str(v["id"]) for v in volumes if str(v["id"]) not in kept]
    if doomed:
        failed = ctx.openstack.parallel(
            **{vid: (lambda vid=vid: _delete_if_there(ctx, vid)) for vid in doomed}
        )
        kept.update({vid: why for vid, why in failed.items() if why})
    if kept:
        listed = "; ".join(f"storage/{vid}: {why}" for vid, why in kept.items())
        deleted = len(volumes) - len(kept)
        raise RequestRefused(409, f"Deleted {deleted} storage(s), kept {len(kept)}: {listed}")
    return answers.no_content(ctx)


_STORAGES = {"GET": list_storage, "POST": create_or_act, "DELETE": delete_all}
_LINKS = {"GET": storage_links.list_links, "POST": storage_links.create}

ROUTES: Mapping[str, Mapping[str, Handler]] = {
    "/storage/": _STORAGES,
    "/storage": _STORAGES,
    "/storage/{id}": {
        "GET": show,
        "POST": storage_changes.update_or_act,
        "PUT": storage_changes.replace,
        "DELETE": delete,
    },
    "/storagelink/": _LINKS,
    "/storagelink": _LINKS,
    "/storagelink/{id}": {"GET": storage_links.show, "DELETE": storage_links.delete},
}
