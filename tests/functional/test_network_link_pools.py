"""A public IP's network link shows the floating-IP pool it came from, over HTTP in both modes
and both OCCI versions: on the link, in `/networklink/`, in the compute's rendering and in the
pool mixin's collection, for a link made by `POST /networklink/` and for one made inline at
compute create.

The box's `demo` has one pool (`public`), so a pool among several is tried in a project of the
test's own: an admin-made external network offered to that project alone (neutron's
`access_as_external` RBAC, so that no other project, nor another engineer's test, sees a second
pool), its router's gateway on it. All of it, servers and floating IPs first, goes at the end.
"""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from ooi.cloud.client import token
from tests.cloud.waiting import gone
from tests.functional.network_http import MARK, NETWORKINTERFACE, POOL_SCHEME, request
from tests.functional.test_network_links import Witness, compute_body, link_body

pytestmark = pytest.mark.cloud

JSON = "application/occi+json"
POOL_CIDR = "198.51.100.0/24"  # RFC 5737; public is 203.0.113.0/24
PRIVATE_CIDR = "10.88.0.0/24"


@dataclass
class Pools:
    """The test's project: a member token, witnesses of its nova and neutron, and its own pool
    (an external network only it sees, beside everyone's `public`)."""

    token: str
    witness: Witness
    pool: dict[str, Any]

    @property
    def mixin(self) -> str:
        return POOL_SCHEME + self.pool["name"]  # a name made of letters, digits and -: the term


def _emptied(witness: Witness) -> None:
    """The project's servers and floating IPs gone (what a failed test may have left)."""
    servers = witness.nova.get("/servers")["servers"]
    for server in servers:
        witness.nova.call("DELETE", f"/servers/{server['id']}", ok=(404,))
    for server in servers:
        gone(witness.nova, f"/servers/{server['id']}")
    for fip in witness.floating_ips():
        witness.neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))


@pytest.fixture(scope="module")
def pools(cloud: Any) -> Iterator[Pools]:
    name = f"nl-pool-{uuid.uuid4().hex[:8]}"
    ks = cloud.client("keystone")
    admin = cloud.client("neutron")
    with contextlib.ExitStack() as undo:
        # Undone in reverse: the project's servers and floating IPs first, the project last.
        body = {"project": {"name": name, "domain_id": "default", "enabled": True}}
        project = ks.post("/projects", body)["project"]
        undo.callback(ks.call, "DELETE", f"/projects/{project['id']}", None, (404,))
        password = secrets.token_urlsafe(16)
        body = {"user": {"name": name, "password": password, "domain_id": "default"}}
        user = ks.post("/users", body)["user"]
        undo.callback(ks.call, "DELETE", f"/users/{user['id']}", None, (404,))
        role = ks.find("/roles", "roles", "member")
        assert role, "the box has no member role"
        ks.put(f"/projects/{project['id']}/users/{user['id']}/roles/{role['id']}")
        tok, _ = token(cloud.box.auth_url, name, password, name)

        pool = admin.post("/networks", {"network": {"name": name}})["network"]
        undo.callback(admin.call, "DELETE", f"/networks/{pool['id']}", None, (404,))
        subnet = {"network_id": pool["id"], "cidr": POOL_CIDR, "ip_version": 4}
        admin.post("/subnets", {"subnet": subnet})
        rbac = {
            "object_type": "network",
            "object_id": pool["id"],
            "action": "access_as_external",
            "target_tenant": project["id"],
        }
        policy = admin.post("/rbac-policies", {"rbac_policy": rbac})["rbac_policy"]
        undo.callback(admin.call, "DELETE", f"/rbac-policies/{policy['id']}", None, (404,))

        witness = Witness(cloud, token=tok)
        neutron = witness.neutron
        net = neutron.post("/networks", {"network": {"name": "private"}})["network"]
        undo.callback(neutron.call, "DELETE", f"/networks/{net['id']}", None, (404,))
        body = {"subnet": {"network_id": net["id"], "cidr": PRIVATE_CIDR, "ip_version": 4}}
        subnet_id = neutron.post("/subnets", body)["subnet"]["id"]
        gateway = {"network_id": pool["id"]}
        router = neutron.post(
            "/routers", {"router": {"name": name, "external_gateway_info": gateway}}
        )["router"]
        undo.callback(neutron.call, "DELETE", f"/routers/{router['id']}", None, (404,))
        neutron.put(f"/routers/{router['id']}/add_router_interface", {"subnet_id": subnet_id})
        undo.callback(
            neutron.put,
            f"/routers/{router['id']}/remove_router_interface",
            {"subnet_id": subnet_id},
            (404,),
        )
        undo.callback(_emptied, witness)
        yield Pools(tok, witness, pool)


@pytest.fixture(scope="module")
def server(pools: Pools) -> str:
    """An ACTIVE server of the project (deleted with the project's other servers)."""
    return pools.witness.boot()


def _ours(pools: Pools, server_id: str) -> list[dict[str, Any]]:
    return [f for f in pools.witness.floating_ips() if f.get("description") == MARK + server_id]


def _category_line(type_id: str) -> str:
    scheme, term = type_id.split("#")
    return f'Category: {term}; scheme="{scheme}#"; class="mixin"'


def _json_link(links: list[dict[str, Any]], link_id: str) -> dict[str, Any]:
    found = [lk for lk in links if lk["id"] == link_id]
    assert len(found) == 1, (link_id, [lk["id"] for lk in links])
    return found[0]


def _check_everywhere(base: str, tok: str, server_id: str, link_url: str, mixin: str) -> None:
    """The public link carries `mixin` wherever it is rendered; the server's other links not."""
    link_id = link_url.rsplit("/", 1)[1]
    shown = request("GET", link_url, tok)
    assert shown.status_code == 200, shown.text
    line = _category_line(mixin)
    assert [ln for ln in shown.text.splitlines() if ln.startswith(line)], shown.text
    assert "Category: public;" not in shown.text  # not the other pool
    as_json = request("GET", link_url, tok, accept=JSON).json()
    assert mixin in as_json["mixins"], as_json
    # The compute: its Link header in text/plain, its links in JSON (show and list).
    compute_url = f"{base}compute/{server_id}"
    compute = request("GET", compute_url, tok)
    (line,) = [ln for ln in compute.text.splitlines() if f'self="{link_url}"' in ln]
    assert f"{NETWORKINTERFACE} " in line and f" {mixin}" in line, line
    links = request("GET", compute_url, tok, accept=JSON).json()["links"]
    assert mixin in _json_link(links, link_id)["mixins"]
    private = [lk for lk in links if lk.get("kind") == NETWORKINTERFACE and lk["id"] != link_id]
    assert private and all(mixin not in lk["mixins"] for lk in private), private
    computes = request("GET", f"{base}compute/", tok, accept=JSON).json()["resources"]
    (resource,) = [r for r in computes if r["id"] == server_id]
    assert mixin in _json_link(resource["links"], link_id)["mixins"]
    listed = request("GET", f"{base}networklink/", tok, accept=JSON).json()["links"]
    assert mixin in _json_link(listed, link_id)["mixins"]
    # The pool mixin's collection holds the link.
    term = mixin.split("#")[1]
    members = request("GET", f"{base}floatingippool/{term}/", tok, accept="text/uri-list")
    assert members.status_code == 200, members.text
    assert link_url in members.text.split(), members.text


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
def test_a_public_link_shows_the_pool_it_came_from(ooi_url, pools, server, prefix):
    base = f"{ooi_url}{prefix}/"
    made = request(
        "POST",
        base + "networklink/",
        pools.token,
        link_body(f"/compute/{server}", "/network/PUBLIC", [pools.mixin]),
    )
    assert made.status_code == 201, made.text
    link_url = made.headers["Location"]
    try:
        (fip,) = _ours(pools, server)
        assert fip["floating_network_id"] == pools.pool["id"]
        assert ipaddress.ip_address(fip["floating_ip_address"]) in ipaddress.ip_network(POOL_CIDR)
        assert link_url.endswith(f"_{fip['floating_ip_address']}")
        _check_everywhere(base, pools.token, server, link_url, pools.mixin)
    finally:
        deleted = request("DELETE", link_url, pools.token)
    assert deleted.status_code == 204, deleted.text
    assert not _ours(pools, server)


def test_without_a_pool_mixin_two_pools_are_a_409_naming_them(ooi_url, pools, server):
    made = request(
        "POST",
        f"{ooi_url}/occi1.2/networklink/",
        pools.token,
        link_body(f"/compute/{server}", "/network/PUBLIC"),
    )
    assert made.status_code == 409, made.text
    assert pools.mixin in made.text and POOL_SCHEME + "public" in made.text
    assert not _ours(pools, server)


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
def test_a_compute_created_with_a_pool_link_shows_the_pool(ooi_url, pools, prefix):
    base = f"{ooi_url}{prefix}/"
    image = pools.witness.glance.find("/images", "images", "box-raw")
    public = (
        f'<{base}network/PUBLIC>; rel="http://schemas.ogf.org/occi/infrastructure#network"; '
        f'category="{NETWORKINTERFACE} {pools.mixin}"'
    )
    made = request("POST", f"{base}compute/", pools.token, compute_body(image["id"], [public]))
    assert made.status_code == 201, made.text
    server_id = made.headers["Location"].rsplit("/", 1)[1]
    try:
        (fip,) = _ours(pools, server_id)
        assert fip["floating_network_id"] == pools.pool["id"]
        link_url = f"{base}networklink/{server_id}_{fip['floating_ip_address']}"
        _check_everywhere(base, pools.token, server_id, link_url, pools.mixin)
        deleted = request("DELETE", made.headers["Location"], pools.token)
        assert deleted.status_code == 204, deleted.text
        assert not [f for f in pools.witness.floating_ips() if f["id"] == fip["id"]]
    finally:
        pools.witness.delete(server_id)
