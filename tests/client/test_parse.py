"""The client's reading and writing of OCCI renderings, on answers written out as the spec and
ooi render them (no server needed)."""

from __future__ import annotations

import json

import pytest
from occi_client import parse, render
from occi_client.commands import security_group
from occi_client.errors import SERVER, UsageError

INFRA = "http://schemas.ogf.org/occi/infrastructure#"

QUERY_TEXT = """\
Category: compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind"; \
title="Compute Resource"; rel="http://schemas.ogf.org/occi/core#resource"; \
location="/occi1.1/compute/"; \
attributes="occi.compute.cores occi.compute.state{immutable required}"; \
actions="http://schemas.ogf.org/occi/infrastructure/compute/action#start"
Category: 1; scheme="http://schemas.openstack.org/template/resource#"; class="mixin"; \
title="Flavor: m1.tiny"; rel="http://schemas.ogf.org/occi/infrastructure#resource_tpl"; \
location="/occi1.1/resource_tpl/1"
"""

COMPUTE_TEXT = """\
Category: compute; scheme="http://schemas.ogf.org/occi/infrastructure#"; class="kind"
Category: 1; scheme="http://schemas.openstack.org/template/resource#"; class="mixin"
Link: <http://h/occi1.2/compute/abc?action=stop>; rel="http://schemas.ogf.org/occi/infrastructure/compute/action#stop"
Link: <http://h/occi1.2/network/net1>; rel="http://schemas.ogf.org/occi/infrastructure#network"; \
self="http://h/occi1.2/networklink/abc_10.0.0.3"; \
category="http://schemas.ogf.org/occi/infrastructure#networkinterface"; \
occi.networkinterface.address="10.0.0.3"
X-OCCI-Attribute: occi.core.id="abc"
X-OCCI-Attribute: occi.core.title="a \\"quoted\\"; name"
X-OCCI-Attribute: occi.compute.cores=2
X-OCCI-Attribute: occi.compute.memory=0.5
X-OCCI-Attribute: org.example.flag=true
"""


def test_text_query_interface() -> None:
    compute, flavor = parse.categories("text/plain; charset=utf-8", QUERY_TEXT)
    assert compute.type_id == INFRA + "compute" and compute.cls == "kind"
    assert compute.location == "/occi1.1/compute/"
    assert compute.attributes == ["occi.compute.cores", "occi.compute.state"]
    assert compute.actions == ["http://schemas.ogf.org/occi/infrastructure/compute/action#start"]
    assert flavor.related == [INFRA + "resource_tpl"] and flavor.title == "Flavor: m1.tiny"


def test_text_entity() -> None:
    entity = parse.entity("text/plain", COMPUTE_TEXT)
    assert entity.kind == INFRA + "compute"
    assert entity.mixins == ["http://schemas.openstack.org/template/resource#1"]
    assert entity.id == "abc" and entity.title == 'a "quoted"; name'
    assert entity.attributes["occi.compute.cores"] == 2
    assert entity.attributes["occi.compute.memory"] == 0.5
    assert entity.attributes["org.example.flag"] is True
    assert entity.actions == ["http://schemas.ogf.org/occi/infrastructure/compute/action#stop"]
    (link,) = entity.links
    assert link.target == "http://h/occi1.2/network/net1"
    assert link.kind == INFRA + "networkinterface"
    assert link.location == "http://h/occi1.2/networklink/abc_10.0.0.3"
    assert link.attributes == {"occi.networkinterface.address": "10.0.0.3"}


def test_json_entity_with_links_is_not_a_collection() -> None:
    body = {
        "kind": INFRA + "compute",
        "id": "abc",
        "title": "web",
        "attributes": {"occi.compute.state": "active"},
        "links": [{"kind": INFRA + "networkinterface", "target": {"location": "/n/1"}}],
        "actions": [INFRA.rstrip("#") + "/compute/action#stop"],
    }
    entity = parse.entity("application/occi+json", json.dumps(body))
    assert entity.id == "abc" and entity.title == "web"
    assert entity.attributes["occi.compute.state"] == "active"
    assert entity.links[0].target == "/n/1"


def test_json_collection_and_locations() -> None:
    body = {"resources": [{"kind": INFRA + "compute", "id": "a"}, {"kind": INFRA + "compute"}]}
    entities, locations = parse.collection("application/occi+json", json.dumps(body))
    assert [e.id for e in entities] == ["a", None] and locations == []
    _, locations = parse.collection("text/uri-list", "http://h/c/1\n# comment\nhttp://h/c/2\n")
    assert locations == ["http://h/c/1", "http://h/c/2"]
    _, locations = parse.collection("text/plain", "X-OCCI-Location: http://h/c/1\n")
    assert locations == ["http://h/c/1"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2]"])
def test_unreadable_json_is_a_server_error(body: str) -> None:
    with pytest.raises(parse.ParseError) as caught:
        parse.entity("application/occi+json", body)
    assert caught.value.exit_code == SERVER


def test_render_round_trip_in_text() -> None:
    link = render.NewLink(INFRA + "storagelink", "http://h/storage/", INFRA + "storage")
    link.attributes["occi.storage.size"] = 2
    body = render.entity(
        "text/plain",
        INFRA + "compute",
        ["http://schemas.openstack.org/template/resource#1"],
        {"occi.core.title": 'say "hi"', "occi.compute.cores": 2},
        [link],
    )
    entity = parse.entity("text/plain", body)
    assert entity.kind == INFRA + "compute" and entity.title == 'say "hi"'
    assert entity.attributes["occi.compute.cores"] == 2
    assert entity.links[0].target == "http://h/storage/"
    assert entity.links[0].attributes == {"occi.storage.size": 2}


def test_render_json_members() -> None:
    body = json.loads(
        render.entity("application/occi+json", INFRA + "compute", [], {"occi.core.title": "w"})
    )
    assert body == {"kind": INFRA + "compute", "attributes": {}, "title": "w"}
    action = json.loads(render.action("application/occi+json", "s#start"))
    assert action == {"action": "s#start", "attributes": {}}
    assert render.action("text/plain", "http://x/action#start").startswith(
        'Category: start; scheme="http://x/action#"; class="action"'
    )


def test_lists_in_text_renderings_are_json_strings_both_ways() -> None:
    rules = [{"type": "inbound", "protocol": "tcp", "port": "22"}]
    body = render.entity(
        parse.TEXT, INFRA + "securitygroup", [], {"occi.securitygroup.rules": rules}
    )
    (line,) = [ln for ln in body.splitlines() if ln.startswith("X-OCCI-Attribute")]
    assert line.startswith('X-OCCI-Attribute: occi.securitygroup.rules="[{\\"type\\"')
    value = parse.entity(parse.TEXT, body).attributes["occi.securitygroup.rules"]
    assert json.loads(value) == rules


def test_mixins_alone_as_rocci_updates_sent_them() -> None:
    tag = "http://h/occi1.1/tags#web"
    assert (
        render.mixins(parse.TEXT, [tag])
        == 'Category: web; scheme="http://h/occi1.1/tags#"; class="mixin"\n'
    )
    assert json.loads(render.mixins(parse.JSON, [tag])) == {"mixins": [tag]}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("protocol=tcp,port=22", {"type": "inbound", "protocol": "tcp", "port": "22"}),
        ("type=outbound, range=10.0.0.0/8", {"type": "outbound", "range": "10.0.0.0/8"}),
    ],
)
def test_security_group_rules_from_the_command_line(text: str, rule: dict[str, str]) -> None:
    assert security_group.parse_rule(text) == rule


@pytest.mark.parametrize("text", ["proto=tcp", "type=sideways", "tcp"])
def test_bad_security_group_rules_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        security_group.parse_rule(text)
