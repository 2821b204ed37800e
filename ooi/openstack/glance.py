"""glance's image API v2."""

from __future__ import annotations

from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack

_PAGE = 1000


# Images offered as templates: bootable ones, and snapshots still being saved (OCCI's `save`
# answers with the new template at once; booting it before it is active gets nova's 400).
OFFERED_STATUSES = frozenset({"active", "queued", "saving"})


def images(os: OpenStack) -> list[dict[str, Any]]:
    """The images the caller may boot, or soon may: [{id, name, status, ...}], all pages."""
    if not os.has("image"):
        return [i for i in nova.images(os) if i["status"] in OFFERED_STATUSES]
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": _PAGE}
    while True:
        body = os.call("image", "GET", "/v2/images", "listing images", params=params)
        page = body.get("images", [])
        found.extend(i for i in page if i.get("status") in OFFERED_STATUSES)
        # glance pages by marker; a short page is the last one.
        if len(page) < _PAGE or not body.get("next"):
            return found
        params = {**params, "marker": page[-1]["id"]}
