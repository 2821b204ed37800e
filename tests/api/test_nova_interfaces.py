"""The pure parts of reading a compute's interfaces from nova's server: shaping its addresses
and groups like neutron's ports, telling networks of one name apart, the links' order and
state. (Over HTTP against the box: tests/functional/test_nova_view.py.)"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ooi.api import network_links, nova_interfaces
from ooi.api.nova_interfaces import (
    Network,
    _network_id,
    _pool_network,
    _ranges,
    _shape,
    _Unresolved,
    of_server,
)
from ooi.occi import infrastructure as infra
from ooi.occi import openstack
from ooi.openstack.errors import BackendError

SERVER_ID = "6f1c0f43-2f7e-4c4f-9a53-2b1c8ad0d001"
NET_A = Network("net-a", _ranges(["10.0.0.0/24"]))
NET_B = Network("net-b", _ranges(["10.9.0.0/24", "fd00::/64"]))
TWIN = Network("net-twin", _ranges(["10.0.0.0/24"]))
PUBLIC = Network("ext-public", _ranges(["172.24.4.0/24"]), external=True)
OTHER_POOL = Network("ext-other", _ranges(["198.51.100.0/24"]), external=True)


def _address(addr: str, mac: str, kind: str = "fixed") -> dict[str, Any]:
    return {"addr": addr, "OS-EXT-IPS:type": kind, "OS-EXT-IPS-MAC:mac_addr": mac}


def server(status: str = "ACTIVE", groups: tuple[str, ...] = ("default",)) -> dict[str, Any]:
    # nova lists networks in the order of the server's interfaces: b's port is the first.
    return {
        "id": SERVER_ID,
        "status": status,
        "addresses": {
            "b": [
                _address("10.9.0.5", "fa:16:3e:00:00:02"),
                _address("fd00::5", "fa:16:3e:00:00:02"),
            ],
            "a": [
                _address("10.0.0.7", "fa:16:3e:00:00:01"),
                _address("172.24.4.9", "fa:16:3e:00:00:01", "floating"),
            ],
        },
        "security_groups": [{"name": g} for g in groups],
    }


NAMES = {"a": [NET_A], "b": [NET_B]}
GROUPS = {"default": "sg-default", "web": "sg-web"}


def test_addresses_become_ports_and_floating_ips_in_novas_order():
    found = _shape(server(groups=("default", "web", "default")), NAMES, GROUPS, strict=True)
    assert [p["network_id"] for p in found.ports] == ["net-b", "net-a"]
    assert found.ports[0]["fixed_ips"] == [{"ip_address": "10.9.0.5"}, {"ip_address": "fd00::5"}]
    assert found.groups == ["sg-default", "sg-web"]
    assert all(p["device_id"] == SERVER_ID for p in found.ports)
    assert found.floating_ips == [
        {
            "port_id": "fa:16:3e:00:00:01",
            "floating_ip_address": "172.24.4.9",
            "floating_network_id": None,  # no external network known
        }
    ]


def test_a_floating_ip_comes_from_the_external_network_whose_subnets_hold_it():
    names = {**NAMES, "public": [PUBLIC], "other": [OTHER_POOL]}
    (fip,) = _shape(server(), names, GROUPS, strict=True).floating_ips
    assert fip["floating_network_id"] == "ext-public"


@pytest.mark.parametrize(
    ("externals", "expected"),
    [
        ([PUBLIC, OTHER_POOL], "ext-public"),  # the one whose range holds it
        ([OTHER_POOL], "ext-other"),  # the only pool (its subnets may be hidden)
        ([OTHER_POOL, Network("ext-3", (), external=True)], None),  # several, none holds it
        ([], None),
    ],
)
def test_which_pool_a_floating_address_comes_from(externals, expected):
    # A private network holding the address is no pool.
    names = {"a": [Network("private", _ranges(["172.24.0.0/16"]))], "ext": externals}
    assert _pool_network(names, "172.24.4.9") == expected


def test_links_name_interfaces_in_novas_order_and_follow_the_servers_state():
    for status, state in (("ACTIVE", "active"), ("SHUTOFF", "inactive")):
        shaped = _shape(server(status), NAMES, GROUPS, strict=True)
        links = network_links.of_server(
            "1.2", SERVER_ID, shaped.ports, shaped.floating_ips, server(status)
        )
        seen = {
            lk.attributes["occi.networkinterface.address"]: (
                lk.attributes["occi.networkinterface.interface"],
                lk.target,
                lk.attributes["occi.networkinterface.state"],
            )
            for lk in links
        }
        assert seen == {
            "10.9.0.5": ("eth0", "network/net-b", state),
            "fd00::5": ("eth0", "network/net-b", state),
            "10.0.0.7": ("eth1", "network/net-a", state),
            "172.24.4.9": ("eth1", "network/PUBLIC", state),
        }


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_a_public_link_carries_its_pools_mixin(version):
    shaped = _shape(server(), {**NAMES, "my pool": [PUBLIC]}, GROUPS, strict=True)
    pools = {"ext-public": "my pool"}
    links = network_links.of_server(
        version, SERVER_ID, shaped.ports, shaped.floating_ips, server(), pools
    )
    mixins = {
        lk.attributes["occi.networkinterface.address"]: [m.type_id for m in lk.mixins]
        for lk in links
    }
    pool = openstack.floating_ip_pool("my pool")
    assert pool.type_id == openstack.FLOATING_IP_POOL_SCHEME + "x--my_20pool"
    assert mixins["172.24.4.9"] == [infra.IPNETWORKINTERFACE.type_id, pool.type_id]
    assert mixins["10.0.0.7"] == [infra.IPNETWORKINTERFACE.type_id]  # private: no pool
    # A pool the names do not know: no mixin rather than a wrong one.
    unknown = network_links.of_server(
        version, SERVER_ID, shaped.ports, shaped.floating_ips, server(), {}
    )
    public = [lk for lk in unknown if lk.target.endswith("PUBLIC")]
    assert [m.type_id for m in public[0].mixins] == [infra.IPNETWORKINTERFACE.type_id]


def test_neutrons_ports_follow_novas_order_too():
    # Made in the same second: their ids alone would order them by chance.
    ports = [
        {"id": "p-a", "mac_address": "fa:16:3e:00:00:01", "network_id": "net-a", "status": "ACTIVE",
         "created_at": "2026-12-02T04:00:00Z", "fixed_ips": [{"ip_address": "10.0.0.7"}]},
        {"id": "p-b", "mac_address": "fa:16:3e:00:00:02", "network_id": "net-b", "status": "ACTIVE",
         "created_at": "2026-12-02T04:00:00Z", "fixed_ips": [{"ip_address": "10.9.0.5"}]},
        {"id": "p-new", "mac_address": "fa:16:3e:00:00:03", "network_id": "net-a",
         "status": "DOWN", "created_at": "2026-12-02T04:00:01Z",
         "fixed_ips": [{"ip_address": "10.0.0.8"}]},
    ]  # fmt: skip
    links = network_links.of_server("1.2", SERVER_ID, ports, [], server())
    named = {
        lk.attributes["occi.networkinterface.address"]: (
            lk.attributes["occi.networkinterface.interface"],
            lk.attributes["occi.networkinterface.state"],
        )
        for lk in links
    }
    # The port nova does not show yet comes last, inactive while neutron says it is down.
    assert named == {
        "10.9.0.5": ("eth0", "active"),
        "10.0.0.7": ("eth1", "active"),
        "10.0.0.8": ("eth2", "inactive"),
    }


def test_a_name_with_the_address_says_which_network():
    names = {"a": [NET_A, NET_B]}
    assert _network_id(names, "a", "10.9.0.5", strict=True) == "net-b"
    assert _network_id(names, "a", "10.0.0.7", strict=True) == "net-a"


@pytest.mark.parametrize(
    ("names", "label", "address"),
    [
        ({"a": [NET_A, TWIN]}, "a", "10.0.0.7"),  # two of one name and range
        ({"a": [NET_A]}, "a", "10.50.0.7"),  # the range the cache knows does not hold it
        ({"a": [NET_A]}, "new", "10.0.0.7"),  # a name the cache does not know
    ],
)
def test_what_names_cannot_settle_is_neutrons_to_say(names, label, address):
    with pytest.raises(_Unresolved):
        _network_id(names, label, address, strict=True)


def test_without_neutron_a_label_nobody_lists_stays_the_target():
    assert _network_id({}, "legacy", "10.0.0.7", strict=False) == "legacy"
    assert _network_id({"a": [NET_A, TWIN]}, "a", "10.0.0.7", strict=False) == "net-a"


@pytest.mark.parametrize("groups", [{"default": None}, {}])
def test_a_group_the_names_cannot_settle_is_neutrons_to_say(groups):
    with pytest.raises(_Unresolved):
        _shape(server(), NAMES, groups, strict=True)


def test_a_server_nova_is_building_is_neutrons_to_describe():
    class Ctx:  # what of_server reads before any call
        class openstack:  # noqa: N801
            @staticmethod
            def has(service: str) -> bool:
                return True

    assert of_server(Ctx(), server("BUILD")) is None  # type: ignore[arg-type]


def test_a_failing_neutron_is_asked_for_pool_names_once_per_request():
    asked: list[str] = []

    def call(service: str, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(path)
        raise BackendError("neutron", 503, "neutron is unreachable")

    os = SimpleNamespace(project_id="p-pools", has=lambda service: True, call=call)
    warnings: list[str] = []
    ctx = SimpleNamespace(
        openstack=os,
        request=SimpleNamespace(environ={}),
        settings=SimpleNamespace(cache_ttl=30),
        warn=warnings.append,
    )
    assert nova_interfaces.pools(ctx) == {}  # type: ignore[arg-type]
    assert nova_interfaces.pools(ctx) == {}  # type: ignore[arg-type]
    assert len(asked) == 1
    assert warnings == ["neutron failed (503): public IPs without their pools"]
