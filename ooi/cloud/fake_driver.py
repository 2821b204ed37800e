"""The box's virt driver: nova's single-node fake driver, with snapshots that finish.

nova's fake driver never uploads a snapshot's data, so the image `createImage` makes stays
`queued` in glance forever; a real driver uploads the disk and the image becomes `active`. This
one uploads a small raw disk, so that OCCI's `save` can be seen through to a usable os_tpl.
The fake driver also keeps a server's interfaces in memory only: after a restart of nova it
refuses to detach any of them (InterfaceDetachFailed); this one detaches what it does not know.
nova loads drivers only from its own namespace (`nova.virt.<name>`): the box's launcher
registers this module as `nova.virt.ooi_box`.
"""

from __future__ import annotations

import io
from typing import Any

from nova.image import glance
from nova.virt import fake

# A few blocks of zeros: glance checks that raw data is raw, not that it is a real disk.
_SNAPSHOT_BYTES = 64 * 1024


class BoxDriver(fake.FakeDriverWithoutFakeNodes):
    def snapshot(self, context: Any, instance: Any, image_id: str, update_task_state: Any) -> None:
        super().snapshot(context, instance, image_id, update_task_state)
        meta = {"disk_format": "raw", "container_format": "bare"}
        glance.API().update(
            context, image_id, meta, data=io.BytesIO(bytes(_SNAPSHOT_BYTES)), purge_props=False
        )

    def detach_interface(self, context: Any, instance: Any, vif: Any) -> None:
        # Interfaces plugged before nova restarted are not in the fake driver's memory.
        self._interfaces.pop(vif["id"], None)
