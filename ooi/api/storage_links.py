"""Storage links (``storagelink`` links, ``/storagelink/``): how a compute's volume attachments
render as links, and what inline storage links in a compute create ask of nova.

Decisions:
- A storage link's id is ``{server id}_{volume id}`` (as the original ooi), its target
  ``storage/{volume id}``.
- Inline storage links in a compute create answer 501 for now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ooi.api.boot_links import BootLinks
from ooi.api.context import Context
from ooi.api.negotiation import RequestRefused
from ooi.occi import catalog
from ooi.occi import infrastructure as infra
from ooi.occi.model import Kind, Link
from ooi.occi.validation import ResolvedLink


def _kind(version: str, kind: Kind) -> Kind:
    found = catalog.static_categories(version).kind(kind.type_id)
    assert found is not None  # every version's catalog has the infrastructure kinds
    return found


def of_server(version: str, server_id: str, attachments: Sequence[Mapping[str, Any]]) -> list[Link]:
    compute = _kind(version, infra.COMPUTE)
    kind = _kind(version, infra.STORAGELINK)
    storage = _kind(version, infra.STORAGE)
    links = []
    for attachment in attachments:
        volume_id = str(attachment.get("volumeId") or attachment.get("id"))
        attributes: dict[str, Any] = {"occi.storagelink.state": "active"}
        if attachment.get("device"):
            attributes["occi.storagelink.deviceid"] = str(attachment["device"])
        links.append(
            Link(
                kind=kind,
                id=f"{server_id}_{volume_id}",
                attributes=attributes,
                source=f"{compute.location}{server_id}",
                source_kind=compute,
                target=f"{storage.location}{volume_id}",
                target_kind=storage,
            )
        )
    return links


# --- Inline links at compute create ---------------------------------------------------------


def inline_plan(ctx: Context, links: Sequence[ResolvedLink]) -> BootLinks:
    """What the inline ``storagelink`` links of a compute create (maybe none) add to it."""
    if links:
        raise RequestRefused(
            501,
            f"Storage links at creation are not supported yet (link to {links[0].target}): "
            "create the compute, then link the storage with POST /storagelink/",
        )
    return BootLinks()
