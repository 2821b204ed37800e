"""The kinds whose entities carry user mixins, and how each keeps them: one small adapter per
kind, so that defining, applying, listing and deleting user mixins is one mechanism.

A user mixin's members are marked with its tag (``store.UserMixin.tag``, ``ooi-<hex>``):
- computes: a nova server tag (compute API 2.26);
- storages: a cinder volume metadata item, the tag as key and the mixin's type identifier as
  value (cinder volumes have no tags; the value tells other tools what the key means);
- networks: a neutron tag (``standard-attr-tag``).
Each adapter answers which entities carry a tag (one call), adds and removes it on one entity,
and reads the tags from the entity as the listing already fetched it (no extra call).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ooi import store
from ooi.occi import infrastructure as infra
from ooi.occi.model import Kind
from ooi.openstack import cinder, neutron, servers
from ooi.openstack.client import OpenStack


@dataclass(frozen=True)
class Carrier:
    kind: Kind
    service: str  # the catalog service the entities live in
    tagged: Callable[[OpenStack, str], list[str]]  # (os, tag) → ids carrying it
    add: Callable[[OpenStack, str, store.UserMixin], None]  # (os, id, definition)
    remove: Callable[[OpenStack, str, store.UserMixin], None]
    tags: Callable[[Mapping[str, Any]], Sequence[str]]  # the OpenStack resource → its tags


def _tagged_volumes(os: OpenStack, tag: str) -> list[str]:
    return [str(v["id"]) for v in cinder.volumes_detail(os) if tag in (v.get("metadata") or {})]


def volume_metadata(definition: store.UserMixin) -> dict[str, str]:
    """The metadata item that marks a volume as carrying ``definition``."""
    return {definition.tag: definition.type_id[:255]}  # cinder's values are at most 255 long


CARRIERS: tuple[Carrier, ...] = (
    Carrier(
        kind=infra.COMPUTE,
        service="compute",
        tagged=servers.tagged,
        add=lambda os, sid, d: servers.tag(os, sid, d.tag),
        remove=lambda os, sid, d: servers.untag(os, sid, d.tag),
        tags=lambda server: server.get("tags") or (),
    ),
    Carrier(
        kind=infra.STORAGE,
        service="volume",
        tagged=_tagged_volumes,
        add=lambda os, vid, d: cinder.set_metadata(os, vid, volume_metadata(d)),
        remove=lambda os, vid, d: cinder.delete_metadata(os, vid, d.tag),
        tags=lambda volume: list(volume.get("metadata") or ()),
    ),
    Carrier(
        kind=infra.NETWORK,
        service="network",
        tagged=neutron.tagged_networks,
        add=lambda os, nid, d: neutron.tag_network(os, nid, d.tag, add=True),
        remove=lambda os, nid, d: neutron.tag_network(os, nid, d.tag, add=False),
        tags=lambda network: network.get("tags") or (),
    ),
)

KINDS: tuple[Kind, ...] = tuple(c.kind for c in CARRIERS)


def carrier(kind: Kind) -> Carrier | None:
    """The adapter for entities of ``kind`` (any OCCI version's), None when they carry none."""
    return next((c for c in CARRIERS if c.kind.type_id == kind.type_id), None)


def available(os: OpenStack) -> list[Carrier]:
    """The adapters whose service this cloud has."""
    return [c for c in CARRIERS if os.has(c.service)]
