"""Creating and deleting networks over HTTP, in both modes, with neutron's and nova's APIs as
witnesses; the issue's whole scenario: create a network → boot a compute on it (inline link) →
its interface shows the address → a second interface → a public IP → both taken back → the
compute deleted → no floating IP left → the network deleted → no subnet or port left.

They run in the alt_demo project, so that the demo project keeps exactly one network (computes
created there without links land on it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cloud.waiting import gone, until
from tests.functional.extra_ooi import ooi_api
from tests.functional.network_http import (
    IPNETWORK,
    MARK,
    NETWORK,
    NETWORKINTERFACE,
    body,
    category,
    request,
)
from tests.functional.occi_names import COMPUTE, OS_TPL_SCHEME, RES_TPL_SCHEME

pytestmark = pytest.mark.cloud


def network_body(title: str, **attributes: str) -> str:
    return body(NETWORK, [IPNETWORK], **{"occi.core.title": title, **attributes})


class Neutron:
    def __init__(self, cloud: Any) -> None:
        self.api = cloud.client("neutron", "alt_demo")

    def named(self, collection: str, name: str) -> list[dict[str, Any]]:
        return self.api.get(f"/{collection}?name={name}")[collection]

    def remove(self, name: str) -> None:
        """Whatever a failed test left under ``name``: ports unplugged, network deleted."""
        for network in self.named("networks", name):
            for port in self.api.get(f"/ports?network_id={network['id']}")["ports"]:
                if port["device_owner"] == "network:router_interface":
                    body = {"port_id": port["id"]}
                    self.api.put(f"/routers/{port['device_id']}/remove_router_interface", body)
            self.api.call("DELETE", f"/networks/{network['id']}", ok=(404, 409))


@pytest.fixture(scope="module")
def neutron(cloud: Any) -> Neutron:
    return Neutron(cloud)


@pytest.fixture
def name(neutron: Neutron) -> Iterator[str]:
    """A fresh network name; whatever carries it is removed after the test."""
    found = f"ooi-net-{uuid.uuid4().hex[:8]}"
    yield found
    neutron.remove(found)


@pytest.fixture(scope="module")
def nova_mode(cloud: Any, tmp_path_factory: Any) -> Iterator[str]:
    with ooi_api(cloud, tmp_path_factory.mktemp("ooi"), "ooi_network_api = nova\n") as url:
        yield url


@pytest.mark.parametrize("prefix", ["/occi1.2", "/occi1.1"])
def test_network_lifecycle_with_a_compute(ooi_url, alt_demo_token, cloud, neutron, name, prefix):
    base = f"{ooi_url}{prefix}/"
    nova = cloud.client("nova", "alt_demo")
    token = alt_demo_token
    made = request(
        "POST",
        base + "network/",
        token,
        network_body(name, **{"occi.network.address": "10.61.0.0/24"}),
    )
    assert made.status_code == 201, made.text
    network_url = made.headers["Location"]
    network_id = network_url.rsplit("/", 1)[1]
    (subnet,) = neutron.api.get(f"/subnets?network_id={network_id}")["subnets"]
    assert subnet["cidr"] == "10.61.0.0/24" and subnet["enable_dhcp"] is True
    plugged = neutron.api.get(f"/ports?network_id={network_id}")["ports"]
    assert [p["device_owner"] for p in plugged] == ["network:router_interface"]
    shown = request("GET", network_url, token)
    assert 'X-OCCI-Attribute: occi.network.address="10.61.0.0/24"' in shown.text
    # down and up again
    assert request("POST", network_url + "?action=down", token).status_code == 200
    assert neutron.api.get(f"/networks/{network_id}")["network"]["admin_state_up"] is False
    assert request("POST", network_url + "?action=up", token).status_code == 200
    assert neutron.api.get(f"/networks/{network_id}")["network"]["admin_state_up"] is True
    # A compute on it, with a public IP, from one create.
    image = cloud.client("glance", "alt_demo", "/v2").find("/images", "images", "box-raw")
    links = [
        f'<{network_url}>; rel="{NETWORK}"; category="{NETWORKINTERFACE}"',
        f'<{base}network/PUBLIC>; rel="{NETWORK}"; category="{NETWORKINTERFACE}"',
    ]
    compute = "\n".join(
        [
            category(COMPUTE, "kind"),
            category(OS_TPL_SCHEME + image["id"]),
            category(RES_TPL_SCHEME + "1"),
            f'X-OCCI-Attribute: occi.core.title="{name}"',
            *(f"Link: {link}" for link in links),
        ]
    )
    booted = request("POST", base + "compute/", token, compute)
    assert booted.status_code == 201, booted.text
    server_id = booted.headers["Location"].rsplit("/", 1)[1]
    try:
        ports = until(
            "the compute's port", lambda: neutron.api.get(f"/ports?device_id={server_id}")["ports"]
        )
        address = ports[0]["fixed_ips"][0]["ip_address"]
        assert ports[0]["network_id"] == network_id and address.startswith("10.61.0.")
        fips = [
            f
            for f in neutron.api.get("/floatingips")["floatingips"]
            if f["description"] == MARK + server_id
        ]
        assert len(fips) == 1 and fips[0]["port_id"] == ports[0]["id"]
        shown = request("GET", booted.headers["Location"], token)
        assert f'occi.networkinterface.address="{address}"' in shown.text
        assert f'occi.networkinterface.address="{fips[0]["floating_ip_address"]}"' in shown.text
        # In use: the network cannot go.
        refused = request("DELETE", network_url, token)
        assert refused.status_code == 409, refused.text
        assert server_id in refused.text
    finally:
        deleted = request("DELETE", f"{base}compute/{server_id}", token)
        gone(nova, f"/servers/{server_id}")
    assert deleted.status_code == 204
    assert not [
        f
        for f in neutron.api.get("/floatingips")["floatingips"]
        if f["description"] == MARK + server_id
    ]
    # The network goes with its subnet and router interface; the project's router stays.
    until(
        "no compute port",
        lambda: len(neutron.api.get(f"/ports?network_id={network_id}")["ports"]) == 1,
    )
    routers = {r["id"] for r in neutron.api.get("/routers")["routers"]}
    assert request("DELETE", network_url, token).status_code == 204
    assert not neutron.named("networks", name)
    assert not neutron.api.get(f"/subnets?network_id={network_id}")["subnets"]
    assert not neutron.api.get(f"/ports?network_id={network_id}")["ports"]
    assert {r["id"] for r in neutron.api.get("/routers")["routers"]} == routers
    assert request("GET", network_url, token).status_code == 404
    assert request("DELETE", network_url, token).status_code == 404


@pytest.mark.parametrize(
    ("attributes", "fragment"),
    [
        ({}, "occi.network.address"),
        ({"occi.network.address": "not-a-cidr"}, "not a CIDR"),
        ({"occi.network.address": "10.62.0.0/24", "occi.network.gateway": "10.9.9.1"}, "not in"),
        (
            {"occi.network.address": "10.62.0.0/24", "occi.network.allocation": "sometimes"},
            "allocation",
        ),
    ],
)
def test_bad_network_is_400_and_makes_nothing(
    ooi_url, alt_demo_token, neutron, name, attributes, fragment
):
    resp = request(
        "POST", f"{ooi_url}/occi1.2/network/", alt_demo_token, network_body(name, **attributes)
    )
    assert resp.status_code == 400, resp.text
    assert fragment in resp.text
    assert not neutron.named("networks", name)


def test_failure_half_way_undoes_everything(ooi_url, alt_demo_token, neutron, name):
    # The project's router already routes its private network: plugging an overlapping subnet
    # fails after the network and the subnet were made.
    private = neutron.named("subnets", "private-subnet")[0]
    body = network_body(name, **{"occi.network.address": private["cidr"]})
    resp = request("POST", f"{ooi_url}/occi1.2/network/", alt_demo_token, body)
    assert resp.status_code == 400, resp.text
    assert "overlap" in resp.text.lower()
    assert not neutron.named("networks", name)
    assert not neutron.named("subnets", name)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("DELETE", "network/PUBLIC", 403),
        ("DELETE", "network/0b1c2d3e-0000-4000-8000-000000000000", 404),
        ("DELETE", "network/x.y", 404),
        ("POST", "network/PUBLIC?action=down", 403),
        ("POST", "network/0b1c2d3e-0000-4000-8000-000000000000?action=up", 404),
        ("POST", "network/0b1c2d3e-0000-4000-8000-000000000000?action=explode", 400),
    ],
)
def test_refused_changes(ooi_url, alt_demo_token, method, path, status):
    resp = request(method, f"{ooi_url}/occi1.2/{path}", alt_demo_token)
    assert resp.status_code == status, resp.text


def test_nova_mode_refuses_creates_and_deletes(nova_mode, alt_demo_token, neutron, name):
    body = network_body(name, **{"occi.network.address": "10.63.0.0/24"})
    made = request("POST", f"{nova_mode}/occi1.2/network/", alt_demo_token, body)
    assert made.status_code == 501, made.text
    assert "network service" in made.text
    assert not neutron.named("networks", name)
    private = neutron.named("networks", "private")[0]
    deleted = request("DELETE", f"{nova_mode}/occi1.2/network/{private['id']}", alt_demo_token)
    assert deleted.status_code == 501, deleted.text


# How ooi marks the routers it makes (neutron's description).
ROUTER_MARK = "ooi: router of network "


def test_a_project_without_a_router_gets_one_that_goes_with_its_last_network(
    ooi_url, admin_token, cloud
):
    """The admin project has no router (the box seeds one per member project): the first
    network ooi makes there brings a router to the external network, the next one reuses it,
    and it goes with the last network plugged into it."""
    api = cloud.client("neutron")
    admin = cloud.client("keystone").get("/projects?name=admin")["projects"][0]["id"]

    def ooi_routers() -> list[dict[str, Any]]:
        routers = api.get(f"/routers?project_id={admin}")["routers"]
        return [r for r in routers if r["description"].startswith(ROUTER_MARK)]

    assert not ooi_routers()
    names = [f"ooi-net-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    made: list[str] = []
    try:
        for name, cidr in zip(names, ("10.66.0.0/24", "10.67.0.0/24"), strict=True):
            body = network_body(name, **{"occi.network.address": cidr})
            resp = request("POST", f"{ooi_url}/occi1.2/network/", admin_token, body)
            assert resp.status_code == 201, resp.text
            made.append(resp.headers["Location"])
        (router,) = ooi_routers()  # made by the first create, reused by the second
        public = api.get("/networks?router:external=true")["networks"][0]
        assert router["external_gateway_info"]["network_id"] == public["id"]
        plugged = api.get(f"/ports?device_id={router['id']}")["ports"]
        assert len([p for p in plugged if p["device_owner"] == "network:router_interface"]) == 2
        # The first network goes: the router still serves the second.
        assert request("DELETE", made.pop(0), admin_token).status_code == 204
        assert [r["id"] for r in ooi_routers()] == [router["id"]]
        assert request("DELETE", made.pop(0), admin_token).status_code == 204
        assert not ooi_routers()
    finally:
        for location in made:
            request("DELETE", location, admin_token)
        for router in ooi_routers():
            for port in api.get(f"/ports?device_id={router['id']}")["ports"]:
                body = {"port_id": port["id"]}
                api.call("PUT", f"/routers/{router['id']}/remove_router_interface", body)
            api.call("DELETE", f"/routers/{router['id']}", ok=(404,))
