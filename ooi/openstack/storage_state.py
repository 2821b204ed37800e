"""A cinder volume's state as OCCI sees it, per version, and the state of its attachments.

cinder describes a volume by ``status`` (available, in-use, creating, attaching, detaching,
extending, backing-up, error, ...). OCCI 1.2 storage has three states (online, offline, error)
and ``occi.storage.state.message``; 1.1 has six (online, offline, backup, snapshot, resize,
degraded) and no message.

Decisions:
- available and in-use are ``online``: the volume can be used (in-use: by a compute).
- Any other status that is not an error is ``offline``, with what cinder is doing as the
  message (creating, attaching, ...). In 1.1, backing-up is ``backup`` and extending is
  ``resize``; cinder has no status for a snapshot being taken (the volume stays available), so
  1.1's ``snapshot`` and ``degraded`` are never rendered.
- error* statuses are ``error`` in 1.2 with cinder's status as the message; 1.1 has no error:
  ``offline``, and the message goes to the summary (as for computes).
- An attachment (cinder's attachments API) reserved or attaching is an ``inactive`` link,
  attached is ``active``, error_attaching / error_detaching is ``error`` (1.1: ``inactive``);
  a detached attachment is no link at all.
- A volume lists its attached attachments only; its status tells whether others are under
  way (``attachments_unsettled``): cinder moves it to reserved (an attachment is made),
  attaching (being connected), detaching (being let go) and back to in-use or available when
  that settles; older clouds also leave error_attaching / error_detaching. In any other status
  the volume alone says all. cinder's status leaves out failed attachments next to a settled
  one (cinder/db/api.py ``_get_statuses_from_attachments``): those nova did not delete after
  its failed attach are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

ONLINE = "online"
OFFLINE = "offline"
ERROR = "error"

_ONLINE_STATUSES = frozenset({"available", "in-use"})

# What cinder is doing, for the message of an offline volume.
_DOING = {
    "creating": "being created",
    "attaching": "being attached",
    "detaching": "being detached",
    "reserved": "reserved for an attachment",
    "downloading": "receiving an image",
    "uploading": "being uploaded to an image",
    "backing-up": "being backed up",
    "restoring-backup": "being restored from a backup",
    "extending": "being extended",
    "retyping": "changing its volume type",
    "maintenance": "in maintenance",
    "awaiting-transfer": "awaiting a transfer",
    "deleting": "being deleted",
}

# 1.1's own states for some of cinder's statuses.
_STATES_11 = {"backing-up": "backup", "extending": "resize"}


@dataclass(frozen=True)
class StorageState:
    state: str
    message: str | None = None
    # The 1.1 rendering of the same status.
    state_11: str = OFFLINE

    def for_version(self, version: str) -> tuple[str, str | None]:
        """(state, message) as ``version`` renders them; in 1.1 the message is for the summary
        and is given only for errors."""
        if version == "1.1":
            return self.state_11, self.message if self.state == ERROR else None
        return self.state, self.message


def storage_state(volume_status: str) -> StorageState:
    """The OCCI state of a volume in cinder status ``volume_status``."""
    status = volume_status.lower()
    if status in _ONLINE_STATUSES:
        return StorageState(ONLINE, None, ONLINE)
    if status.startswith("error"):
        return StorageState(ERROR, f"cinder reports the volume in status {status}", OFFLINE)
    doing = _DOING.get(status, f"in status {status}")
    return StorageState(OFFLINE, f"The volume is {doing}", _STATES_11.get(status, OFFLINE))


# Volume statuses under which attachments exist that the volume does not list yet.
_UNSETTLED = frozenset({"reserved", "attaching", "detaching", "error_attaching", "error_detaching"})


def attachments_unsettled(volume_status: str) -> bool:
    """Whether a volume in ``volume_status`` may have attachments being made, removed or
    failed that its own ``attachments`` (attached ones only) do not show."""
    return volume_status.lower() in _UNSETTLED


ACTIVE = "active"
INACTIVE = "inactive"


def link_state(attach_status: str, version: str) -> tuple[str, str | None] | None:
    """(state, message) of a storage link from its cinder attachment status; None when the
    attachment is no link (detached)."""
    status = attach_status.lower()
    if status == "attached":
        return ACTIVE, None
    if status == "detached":
        return None
    if status.startswith("error"):
        message = f"cinder reports the attachment in status {status}"
        return (INACTIVE if version == "1.1" else ERROR), message
    return INACTIVE, f"The attachment is {status}"
