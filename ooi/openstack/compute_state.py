"""A nova server's state as OCCI sees it: the compute state, its message, and the actions
nova would accept now.

nova describes a server by ``status`` (derived from its vm_state and task_state), the
``OS-EXT-STS:*`` fields and, in ERROR, a ``fault``. OCCI 1.2 has four states (active, inactive,
suspended, error) and a free-text ``occi.compute.state.message``; 1.1 has no ``error`` and no
message.

Decisions:
- A server with a task under way (``OS-EXT-STS:task_state`` set: spawning, rebooting,
  resize_migrating, ...) keeps the state it is in and carries the task as its message; it has no
  applicable actions, since nova refuses every action while a task runs (409).
- BUILD is ``inactive`` (not running yet); REBOOT, HARD_REBOOT, REBUILD, RESIZE, MIGRATING,
  REVERT_RESIZE, PASSWORD and RESCUE follow the power state (running → active, else inactive).
- VERIFY_RESIZE follows the power state too, with the message "resized, awaiting confirmation".
- SHELVED and SHELVED_OFFLOADED are ``inactive`` (message "shelved"); PAUSED is ``suspended``.
- ERROR is ``error`` with nova's fault message; in OCCI 1.1 it is ``inactive`` (see
  ``for_version``).
- A server being deleted (task_state deleting, status DELETED or SOFT_DELETED) is ``gone``: the
  API answers 404 for it, as it will a moment later.
- Actions follow nova's ``check_instance_state`` in nova/compute/api.py: stop from ACTIVE (and
  ERROR), start from SHUTOFF (os-start), SUSPENDED (resume) and PAUSED (unpause), restart from
  ACTIVE (soft reboot) and ERROR (hard reboot), suspend from ACTIVE, save from ACTIVE, SHUTOFF,
  PAUSED and SUSPENDED. A server in ERROR that never ran (no ``OS-SRV-USG:launched_at``, e.g.
  NoValidHost) has no actions: nova refuses them with "Instance has not been launched".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ACTIVE = "active"
INACTIVE = "inactive"
SUSPENDED = "suspended"
ERROR = "error"

# nova's power_state values (nova/compute/power_state.py).
_RUNNING = 1

# nova status → OCCI state, where the status alone decides.
_BY_STATUS: Mapping[str, str] = {
    "ACTIVE": ACTIVE,
    "SHUTOFF": INACTIVE,
    "STOPPED": INACTIVE,
    "BUILD": INACTIVE,
    "SHELVED": INACTIVE,
    "SHELVED_OFFLOADED": INACTIVE,
    "SUSPENDED": SUSPENDED,
    "PAUSED": SUSPENDED,
    "ERROR": ERROR,
}

# Statuses in the middle of a change: the power state tells whether it runs.
_TRANSITIONAL = frozenset(
    {
        "REBOOT",
        "HARD_REBOOT",
        "REBUILD",
        "RESIZE",
        "VERIFY_RESIZE",
        "REVERT_RESIZE",
        "MIGRATING",
        "PASSWORD",
        "RESCUE",
        "UNKNOWN",
    }
)

_MESSAGES: Mapping[str, str] = {
    "BUILD": "building",
    "SHELVED": "shelved",
    "SHELVED_OFFLOADED": "shelved",
    "PAUSED": "paused",
    "VERIFY_RESIZE": "resized, awaiting confirmation",
    "RESCUE": "rescued",
    "UNKNOWN": "nova does not know the state of this server",
}

# Actions (terms) nova accepts per status when no task is under way.
_ACTIONS: Mapping[str, tuple[str, ...]] = {
    "ACTIVE": ("stop", "restart", "suspend", "save"),
    "SHUTOFF": ("start", "save"),
    "STOPPED": ("start", "save"),
    "SUSPENDED": ("start", "save"),
    "PAUSED": ("start", "save"),
    "ERROR": ("stop", "restart"),
}

_GONE_STATUSES = frozenset({"DELETED", "SOFT_DELETED"})


@dataclass(frozen=True)
class ComputeState:
    state: str
    message: str | None
    # Terms of the compute actions nova accepts now (start, stop, restart, suspend, save).
    actions: tuple[str, ...]

    def for_version(self, version: str) -> ComputeState:
        """The state an OCCI ``version`` client can read: 1.1 has no ``error`` state."""
        if version == "1.1" and self.state == ERROR:
            return ComputeState(INACTIVE, self.message, self.actions)
        return self


def is_gone(server: Mapping[str, Any]) -> bool:
    """True for a server nova is deleting or has deleted: it is shown as not found."""
    status = str(server.get("status") or "").upper()
    task = server.get("OS-EXT-STS:task_state")
    return status in _GONE_STATUSES or task in ("deleting", "soft-deleting")


def _fault_message(server: Mapping[str, Any]) -> str:
    fault = server.get("fault") or {}
    message = fault.get("message") if isinstance(fault, Mapping) else None
    return str(message) if message else "nova put the server in ERROR without a reason"


def compute_state(server: Mapping[str, Any]) -> ComputeState:
    """The OCCI 1.2 state of a nova server (as ``GET /servers/{id}`` renders it)."""
    status = str(server.get("status") or "UNKNOWN").upper()
    task = server.get("OS-EXT-STS:task_state")
    running = server.get("OS-EXT-STS:power_state") == _RUNNING

    if status in _BY_STATUS:
        state = _BY_STATUS[status]
    elif status in _TRANSITIONAL:
        state = ACTIVE if running else INACTIVE
    else:
        state = INACTIVE

    if status == "ERROR":
        message: str | None = _fault_message(server)
    elif task:
        message = str(task)
    else:
        message = _MESSAGES.get(status)

    if task:
        actions: tuple[str, ...] = ()
    elif status == "ERROR" and not server.get("OS-SRV-USG:launched_at"):
        actions = ()
    else:
        actions = _ACTIONS.get(status, ())
    return ComputeState(state, message, actions)
