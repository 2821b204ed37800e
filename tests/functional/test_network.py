"""`/network/` over HTTP, in both modes of ooi and both network APIs (neutron, and nova's
``os-networks`` through a second ooi-api told to use it), with neutron's own API as witness."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.functional.extra_ooi import ooi_api
from tests.functional.occi_names import INFRA

pytestmark = pytest.mark.cloud

PREFIXES = ["/occi1.1", "/occi1.2"]
IPNETWORK = "http://schemas.ogf.org/occi/infrastructure/network#ipnetwork"


def _get(url: str, token: str, accept: str = "text/plain") -> requests.Response:
    return requests.get(url, headers={"X-Auth-Token": token, "Accept": accept}, timeout=60)


def _attributes(body: str) -> dict[str, str]:
    found = {}
    for line in body.splitlines():
        if line.startswith("X-OCCI-Attribute: "):
            name, _, value = line[len("X-OCCI-Attribute: ") :].partition("=")
            found[name] = value.strip('"')
    return found


@pytest.fixture(scope="module")
def neutron(cloud: Any) -> Any:
    return cloud.client("neutron", "demo")


@pytest.fixture(scope="module")
def private(neutron: Any) -> dict[str, Any]:
    """The demo project's network and its subnet, as neutron has them."""
    network = neutron.find("/networks", "networks", "private")
    assert network, "the box has no private network"
    subnet = neutron.get(f"/subnets?network_id={network['id']}")["subnets"][0]
    return {"network": network, "subnet": subnet}


@pytest.fixture(scope="module")
def public_subnet(neutron: Any) -> dict[str, Any]:
    public = neutron.get("/networks?router:external=true")["networks"]
    assert len(public) == 1, "the box has one external network"
    return neutron.get(f"/subnets?network_id={public[0]['id']}")["subnets"][0]


@pytest.fixture(scope="module")
def nova_mode(cloud: Any, tmp_path_factory: Any) -> Iterator[str]:
    """An ooi-api reading networks through nova's API although neutron is in the catalog."""
    with ooi_api(cloud, tmp_path_factory.mktemp("ooi"), "ooi_network_api = nova\n") as url:
        yield url


# --- Neutron ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_list_has_own_network_and_public(ooi_url, demo_token, private, prefix):
    url = f"{ooi_url}{prefix}/network/"
    expected = [f"{url}{private['network']['id']}", f"{url}PUBLIC"]
    plain = _get(url, demo_token)
    assert plain.status_code == 200, plain.text
    locations = [ln.split(": ", 1)[1] for ln in plain.text.splitlines()]
    assert sorted(locations) == sorted(expected)
    uris = _get(url, demo_token, "text/uri-list")
    assert sorted(uris.text.split()) == sorted(expected)
    occi = _get(url, demo_token, "text/occi")
    assert sorted(v.strip() for v in occi.headers["X-OCCI-Location"].split(",")) == sorted(expected)
    assert _get(url.rstrip("/"), demo_token).status_code == 200


def test_list_in_json_has_full_networks_in_two_calls(ooi_url, demo_token, private):
    jsonschema = pytest.importorskip("jsonschema")
    from ooi.occi.schema import definition

    resp = _get(f"{ooi_url}/occi1.2/network/", demo_token, "application/occi+json")
    assert resp.status_code == 200, resp.text
    resources = {r["id"]: r for r in resp.json()["resources"]}
    assert set(resources) == {private["network"]["id"], "PUBLIC"}
    for resource in resources.values():
        jsonschema.validate(resource, definition("resource"))
    mine = resources[private["network"]["id"]]
    assert mine["kind"] == INFRA + "network"
    assert IPNETWORK in mine["mixins"]
    assert mine["attributes"]["occi.network.address"] == private["subnet"]["cidr"]
    assert mine["attributes"]["occi.network.label"] == "private"
    calls = resp.headers["X-OOI-Backend-Calls"]
    assert calls.replace(" ", "") == "network=2"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_show_private_network(ooi_url, demo_token, private, prefix):
    network, subnet = private["network"], private["subnet"]
    resp = _get(f"{ooi_url}{prefix}/network/{network['id']}", demo_token)
    assert resp.status_code == 200, resp.text
    assert resp.text.startswith(f'Category: network; scheme="{INFRA}"; class="kind"')
    assert f'Category: ipnetwork; scheme="{INFRA[:-1]}/network#"' in resp.text
    attributes = _attributes(resp.text)
    assert attributes["occi.core.id"] == network["id"]
    assert attributes["occi.network.label"] == "private"
    assert attributes["occi.network.state"] == "active"
    assert attributes["occi.network.address"] == subnet["cidr"]
    assert attributes["occi.network.gateway"] == subnet["gateway_ip"]
    assert attributes["occi.network.allocation"] == "dynamic"  # DHCP is on
    # Segmentation ids are for admins: neutron shows the demo user none, so neither does ooi.
    assert "occi.network.vlan" not in attributes
    actions = [ln for ln in resp.text.splitlines() if "?action=" in ln]
    assert {a.split("?action=")[1].split(">")[0] for a in actions} == {"up", "down"}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_show_public(ooi_url, demo_token, public_subnet, prefix):
    resp = _get(f"{ooi_url}{prefix}/network/PUBLIC", demo_token, "text/occi")
    assert resp.status_code == 200, resp.text
    attributes = resp.headers["X-OCCI-Attribute"]
    assert 'occi.core.id="PUBLIC"' in attributes
    assert f'occi.network.address="{public_subnet["cidr"]}"' in attributes
    assert 'occi.network.state="active"' in attributes
    assert "?action=" not in resp.headers.get("Link", "")


@pytest.mark.parametrize(
    "network_id", ["0b1c2d3e-0000-4000-8000-000000000000", "no-such-net", "a%2Fb", "x.y", "a b"]
)
def test_unknown_network_is_404(ooi_url, demo_token, network_id):
    resp = _get(f"{ooi_url}/occi1.2/network/{network_id}", demo_token)
    assert resp.status_code == 404, resp.text
    assert "network" in resp.text


def test_other_projects_network_is_404(ooi_url, alt_demo_token, private):
    resp = _get(f"{ooi_url}/occi1.2/network/{private['network']['id']}", alt_demo_token)
    assert resp.status_code == 404, resp.text


# --- nova's network API ----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_nova_mode_lists_networks_and_public(nova_mode, demo_token, private, prefix):
    url = f"{nova_mode}{prefix}/network/"
    resp = _get(url, demo_token, "text/uri-list")
    assert resp.status_code == 200, resp.text
    assert sorted(resp.text.split()) == sorted([f"{url}{private['network']['id']}", f"{url}PUBLIC"])
    full = _get(url, demo_token, "application/occi+json")
    assert full.status_code == 200, full.text
    titles = {r["id"]: r.get("title") for r in full.json()["resources"]}
    assert titles == {private["network"]["id"]: "private", "PUBLIC": "PUBLIC"}
    # No neutron call at all: nova's API only.
    assert "network=" not in full.headers["X-OOI-Backend-Calls"]


def test_nova_mode_shows_a_network(nova_mode, demo_token, private):
    network_id = private["network"]["id"]
    resp = _get(f"{nova_mode}/occi1.2/network/{network_id}", demo_token)
    assert resp.status_code == 200, resp.text
    attributes = _attributes(resp.text)
    assert attributes["occi.core.id"] == network_id
    assert attributes["occi.network.label"] == "private"
    assert attributes["occi.network.state"] == "active"
    assert _get(f"{nova_mode}/occi1.2/network/PUBLIC", demo_token).status_code == 200
    missing = _get(f"{nova_mode}/occi1.2/network/0b1c2d3e-0000-4000-8000-000000000000", demo_token)
    assert missing.status_code == 404, missing.text
