"""`/storage/{id}`: storage actions and updates (rename, describe, extend).

Backend calls (cinder v3, cinder.py):
- actions: ``GET /volumes/{id}``, then snapshot ``POST /snapshots``, backup ``POST /backups``
  (then ``GET /backups/{id}`` until cinder decides, bounded), resize ``os-extend``.
- update (POST) / replace (PUT): ``GET /volumes/{id}``, ``PUT /volumes/{id}`` for name and
  description, ``os-extend`` for a larger size, ``GET /volumes/{id}`` for the answer.

Decisions:
- OCCI 1.1 storage actions: online, offline, backup, snapshot, resize (``size`` in GiB).
  OCCI 1.2 has online and offline; its clients get snapshot and backup as OpenStack-scheme
  actions (``http://schemas.openstack.org/storage/action#``, advertised in ``/-/``, with an
  optional ``name``) and resize by updating ``occi.storage.size``.
- online: cinder has no such request: an online volume answers 200 (nothing to do); a volume in
  another state gets 409 saying what cinder is doing (it comes online by itself, or not in
  error). offline: 501 (cinder cannot take a volume offline).
- snapshot and backup work on attached volumes too (``force``); the copy is named by the
  ``name`` parameter, else after the volume. They answer 200 with an empty rendering, as compute
  actions do: snapshots and backups are no OCCI entities.
- Backups need cinder's backup service, which clouds may not run, and a project member cannot
  ask whether it runs: cinder accepts the request and fails it a moment later ("Service not
  found for creating backup"). ooi waits for cinder's verdict (``BACKUP_WAIT``) and answers
  501 saying the cloud has no backup service (cinder keeps the failed backup record, which
  only a backup service can delete).
- Size: a larger size extends the volume (cinder 3.42: attached volumes too); the same size is
  no change; a smaller one is a 400 (cinder cannot shrink).
- The volume type (mixin) is chosen at create; an update naming another one is a 400. User
  mixins: an update adds those it names (volume metadata), a replace keeps exactly those.
- Update and replace answer 200 with the storage as it is then (an extension runs on in
  cinder: the state may say ``offline``, "being extended"). Links are not acted on in a
  replace (they are the storage's attachments); a partial update with links is a 400.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import webob

from ooi.api import discovery, storage, storage_links, user_mixins
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.documents import ActionDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Action
from ooi.occi.validation import Purpose, resolve_action, resolve_entity
from ooi.openstack import cinder
from ooi.openstack.storage_state import ONLINE, storage_state

# How long a backup request waits for cinder to accept or fail it.
BACKUP_WAIT = 10.0
_POLL = 0.5
_SIZE = infra.STORAGE_SIZE.name


def actions(version: str) -> Sequence[Action]:
    """Every action a storage has in ``version``."""
    kind = catalog.static_categories(version).kind(infra.STORAGE.type_id)
    assert kind is not None
    extra = openstack.STORAGE_ACTIONS_12 if version == "1.2" else ()
    return (*kind.actions, *extra)


def _action_doc(ctx: Context) -> ActionDoc:
    """The invocation; none (no body, no Category header) means the ``?action=`` one."""
    headers = {name.lower() for name in ctx.request.headers}
    if not ctx.request.body.strip() and "category" not in headers:
        return ActionDoc(action="")
    return ctx.parse("parse_action")


def _resolve(ctx: Context, term: str) -> tuple[Action, dict[str, Any]]:
    allowed = actions(ctx.version)
    terms = sorted({a.term for a in allowed})
    if term not in terms:
        raise InvalidInput(f"Unknown action {term!r} for storage; its actions are: {terms}")
    registry = catalog.static_categories(ctx.version)
    return resolve_action(_action_doc(ctx), registry, allowed=allowed, expected_term=term)


def _new_size(volume: dict[str, Any], size: Any) -> int | None:
    """The size to extend the volume to; None when it has that size; 400 for a shrink."""
    wanted = storage_links.whole_gib(size)
    current = int(volume.get("size") or 0)
    if wanted < current:
        raise InvalidInput(
            f"Storage {volume['id']} has {current} GiB: cinder cannot shrink it to {wanted} GiB"
        )
    return None if wanted == current else wanted


def _extend(ctx: Context, volume_id: str, size: int | None) -> None:
    if size is None:
        return
    with storage_links.refusals(storage.not_found(volume_id), f"Cannot resize {volume_id}"):
        cinder.extend(ctx.openstack, volume_id, size)


def _backup(ctx: Context, volume_id: str, name: str) -> None:
    with storage_links.refusals(storage.not_found(volume_id), f"Cannot back up {volume_id}"):
        backup_id = str(cinder.create_backup(ctx.openstack, volume_id, name)["id"])
    # cinder's answer has no status: ask until it leaves "creating" (or the wait ends).
    deadline = time.monotonic() + BACKUP_WAIT
    backup = cinder.backup(ctx.openstack, backup_id)
    while backup.get("status") == "creating" and time.monotonic() < deadline:
        time.sleep(_POLL)
        backup = cinder.backup(ctx.openstack, backup_id)
    reason = str(backup.get("fail_reason") or "")
    if backup.get("status") == "error" and "service not found" in reason.lower():
        raise RequestRefused(
            501,
            "This cloud has no backup service (cinder-backup): backups are not available "
            f"(cinder: {reason})",
        )
    if backup.get("status") == "error":
        raise RequestRefused(409, f"cinder could not back up storage {volume_id}: {reason}")


def _run(ctx: Context, volume: dict[str, Any], action: Action, params: dict[str, Any]) -> None:
    volume_id = str(volume["id"])
    name = str(params.get("name") or volume.get("name") or volume_id)
    if action.term == "online":
        state = storage_state(str(volume.get("status") or ""))
        if state.state != ONLINE:
            raise RequestRefused(
                409, f"Storage {volume_id} is {state.state}: {state.message} (cinder decides)"
            )
    elif action.term == "offline":
        raise RequestRefused(501, "cinder cannot take a volume offline: offline is not supported")
    elif action.term == "snapshot":
        with storage_links.refusals(storage.not_found(volume_id), f"Cannot snapshot {volume_id}"):
            cinder.create_snapshot(ctx.openstack, volume_id, name)
    elif action.term == "backup":
        _backup(ctx, volume_id, name)
    elif action.term == "resize":
        _extend(ctx, volume_id, _new_size(volume, params["size"]))
    else:  # pragma: no cover - actions() lists only the terms above
        raise AssertionError(action.type_id)


def _act(ctx: Context, volume_id: str, term: str) -> webob.Response:
    action, params = _resolve(ctx, term)
    volume = storage.find_volume(ctx, volume_id)
    _run(ctx, volume, action, params)
    return ctx.respond(ctx.renderer.empty())


# --- Update and replace ---------------------------------------------------------------------


def _change(ctx: Context, purpose: Purpose) -> webob.Response:
    volume_id = ctx.params["id"]
    registry = discovery.registry(ctx)
    kind = registry.kind(infra.STORAGE.type_id)
    doc = ctx.parse("parse_entity")
    if purpose == "replace":
        doc.links = []  # the storage's attachments, echoed from GET: not acted on
    resolved = resolve_entity(doc, registry, kind=kind, purpose=purpose)
    if resolved.links:
        raise InvalidInput("A storage update cannot carry links: use POST /storagelink/")
    volume = storage.find_volume(ctx, volume_id)
    volume_type = resolved.template(openstack.VOLUME_TYPE)
    if volume_type is not None and volume_type.title != volume.get("volume_type"):
        raise InvalidInput(
            f"The volume type of storage {volume_id} cannot be changed (retype is not supported)"
        )
    rename: dict[str, Any] = {}
    if resolved.title is not None and resolved.title != volume.get("name"):
        rename["name"] = resolved.title
    if resolved.summary is not None and resolved.summary != volume.get("description"):
        rename["description"] = resolved.summary
    size = _new_size(volume, resolved.attributes[_SIZE]) if _SIZE in resolved.attributes else None
    if rename:
        with storage_links.refusals(storage.not_found(volume_id), f"Cannot rename {volume_id}"):
            cinder.update_volume(ctx.openstack, volume_id, rename)
    _extend(ctx, volume_id, size)
    # User mixins: an update adds the ones it names, a replace keeps exactly those.
    current = user_mixins.carried(ctx, infra.STORAGE, volume)
    user_mixins.change_carried(
        ctx, infra.STORAGE, volume_id, current, resolved.mixins, replace=purpose == "replace"
    )
    return ctx.respond(ctx.renderer.resource(storage.describe(ctx, volume_id)))


def update_or_act(ctx: Context) -> webob.Response:
    """POST on one storage: a partial update, or ``?action=``."""
    term = ctx.request.GET.get("action")
    if term is not None:
        return _act(ctx, ctx.params["id"], term)
    return _change(ctx, "update")


def replace(ctx: Context) -> webob.Response:
    """PUT on one storage: its mutable attributes (title, summary, size) as given."""
    return _change(ctx, "replace")
