"""Reading and deleting computes over HTTP, in both modes, against servers nova really runs.

Servers are booted through nova's own API (not through ooi's create), so these tests depend
only on the read side. What ooi shows is checked against what nova and neutron say.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from ooi.occi.schema import definition
from tests.cloud.waiting import until
from tests.functional.occi_names import (
    COMPUTE_ACTIONS as ACTION,
)
from tests.functional.occi_names import (
    INFRA,
)

pytestmark = pytest.mark.cloud

NOVA_VERSION = {"OpenStack-API-Version": "compute 2.47"}
PREFIXES = ["/occi1.1", "/occi1.2"]


class Nova:
    """One project's nova, neutron and glance, as their own APIs show them."""

    def __init__(self, cloud: Any, project: str) -> None:
        self.nova = cloud.client("nova", project)
        self.nova.headers = NOVA_VERSION
        self.neutron = cloud.client("neutron", project)
        self.glance = cloud.client("glance", project, "/v2")

    def boot(
        self,
        flavor: str = "1",
        name: str | None = None,
        description: str = "",
        network: bool = True,
    ) -> str:
        """A server on the private network, or on none (quicker: no port to bind)."""
        image = self.glance.find("/images", "images", "box-raw")
        private = self.neutron.find("/networks", "networks", "private")
        assert image and private, "the box has no image or private network"
        body = {
            "server": {
                "name": name or f"read-{uuid.uuid4().hex[:8]}",
                "flavorRef": flavor,
                "imageRef": image["id"],
                "networks": [{"uuid": private["id"]}] if network else "none",
            }
        }
        if description:
            body["server"]["description"] = description
        return self.nova.post("/servers", body)["server"]["id"]

    def server(self, server_id: str) -> dict[str, Any]:
        return self.nova.get(f"/servers/{server_id}")["server"]

    def wait(self, server_id: str, status: str) -> dict[str, Any]:
        def probe() -> dict[str, Any] | None:
            server = self.server(server_id)
            if server["status"] == status and not server.get("OS-EXT-STS:task_state"):
                return server
            return None

        return until(f"server {server_id} {status}", probe)

    def delete(self, server_id: str) -> None:
        self.nova.call("DELETE", f"/servers/{server_id}", ok=(404,))
        gone = lambda: self.nova.call("GET", f"/servers/{server_id}", ok=(404,)) is None  # noqa: E731
        until(f"server {server_id} gone", gone)


@pytest.fixture(scope="module")
def demo(cloud: Any) -> Nova:
    return Nova(cloud, "demo")


@pytest.fixture(scope="module")
def active_server(demo: Nova) -> Iterator[dict[str, Any]]:
    """An ACTIVE server of the demo project, with its port as neutron has it."""
    server_id = demo.boot()
    try:
        server = demo.wait(server_id, "ACTIVE")
        ports = until(
            "an ACTIVE port",
            lambda: [
                p
                for p in demo.neutron.get(f"/ports?device_id={server_id}")["ports"]
                if p["status"] == "ACTIVE"
            ],
        )
        yield {"server": server, "port": ports[0]}
    finally:
        demo.delete(server_id)


def _get(url: str, token: str, accept: str = "text/plain", method: str = "GET"):
    headers = {"X-Auth-Token": token, "Accept": accept}
    return requests.request(method, url, headers=headers, timeout=60)


def _lines(body: str, prefix: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith(prefix)]


def _backend_calls(resp: requests.Response) -> dict[str, int]:
    header = resp.headers.get("X-OOI-Backend-Calls", "")
    assert header, "the box's ooi should count backend calls (ooi_debug_headers)"
    pairs = (item.strip().split("=") for item in header.split(",") if item.strip())
    return {service: int(count) for service, count in pairs}


# --- Listing ---------------------------------------------------------------------------------


def test_entity_urls_follow_the_scheme_of_a_tls_proxy(ooi_url, demo_token, active_server):
    # The box sets ooi_secure_proxy_ssl_header = HTTP_X_FORWARDED_SCHEME.
    server_id = active_server["server"]["id"]
    url = f"{ooi_url}/occi1.2/compute/"
    https = "https://" + url.split("://", 1)[1]
    proxied = requests.get(
        url,
        headers={"X-Auth-Token": demo_token, "X-Forwarded-Scheme": "https"},
        timeout=60,
    )
    assert f"X-OCCI-Location: {https}{server_id}" in proxied.text.splitlines()
    shown = _get(f"{url}{server_id}", demo_token)
    assert f'occi.core.source="{url}{server_id}"' in shown.text


@pytest.mark.parametrize("prefix", PREFIXES)
def test_list_renders_absolute_locations(ooi_url, demo_token, active_server, prefix):
    server_id = active_server["server"]["id"]
    url = f"{ooi_url}{prefix}/compute/"
    resp = _get(url, demo_token)
    assert resp.status_code == 200, resp.text
    assert f"X-OCCI-Location: {url}{server_id}" in resp.text.splitlines()
    uris = _get(url, demo_token, "text/uri-list")
    assert uris.status_code == 200, uris.text
    assert f"{url}{server_id}" in uris.text.splitlines()
    occi = _get(url, demo_token, "text/occi")
    assert occi.status_code == 200
    assert f"{url}{server_id}" in occi.headers["X-OCCI-Location"]
    # Locations only: one light nova call.
    assert _backend_calls(resp) == {"compute": 1}


def test_list_in_json_has_full_resources(ooi_url, demo_token, active_server):
    jsonschema = pytest.importorskip("jsonschema")
    server_id = active_server["server"]["id"]
    resp = _get(f"{ooi_url}/occi1.2/compute/", demo_token, "application/occi+json")
    assert resp.status_code == 200, resp.text
    resources = resp.json()["resources"]
    for resource in resources:
        jsonschema.validate(resource, definition("resource"))
    mine = next(r for r in resources if r["id"] == server_id)
    assert mine["attributes"]["occi.compute.state"] == "active"
    address = active_server["port"]["fixed_ips"][0]["ip_address"]
    interfaces = [ln for ln in mine["links"] if ln["kind"] == INFRA + "networkinterface"]
    assert [link["id"] for link in interfaces] == [f"{server_id}_{address}"]
    # Its security group (the project's default) is a link too, from the same ports call.
    groups = [ln for ln in mine["links"] if ln["kind"] == INFRA + "securitygrouplink"]
    assert [ln["target"]["location"].rsplit("/", 1)[1] for ln in groups] == (
        active_server["port"]["security_groups"]
    )
    # No N+1: the detail list, one ports query, the floating IPs (discovery may add its own).
    calls = _backend_calls(resp)
    assert calls.get("network", 0) <= 2 + 1  # + discovery's pool listing when its cache is cold


# --- Show ------------------------------------------------------------------------------------


def _check_text_show(body: str, prefix: str, ooi_url: str, active: dict[str, Any]) -> None:
    server, port = active["server"], active["port"]
    categories = _lines(body, "Category: ")
    assert categories[0].startswith(f'Category: compute; scheme="{INFRA}"; class="kind"')
    image_id = server["image"]["id"]
    assert any(
        c.startswith(f'Category: {image_id}; scheme="http://schemas.openstack.org/template/os#"')
        for c in categories
    )
    assert any(
        c.startswith('Category: 1; scheme="http://schemas.openstack.org/template/resource#"')
        for c in categories
    )
    zone = server["OS-EXT-AZ:availability_zone"]
    assert any(
        c.startswith(f'Category: {zone}; scheme="http://schemas.openstack.org/compute/')
        for c in categories
    )
    attributes = _lines(body, "X-OCCI-Attribute: ")
    assert f'X-OCCI-Attribute: occi.core.id="{server["id"]}"' in attributes
    assert f"X-OCCI-Attribute: occi.compute.memory={server['flavor']['ram'] / 1024}" in attributes
    assert f"X-OCCI-Attribute: occi.compute.cores={server['flavor']['vcpus']}" in attributes
    assert 'X-OCCI-Attribute: occi.compute.state="active"' in attributes
    assert f'X-OCCI-Attribute: occi.compute.hostname="{server["name"]}"' in attributes
    base = f"{ooi_url}{prefix}/"
    links = _lines(body, "Link: ")
    address = port["fixed_ips"][0]["ip_address"]
    (interface,) = [ln for ln in links if "#networkinterface" in ln]
    assert interface.startswith(f"Link: <{base}network/{port['network_id']}>")
    assert f'self="{base}networklink/{server["id"]}_{address}"' in interface
    assert f'occi.networkinterface.address="{address}"' in interface
    assert f'occi.networkinterface.mac="{port["mac_address"]}"' in interface
    assert 'occi.networkinterface.interface="eth0"' in interface
    assert 'occi.networkinterface.state="active"' in interface
    actions = sorted(ln.split("?action=")[1].split(">")[0] for ln in links if "?action=" in ln)
    expected = (
        ["restart", "save", "stop", "suspend"]
        if prefix == "/occi1.2"
        else [
            "restart",
            "stop",
            "suspend",
        ]
    )
    assert actions == expected


@pytest.mark.parametrize("prefix", PREFIXES)
def test_show_in_text_plain(ooi_url, demo_token, active_server, prefix):
    url = f"{ooi_url}{prefix}/compute/{active_server['server']['id']}"
    resp = _get(url, demo_token)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith("text/plain")
    _check_text_show(resp.text, prefix, ooi_url, active_server)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_show_in_text_occi(ooi_url, demo_token, active_server, prefix):
    url = f"{ooi_url}{prefix}/compute/{active_server['server']['id']}"
    resp = _get(url, demo_token, "text/occi")
    assert resp.status_code == 200, resp.text
    # The same lines as text/plain, carried in headers (requests comma-joins repeated ones).
    plain = _get(url, demo_token).text
    assert resp.headers["X-OCCI-Attribute"].count("occi.compute.state=") == 1
    assert 'occi.compute.state="active"' in resp.headers["X-OCCI-Attribute"]
    for line in _lines(plain, "Category: "):
        assert line[len("Category: ") :] in resp.headers["Category"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_show_in_json(ooi_url, demo_token, active_server, prefix):
    jsonschema = pytest.importorskip("jsonschema")
    server, port = active_server["server"], active_server["port"]
    resp = _get(f"{ooi_url}{prefix}/compute/{server['id']}", demo_token, "application/occi+json")
    assert resp.status_code == 200, resp.text
    document = resp.json()
    jsonschema.validate(document, definition("resource"))
    assert document["kind"] == INFRA + "compute"
    assert document["id"] == server["id"]
    assert document["title"] == server["name"]
    assert "http://schemas.openstack.org/template/resource#1" in document["mixins"]
    attributes = document["attributes"]
    assert attributes["occi.compute.memory"] == pytest.approx(server["flavor"]["ram"] / 1024)
    assert attributes["occi.compute.cores"] == server["flavor"]["vcpus"]
    assert attributes["occi.compute.state"] == "active"
    (link,) = [ln for ln in document["links"] if ln["kind"] == INFRA + "networkinterface"]
    assert link["target"]["location"].endswith(f"{prefix}/network/{port['network_id']}")
    assert link["attributes"]["occi.networkinterface.address"] == port["fixed_ips"][0]["ip_address"]
    assert ACTION + "stop" in document["actions"]
    assert ACTION + "start" not in document["actions"]


def test_show_needs_at_most_two_nova_calls(ooi_url, demo_token, active_server):
    """The issue's call count: GET /compute/{id} of a compute without storage."""
    url = f"{ooi_url}/occi1.2/compute/{active_server['server']['id']}"
    for _ in range(3):  # cold and warm discovery caches, whichever worker answers
        resp = _get(url, demo_token)
        assert resp.status_code == 200, resp.text
        calls = _backend_calls(resp)
        assert calls.get("compute", 0) <= 2, calls
    # Warm: one nova call, ports and floating IPs from neutron.
    assert _backend_calls(_get(url, demo_token)).get("compute") in (1, 2)


def test_uri_list_cannot_render_one_compute(ooi_url, demo_token, active_server):
    url = f"{ooi_url}/occi1.2/compute/{active_server['server']['id']}"
    assert _get(url, demo_token, "text/uri-list").status_code == 400


# --- States ----------------------------------------------------------------------------------


def test_stopped_server_is_inactive_and_can_start(ooi_url, demo_token, demo):
    server_id = demo.boot()
    try:
        demo.wait(server_id, "ACTIVE")
        demo.nova.post(f"/servers/{server_id}/action", {"os-stop": None})
        demo.wait(server_id, "SHUTOFF")
        for prefix in PREFIXES:
            resp = _get(f"{ooi_url}{prefix}/compute/{server_id}", demo_token)
            assert resp.status_code == 200, resp.text
            assert 'X-OCCI-Attribute: occi.compute.state="inactive"' in resp.text.splitlines()
            actions = [ln for ln in _lines(resp.text, "Link: ") if "?action=" in ln]
            assert any(f'?action=start>; rel="{ACTION}start"' in ln for ln in actions)
            assert not any("?action=stop>" in ln for ln in actions)
    finally:
        demo.delete(server_id)


@pytest.fixture(scope="module")
def unplaceable_flavor(cloud: Any) -> Iterator[str]:
    """A flavor no host can give (a resource nobody has): booting it ends in NoValidHost."""
    admin = cloud.client("nova")
    name = f"nowhere-{uuid.uuid4().hex[:6]}"
    flavor = admin.post("/flavors", {"flavor": {"name": name, "ram": 64, "vcpus": 1, "disk": 1}})
    flavor_id = flavor["flavor"]["id"]
    try:
        specs = {"extra_specs": {"resources:CUSTOM_OOI_NOWHERE": "1"}}
        admin.post(f"/flavors/{flavor_id}/os-extra_specs", specs)
        yield flavor_id
    finally:
        admin.call("DELETE", f"/flavors/{flavor_id}", ok=(404,))


def test_server_nova_put_in_error_shows_error_and_novas_fault(
    ooi_url, demo_token, demo, unplaceable_flavor
):
    server_id = demo.boot(flavor=unplaceable_flavor)
    try:
        fault = demo.wait(server_id, "ERROR")["fault"]["message"]
        resp = _get(f"{ooi_url}/occi1.2/compute/{server_id}", demo_token, "application/occi+json")
        assert resp.status_code == 200, resp.text
        document = resp.json()
        assert document["attributes"]["occi.compute.state"] == "error"
        assert document["attributes"]["occi.compute.state.message"] == fault
        assert "No valid host" in fault
        assert not document.get("actions")  # it never ran: nova refuses every action
        # OCCI 1.1 has no error state.
        old = _get(f"{ooi_url}/occi1.1/compute/{server_id}", demo_token)
        assert 'X-OCCI-Attribute: occi.compute.state="inactive"' in old.text.splitlines()
    finally:
        demo.delete(server_id)


# --- Not found -------------------------------------------------------------------------------


@pytest.mark.parametrize("server_id", [str(uuid.uuid4()), "not-a-server", "a.b"])
def test_unknown_compute_is_404(ooi_url, demo_token, server_id):
    resp = _get(f"{ooi_url}/occi1.2/compute/{server_id}", demo_token)
    assert resp.status_code == 404
    assert server_id in resp.text
    assert (
        _get(f"{ooi_url}/occi1.2/compute/{server_id}", demo_token, method="DELETE").status_code
        == 404
    )


def test_another_projects_compute_is_404(ooi_url, alt_demo_token, active_server):
    url = f"{ooi_url}/occi1.2/compute/{active_server['server']['id']}"
    assert _get(url, alt_demo_token).status_code == 404
    assert _get(url, alt_demo_token, method="DELETE").status_code == 404
    listing = _get(f"{ooi_url}/occi1.2/compute/", alt_demo_token)
    assert active_server["server"]["id"] not in listing.text


# --- Delete ----------------------------------------------------------------------------------


def test_delete_then_gone(ooi_url, demo_token, demo):
    server_id = demo.boot()
    try:
        demo.wait(server_id, "ACTIVE")
        url = f"{ooi_url}/occi1.2/compute/{server_id}"
        resp = _get(url, demo_token, method="DELETE")
        assert resp.status_code == 204, resp.text
        assert resp.content == b""
        assert resp.headers["Content-Type"].startswith("text/plain")
        # At once, while nova may still be deleting it: not found, and not deletable again.
        assert _get(url, demo_token).status_code == 404
        assert _get(url, demo_token, method="DELETE").status_code == 404
        # nova's side: the server goes away.
        until(
            "nova to forget it",
            lambda: demo.nova.call("GET", f"/servers/{server_id}", ok=(404,)) is None,
        )
    finally:
        demo.delete(server_id)


def test_delete_all_empties_the_collection(ooi_url, cloud, alt_demo_token):
    """In alt_demo: deleting all computes must not touch the servers of other tests."""
    alt = Nova(cloud, "alt_demo")
    servers = [alt.boot() for _ in range(2)]
    try:
        for server_id in servers:
            alt.wait(server_id, "ACTIVE")
        resp = _get(f"{ooi_url}/occi1.2/compute/", alt_demo_token, method="DELETE")
        assert resp.status_code == 204, resp.text
        for server_id in servers:
            gone = lambda s=server_id: alt.nova.call("GET", f"/servers/{s}", ok=(404,)) is None  # noqa: E731
            until(f"{server_id} deleted", gone)
        empty = _get(f"{ooi_url}/occi1.2/compute/", alt_demo_token)
        assert empty.status_code == 200
        assert not _lines(empty.text, "X-OCCI-Location")
        empty_json = _get(f"{ooi_url}/occi1.2/compute/", alt_demo_token, "application/occi+json")
        assert empty_json.status_code == 200
        assert not empty_json.json().get("resources")
        # Deleting all of nothing is fine too.
        assert (
            _get(f"{ooi_url}/occi1.2/compute/", alt_demo_token, method="DELETE").status_code == 204
        )
    finally:
        for server_id in servers:
            alt.delete(server_id)


def test_floating_ip_and_volume_show_as_links(ooi_url, cloud, demo_token, demo, active_server):
    server_id, port = active_server["server"]["id"], active_server["port"]
    cinder = cloud.client("cinder", "demo", f"/v3/{cloud.projects['demo'].id}")
    public = demo.neutron.find("/networks", "networks", "public")
    body = {"floatingip": {"floating_network_id": public["id"], "port_id": port["id"]}}
    fip = demo.neutron.post("/floatingips", body)["floatingip"]
    volume_id = cinder.post("/volumes", {"volume": {"size": 1}})["volume"]["id"]
    try:
        until(
            "volume available",
            lambda: cinder.get(f"/volumes/{volume_id}")["volume"]["status"] == "available",
        )
        attach = {"volumeAttachment": {"volumeId": volume_id}}
        device = demo.nova.post(f"/servers/{server_id}/os-volume_attachments", attach)
        until(
            "volume in-use",
            lambda: cinder.get(f"/volumes/{volume_id}")["volume"]["status"] == "in-use",
        )
        # Made in neutron directly: ooi shows it once nova's own API does (neutron tells nova).
        until(
            "nova showing the floating IP",
            lambda: fip["floating_ip_address"] in str(demo.nova.get(f"/servers/{server_id}")),
        )
        url = f"{ooi_url}/occi1.2/compute/{server_id}"
        resp = _get(url, demo_token, "application/occi+json")
        assert resp.status_code == 200, resp.text
        links = {link["id"]: link for link in resp.json()["links"]}
        floating = links[f"{server_id}_{fip['floating_ip_address']}"]
        assert floating["target"]["location"] == f"{ooi_url}/occi1.2/network/PUBLIC"
        assert floating["attributes"]["occi.networkinterface.interface"] == "eth0"
        storage = links[f"{server_id}_{volume_id}"]
        assert storage["kind"] == INFRA + "storagelink"
        assert storage["target"]["location"] == f"{ooi_url}/occi1.2/storage/{volume_id}"
        assert (
            storage["attributes"]["occi.storagelink.deviceid"]
            == device["volumeAttachment"]["device"]
        )
        # With storage: the server and its attachments (2 nova calls), plus discovery if cold.
        assert _backend_calls(resp)["compute"] <= 3
    finally:
        demo.neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))
        demo.nova.call(
            "DELETE", f"/servers/{server_id}/os-volume_attachments/{volume_id}", ok=(404,)
        )
        until(
            "volume detached",
            lambda: cinder.get(f"/volumes/{volume_id}")["volume"]["status"] == "available",
        )
        cinder.call("DELETE", f"/volumes/{volume_id}", ok=(404,))
