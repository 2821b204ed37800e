"""IP reservations and security groups through the installed `occi` against the box: an
address reserved, given to a compute and taken back (still reserved), then released; a
security group made with rules, rules added and deleted (JSON and text renderings), a compute
put in it and taken out, the group deleted. One compute serves the module; whatever a failed
test left is removed through OpenStack's APIs afterwards."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.client.conftest import Ran, ok
from tests.cloud.waiting import until
from tests.functional.test_storage import Cloud

pytestmark = pytest.mark.cloud
INFRA = "http://schemas.ogf.org/occi/infrastructure#"


@pytest.fixture(scope="module")
def compute(cloud, demo: Cloud, occi_as_demo) -> Iterator[dict[str, Any]]:  # noqa: ANN001
    """A compute on the private network; afterwards it, and any address or group the tests
    left, are gone."""
    endpoint = cloud.endpoints["ooi"] + "/occi1.2"
    name = f"occi-ipsg-{uuid.uuid4().hex[:6]}"
    made = occi_as_demo(endpoint, "compute", "create", name, "--os-template", "box-raw",
                        "--resource-template", "m1.tiny", "--network", "private", "--wait",
                        "-f", "json")  # fmt: skip
    shown = made.json() if made.code == 0 else {}
    left: dict[str, list[str]] = {"floatingips": [], "security-groups": []}
    try:
        yield {"ran": made, "shown": shown, "name": name, "endpoint": endpoint, "left": left}
    finally:
        if shown.get("id"):
            # Public IPs a failed test left on the compute's ports go first (nova keeps them).
            ports = demo.neutron.get(f"/ports?device_id={shown['id']}")["ports"]
            for port in ports:
                for fip in demo.neutron.get(f"/floatingips?port_id={port['id']}")["floatingips"]:
                    demo.neutron.call("DELETE", f"/floatingips/{fip['id']}", ok=(404,))
            demo.nova.call("DELETE", f"/servers/{shown['id']}", ok=(404,))
            until("server gone", lambda: demo.nova.call("GET", f"/servers/{shown['id']}",
                                                        ok=(404,)) is None)  # fmt: skip
        for what, ids in left.items():
            for thing in ids:
                demo.neutron.call("DELETE", f"/{what}/{thing}", ok=(404,))


def test_ip_reservation_given_and_taken_back(compute: dict, occi_as_demo) -> None:  # noqa: ANN001
    ok(compute["ran"])
    endpoint, name = compute["endpoint"], compute["name"]

    def occi(*args: str) -> Ran:
        return occi_as_demo(endpoint, *args)

    made = ok(occi("ipreservation", "create", "--pool", "public", "-f", "json")).json()
    compute["left"]["floatingips"].append(made["id"])
    address = made["occi.ipreservation.address"]
    assert made["title"] == address and made["occi.ipreservation.used"] is False
    listed = ok(occi("ipreservation", "list", "-f", "json")).json()
    assert {"ID": made["id"], "Name": address, "Used": False}.items() <= next(
        r for r in listed if r["ID"] == made["id"]
    ).items()

    link = ok(occi("link", "create", name, "--ip-reservation", address, "--wait", "-f", "json"))
    interface = link.json()
    assert interface["kind"] == INFRA + "networkinterface"
    assert interface["occi.networkinterface.address"] == address
    used = occi("ipreservation", "show", made["id"], "-f", "value", "-c", "occi.ipreservation.used")
    assert ok(used).out.strip() == "True"

    ok(occi("link", "delete", interface["location"], "--wait"))
    # Taken back from the compute, still reserved; released only by its own delete.
    kept = ok(occi("ipreservation", "show", address, "-f", "json")).json()
    assert kept["occi.ipreservation.used"] is False
    ok(occi("ipreservation", "delete", address))
    assert occi("ipreservation", "show", made["id"]).code == 4
    compute["left"]["floatingips"].remove(made["id"])


def test_public_ip_from_a_named_pool(compute: dict, demo: Cloud, occi_as_demo) -> None:  # noqa: ANN001
    ok(compute["ran"])
    endpoint, name = compute["endpoint"], compute["name"]
    before = demo.neutron.get("/floatingips")["floatingips"]
    made = occi_as_demo(endpoint, "--debug", "link", "create", name, "--public-ip", "--pool",
                        "public", "--wait", "-f", "json")  # fmt: skip
    link = ok(made).json()
    assert link["target"] == f"{endpoint}/network/PUBLIC"
    (sent,) = [line for line in made.err.splitlines() if line.startswith("REQ BODY:")]
    assert '"mixins": ["http://schemas.openstack.org/network/floatingippool#public"]' in sent
    ok(occi_as_demo(endpoint, "link", "delete", link["id"], "--wait"))
    assert demo.neutron.get("/floatingips")["floatingips"] == before  # released
    nowhere = occi_as_demo(endpoint, "link", "create", name, "--public-ip", "--pool", "nowhere")
    assert nowhere.code == 4 and "nowhere" in nowhere.err


def _rules(ran: Ran) -> list[dict[str, str]]:
    return [r for r in ok(ran).json()["occi.securitygroup.rules"] if r["type"] == "inbound"]


def test_security_group_rules_and_members(compute: dict, demo: Cloud, occi_as_demo) -> None:  # noqa: ANN001
    ok(compute["ran"])
    endpoint, name = compute["endpoint"], compute["name"]
    group = f"{name}-sg"

    def occi(*args: str, media_type: str = "application/occi+json") -> Ran:
        return occi_as_demo(endpoint, "--media-type", media_type, *args)

    made = occi("security-group", "create", group, "--summary", "web",
                "--rule", "protocol=tcp,port=22,range=10.0.0.0/8", "-f", "json")  # fmt: skip
    group_id = made.json()["id"] if made.code == 0 else None
    if group_id:
        compute["left"]["security-groups"].append(group_id)
    assert _rules(made) == [{"type": "inbound", "protocol": "tcp", "port": "22",
                             "range": "10.0.0.0/8"}]  # fmt: skip
    # Rules added and deleted, in both renderings (text carries them as a JSON string).
    added = occi("security-group", "rule", "add", group, "--rule", "protocol=tcp,port=80:81",
                 "--rule", "type=inbound,protocol=icmp", "-f", "json",
                 media_type="text/plain")  # fmt: skip
    assert len(_rules(added)) == 3
    deleted = occi("security-group", "rule", "delete", group,
                   "--rule", "protocol=tcp,port=22,range=10.0.0.0/8", "-f", "json")  # fmt: skip
    assert sorted(r.get("protocol", "") for r in _rules(deleted)) == ["icmp", "tcp"]
    rules = demo.neutron.get(f"/security-group-rules?security_group_id={group_id}")
    ingress = [r for r in rules["security_group_rules"] if r["direction"] == "ingress"]
    assert sorted((r["protocol"], r["port_range_min"]) for r in ingress) == [
        ("icmp", None), ("tcp", 80)
    ]  # fmt: skip
    # The rules column reads the same in YAML as in JSON.
    shown = ok(occi("security-group", "show", group, "-f", "json")).json()
    assert yaml.safe_load(ok(occi("security-group", "show", group, "-f", "yaml")).out) == shown
    missing = occi("security-group", "rule", "delete", group, "--rule", "protocol=udp,port=53")
    assert missing.code == 4 and "no rule" in missing.err
    bad = occi("security-group", "rule", "add", group, "--rule", "proto=tcp")
    assert bad.code == 2

    link = ok(occi("link", "create", name, "--security-group", group, "--wait", "-f", "json"))
    member = link.json()
    assert member["kind"] == INFRA + "securitygrouplink"
    assert member["target"].endswith(f"/securitygroup/{group_id}")
    assert ok(occi("link", "show", member["id"], "-f", "value", "-c", "kind")).out.strip() == (
        INFRA + "securitygrouplink"
    )
    busy = occi("security-group", "delete", group)
    assert busy.code == 5, busy.err  # neutron: in use by the compute's port
    ok(occi("link", "delete", member["id"], "--wait"))
    end = time.monotonic() + 60
    while (gone := occi("security-group", "delete", group)).code == 5:
        assert time.monotonic() < end, gone.err  # nova still taking the port out
        time.sleep(1)
    ok(gone)
    assert occi("security-group", "show", group_id).code == 4
    compute["left"]["security-groups"].remove(group_id)
    default = occi("security-group", "delete", "default")
    assert default.code == 3 and "default" in default.err
