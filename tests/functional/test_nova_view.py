"""Computes and their network links read from nova's server alone (issue 11), checked against
neutron's own API, in both modes: the same links whichever way ooi reads them (compute show,
compute list, network link list and show), a show right after each of ooi's own network
changes already right, and neutron asked when names do not settle which network is meant."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cloud.waiting import until
from tests.functional.extra_ooi import ooi_api
from tests.functional.network_http import request
from tests.functional.test_backend_calls import calls
from tests.functional.test_network_links import Witness, link_body

pytestmark = pytest.mark.cloud

JSON = "application/occi+json"


@pytest.fixture(scope="module")
def witness(cloud: Any) -> Witness:
    return Witness(cloud)


@pytest.fixture(scope="module")
def server(witness: Witness) -> Iterator[str]:
    """One ACTIVE compute of demo for the module (booted through nova)."""
    with contextlib.ExitStack() as done:
        server_id = witness.boot()
        done.callback(witness.delete, server_id)
        yield server_id


@pytest.fixture(scope="module")
def second_network(witness: Witness) -> Iterator[dict[str, Any]]:
    """A network of demo's own with a subnet, named like no other."""
    neutron = witness.neutron
    net = neutron.post("/networks", {"network": {"name": f"nv-{uuid.uuid4().hex[:8]}"}})["network"]
    subnet = {"network_id": net["id"], "cidr": "10.77.0.0/24", "ip_version": 4}
    try:
        neutron.post("/subnets", {"subnet": subnet})
        yield net
    finally:
        neutron.call("DELETE", f"/networks/{net['id']}", ok=(404,))


def _interfaces(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A JSON compute's network links: address → (interface, mac, target id, state)."""
    found = {}
    for link in resource.get("links", []):
        attributes = link.get("attributes", {})
        if "occi.networkinterface.address" not in attributes:
            continue
        found[attributes["occi.networkinterface.address"]] = {
            "interface": attributes["occi.networkinterface.interface"],
            "mac": attributes["occi.networkinterface.mac"],
            "target": link["target"]["location"].rstrip("/").rsplit("/", 1)[1],
            "state": attributes["occi.networkinterface.state"],
        }
    return found


def _show(base: str, token: str, server_id: str) -> tuple[dict[str, Any], dict[str, int]]:
    resp = request("GET", f"{base}compute/{server_id}", token, accept=JSON)
    assert resp.status_code == 200, resp.text
    return resp.json(), calls(resp)


def _truth(witness: Witness, server_id: str) -> dict[str, dict[str, Any]]:
    """What neutron says: address → (mac, network id) for fixed and floating addresses."""
    ports = witness.ports(server_id)
    found = {}
    for port in ports:
        for fixed in port["fixed_ips"]:
            found[fixed["ip_address"]] = {"mac": port["mac_address"], "target": port["network_id"]}
        for fip in witness.floating_ips():
            if fip.get("port_id") == port["id"]:
                found[fip["floating_ip_address"]] = {"mac": port["mac_address"], "target": "PUBLIC"}
    return found


def _plug(base: str, token: str, server_id: str, network_id: str) -> Any:
    """POST a link from the compute to the network (the response)."""
    body = link_body(f"/compute/{server_id}", f"/network/{network_id}")
    return request("POST", base + "networklink/", token, body)


def _same_as_neutron(shown: dict[str, dict[str, Any]], truth: dict[str, dict[str, Any]]) -> None:
    assert set(shown) == set(truth), (shown, truth)
    for address, expected in truth.items():
        assert shown[address]["mac"] == expected["mac"], address
        assert shown[address]["target"] == expected["target"], address


def test_links_read_from_nova_match_neutron_everywhere(
    ooi_url, demo_token, witness, server, second_network
):
    base = f"{ooi_url}/occi1.2/"
    # A second interface through ooi, a public IP and a security group made in neutron directly.
    made = _plug(base, demo_token, server, second_network["id"])
    assert made.status_code == 201, made.text
    group = witness.neutron.post(
        "/security-groups", {"security_group": {"name": f"nv-{uuid.uuid4().hex[:8]}"}}
    )["security_group"]
    public = witness.neutron.get("/networks?router:external=true")["networks"][0]
    eth0 = sorted(witness.ports(server), key=lambda p: p["created_at"])[0]
    fip = witness.neutron.post(
        "/floatingips",
        {"floatingip": {"floating_network_id": public["id"], "port_id": eth0["id"]}},
    )["floatingip"]
    try:
        witness.nova.post(
            f"/servers/{server}/action", {"addSecurityGroup": {"name": group["name"]}}
        )
        # Changes made outside ooi reach nova's view through neutron's events, a moment later.
        until(
            "nova showing the public IP",
            lambda: fip["floating_ip_address"] in str(witness.nova.get(f"/servers/{server}")),
        )
        truth = _truth(witness, server)
        assert len(truth) == 3
        shown, counted = _show(base, demo_token, server)
        _same_as_neutron(_interfaces(shown), truth)
        # The group's link and mixin, by the group's id.
        assert any(
            link["id"] == f"{server}_{group['id']}" for link in shown["links"] if "id" in link
        ), shown["links"]
        assert any(group["id"] in m for m in shown.get("mixins", [])), shown["mixins"]
        # eth0 is the boot's port, its public IP shares its name; the attached one is eth1.
        by_mac = {v["mac"]: v["interface"] for v in _interfaces(shown).values()}
        assert by_mac[eth0["mac_address"]] == "eth0"
        assert sorted(set(by_mac.values())) == ["eth0", "eth1"]
        # The compute list and the network links say the same.
        listed = request("GET", base + "compute/", demo_token, accept=JSON).json()["resources"]
        (same,) = [r for r in listed if r["id"] == server]
        assert _interfaces(same) == _interfaces(shown)
        links = request("GET", base + "networklink/", demo_token, accept=JSON).json()
        mine = [lk for lk in links.get("links", []) if lk["source"]["location"].endswith(server)]
        as_links = _interfaces({"links": mine})
        assert as_links == _interfaces(shown)
        for address, expected in _interfaces(shown).items():
            one = request("GET", f"{base}networklink/{server}_{address}", demo_token, accept=JSON)
            assert one.status_code == 200, one.text
            assert _interfaces({"links": [one.json()]})[address] == expected
        # Names once cached: the show asked nova alone (a fresh worker may first fill them).
        counted = min((_show(base, demo_token, server)[1] for _ in range(3)), key=len)
        assert counted == {"compute": 1}
    finally:
        witness.nova.call(
            "POST", f"/servers/{server}/action", {"removeSecurityGroup": {"name": group["name"]}}
        )
        witness.neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))
        request("DELETE", made.headers["Location"], demo_token)
        until("the second interface gone", lambda: len(witness.ports(server)) == 1)
        witness.neutron.call("DELETE", f"/security-groups/{group['id']}", ok=(404,))


@pytest.mark.parametrize("prefix", ["/occi1.1/", "/occi1.2/"])
def test_a_show_right_after_each_change_is_already_right(
    ooi_url, demo_token, witness, server, second_network, prefix
):
    base = ooi_url + prefix

    def addresses() -> set[str]:
        return set(_interfaces(_show(base, demo_token, server)[0]))

    before = addresses()
    # Plugged into a second network: shown at once, and gone at once when unplugged.
    made = _plug(base, demo_token, server, second_network["id"])
    assert made.status_code == 201, made.text
    plugged = made.headers["Location"].rsplit("_", 1)[1]
    assert addresses() == before | {plugged}
    assert request("DELETE", made.headers["Location"], demo_token).status_code == 204
    assert addresses() == before
    # A public IP: shown at once, gone at once when taken back.
    public = request(
        "POST",
        base + "networklink/",
        demo_token,
        link_body(f"/compute/{server}", "/network/PUBLIC"),
    )
    assert public.status_code == 201, public.text
    floating = public.headers["Location"].rsplit("_", 1)[1]
    assert addresses() == before | {floating}
    assert request("DELETE", public.headers["Location"], demo_token).status_code == 204
    assert addresses() == before
    until("the second port gone", lambda: len(witness.ports(server)) == 1)


@contextlib.contextmanager
def _plug_into_a_twin(
    base: str, token: str, witness: Witness, server: str, name: str, cidr: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Made in neutron directly (so that ooi's cached names lack it), a network under ``name``
    with a subnet ``cidr``; the server plugged into it through ooi; yields the network's id and
    the compute's interfaces as ooi shows them then; unplugs and deletes it afterwards."""
    neutron = witness.neutron
    twin = neutron.post("/networks", {"network": {"name": name}})["network"]
    made = None
    try:
        body = {"subnet": {"network_id": twin["id"], "cidr": cidr, "ip_version": 4}}
        neutron.post("/subnets", body)
        made = _plug(base, token, server, twin["id"])
        assert made.status_code == 201, made.text
        yield twin["id"], _interfaces(_show(base, token, server)[0])
    finally:
        if made is not None and made.status_code == 201:
            request("DELETE", made.headers["Location"], token)
        until("the second interface gone", lambda: len(witness.ports(server)) == 1)
        neutron.call("DELETE", f"/networks/{twin['id']}", ok=(404,))


def test_a_network_of_a_name_another_has_is_told_apart_by_its_range(
    ooi_url, demo_token, witness, server, second_network
):
    base = f"{ooi_url}/occi1.2/"
    assert _show(base, demo_token, server)  # names cached, maybe without the twin
    with _plug_into_a_twin(
        base, demo_token, witness, server, second_network["name"], "10.78.0.0/24"
    ) as (twin_id, interfaces):
        _same_as_neutron(interfaces, _truth(witness, server))
        assert twin_id in {i["target"] for i in interfaces.values()}
        # Once the names are known again, nova alone.
        again = min((_show(base, demo_token, server)[1] for _ in range(3)), key=len)
        assert again == {"compute": 1}


@pytest.fixture(scope="module")
def one_worker(cloud: Any, tmp_path_factory: Any) -> Iterator[str]:
    """An ooi-api of one worker process, whose cache the test can reason about."""
    with ooi_api(cloud, tmp_path_factory.mktemp("ooi"), "") as url:
        yield url


def test_a_network_of_a_name_and_range_another_has_is_told_apart_by_neutron(
    one_worker, demo_token, witness, server, second_network
):
    base = f"{one_worker}/occi1.2/"
    assert _show(base, demo_token, server)  # names cached without the twin
    with _plug_into_a_twin(
        base, demo_token, witness, server, second_network["name"], "10.77.0.0/24"
    ) as (twin_id, interfaces):
        # ooi plugged it, so ooi looked at the names again: two of that name and range.
        _same_as_neutron(interfaces, _truth(witness, server))
        assert twin_id in {i["target"] for i in interfaces.values()}
        counted = _show(base, demo_token, server)[1]
        assert counted.get("network", 0) >= 2, counted  # the ports and floating IPs, each time
