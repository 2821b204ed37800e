"""Public IPs for computes: which pool (external network) a floating IP comes from, and the
server port it is associated to.

Backend calls: ``GET /networks?router:external=true`` to choose the pool; the server's ports
(``GET /ports?device_id=``); ``POST /floatingips`` with ``port_id`` (allocation and association
in one call, marked as ooi's: ``ooi.openstack.floating``).

Decisions:
- The pool is the floating-IP-pool mixin of the link when it has one, else the external network
  the link targets by id, else the cloud's only external network; with several and no choice,
  409 listing the pool mixins to choose from.
- The port is the compute's first (``eth0``, the oldest); a compute without a port yet gets 409
  (or, at create, ooi waits for nova to make it, at most ``PORT_WAIT`` seconds).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from ooi.api.negotiation import RequestRefused
from ooi.occi import openstack
from ooi.occi.model import Mixin
from ooi.openstack import floating, neutron
from ooi.openstack.client import OpenStack

PORT_WAIT = 60.0
_POLL = 0.5


def _pool_name(mixin: Mixin) -> str:
    return mixin.title or openstack.raw_id(mixin.term)


def chosen_pool(mixins: Sequence[Mixin]) -> str | None:
    """The pool a link names by mixin, if any."""
    for mixin in mixins:
        if mixin.is_a(openstack.FLOATING_IP_POOL) and mixin != openstack.FLOATING_IP_POOL:
            return _pool_name(mixin)
    return None


def external_network(
    os: OpenStack, pool: str | None, network_id: str | None = None
) -> dict[str, Any]:
    """The external network a floating IP comes from (see the module's decisions)."""
    externals = neutron.networks(os, **{"router:external": "true"})
    if not externals:
        raise RequestRefused(409, "This cloud has no floating-IP pool (no external network)")
    if pool is not None:
        found = [n for n in externals if pool in (n.get("name"), n.get("id"))]
        if not found:
            raise RequestRefused(409, f"No floating-IP pool {pool}: {_offer(externals)}")
        return found[0]
    if network_id is not None:
        found = [n for n in externals if n.get("id") == network_id]
        if found:
            return found[0]
    if len(externals) > 1:
        raise RequestRefused(
            409, f"Several floating-IP pools: add one's mixin to the link. {_offer(externals)}"
        )
    return externals[0]


def _offer(externals: Sequence[Mapping[str, Any]]) -> str:
    mixins = [openstack.floating_ip_pool(str(n.get("name") or n["id"])) for n in externals]
    return "The pools are " + ", ".join(m.type_id for m in mixins)


def _first_port(os: OpenStack, server_id: str) -> dict[str, Any] | None:
    ports = neutron.ports_of(os, [server_id])
    ports.sort(key=lambda p: (str(p.get("created_at") or ""), str(p.get("id"))))
    return ports[0] if ports else None


def server_port(os: OpenStack, server_id: str, wait: float = 0.0) -> dict[str, Any]:
    """The compute's first port; waits up to ``wait`` seconds for nova to make it."""
    deadline = time.monotonic() + wait
    while True:
        port = _first_port(os, server_id)
        if port is not None:
            return port
        if time.monotonic() >= deadline:
            raise RequestRefused(
                409, f"Compute {server_id} has no network interface to give a public IP to"
            )
        time.sleep(_POLL)


def allocate(os: OpenStack, network: Mapping[str, Any], port_id: str, server_id: str) -> dict:
    """A new floating IP from ``network`` associated to ``port_id``, marked as ooi's."""
    return neutron.create_floating_ip(os, str(network["id"]), port_id, floating.mark(server_id))
