"""The categories an endpoint offers, per OCCI version, in the order of the query interface.

The order is the original ooi's (reference/original-ooi.md A6): kinds, then mixins, then
actions. Registries are built once per version; per-cloud mixins (images, flavors, pools, zones,
the neutron tag) go into a new registry made by ``with_extra``, so the static ones are never
changed.

Decisions:
- The 1.1 endpoint uses the 1.1 kinds (``COMPUTE_11`` ...) and still offers the 1.2 ``ssh_key``
  and ``user_data`` mixins, as extensions: they are plain mixins a 1.1 client can use, and
  clients send contextualization whatever version they announce.
- ``securitygroup`` and ``securitygrouplink`` are listed (the original defined them without
  listing them), so the API must serve their locations.
- ``floatingippool``, ``availability_zone`` and ``neutron`` are listed only when the cloud has
  pools, zones or neutron: ``with_extra`` adds a base mixin when one of its children is added.
"""

from __future__ import annotations

from collections.abc import Iterable

from ooi.occi import core
from ooi.occi import infrastructure as infra
from ooi.occi import openstack as os_
from ooi.occi.model import Action, Category, Kind, Mixin, Registry

VERSIONS = ("1.1", "1.2")

_KINDS_12: tuple[Kind, ...] = (
    core.ENTITY,
    core.RESOURCE,
    core.LINK,
    infra.COMPUTE,
    infra.STORAGE,
    infra.STORAGELINK,
    infra.NETWORK,
    infra.NETWORKINTERFACE,
    os_.IPRESERVATION,
    os_.SECURITYGROUP,
    os_.SECURITYGROUPLINK,
)
_KINDS_11: tuple[Kind, ...] = (
    core.ENTITY,
    core.RESOURCE,
    core.LINK_11,
    infra.COMPUTE_11,
    infra.STORAGE_11,
    infra.STORAGELINK_11,
    infra.NETWORK_11,
    infra.NETWORKINTERFACE_11,
    os_.IPRESERVATION_11,
    os_.SECURITYGROUP,
    os_.SECURITYGROUPLINK_11,
)
_MIXINS: tuple[Mixin, ...] = (
    infra.IPNETWORK,
    infra.IPNETWORKINTERFACE,
    infra.OS_TPL,
    infra.RESOURCE_TPL,
    os_.OPENSTACK_USER_DATA,
    os_.OPENSTACK_PUBLIC_KEY,
    infra.USER_DATA,
    infra.SSH_KEY,
    os_.OSNETWORK,
)


def _actions(kinds: Iterable[Kind]) -> list[Action]:
    seen: dict[str, Action] = {}
    for kind in kinds:
        for action in kind.actions:
            seen.setdefault(action.type_id, action)
    return list(seen.values())


def _build(version: str) -> Registry:
    kinds = _KINDS_12 if version == "1.2" else _KINDS_11
    extra = os_.STORAGE_ACTIONS_12 if version == "1.2" else ()
    return Registry([*kinds, *_MIXINS, *_actions(kinds), *extra])


_STATIC: dict[str, Registry] = {version: _build(version) for version in VERSIONS}


def _check_version(version: str) -> None:
    if version not in _STATIC:
        raise ValueError(f"unknown OCCI version {version!r}, expected one of {VERSIONS}")


def static_categories(version: str) -> Registry:
    """Every static kind, mixin and action of an OCCI ``version`` ("1.1" or "1.2") endpoint.

    The registry is shared: do not add to it, use ``with_extra``.
    """
    _check_version(version)
    return _STATIC[version]


def with_extra(version: str, mixins: Iterable[Mixin]) -> Registry:
    """A new registry: the static categories plus ``mixins`` (per-cloud templates, pools...)
    after the static mixins, each followed by the mixins it depends on that are not there yet;
    actions stay last."""
    _check_version(version)
    static = _STATIC[version]
    known = {c.type_id for c in static}
    extra: list[Mixin] = []
    for mixin in mixins:
        for dependency in mixin.dependencies():
            if dependency.type_id not in known:
                known.add(dependency.type_id)
                extra.append(dependency)
    ordered: list[Category] = [*static.kinds, *static.mixins, *extra, *static.actions]
    return Registry(ordered)
