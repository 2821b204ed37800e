"""glance's image API v2."""

from __future__ import annotations

from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack

_PAGE = 1000


def images(os: OpenStack) -> list[dict[str, Any]]:
    """Active images the caller can boot: [{id, name, status, ...}], all pages."""
    if not os.has("image"):
        return [i for i in nova.images(os) if i["status"] == "active"]
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"status": "active", "limit": _PAGE}
    while True:
        body = os.call("image", "GET", "/v2/images", "listing images", params=params)
        page = body.get("images", [])
        found.extend(page)
        # glance pages by marker; a short page is the last one.
        if len(page) < _PAGE or not body.get("next"):
            return found
        params = {**params, "marker": page[-1]["id"]}
