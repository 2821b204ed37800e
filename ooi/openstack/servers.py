"""nova calls that change servers: boot, actions, rename, and the keypairs a boot may need.

Reads are nova.py's. Microversions are pinned per call: 2.1 for what nova has always done the
same way; 2.19 for boot and rename (a description; a boot without ``networks`` still lets nova
choose the project's only network, or answer 409 "Multiple possible networks found", which
clients such as IM answer by retrying with explicit links); 2.45 for ``createImage`` (the new
image id in the body, not a Location header to parse).
"""

from __future__ import annotations

import time
from typing import Any

from ooi.openstack import nova
from ooi.openstack.client import OpenStack
from ooi.openstack.errors import BackendError
from ooi.openstack.transport import check

# Boot and rename speak 2.19: a server description (OCCI's summary); networks stay optional.
DESCRIBED = "2.19"
CREATE_IMAGE = "2.45"  # createImage answers {"image_id": ...}
HOSTNAME = "2.90"  # a hostname apart from the name, at boot and in an update
TAGGED_BOOT = "2.52"  # tags in the boot request (user mixins)
TAGS = "2.26"  # a server's tags, one by one

# A resize is asynchronous: RESIZE -> VERIFY_RESIZE. How long a request may wait for it.
RESIZE_WAIT = 60.0
_POLL = 0.5


def create(os: OpenStack, server: dict[str, Any]) -> str:
    """Boot a server from a ``server`` request body (nova 2.1 schema); its id.

    A body with a ``hostname`` speaks 2.90, where nova takes one apart from the name (and
    ``networks`` is required: "auto", nova's own choice, unless the body has some); an older
    nova cannot, which is the client's 400, not a silently different hostname.
    """
    microversion = DESCRIBED
    if "hostname" in server:
        microversion = HOSTNAME
    elif "tags" in server:
        microversion = TAGGED_BOOT
    if microversion != DESCRIBED:  # from 2.37 on, nova wants ``networks`` said
        server = {"networks": "auto", **server}
    resp = os.request(
        "compute",
        "POST",
        "/servers",
        body={"server": server},
        headers=nova.headers(microversion),
    )
    if resp.status == 406 and microversion == HOSTNAME:
        raise BackendError(
            "nova",
            400,
            "nova: this cloud cannot give a server a hostname other than its name (that needs "
            "compute API 2.90): leave occi.compute.hostname out, or make it the title",
        )
    if resp.status == 406:
        raise BackendError(
            "nova", 400, "nova: this cloud cannot tag servers (compute API 2.52): no user mixins"
        )
    return str(check(resp, "compute", "creating a server").body["server"]["id"])


def action(
    os: OpenStack,
    server_id: str,
    name: str,
    argument: Any = None,
    microversion: str = nova.MICROVERSION,
) -> Any:
    """``POST /servers/{id}/action`` with ``{name: argument}``; nova's answer body (or None)."""
    return os.call(
        "compute",
        "POST",
        f"/servers/{server_id}/action",
        f"{name} on server {server_id}",
        body={name: argument},
        headers=nova.headers(microversion),
    )


def create_image(os: OpenStack, server_id: str, name: str) -> str:
    """Snapshot a server into a new image named ``name``; the image id."""
    body = action(os, server_id, "createImage", {"name": name}, CREATE_IMAGE)
    return str(body["image_id"])


def rename(
    os: OpenStack,
    server_id: str,
    name: str | None = None,
    description: str | None = None,
    hostname: str | None = None,
) -> None:
    """Change the name, description and/or hostname of a server (a hostname needs 2.90: an
    older nova's answer is a 400 saying so)."""
    change: dict[str, str] = {}
    if name is not None:
        change["name"] = name
    if description is not None:
        change["description"] = description
    if hostname is not None:
        change["hostname"] = hostname
    microversion = HOSTNAME if hostname is not None else DESCRIBED
    resp = os.request(
        "compute",
        "PUT",
        f"/servers/{server_id}",
        body={"server": change},
        headers=nova.headers(microversion),
    )
    if resp.status == 406 and hostname is not None:
        raise BackendError(
            "nova",
            400,
            "nova: this cloud cannot change the hostname of a server (that needs compute API "
            "2.90): change occi.core.title to rename it",
        )
    check(resp, "compute", f"renaming server {server_id}")


def resize_and_confirm(
    os: OpenStack, server_id: str, flavor_id: str, wait: float = RESIZE_WAIT
) -> None:
    """Resize to ``flavor_id``, wait (bounded) for VERIFY_RESIZE, then confirm.

    nova's resize is asynchronous; OCCI's is not, so the request waits. A server that ends in
    ERROR or does not get there in ``wait`` seconds is a failure with nova's reason.
    """
    action(os, server_id, "resize", {"flavorRef": flavor_id})
    deadline = time.monotonic() + wait
    while True:
        server = nova.server(os, server_id)
        status = server.get("status")
        if status == "VERIFY_RESIZE":
            break
        if status == "ERROR" or (status == "ACTIVE" and not server.get("OS-EXT-STS:task_state")):
            # ACTIVE with no task: nova gave up on the resize (e.g. no host) and reverted.
            fault = (server.get("fault") or {}).get("message") or "the resize did not happen"
            raise BackendError("nova", 409, f"nova: resizing server {server_id} failed: {fault}")
        if time.monotonic() > deadline:
            raise BackendError(
                "nova",
                504,
                f"nova: server {server_id} did not finish resizing in {wait:.0f} s "
                f"(status {status}); it still may, then confirm by repeating the request",
            )
        time.sleep(_POLL)
    action(os, server_id, "confirmResize")


def create_keypair(os: OpenStack, name: str, public_key: str) -> None:
    """Import ``public_key`` as keypair ``name`` (nova: 409 when the name is taken)."""
    os.call(
        "compute",
        "POST",
        "/os-keypairs",
        f"importing keypair {name}",
        body={"keypair": {"name": name, "public_key": public_key}},
        headers=nova.headers(),
    )


def delete_keypair(os: OpenStack, name: str) -> None:
    os.call(
        "compute",
        "DELETE",
        f"/os-keypairs/{name}",
        f"deleting keypair {name}",
        headers=nova.headers(),
    )


def tag(os: OpenStack, server_id: str, tag: str) -> None:
    """Add ``tag`` to a server (nova: 409 while the server is building or busy)."""
    os.call(
        "compute",
        "PUT",
        f"/servers/{server_id}/tags/{tag}",
        f"tagging server {server_id}",
        headers=nova.headers(TAGS),
    )


def tagged(os: OpenStack, tag: str) -> list[str]:
    """The ids of the project's servers that carry ``tag``."""
    body = os.call(
        "compute",
        "GET",
        "/servers",
        "listing tagged servers",
        params={"tags": tag},
        headers=nova.headers(TAGS),
    )
    return [str(s["id"]) for s in body.get("servers", [])]


def untag(os: OpenStack, server_id: str, tag: str) -> None:
    """Remove ``tag`` from a server; a tag it does not have is no error."""
    try:
        os.call(
            "compute",
            "DELETE",
            f"/servers/{server_id}/tags/{tag}",
            f"untagging server {server_id}",
            headers=nova.headers(TAGS),
        )
    except BackendError as exc:
        if exc.status != 404:
            raise
