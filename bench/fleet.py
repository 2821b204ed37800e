"""The bench's own project on the box and the computes it measures, made and taken away.

The bench works in a project of its own (`ooi-bench`, with a member user, a private network
and a router to `public`), never in the tests' `demo` and `alt_demo`: its hundreds of servers
must not slow or confuse the tests of the engineers sharing the box, and its listings must count
only its own servers. Servers are booted through nova directly (batches with `min_count`); every
fifth gets a 1 GB volume and a floating IP, so that links are part of what is read.
`Fleet.teardown` deletes everything in the project and then the project itself; it also
cleans up after an earlier run that was killed.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from ooi.cloud.client import Client, HTTPFailure, token
from ooi.cloud.seed import IMAGE_NAME
from ooi.cloud.settings import Box
from ooi.openstack.nova import READ_MICROVERSIONS
from tests.cloud.waiting import until

PROJECT = "ooi-bench"
CIDR = "10.0.8.0/21"  # room for 200 servers and more
BATCH = 10  # servers building at once
MAX_FAILED = 20
WITH_LINKS_EVERY = 5
RESTART_GRACE = 180
NOVA_HEADERS = {"OpenStack-API-Version": f"compute {READ_MICROVERSIONS[0]}"}


def patiently(call: Callable[..., Any], *args: Any) -> Any:
    """`call(*args)`, waiting out a service restart (others restart the shared box's nova with
    their changes): connection errors are retried for RESTART_GRACE seconds."""
    deadline = time.monotonic() + RESTART_GRACE
    while True:
        try:
            return call(*args)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


class PatientClient(Client):
    def call(self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = ()) -> Any:
        return patiently(super().call, method, path, body, ok)


def server_body(fleet: Fleet, name: str, count: int = 1) -> dict[str, Any]:
    """nova's create body for `count` servers of the bench's image, flavor and network."""
    server = {
        "name": name,
        "imageRef": fleet.image_id,
        "flavorRef": fleet.flavor_id,
        "networks": [{"uuid": fleet.network_id}],
    }
    if count > 1:
        server.update(min_count=count, max_count=count)
    return {"server": server}


@dataclass
class Fleet:
    """The bench project: its token, the services' URLs for it, and its servers."""

    box: Box
    say: Callable[[str], None] = print
    token: str = ""
    project_id: str = ""
    image_id: str = ""
    flavor_id: str = "1"
    public_id: str = ""
    network_id: str = ""
    servers: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # servers with a volume and a floating IP
    acting: list[str] = field(default_factory=list)  # servers of the action workload

    # -- clients -----------------------------------------------------------------------------
    def _admin(self, service: str, path: str) -> Client:
        tok, _ = patiently(token, self.box.auth_url, "admin", self.box.password("admin"), "admin")
        return PatientClient(self.box.url(service) + path, tok)

    @property
    def urls(self) -> dict[str, str]:
        """The direct OpenStack endpoints, for the floor's calls."""
        return {
            "nova": self.box.url("nova") + "/v2.1",
            "neutron": self.box.url("neutron") + "/v2.0",
            "cinder": self.box.url("cinder") + f"/v3/{self.project_id}",
            "glance": self.box.url("glance") + "/v2",
        }

    def client(self, service: str) -> Client:
        headers = NOVA_HEADERS if service == "nova" else None
        return PatientClient(self.urls[service], self.token, headers)

    # -- the project -------------------------------------------------------------------------
    def open(self) -> None:
        """Finds or makes the project, its user (a fresh password), network and router."""
        ks = self._admin("keystone", "/v3")
        project = ks.find("/projects", "projects", PROJECT)
        if project is None:
            body = {"project": {"name": PROJECT, "domain_id": "default", "enabled": True}}
            project = ks.post("/projects", body)["project"]
        self.project_id = project["id"]
        # A fresh user each run, not a new password: keystone revokes a user's tokens on a
        # password change, to the second, which also voids a token issued in that second.
        old = ks.find("/users", "users", PROJECT)
        if old is not None:
            ks.call("DELETE", f"/users/{old['id']}", ok=(404,))
        password = secrets.token_urlsafe(16)
        body = {"user": {"name": PROJECT, "password": password, "domain_id": "default"}}
        user = ks.post("/users", body)["user"]
        role = ks.find("/roles", "roles", "member")
        assert role, "the box has no member role"
        ks.put(f"/projects/{self.project_id}/users/{user['id']}/roles/{role['id']}")
        self.token, _ = patiently(token, self.box.auth_url, PROJECT, password, PROJECT)
        glance = self._admin("glance", "/v2")
        image = glance.find("/images", "images", IMAGE_NAME)
        assert image, "the box has no image"
        self.image_id = image["id"]
        neutron = self.client("neutron")
        public = neutron.find("/networks", "networks", "public")
        assert public, "the box has no public network"
        self.public_id = public["id"]
        net = neutron.find("/networks", "networks", "bench")
        if net is None:
            net = neutron.post("/networks", {"network": {"name": "bench"}})["network"]
        if not net["subnets"]:
            body = {"subnet": {"network_id": net["id"], "ip_version": 4, "cidr": CIDR}}
            subnet = neutron.post("/subnets", body)["subnet"]
            gateway = {"network_id": self.public_id}
            body = {"router": {"name": "bench", "external_gateway_info": gateway}}
            router = neutron.post("/routers", body)["router"]
            neutron.put(
                f"/routers/{router['id']}/add_router_interface", {"subnet_id": subnet["id"]}
            )
        self.network_id = net["id"]
        self.servers = [s["id"] for s in self.client("nova").get("/servers")["servers"]]

    # -- servers -----------------------------------------------------------------------------
    def grow(self, n: int) -> None:
        """Boots servers until the project has `n`, all ACTIVE; every fifth gets links.

        A server that ends in ERROR (a build cut short when someone restarts the shared box's
        nova) is deleted and booted again, up to MAX_FAILED times in all.
        """
        nova = self.client("nova")
        failed = 0
        deadline = time.monotonic() + 60 + 10 * n
        while True:
            servers = nova.get("/servers/detail")["servers"]
            broken = [s for s in servers if s["status"] == "ERROR"]
            for server in broken:
                self.say(f"  server {server['id']} in ERROR: {server.get('fault')}; again")
                nova.call("DELETE", f"/servers/{server['id']}", ok=(404, 409))
            failed += len(broken)
            if failed > MAX_FAILED:
                raise RuntimeError(f"{failed} servers ended in ERROR")
            ready = sorted(
                s["id"]
                for s in servers
                if s["status"] == "ACTIVE" and not s["OS-EXT-STS:task_state"]
            )
            building = len(servers) - len(ready) - len(broken)
            if len(ready) >= n:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(ready)} of {n} servers ACTIVE in time")
            missing = min(BATCH - building, n - len(ready) - building)
            if missing > 0:
                body = server_body(self, f"bench-{len(servers)}", missing)
                nova.post("/servers", body)
            if len(ready) // BATCH != len(self.servers) // BATCH:
                self.say(f"  {len(ready)} servers ACTIVE")
            self.servers = ready
            time.sleep(1)
        self.servers = ready
        self.say(f"  {len(ready)} servers ACTIVE")
        self._link(self.servers[: (n + WITH_LINKS_EVERY - 1) // WITH_LINKS_EVERY])

    def boot_acting(self, count: int) -> None:
        """`count` fresh servers for the action workload, one per client. Fresh, because the
        box's fake compute forgets its servers when nova restarts (others restart it with
        their changes), and an action on a server it forgot ends in ERROR."""
        nova = self.client("nova")
        for server_id in self.acting:
            nova.call("DELETE", f"/servers/{server_id}", ok=(404, 409))
        body = server_body(self, "bench-acting", count)
        body["server"]["return_reservation_id"] = True
        listing = f"/servers/detail?reservation_id={nova.post('/servers', body)['reservation_id']}"

        def probe() -> list[str] | None:
            found = nova.get(listing)["servers"]
            if any(s["status"] == "ERROR" for s in found):
                raise RuntimeError("a server of the action workload ended in ERROR")
            ready = [s["id"] for s in found if s["status"] == "ACTIVE"]
            return ready if len(ready) >= count else None

        self.acting = until(f"{count} servers to act on", probe, timeout=300)

    def _link(self, servers: list[str]) -> None:
        """A 1 GB volume attached and a floating IP on each of `servers` that lacks them."""
        nova, neutron, cinder = (self.client(s) for s in ("nova", "neutron", "cinder"))
        fips = {f["port_id"] for f in neutron.get("/floatingips")["floatingips"]}
        attached = {
            a["server_id"]
            for v in cinder.get("/volumes/detail")["volumes"]
            for a in v["attachments"]
        }
        for server_id in servers:
            if server_id not in attached:
                body = {"volume": {"size": 1, "name": f"bench-{server_id[:8]}"}}
                volume = cinder.post("/volumes", body)["volume"]
                self._volume_status(volume["id"], "available")
                attach = {"volumeAttachment": {"volumeId": volume["id"]}}
                nova.post(f"/servers/{server_id}/os-volume_attachments", attach)
                self._volume_status(volume["id"], "in-use")
            ports = neutron.get(f"/ports?device_id={server_id}")["ports"]
            if ports and ports[0]["id"] not in fips:
                body = {"floatingip": {"floating_network_id": self.public_id}}
                body["floatingip"]["port_id"] = ports[0]["id"]
                neutron.post("/floatingips", body)
        self.linked = list(servers)

    def _volume_status(self, volume_id: str, status: str) -> None:
        cinder = self.client("cinder")

        def probe() -> bool:
            found = cinder.get(f"/volumes/{volume_id}")["volume"]["status"]
            if found == "error":
                raise RuntimeError(f"volume {volume_id} in error")
            return found == status

        until(f"volume {volume_id} {status}", probe, timeout=120)

    # -- tear-down ---------------------------------------------------------------------------
    def teardown(self) -> None:
        """Deletes everything in the bench project, then the project and its user."""
        if not self.token:
            return
        nova, neutron, cinder = (self.client(s) for s in ("nova", "neutron", "cinder"))
        for fip in neutron.get("/floatingips")["floatingips"]:
            neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))
        for server in nova.get("/servers")["servers"]:
            nova.call("DELETE", f"/servers/{server['id']}", ok=(404, 409))
        until("no servers", lambda: not nova.get("/servers")["servers"], timeout=900)
        self.servers = []
        for volume in cinder.get("/volumes/detail")["volumes"]:
            until(
                f"volume {volume['id']} detached",
                lambda v=volume: (
                    cinder.get(f"/volumes/{v['id']}")["volume"]["status"] in ("available", "error")
                ),
                timeout=300,
            )
            cinder.call("DELETE", f"/volumes/{volume['id']}", ok=(404,))
        until("no volumes", lambda: not cinder.get("/volumes")["volumes"], timeout=300)
        for router in neutron.get(f"/routers?project_id={self.project_id}")["routers"]:
            for port in neutron.get(f"/ports?device_id={router['id']}")["ports"]:
                if port["device_owner"] == "network:router_interface":
                    body = {"port_id": port["id"]}
                    neutron.put(f"/routers/{router['id']}/remove_router_interface", body)
            neutron.call("DELETE", f"/routers/{router['id']}", ok=(404,))
        for net in neutron.get(f"/networks?project_id={self.project_id}")["networks"]:
            neutron.call("DELETE", f"/networks/{net['id']}", ok=(404,))
        # The project's default group (neutron made it) goes too; only an admin deletes it.
        admin = self._admin("neutron", "/v2.0")
        groups = admin.get(f"/security-groups?project_id={self.project_id}")
        for group in groups["security_groups"]:
            admin.call("DELETE", f"/security-groups/{group['id']}", ok=(404, 409))
        ks = self._admin("keystone", "/v3")
        user = ks.find("/users", "users", PROJECT)
        if user:
            ks.call("DELETE", f"/users/{user['id']}", ok=(404,))
        ks.call("DELETE", f"/projects/{self.project_id}", ok=(404,))
        self.token = ""


__all__ = ["Fleet", "HTTPFailure"]
