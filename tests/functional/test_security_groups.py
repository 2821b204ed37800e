"""Security groups over HTTP, in both modes, with neutron's API as witness: create with rules
(JSON and text), show, list, update the rules, link to a compute, unlink, delete (409 while in
use, 403 for the default group)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.cloud.waiting import until
from tests.functional.network_http import body, request
from tests.functional.occi_names import INFRA, OS_TPL_SCHEME, RES_TPL_SCHEME
from tests.functional.test_network_links import Witness

pytestmark = pytest.mark.cloud

SECURITYGROUP = INFRA + "securitygroup"
SECURITYGROUPLINK = INFRA + "securitygrouplink"
SSH = {"type": "inbound", "protocol": "tcp", "port": "22", "range": "0.0.0.0/0"}
WEB = {"type": "inbound", "protocol": "tcp", "port": "8000:8080", "range": "192.0.2.0/24"}


@pytest.fixture(scope="module")
def witness(cloud: Any) -> Witness:
    return Witness(cloud)


@pytest.fixture
def name(witness: Witness) -> Iterator[str]:
    """A fresh group name; groups carrying it are deleted after the test."""
    found = f"ooi-sg-{uuid.uuid4().hex[:8]}"
    yield found
    for group in witness.neutron.get(f"/security-groups?name={found}")["security_groups"]:
        witness.neutron.call("DELETE", f"/security-groups/{group['id']}", ok=(404, 409))


def _ingress(witness: Witness, group_id: str) -> set[tuple[Any, ...]]:
    group = witness.neutron.get(f"/security-groups/{group_id}")["security_group"]
    return {
        (r["protocol"], r["port_range_min"], r["port_range_max"], r["remote_ip_prefix"])
        for r in group["security_group_rules"]
        if r["direction"] == "ingress"
    }


def _create_json(url: str, token: str, name: str, rules: list[dict[str, str]]) -> Any:
    doc = {"kind": SECURITYGROUP, "title": name, "attributes": {"occi.securitygroup.rules": rules}}
    headers = {"X-Auth-Token": token, "Content-Type": "application/occi+json"}
    return requests.post(url, data=json.dumps(doc), headers=headers, timeout=60)


@pytest.mark.parametrize("prefix", ["/occi1.2", "/occi1.1"])
def test_group_lifecycle_with_a_compute(ooi_url, demo_token, witness, name, prefix):
    base = f"{ooi_url}{prefix}/"
    made = _create_json(base + "securitygroup/", demo_token, name, [SSH])
    assert made.status_code == 201, made.text
    location = made.headers["Location"]
    group_id = location.rsplit("/", 1)[1]
    assert _ingress(witness, group_id) == {("tcp", 22, 22, "0.0.0.0/0")}
    shown = request("GET", location, demo_token, accept="application/occi+json")
    assert shown.status_code == 200, shown.text
    assert SSH in shown.json()["attributes"]["occi.securitygroup.rules"]
    listed = request("GET", base + "securitygroup/", demo_token, accept="text/uri-list")
    assert location in listed.text.split()
    # The rules become exactly the new ones (text rendering: a JSON string).
    rules = json.dumps([WEB])
    updated = request(
        "PUT", location, demo_token, body(SECURITYGROUP, **{"occi.securitygroup.rules": rules})
    )
    assert updated.status_code == 200, updated.text
    assert _ingress(witness, group_id) == {("tcp", 8000, 8080, "192.0.2.0/24")}
    assert "8000:8080" in request("GET", location, demo_token).text
    # Linked to a compute, the group cannot go; unlinked, it can.
    server_id = witness.boot()
    try:
        link = body(
            SECURITYGROUPLINK,
            **{"occi.core.source": f"/compute/{server_id}", "occi.core.target": location},
        )
        linked = request("POST", base + "securitygrouplink/", demo_token, link)
        assert linked.status_code == 201, linked.text
        link_url = linked.headers["Location"]
        assert link_url.endswith(f"/securitygrouplink/{server_id}_{group_id}")
        until(
            "the port in the group",
            lambda: group_id in witness.ports(server_id)[0]["security_groups"],
        )
        assert request("GET", link_url, demo_token).status_code == 200
        listed = request("GET", base + "securitygrouplink/", demo_token, accept="text/uri-list")
        assert link_url in listed.text.split()
        refused = request("DELETE", location, demo_token)
        assert refused.status_code == 409, refused.text
        assert request("DELETE", link_url, demo_token).status_code == 204
        until(
            "the port out of the group",
            lambda: group_id not in witness.ports(server_id)[0]["security_groups"],
        )
        assert request("GET", link_url, demo_token).status_code == 404
    finally:
        witness.delete(server_id)
    assert request("DELETE", location, demo_token).status_code == 204
    assert witness.neutron.call("GET", f"/security-groups/{group_id}", ok=(404,)) is None
    assert request("GET", location, demo_token).status_code == 404


def test_default_group_is_shown_and_kept(ooi_url, demo_token, witness):
    groups = witness.neutron.get("/security-groups?name=default")["security_groups"]
    location = f"{ooi_url}/occi1.2/securitygroup/{groups[0]['id']}"
    shown = request("GET", location, demo_token)
    assert shown.status_code == 200, shown.text
    assert 'occi.core.title="default"' in shown.text
    assert request("DELETE", location, demo_token).status_code == 403


@pytest.mark.parametrize("accept", ["application/occi+json", "text/plain"])
def test_rules_sent_back_as_shown_change_nothing(ooi_url, demo_token, witness, name, accept):
    # A group as neutron makes it (egress to every IPv4 and IPv6 address) plus the kind of
    # rule default groups have: ingress from the group's own members, IPv4 and IPv6.
    group = witness.neutron.post("/security-groups", {"security_group": {"name": name}})[
        "security_group"
    ]
    for ethertype in ("IPv4", "IPv6"):
        rule = {"security_group_id": group["id"], "direction": "ingress"}
        rule |= {"ethertype": ethertype, "remote_group_id": group["id"]}
        witness.neutron.post("/security-group-rules", {"security_group_rule": rule})

    def rule_ids() -> set[str]:
        found = witness.neutron.get(f"/security-groups/{group['id']}")["security_group"]
        return {r["id"] for r in found["security_group_rules"]}

    before = rule_ids()
    assert len(before) == 4
    location = f"{ooi_url}/occi1.2/securitygroup/{group['id']}"
    shown = request("GET", location, demo_token, accept="application/occi+json").json()
    rules = shown["attributes"]["occi.securitygroup.rules"]
    assert {"type": "inbound", "group": group["id"]} in rules
    assert {"type": "outbound", "range": "::/0"} in rules
    if accept == "text/plain":
        sent = body(SECURITYGROUP, **{"occi.securitygroup.rules": json.dumps(rules)})
        resp = request("PUT", location, demo_token, sent)
    else:
        doc = {"kind": SECURITYGROUP, "attributes": {"occi.securitygroup.rules": rules}}
        headers = {"X-Auth-Token": demo_token, "Content-Type": "application/occi+json"}
        resp = requests.put(location, data=json.dumps(doc), headers=headers, timeout=60)
    assert resp.status_code == 200, resp.text
    assert rule_ids() == before  # none deleted, none made


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        ([{"type": "sideways"}], "inbound or outbound"),
        ([{"protocol": "tcp", "port": "99999"}], "0-65535"),
        ([{"protocol": "icmp", "port": "22"}], "tcp or udp"),
        ([{"range": "not-a-cidr"}], "CIDR"),
        ([{"colour": "red"}], "colour"),
        (["ssh"], "object"),
    ],
)
def test_bad_rules_are_400_and_make_nothing(ooi_url, demo_token, witness, name, rules, fragment):
    resp = _create_json(f"{ooi_url}/occi1.2/securitygroup/", demo_token, name, rules)
    assert resp.status_code == 400, resp.text
    assert fragment in resp.text
    assert not witness.neutron.get(f"/security-groups?name={name}")["security_groups"]


@pytest.mark.parametrize(
    "path",
    [
        "securitygroup/0b1c2d3e-0000-4000-8000-000000000000",
        "securitygroup/x.y",
        "securitygrouplink/0b1c2d3e-0000-4000-8000-000000000000_0b1c2d3e-0000-4000-8000-000000000000",
        "securitygrouplink/nothing",
    ],
)
def test_unknown_are_404(ooi_url, demo_token, path):
    for method in ("GET", "DELETE"):
        resp = request(method, f"{ooi_url}/occi1.2/{path}", demo_token)
        assert resp.status_code == 404, resp.text


def test_compute_created_in_a_group(ooi_url, demo_token, witness, name):
    base = f"{ooi_url}/occi1.2/"
    made = _create_json(base + "securitygroup/", demo_token, name, [SSH])
    assert made.status_code == 201, made.text
    group_url = made.headers["Location"]
    group_id = group_url.rsplit("/", 1)[1]
    image = witness.glance.find("/images", "images", "box-raw")
    compute = "\n".join(
        [
            f'Category: compute; scheme="{INFRA}"; class="kind"',
            f'Category: {image["id"]}; scheme="{OS_TPL_SCHEME}"; class="mixin"',
            f'Category: 1; scheme="{RES_TPL_SCHEME}"; class="mixin"',
            f'X-OCCI-Attribute: occi.core.title="{name}"',
            f'Link: <{group_url}>; rel="{SECURITYGROUP}"; category="{SECURITYGROUPLINK}"',
        ]
    )
    booted = request("POST", base + "compute/", demo_token, compute)
    assert booted.status_code == 201, booted.text
    server_id = booted.headers["Location"].rsplit("/", 1)[1]
    try:
        ports = until("the compute's port", lambda: witness.ports(server_id))
        assert ports[0]["security_groups"] == [group_id]
        shown = request("GET", booted.headers["Location"], demo_token)
        assert f'self="{base}securitygrouplink/{server_id}_{group_id}"' in shown.text
    finally:
        witness.delete(server_id)
    until(
        "the group free",
        lambda: request("DELETE", group_url, demo_token).status_code == 204,
        30,
    )


GROUP_SCHEME = "http://schemas.openstack.org/infrastructure/security/group#"
GROUP_BASE = "http://schemas.ogf.org/occi/infrastructure/security#group"


@pytest.mark.parametrize("prefix", ["/occi1.2", "/occi1.1"])
def test_compute_created_with_a_group_mixin(ooi_url, demo_token, witness, name, prefix):
    """Security groups are mixins in /-/ (as occi-os offered them): one in a compute create
    boots the server in that group; the compute then carries it and is in its collection."""
    base = f"{ooi_url}{prefix}/"
    made = _create_json(base + "securitygroup/", demo_token, name, [SSH])
    assert made.status_code == 201, made.text
    group_url = made.headers["Location"]
    group_id = group_url.rsplit("/", 1)[1]

    def offered_mixins() -> dict[str, Any]:
        query = requests.get(
            base + "-/",
            headers={"X-Auth-Token": demo_token, "Accept": "application/occi+json"},
            timeout=60,
        ).json()
        return {m["scheme"] + m["term"]: m for m in query["mixins"]}

    # The worker that made the group offers it at once; another ooi-api worker once its cached
    # groups expire (ooi_cache_ttl, 30 s in the box).
    mixins = until(
        "the new group offered in /-/",
        lambda: (found := offered_mixins()) and GROUP_SCHEME + group_id in found and found,
        45,
    )
    offered = mixins[GROUP_SCHEME + group_id]
    assert offered["title"] == name and GROUP_BASE in offered["depends"]
    assert offered["location"] == f"{prefix}/security_group/{group_id}"
    assert GROUP_BASE in mixins
    image = witness.glance.find("/images", "images", "box-raw")
    compute = "\n".join(
        [
            f'Category: compute; scheme="{INFRA}"; class="kind"',
            f'Category: {image["id"]}; scheme="{OS_TPL_SCHEME}"; class="mixin"',
            f'Category: 1; scheme="{RES_TPL_SCHEME}"; class="mixin"',
            f'Category: {group_id}; scheme="{GROUP_SCHEME}"; class="mixin"',
            f'X-OCCI-Attribute: occi.core.title="{name}"',
        ]
    )
    booted = request("POST", base + "compute/", demo_token, compute)
    assert booted.status_code == 201, booted.text
    compute_url = booted.headers["Location"]
    server_id = compute_url.rsplit("/", 1)[1]
    try:
        ports = until("the compute's port", lambda: witness.ports(server_id))
        assert ports[0]["security_groups"] == [group_id]
        shown = request("GET", compute_url, demo_token)
        assert f'self="{base}securitygrouplink/{server_id}_{group_id}"' in shown.text
        assert f'Category: {group_id}; scheme="{GROUP_SCHEME}"; class="mixin"' in shown.text
        collection = f"{base}security_group/{group_id}"
        members = request("GET", collection, demo_token, accept="text/uri-list")
        assert members.text.split() == [compute_url]
        refused = request("POST", collection, demo_token, f"X-OCCI-Location: {compute_url}")
        assert refused.status_code == 400 and "securitygrouplink" in refused.text
    finally:
        witness.delete(server_id)
    until(
        "the group free",
        lambda: request("DELETE", group_url, demo_token).status_code == 204,
        30,
    )


def test_an_unknown_group_mixin_is_400_and_boots_nothing(ooi_url, demo_token, witness, name):
    image = witness.glance.find("/images", "images", "box-raw")
    compute = "\n".join(
        [
            f'Category: compute; scheme="{INFRA}"; class="kind"',
            f'Category: {image["id"]}; scheme="{OS_TPL_SCHEME}"; class="mixin"',
            f'Category: 1; scheme="{RES_TPL_SCHEME}"; class="mixin"',
            f'Category: {uuid.uuid4()}; scheme="{GROUP_SCHEME}"; class="mixin"',
            f'X-OCCI-Attribute: occi.core.title="{name}"',
        ]
    )
    resp = request("POST", f"{ooi_url}/occi1.2/compute/", demo_token, compute)
    assert resp.status_code == 400, resp.text
    assert not witness.nova.get(f"/servers?name={name}")["servers"]
