"""`/networklink/` and public IPs over HTTP, in both modes, with nova's and neutron's own APIs as
witnesses: list, show, attach a second interface, give a public IP (pool mixin or not), take it
back, detach; reserved addresses; computes created with a link to PUBLIC and deleted with their
public IPs; the network choice at create. Every test leaves the project's ports and floating IPs
as it found them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from ooi.cloud.client import Client
from tests.cloud.waiting import gone, server_status, until
from tests.functional.extra_ooi import ooi_api
from tests.functional.network_http import (
    MARK,
    NETWORKINTERFACE,
    POOL_SCHEME,
    body,
    category,
    request,
)
from tests.functional.occi_names import COMPUTE, INFRA, OS_TPL_SCHEME, RES_TPL_SCHEME

pytestmark = pytest.mark.cloud


def link_body(source: str, target: str, mixins: list[str] = (), **attributes: str) -> str:
    values = {"occi.core.source": source, "occi.core.target": target, **attributes}
    return body(NETWORKINTERFACE, mixins, **values)


class Witness:
    """The demo project's nova and neutron, through their own APIs."""

    def __init__(self, cloud: Any, project: str = "demo", token: str | None = None) -> None:
        """The member project's witness (``project``), or that of another project's ``token``."""
        if token is None:
            token = cloud.projects[project].token
        self.nova = Client(cloud.endpoints["nova"], token)
        self.neutron = Client(cloud.endpoints["neutron"], token)
        self.glance = Client(cloud.endpoints["glance"] + "/v2", token)

    def ports(self, server_id: str) -> list[dict[str, Any]]:
        return self.neutron.get(f"/ports?device_id={server_id}")["ports"]

    def floating_ips(self) -> list[dict[str, Any]]:
        return self.neutron.get("/floatingips")["floatingips"]

    def snapshot(self, server_id: str) -> tuple[set[str], set[str]]:
        """The server's ports and the floating IPs on them or marked for it (ids), to compare
        before and after (other tests may change the rest of the project meanwhile)."""
        ports = {p["id"] for p in self.ports(server_id)}
        floating = {
            f["id"]
            for f in self.floating_ips()
            if f.get("port_id") in ports or f.get("description") == MARK + server_id
        }
        return ports, floating

    def network(self, name: str) -> dict[str, Any]:
        found = self.neutron.find("/networks", "networks", name)
        assert found, f"the box has no {name} network"
        return found

    def boot(self) -> str:
        image = self.glance.find("/images", "images", "box-raw")
        body = {
            "server": {
                "name": f"nl-{uuid.uuid4().hex[:8]}",
                "flavorRef": "1",
                "imageRef": image["id"],
                "networks": [{"uuid": self.network("private")["id"]}],
            }
        }
        server_id = self.nova.post("/servers", body)["server"]["id"]
        server_status(self.nova, server_id, "ACTIVE")
        until(
            "an ACTIVE port", lambda: [p for p in self.ports(server_id) if p["status"] == "ACTIVE"]
        )
        return server_id

    def delete(self, server_id: str) -> None:
        """The server and any public IP ooi left for it (a failed test may have)."""
        for fip in self.floating_ips():
            if fip.get("description") == MARK + server_id:
                self.neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))
        self.nova.call("DELETE", f"/servers/{server_id}", ok=(404,))
        gone(self.nova, f"/servers/{server_id}")


@pytest.fixture(scope="module")
def witness(cloud: Any) -> Witness:
    return Witness(cloud)


@pytest.fixture(scope="module")
def server(witness: Witness) -> Iterator[str]:
    """One ACTIVE server of the demo project for the whole module."""
    server_id = witness.boot()
    try:
        yield server_id
    finally:
        witness.delete(server_id)


@pytest.fixture
def unchanged(witness: Witness, server: str) -> Iterator[None]:
    """The test leaves the server's ports and floating IPs as it found them."""
    before = witness.snapshot(server)
    yield
    until("ports and floating IPs as before", lambda: witness.snapshot(server) == before, 30)


@pytest.fixture(scope="module")
def nova_mode(cloud: Any, tmp_path_factory: Any) -> Iterator[str]:
    with ooi_api(cloud, tmp_path_factory.mktemp("ooi"), "ooi_network_api = nova\n") as url:
        yield url


def _eth0(witness: Witness, server_id: str) -> dict[str, Any]:
    return sorted(witness.ports(server_id), key=lambda p: p["created_at"])[0]


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
def test_list_and_show_the_servers_interface(ooi_url, demo_token, witness, server, prefix):
    port = _eth0(witness, server)
    address = port["fixed_ips"][0]["ip_address"]
    link_url = f"{ooi_url}{prefix}/networklink/{server}_{address}"
    listing = request("GET", f"{ooi_url}{prefix}/networklink/", demo_token, accept="text/uri-list")
    assert listing.status_code == 200, listing.text
    assert link_url in listing.text.split()
    shown = request("GET", link_url, demo_token)
    assert shown.status_code == 200, shown.text
    assert f'Category: networkinterface; scheme="{INFRA}"; class="kind"' in shown.text
    for expected in (
        f'occi.core.source="{ooi_url}{prefix}/compute/{server}"',
        f'occi.core.target="{ooi_url}{prefix}/network/{port["network_id"]}"',
        'occi.networkinterface.interface="eth0"',
        f'occi.networkinterface.mac="{port["mac_address"]}"',
        f'occi.networkinterface.address="{address}"',
        'occi.networkinterface.state="active"',
    ):
        assert f"X-OCCI-Attribute: {expected}" in shown.text.splitlines()
    occi = request("GET", link_url, demo_token, accept="text/occi")
    assert f'occi.networkinterface.address="{address}"' in occi.headers["X-OCCI-Attribute"]


def test_list_in_json_has_full_links(ooi_url, demo_token, witness, server):
    port = _eth0(witness, server)
    address = port["fixed_ips"][0]["ip_address"]
    resp = request(
        "GET", f"{ooi_url}/occi1.2/networklink/", demo_token, accept="application/occi+json"
    )
    assert resp.status_code == 200, resp.text
    links = {link["id"]: link for link in resp.json()["links"]}
    mine = links[f"{server}_{address}"]
    assert mine["kind"] == NETWORKINTERFACE
    assert mine["attributes"]["occi.networkinterface.mac"] == port["mac_address"]
    assert mine["source"]["location"] == f"{ooi_url}/occi1.2/compute/{server}"


@pytest.mark.parametrize(
    "suffix", ["nothing", "_10.0.0.250", "_not-an-ip", "x.y_10.0.0.1", "0000_10.0.0.1"]
)
def test_unknown_links_are_404(ooi_url, demo_token, server, suffix):
    link_id = suffix if not suffix.startswith("_") else server + suffix
    for method in ("GET", "DELETE"):
        resp = request(method, f"{ooi_url}/occi1.2/networklink/{link_id}", demo_token)
        assert resp.status_code == 404, resp.text


def test_other_projects_link_is_404(ooi_url, alt_demo_token, witness, server):
    address = _eth0(witness, server)["fixed_ips"][0]["ip_address"]
    resp = request("GET", f"{ooi_url}/occi1.2/networklink/{server}_{address}", alt_demo_token)
    assert resp.status_code == 404, resp.text


# --- Links made and removed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "pool"), [("/occi1.2", True), ("/occi1.1", False)], ids=["pool-mixin", "only-pool"]
)
@pytest.mark.usefixtures("unchanged")
def test_interface_and_public_ip_lifecycle(ooi_url, demo_token, witness, server, prefix, pool):
    base = f"{ooi_url}{prefix}/"
    private = witness.network("private")
    # A second interface on the private network.
    made = request(
        "POST",
        base + "networklink/",
        demo_token,
        link_body(f"/compute/{server}", f"{base}network/{private['id']}"),
    )
    assert made.status_code == 201, made.text
    second = made.headers["Location"]
    address = second.rsplit("_", 1)[1]
    assert [p for p in witness.ports(server) if p["fixed_ips"][0]["ip_address"] == address]
    assert request("GET", second, demo_token).status_code == 200
    # A public IP, from the pool named by its mixin or from the only pool.
    mixins = [POOL_SCHEME + "public"] if pool else []
    public = request(
        "POST",
        base + "networklink/",
        demo_token,
        link_body(f"{base}compute/{server}", "/network/PUBLIC", mixins),
    )
    assert public.status_code == 201, public.text
    public_url = public.headers["Location"]
    floating = public_url.rsplit("_", 1)[1]
    (fip,) = [f for f in witness.floating_ips() if f["floating_ip_address"] == floating]
    assert fip["port_id"] == _eth0(witness, server)["id"]
    assert fip["description"] == MARK + server
    # Named or not, the pool it came from shows on the link (test_network_link_pools.py: more).
    shown = request("GET", public_url, demo_token).text.splitlines()
    assert [ln for ln in shown if ln.startswith(f'Category: public; scheme="{POOL_SCHEME}"')]
    compute = request("GET", f"{base}compute/{server}", demo_token)
    (line,) = [ln for ln in compute.text.splitlines() if f'self="{public_url}"' in ln]
    assert f"<{base}network/PUBLIC>" in line and f" {POOL_SCHEME}public" in line, line
    listed = request("GET", base + "networklink/", demo_token, accept="text/uri-list")
    assert public_url in listed.text.split() and second in listed.text.split()
    # Taken back: the public IP is released (ooi allocated it), the interface unplugged.
    assert request("DELETE", public_url, demo_token).status_code == 204
    assert not [f for f in witness.floating_ips() if f["id"] == fip["id"]]
    assert request("GET", public_url, demo_token).status_code == 404
    assert request("DELETE", second, demo_token).status_code == 204
    until("the second interface gone", lambda: len(witness.ports(server)) == 1)
    until("its link gone", lambda: request("GET", second, demo_token).status_code == 404)


@pytest.mark.usefixtures("unchanged")
def test_reserved_address_is_associated_then_kept(ooi_url, demo_token, witness, server):
    public = witness.neutron.get("/networks?router:external=true")["networks"][0]
    body = {"floatingip": {"floating_network_id": public["id"]}}
    fip = witness.neutron.post("/floatingips", body)["floatingip"]
    try:
        made = request(
            "POST",
            f"{ooi_url}/occi1.2/networklink/",
            demo_token,
            link_body(f"/compute/{server}", f"/ipreservation/{fip['id']}"),
        )
        assert made.status_code == 201, made.text
        assert made.headers["Location"].endswith(f"_{fip['floating_ip_address']}")
        now = witness.neutron.get(f"/floatingips/{fip['id']}")["floatingip"]
        assert now["port_id"] == _eth0(witness, server)["id"]
        assert request("DELETE", made.headers["Location"], demo_token).status_code == 204
        # Only disassociated: the project reserved it, it stays the project's.
        now = witness.neutron.get(f"/floatingips/{fip['id']}")["floatingip"]
        assert now["port_id"] is None
    finally:
        witness.neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))


@pytest.mark.parametrize(
    ("source", "target", "mixins", "status", "fragment"),
    [
        (None, "/network/PUBLIC", [], 400, "occi.core.source"),
        ("/compute/{server}", "/network/PUBLIC", [POOL_SCHEME + "nope"], 400, "nope"),
        ("/compute/0b1c2d3e-0000-4000-8000-000000000000", "/network/PUBLIC", [], 404, "compute"),
        ("/compute/{server}", "/network/0b1c2d3e-0000-4000-8000-000000000000", [], 404, "network"),
        ("/compute/{server}", "/network/x.y", [], 404, "network"),
        ("/compute/{server}", "/storage/x", [], 400, "network"),
    ],
)
@pytest.mark.usefixtures("unchanged")
def test_bad_links_are_refused(
    ooi_url, demo_token, server, source, target, mixins, status, fragment
):
    body = link_body((source or "").format(server=server), target, mixins)
    if source is None:
        body = "\n".join(ln for ln in body.splitlines() if "occi.core.source" not in ln)
    resp = request("POST", f"{ooi_url}/occi1.2/networklink/", demo_token, body)
    assert resp.status_code == status, resp.text
    assert fragment in resp.text


def test_nova_mode_reads_links_and_refuses_changes(nova_mode, demo_token, witness, server):
    address = _eth0(witness, server)["fixed_ips"][0]["ip_address"]
    link_url = f"{nova_mode}/occi1.2/networklink/{server}_{address}"
    listing = request("GET", f"{nova_mode}/occi1.2/networklink/", demo_token)
    assert f"X-OCCI-Location: {link_url}" in listing.text.splitlines()
    shown = request("GET", link_url, demo_token)
    assert shown.status_code == 200
    # nova names networks by label; the link targets the network by id, as /network/ lists it.
    private = witness.network("private")["id"]
    target = f"{nova_mode}/occi1.2/network/{private}"
    assert f'occi.core.target="{target}"' in shown.text, shown.text
    assert request("GET", target, demo_token).status_code == 200
    networks = request("GET", f"{nova_mode}/occi1.2/network/", demo_token).text
    assert f"X-OCCI-Location: {target}" in networks.splitlines()
    compute = request("GET", f"{nova_mode}/occi1.2/compute/{server}", demo_token).text
    assert f"<{target}>" in compute, compute
    as_json = request(
        "GET", f"{nova_mode}/occi1.2/networklink/", demo_token, accept="application/occi+json"
    ).json()
    links = as_json["links"] if isinstance(as_json, dict) else as_json
    mine = [lk for lk in links if lk["id"] == f"{server}_{address}"]
    assert mine and mine[0]["target"]["location"] == target, mine
    made = request(
        "POST",
        f"{nova_mode}/occi1.2/networklink/",
        demo_token,
        link_body(f"/compute/{server}", "/network/PUBLIC"),
    )
    assert made.status_code == 501, made.text
    assert "network service" in made.text
    assert request("DELETE", link_url, demo_token).status_code == 501


# --- Compute create and delete ---------------------------------------------------------------


def compute_body(image_id: str, links: list[str] = ()) -> str:
    lines = [
        category(COMPUTE, "kind"),
        category(OS_TPL_SCHEME + image_id),
        category(RES_TPL_SCHEME + "1"),
        f'X-OCCI-Attribute: occi.core.title="nl-{uuid.uuid4().hex[:8]}"',
    ]
    return "\n".join([*lines, *(f"Link: {link}" for link in links)])


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
def test_compute_created_with_public_ip_and_deleted_with_it(ooi_url, demo_token, witness, prefix):
    image = witness.glance.find("/images", "images", "box-raw")
    public = (
        f'<{ooi_url}{prefix}/network/PUBLIC>; rel="{INFRA}network"; category="{NETWORKINTERFACE}"'
    )
    made = request(
        "POST", f"{ooi_url}{prefix}/compute/", demo_token, compute_body(image["id"], [public])
    )
    assert made.status_code == 201, made.text
    server_id = made.headers["Location"].rsplit("/", 1)[1]
    try:
        ours = [f for f in witness.floating_ips() if f.get("description") == MARK + server_id]
        assert len(ours) == 1 and ours[0]["port_id"] == _eth0(witness, server_id)["id"]
        # It is on the private network (the project's only one), and shows its public IP.
        assert _eth0(witness, server_id)["network_id"] == witness.network("private")["id"]
        shown = request("GET", made.headers["Location"], demo_token)
        assert ours[0]["floating_ip_address"] in shown.text
        # No pool named: the only one gave the address, and its mixin shows on the link.
        link = f'self="{ooi_url}{prefix}/networklink/{server_id}_{ours[0]["floating_ip_address"]}"'
        (line,) = [ln for ln in shown.text.splitlines() if link in ln]
        assert f" {POOL_SCHEME}public" in line, line
        deleted = request("DELETE", made.headers["Location"], demo_token)
        assert deleted.status_code == 204, deleted.text
        assert not [f for f in witness.floating_ips() if f["id"] == ours[0]["id"]]
    finally:
        witness.delete(server_id)


def test_several_networks_without_a_link_is_409_listing_them(ooi_url, alt_demo_token, cloud):
    alt = Witness(cloud, "alt_demo")
    image = alt.glance.find("/images", "images", "box-raw")
    extra = alt.neutron.post("/networks", {"network": {"name": "nl-extra"}})["network"]
    try:
        resp = request(
            "POST", f"{ooi_url}/occi1.2/compute/", alt_demo_token, compute_body(image["id"])
        )
        assert resp.status_code == 409, resp.text
        assert f"{ooi_url}/occi1.2/network/{extra['id']}" in resp.text
        assert f"{ooi_url}/occi1.2/network/{alt.network('private')['id']}" in resp.text
        assert not alt.nova.get("/servers?name=nl-")["servers"]
    finally:
        alt.neutron.call("DELETE", f"/networks/{extra['id']}", ok=(404,))


def test_the_sites_default_network_takes_a_compute_without_links(alt_demo_token, cloud, tmp_path):
    """With ooi_default_network set, a project with several networks gets no 409: a compute
    created without network links lands on the site's default network."""
    alt = Witness(cloud, "alt_demo")
    image = alt.glance.find("/images", "images", "box-raw")
    extra = alt.neutron.post("/networks", {"network": {"name": "nl-default"}})["network"]
    subnet = {"network_id": extra["id"], "ip_version": 4, "cidr": "10.69.0.0/24"}
    alt.neutron.post("/subnets", {"subnet": subnet})
    server_id = None
    try:
        with ooi_api(cloud, tmp_path, f"ooi_default_network = {extra['id']}\n") as url:
            resp = request(
                "POST", f"{url}/occi1.2/compute/", alt_demo_token, compute_body(image["id"])
            )
            assert resp.status_code == 201, resp.text
            server_id = resp.headers["Location"].rsplit("/", 1)[1]
            ports = until("the compute's port", lambda: alt.ports(server_id))
            assert [p["network_id"] for p in ports] == [extra["id"]]
    finally:
        if server_id:
            alt.delete(server_id)
        until(
            "the extra network gone",
            lambda: (
                alt.neutron.call("DELETE", f"/networks/{extra['id']}", ok=(404, 409)) is None
                and not alt.neutron.call("GET", f"/networks/{extra['id']}", ok=(404,))
            ),
            30,
        )
