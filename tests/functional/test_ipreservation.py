"""`/ipreservation/` over HTTP, in both modes, with neutron's API as witness: reserve an address
(from a named pool or the only one), see it, link a compute to it, unlink, delete the compute
(the address survives), release it; nova's network mode reads only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.cloud.waiting import until
from tests.functional.extra_ooi import ooi_api
from tests.functional.network_http import NETWORKINTERFACE, POOL_SCHEME, body, request
from tests.functional.occi_names import INFRA
from tests.functional.test_network_links import Witness

pytestmark = pytest.mark.cloud

IPRESERVATION = INFRA + "ipreservation"


@pytest.fixture(scope="module")
def witness(cloud: Any) -> Witness:
    return Witness(cloud)


@pytest.fixture
def reserved(witness: Witness) -> Iterator[list[str]]:
    """Ids of floating IPs a test reserved: released after it whatever happened."""
    made: list[str] = []
    yield made
    for fip_id in made:
        witness.neutron.call("DELETE", f"/floatingips/{fip_id}", ok=(404,))


@pytest.fixture(scope="module")
def nova_mode(cloud: Any, tmp_path_factory: Any) -> Iterator[str]:
    with ooi_api(cloud, tmp_path_factory.mktemp("ooi"), "ooi_network_api = nova\n") as url:
        yield url


def _reserve(url: str, token: str, mixins: list[str], reserved: list[str]) -> str:
    resp = request("POST", url, token, body(IPRESERVATION, mixins))
    assert resp.status_code == 201, resp.text
    location = resp.headers["Location"]
    reserved.append(location.rsplit("/", 1)[1])
    return location


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        if line.startswith("X-OCCI-Attribute: "):
            name, _, value = line[len("X-OCCI-Attribute: ") :].partition("=")
            found[name] = value.strip('"')
    return found


@pytest.mark.parametrize(("prefix", "pool"), [("/occi1.2", True), ("/occi1.1", False)])
def test_reserve_show_list_release(ooi_url, demo_token, witness, reserved, prefix, pool):
    url = f"{ooi_url}{prefix}/ipreservation/"
    location = _reserve(url, demo_token, [POOL_SCHEME + "public"] if pool else [], reserved)
    fip = witness.neutron.get(f"/floatingips/{reserved[0]}")["floatingip"]
    assert fip["port_id"] is None
    shown = request("GET", location, demo_token)
    assert shown.status_code == 200, shown.text
    assert f'Category: ipreservation; scheme="{INFRA}"; class="kind"' in shown.text
    assert f'Category: public; scheme="{POOL_SCHEME}"; class="mixin"' in shown.text
    attributes = _attributes(shown.text)
    assert attributes["occi.ipreservation.address"] == fip["floating_ip_address"]
    assert attributes["occi.ipreservation.used"] == "false"
    assert attributes["occi.ipreservation.state"] == "inactive"
    listed = request("GET", url, demo_token, accept="text/uri-list")
    assert location in listed.text.split()
    full = request("GET", url, demo_token, accept="application/occi+json")
    mine = [r for r in full.json()["resources"] if r["id"] == reserved[0]]
    assert mine and mine[0]["attributes"]["occi.ipreservation.used"] is False
    occi = request("GET", location, demo_token, accept="text/occi")
    assert (
        f'occi.ipreservation.address="{fip["floating_ip_address"]}"'
        in (occi.headers["X-OCCI-Attribute"])
    )
    assert request("DELETE", location, demo_token).status_code == 204
    assert witness.neutron.call("GET", f"/floatingips/{reserved[0]}", ok=(404,)) is None
    assert request("GET", location, demo_token).status_code == 404
    assert request("DELETE", location, demo_token).status_code == 404


def test_linked_compute_uses_it_and_its_delete_keeps_it(ooi_url, demo_token, witness, reserved):
    base = f"{ooi_url}/occi1.2/"
    location = _reserve(base + "ipreservation/", demo_token, [], reserved)
    server_id = witness.boot()
    try:
        link = body(
            NETWORKINTERFACE,
            **{"occi.core.source": f"/compute/{server_id}", "occi.core.target": location},
        )
        made = request("POST", base + "networklink/", demo_token, link)
        assert made.status_code == 201, made.text
        attributes = _attributes(request("GET", location, demo_token).text)
        assert attributes["occi.ipreservation.used"] == "true"
        assert request("DELETE", made.headers["Location"], demo_token).status_code == 204
        assert (
            _attributes(request("GET", location, demo_token).text)["occi.ipreservation.used"]
            == "false"
        )
        # Linked again, then the compute deleted: the address stays reserved.
        assert request("POST", base + "networklink/", demo_token, link).status_code == 201
        assert request("DELETE", f"{base}compute/{server_id}", demo_token).status_code == 204
        until(
            "the address free again",
            lambda: (
                witness.neutron.get(f"/floatingips/{reserved[0]}")["floatingip"]["port_id"] is None
            ),
        )
    finally:
        witness.delete(server_id)


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("GET", "ipreservation/0b1c2d3e-0000-4000-8000-000000000000", "", 404),
        ("GET", "ipreservation/x.y", "", 404),
        ("DELETE", "ipreservation/0b1c2d3e-0000-4000-8000-000000000000", "", 404),
        ("POST", "ipreservation/", body(IPRESERVATION, [POOL_SCHEME + "nope"]), 400),
        ("POST", "ipreservation/", body(INFRA + "network"), 400),
    ],
)
def test_refused(ooi_url, demo_token, method, path, data, status):
    resp = request(method, f"{ooi_url}/occi1.2/{path}", demo_token, data)
    assert resp.status_code == status, resp.text


def test_nova_mode_reads_and_refuses_changes(nova_mode, demo_token, witness, reserved):
    public = witness.neutron.get("/networks?router:external=true")["networks"][0]
    fip = witness.neutron.post(
        "/floatingips", {"floatingip": {"floating_network_id": public["id"]}}
    )["floatingip"]
    reserved.append(fip["id"])
    url = f"{nova_mode}/occi1.2/ipreservation/"
    listed = request("GET", url, demo_token, accept="text/uri-list")
    assert listed.status_code == 200, listed.text
    assert f"{url}{fip['id']}" in listed.text.split()
    shown = request("GET", f"{url}{fip['id']}", demo_token)
    assert _attributes(shown.text)["occi.ipreservation.address"] == fip["floating_ip_address"]
    made = request("POST", url, demo_token, body(IPRESERVATION))
    assert made.status_code == 501, made.text
    assert request("DELETE", f"{url}{fip['id']}", demo_token).status_code == 501
