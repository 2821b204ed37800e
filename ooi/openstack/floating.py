"""Floating IPs that ooi allocates for computes, and releasing them with their compute.

Decisions:
- ooi marks every floating IP it allocates for a compute with the neutron description
  ``MARK + server id`` (set in the same call that allocates it). Deleting the compute, or the
  link, releases exactly the marked ones: an address the project reserved itself (an
  ipreservation, or one made outside ooi) is only disassociated and stays the project's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ooi.openstack import neutron
from ooi.openstack.client import OpenStack
from ooi.openstack.errors import BackendError

MARK = "ooi: public IP of compute "


def mark(server_id: str) -> str:
    return MARK + server_id


def is_ours(floating_ip: Mapping[str, Any], server_id: str) -> bool:
    """Whether ooi allocated ``floating_ip`` for the compute ``server_id``."""
    return floating_ip.get("description") == mark(server_id)


def release(os: OpenStack, floating_ip_id: str) -> None:
    """Release a floating IP; one already gone is what was asked for."""
    try:
        neutron.delete_floating_ip(os, floating_ip_id)
    except BackendError as exc:
        if exc.status != 404:
            raise


def release_for(
    os: OpenStack,
    server_ids: Iterable[str],
    floating_ips: Sequence[Mapping[str, Any]] | None = None,
) -> int:
    """Release the floating IPs ooi allocated for the given computes (``floating_ips``: the
    project's, when the caller has them already); how many."""
    wanted = set(server_ids)
    if not wanted or not os.has("network"):
        return 0
    known = neutron.floating_ips(os) if floating_ips is None else floating_ips
    ours = [f for f in known if any(is_ours(f, s) for s in wanted)]
    if len(ours) > 1:
        os.parallel(**{f"f{i}": (lambda f=f: release(os, f["id"])) for i, f in enumerate(ours)})
    elif ours:
        release(os, ours[0]["id"])
    return len(ours)
