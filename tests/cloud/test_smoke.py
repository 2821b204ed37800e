"""The box behaves as one cloud, checked through each service's own API over HTTP."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from ooi.cloud.client import Client

from . import waiting

pytestmark = pytest.mark.cloud


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Project:
    """One member project's view of the box."""

    def __init__(self, cloud: Any, name: str) -> None:
        self.id = cloud.projects[name].id
        self.nova = cloud.client("nova", name)
        self.neutron = cloud.client("neutron", name)
        self.cinder = cloud.client("cinder", name, f"/v3/{self.id}")
        self.glance = cloud.client("glance", name, "/v2")

    def network(self, name: str) -> dict[str, Any]:
        found = self.neutron.find("/networks", "networks", name)
        assert found, f"no network {name}"
        return found

    def boot(self, name: str) -> str:
        image = self.glance.find("/images", "images", "box-raw")
        assert image, "the box's image is missing"
        body = {
            "server": {
                "name": name,
                "flavorRef": "1",
                "imageRef": image["id"],
                "networks": [{"uuid": self.network("private")["id"]}],
            }
        }
        return self.nova.post("/servers", body)["server"]["id"]

    def ports_of(self, server_id: str) -> list[dict[str, Any]]:
        return self.neutron.get(f"/ports?device_id={server_id}")["ports"]

    def delete_server(self, server_id: str) -> None:
        self.nova.call("DELETE", f"/servers/{server_id}", ok=(404,))
        waiting.gone(self.nova, f"/servers/{server_id}")


@pytest.fixture
def demo(cloud: Any) -> Project:
    return Project(cloud, "demo")


@pytest.fixture
def server(demo: Project) -> Any:
    server_id = demo.boot(_name("smoke"))
    yield server_id
    demo.delete_server(server_id)


def test_server_boots_active_with_an_active_port_and_an_ip(demo: Project, server: str) -> None:
    active = waiting.server_status(demo.nova, server, "ACTIVE")
    addresses = active["addresses"]["private"]
    assert addresses and addresses[0]["addr"].startswith("10.0.0.")
    (port,) = waiting.until(
        "an ACTIVE port", lambda: [p for p in demo.ports_of(server) if p["status"] == "ACTIVE"]
    )
    assert port["fixed_ips"][0]["ip_address"] == addresses[0]["addr"]
    assert port["network_id"] == demo.network("private")["id"]


def test_server_stops_and_starts(demo: Project, server: str) -> None:
    waiting.server_status(demo.nova, server, "ACTIVE")
    demo.nova.post(f"/servers/{server}/action", {"os-stop": None})
    waiting.server_status(demo.nova, server, "SHUTOFF")
    demo.nova.post(f"/servers/{server}/action", {"os-start": None})
    waiting.server_status(demo.nova, server, "ACTIVE")


def test_volume_attaches_and_detaches(demo: Project, server: str) -> None:
    waiting.server_status(demo.nova, server, "ACTIVE")
    volume = demo.cinder.post("/volumes", {"volume": {"size": 1, "name": _name("vol")}})
    volume_id = volume["volume"]["id"]
    try:
        waiting.volume_status(demo.cinder, volume_id, "available")
        body = {"volumeAttachment": {"volumeId": volume_id}}
        demo.nova.post(f"/servers/{server}/os-volume_attachments", body)
        attached = waiting.volume_status(demo.cinder, volume_id, "in-use")
        assert attached["attachments"][0]["server_id"] == server
        demo.nova.call("DELETE", f"/servers/{server}/os-volume_attachments/{volume_id}")
        waiting.volume_status(demo.cinder, volume_id, "available")
    finally:
        demo.cinder.call("DELETE", f"/volumes/{volume_id}", ok=(404,))
        waiting.gone(demo.cinder, f"/volumes/{volume_id}")


def test_floating_ip_and_security_group_land_on_the_port(demo: Project, server: str) -> None:
    waiting.server_status(demo.nova, server, "ACTIVE")
    (port,) = demo.ports_of(server)
    body = {"floatingip": {"floating_network_id": demo.network("public")["id"]}}
    fip = demo.neutron.post("/floatingips", body)["floatingip"]
    group = demo.neutron.post("/security-groups", {"security_group": {"name": _name("sg")}})
    group_id = group["security_group"]["id"]
    try:
        demo.neutron.put(f"/floatingips/{fip['id']}", {"floatingip": {"port_id": port["id"]}})
        demo.nova.post(f"/servers/{server}/action", {"addSecurityGroup": {"name": group_id}})
        updated = demo.neutron.get(f"/ports/{port['id']}")["port"]
        assert group_id in updated["security_groups"]
        assert demo.neutron.get(f"/floatingips/{fip['id']}")["floatingip"]["port_id"] == port["id"]

        def floating_in_nova() -> bool:
            addresses = demo.nova.get(f"/servers/{server}")["server"]["addresses"]["private"]
            return any(a["addr"] == fip["floating_ip_address"] for a in addresses)

        # neutron tells nova (network-changed); no waiting for nova's 60 s cache refresh.
        waiting.until("the floating IP in nova's addresses", floating_in_nova, timeout=30)
    finally:
        demo.neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))
        demo.nova.post(
            f"/servers/{server}/action", {"removeSecurityGroup": {"name": group_id}}, ok=(404,)
        )
        demo.neutron.call("DELETE", f"/security-groups/{group_id}", ok=(404,))


def test_deleting_everything_leaves_nothing_behind(cloud: Any, demo: Project) -> None:
    placement = Client(cloud.endpoints["placement"], cloud.admin_token)
    server = demo.boot(_name("gone"))
    waiting.server_status(demo.nova, server, "ACTIVE")
    volume_id = demo.cinder.post("/volumes", {"volume": {"size": 1}})["volume"]["id"]
    waiting.volume_status(demo.cinder, volume_id, "available")
    demo.nova.post(
        f"/servers/{server}/os-volume_attachments", {"volumeAttachment": {"volumeId": volume_id}}
    )
    waiting.volume_status(demo.cinder, volume_id, "in-use")
    (port,) = demo.ports_of(server)
    public = demo.network("public")["id"]
    body = {"floatingip": {"floating_network_id": public, "port_id": port["id"]}}
    fip = demo.neutron.post("/floatingips", body)["floatingip"]
    assert placement.get(f"/allocations/{server}")["allocations"], "no placement allocation"

    demo.neutron.call("DELETE", f"/floatingips/{fip['id']}")
    demo.delete_server(server)
    waiting.volume_status(demo.cinder, volume_id, "available")
    demo.cinder.call("DELETE", f"/volumes/{volume_id}")
    waiting.gone(demo.cinder, f"/volumes/{volume_id}")

    assert demo.ports_of(server) == []
    assert demo.neutron.call("GET", f"/floatingips/{fip['id']}", ok=(404,)) is None
    assert placement.get(f"/allocations/{server}")["allocations"] == {}
    names = [s["id"] for s in demo.nova.get("/servers")["servers"]]
    assert server not in names


def test_ten_concurrent_boots_all_become_active(demo: Project) -> None:
    names = [_name("many") for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        servers = list(pool.map(demo.boot, names))
    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            states = list(
                pool.map(lambda s: waiting.server_status(demo.nova, s, "ACTIVE"), servers)
            )
        assert [s["status"] for s in states] == ["ACTIVE"] * 10
        assert len({s["addresses"]["private"][0]["addr"] for s in states}) == 10
    finally:
        with ThreadPoolExecutor(max_workers=10) as pool:
            list(pool.map(demo.delete_server, servers))
