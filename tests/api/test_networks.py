"""The pure parts of networking: neutron networks → OCCI, link ids, security group rules."""

from __future__ import annotations

import pytest

from ooi.api import networks, security_groups
from ooi.api.negotiation import RequestRefused
from ooi.api.network_links import requested_networks, split_id
from ooi.occi import infrastructure as infra
from ooi.occi.documents import LinkDoc
from ooi.occi.errors import InvalidInput
from tests.api.test_compute_changes import ENDPOINT, IMAGE, TINY, resolved

NET = {"id": "n1", "name": "private", "admin_state_up": True, "status": "ACTIVE"}
SUBNETS = [
    {"network_id": "n1", "cidr": "fd00::/64", "ip_version": 6, "enable_dhcp": True},
    {
        "network_id": "n1",
        "cidr": "10.0.0.0/24",
        "gateway_ip": "10.0.0.1",
        "ip_version": 4,
        "enable_dhcp": False,
    },
    {"network_id": "other", "cidr": "10.9.0.0/24", "ip_version": 4},
]


@pytest.mark.parametrize(
    ("changes", "state", "message"),
    [
        ({}, "active", None),
        ({"admin_state_up": False}, "inactive", None),
        ({"status": "DOWN"}, "inactive", None),
        ({"status": "BUILD"}, "inactive", None),
        ({"status": "ERROR"}, "error", "neutron reports the network in ERROR"),
    ],
)
def test_network_state(changes, state, message):
    view = networks.from_neutron({**NET, **changes}, SUBNETS)
    assert (view.state, view.message) == (state, message)


def test_ipv4_subnet_first_and_static_without_dhcp():
    resource = networks.to_resource("1.2", networks.from_neutron(NET, SUBNETS))
    assert resource.attributes["occi.network.address"] == "10.0.0.0/24"
    assert resource.attributes["occi.network.gateway"] == "10.0.0.1"
    assert resource.attributes["occi.network.allocation"] == "static"
    assert infra.IPNETWORK in resource.mixins


def test_error_in_11_is_inactive_with_the_message_in_the_summary():
    view = networks.from_neutron({**NET, "status": "ERROR"}, [])
    resource = networks.to_resource("1.1", view)
    assert resource.attributes["occi.network.state"] == "inactive"
    assert resource.summary == view.message
    assert "occi.network.address" not in resource.attributes


@pytest.mark.parametrize("value", [5, 4095])
def test_vlan_only_when_neutron_shows_a_valid_one(value):
    assert networks.from_neutron({**NET, "provider:segmentation_id": value}, []).vlan == value
    assert networks.from_neutron({**NET, "provider:segmentation_id": 70000}, []).vlan is None


def test_public_is_one_network_with_the_only_external_subnet():
    public = networks.public_from_neutron([NET], SUBNETS)
    assert (public.id, public.state) == ("PUBLIC", "active")
    assert public.subnet is not None and public.subnet["cidr"] == "10.0.0.0/24"
    assert networks.public_from_neutron([NET, {**NET, "id": "n2"}], SUBNETS).subnet is None


SERVER = "0b1c2d3e-0000-4000-8000-000000000000"


def test_link_ids():
    assert split_id(f"{SERVER}_10.0.0.5") == (SERVER, "10.0.0.5")
    assert split_id(f"{SERVER}_fd00::5") == (SERVER, "fd00::5")
    for bad in ("x", f"{SERVER}_", f"{SERVER}_nope", "x.y_10.0.0.1"):
        with pytest.raises(RequestRefused):
            split_id(bad)


def test_public_links_are_not_nova_networks():
    links = [
        LinkDoc(target="/network/n1", kind=infra.NETWORKINTERFACE.type_id),
        LinkDoc(target="/network/PUBLIC", kind=infra.NETWORKINTERFACE.type_id),
        LinkDoc(target="/ipreservation/f1", kind=infra.NETWORKINTERFACE.type_id),
    ]
    entity = resolved([IMAGE, TINY], links=links)
    assert requested_networks(entity.links, ENDPOINT) == [{"uuid": "n1"}]


def test_rules_both_ways():
    rule = {"type": "inbound", "protocol": "tcp", "port": "80:90", "range": "192.0.2.0/24"}
    neutron = security_groups.rule_to_neutron(rule, 1)
    assert neutron == {
        "direction": "ingress",
        "ethertype": "IPv4",
        "protocol": "tcp",
        "port_range_min": 80,
        "port_range_max": 90,
        "remote_ip_prefix": "192.0.2.0/24",
    }
    assert security_groups.rule_to_occi(neutron) == rule
    v6 = security_groups.rule_to_neutron({"type": "outbound", "range": "::/0"}, 1)
    assert v6["ethertype"] == "IPv6" and v6["direction"] == "egress"


def test_neutrons_default_rules_show_apart_and_come_back_the_same():
    group = "0b1c2d3e-0000-4000-8000-00000000000a"
    default = [  # a default group's rules, as neutron makes them
        {"direction": "ingress", "ethertype": "IPv4", "remote_group_id": group},
        {"direction": "ingress", "ethertype": "IPv6", "remote_group_id": group},
        {"direction": "egress", "ethertype": "IPv4"},
        {"direction": "egress", "ethertype": "IPv6"},
    ]
    shown = [security_groups.rule_to_occi(r) for r in default]
    assert shown == [
        {"type": "inbound", "group": group},
        {"type": "inbound", "group": group, "range": "::/0"},
        {"type": "outbound"},
        {"type": "outbound", "range": "::/0"},
    ]
    # Sent back as shown, they are the same rules: an update deletes and makes none.
    back = security_groups.wanted_rules(shown)
    keys = {security_groups._key(r) for r in default}
    assert {security_groups._key(r) for r in back} == keys and len(keys) == 4


def test_a_rule_names_a_range_or_a_group():
    for bad in ({"range": "10.0.0.0/8", "group": "0b1c2d3e-0000-4000-8000-00000000000a"},
                {"group": "web"}):  # fmt: skip
        with pytest.raises(InvalidInput):
            security_groups.wanted_rules([bad])


def test_rules_from_text_renderings_and_bad_ones():
    assert security_groups.wanted_rules('[{"protocol": "icmp"}]')[0]["protocol"] == "icmp"
    for bad in ("not json", '{"a": 1}', [{"port": "22"}], [{"protocol": "tcp", "port": "9:1"}]):
        with pytest.raises(InvalidInput):
            security_groups.wanted_rules(bad)
