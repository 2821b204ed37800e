"""The static categories, checked against the spec tables (transcribed here from
occi-spec/1.2/infrastructure.tex, occi-spec/1.1/infrastructure.tex and occi-spec/1.2/core.tex)
and against the original ooi's names (reference/original-ooi.md A6)."""

from __future__ import annotations

import re

import pytest

from ooi.occi import catalog, core, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.model import Action, AttributeType, Kind, Mixin

CORE = "http://schemas.ogf.org/occi/core#"
INFRA = "http://schemas.ogf.org/occi/infrastructure#"
COMPUTE_ACTION = "http://schemas.ogf.org/occi/infrastructure/compute/action#"
STORAGE_ACTION = "http://schemas.ogf.org/occi/infrastructure/storage/action#"
NETWORK_ACTION = "http://schemas.ogf.org/occi/infrastructure/network/action#"

# Spec rows: attribute, type as the spec writes it, multiplicity, mutability.
SPEC_12 = {
    "compute": [
        ("occi.compute.architecture", "Enum {x86, x64}", "0..1", "Mutable"),
        ("occi.compute.cores", "Integer", "0..1", "Mutable"),
        ("occi.compute.hostname", "String", "0..1", "Mutable"),
        ("occi.compute.share", "Integer", "0..1", "Mutable"),
        ("occi.compute.memory", "Float", "0..1", "Mutable"),
        ("occi.compute.state", "Enum {active, inactive, suspended, error}", "1", "Immutable"),
        ("occi.compute.state.message", "String", "0..1", "Immutable"),
    ],
    "network": [
        ("occi.network.vlan", "Integer", "0..1", "Mutable"),
        ("occi.network.label", "Token", "0..1", "Mutable"),
        ("occi.network.state", "Enum {active, inactive, error}", "1", "Immutable"),
        ("occi.network.state.message", "String", "0..1", "Immutable"),
    ],
    "storage": [
        ("occi.storage.size", "Float", "1", "Mutable"),
        ("occi.storage.state", "Enum {online, offline, error}", "1", "Immutable"),
        ("occi.storage.state.message", "String", "0..1", "Immutable"),
    ],
    "networkinterface": [
        ("occi.networkinterface.interface", "String", "1", "Immutable"),
        ("occi.networkinterface.mac", "String", "1", "Mutable"),
        ("occi.networkinterface.state", "Enum {active, inactive, error}", "1", "Immutable"),
        ("occi.networkinterface.state.message", "String", "0..1", "Immutable"),
    ],
    "storagelink": [
        ("occi.storagelink.deviceid", "String", "1", "Mutable"),
        ("occi.storagelink.mountpoint", "String", "0..1", "Mutable"),
        ("occi.storagelink.state", "Enum {active, inactive, error}", "1", "Immutable"),
        ("occi.storagelink.state.message", "String", "0..1", "Immutable"),
    ],
}
SPEC_11 = {
    "compute": [
        ("occi.compute.architecture", "Enum {x86, x64}", "0..1", "Mutable"),
        ("occi.compute.cores", "Integer", "0..1", "Mutable"),
        ("occi.compute.hostname", "String", "0..1", "Mutable"),
        ("occi.compute.speed", "Float", "0..1", "Mutable"),
        ("occi.compute.memory", "Float", "0..1", "Mutable"),
        ("occi.compute.state", "Enum {active, inactive, suspended}", "1", "Immutable"),
    ],
    "network": [
        ("occi.network.vlan", "Integer", "0..1", "Mutable"),
        ("occi.network.label", "Token", "0..1", "Mutable"),
        ("occi.network.state", "Enum {active, inactive}", "1", "Immutable"),
    ],
    "storage": [
        ("occi.storage.size", "Float", "1", "Mutable"),
        (
            "occi.storage.state",
            "Enum {online, offline, backup, snapshot, resize, degraded}",
            "1",
            "Immutable",
        ),
    ],
    "networkinterface": [
        ("occi.networkinterface.interface", "String", "1", "Immutable"),
        ("occi.networkinterface.mac", "String", "1", "Mutable"),
        ("occi.networkinterface.state", "Enum {active, inactive}", "1", "Immutable"),
    ],
    "storagelink": [
        ("occi.storagelink.deviceid", "String", "1", "Mutable"),
        ("occi.storagelink.mountpoint", "String", "0..1", "Mutable"),
        ("occi.storagelink.state", "Enum {active, inactive}", "1", "Immutable"),
    ],
}
SPEC_MIXINS = {
    # IPNetwork, IPNetworkInterface: same tables in 1.1 and 1.2.
    "http://schemas.ogf.org/occi/infrastructure/network#ipnetwork": [
        ("occi.network.address", "String", "0..1", "Mutable"),
        ("occi.network.gateway", "String", "0..1", "Mutable"),
        ("occi.network.allocation", "Enum {dynamic, static}", "0..1", "Mutable"),
    ],
    "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface": [
        ("occi.networkinterface.address", "String", "1", "Mutable"),
        ("occi.networkinterface.gateway", "String", "0..1", "Mutable"),
        ("occi.networkinterface.allocation", "Enum {dynamic, static}", "1", "Mutable"),
    ],
    "http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key": [
        ("occi.credentials.ssh.publickey", "String", "1", "Mutable"),
    ],
    "http://schemas.ogf.org/occi/infrastructure/compute#user_data": [
        ("occi.compute.userdata", "String", "1", "Mutable"),
    ],
}
SPEC_PARENTS = {
    "compute": CORE + "resource",
    "storage": CORE + "resource",
    "network": CORE + "resource",
    "networkinterface": CORE + "link",
    "storagelink": CORE + "link",
}
# Action term -> {parameter: allowed values or None for a free string}.
SPEC_ACTIONS_12 = {
    COMPUTE_ACTION: {
        "start": {},
        "stop": {"method": {"graceful", "acpioff", "poweroff"}},
        "restart": {"method": {"graceful", "warm", "cold"}},
        "suspend": {"method": {"hibernate", "suspend"}},
        "save": {"method": {"hot", "deferred"}, "name": None},
    },
    STORAGE_ACTION: {"online": {}, "offline": {}},
    NETWORK_ACTION: {"up": {}, "down": {}},
}
SPEC_ACTIONS_11 = {
    COMPUTE_ACTION: {
        "start": {},
        "stop": {"method": {"graceful", "acpioff", "poweroff"}},
        "restart": {"method": {"graceful", "warm", "cold"}},
        "suspend": {"method": {"hibernate", "suspend"}},
    },
    STORAGE_ACTION: {
        "online": {},
        "offline": {},
        "backup": {},
        "snapshot": {},
        "resize": {"size": "Float"},
    },
    NETWORK_ACTION: {"up": {}, "down": {}},
}
KIND_ACTIONS = {"compute": COMPUTE_ACTION, "storage": STORAGE_ACTION, "network": NETWORK_ACTION}

ENUM = re.compile(r"Enum \{(.*)\}")


OGF = "http://schemas.ogf.org/occi/"


def check_row(attribute, spec_type: str, multiplicity: str, mutability: str) -> None:
    assert attribute.required is (multiplicity == "1"), attribute.name
    assert attribute.mutable is (mutability == "Mutable"), attribute.name
    assert attribute.description
    enum = ENUM.fullmatch(spec_type)
    if enum:
        values = {v.strip() for v in enum.group(1).split(",")}
        assert attribute.type is AttributeType.STRING
        pattern = re.compile(attribute.pattern)
        for value in values:
            assert pattern.fullmatch(value), (attribute.name, value)
        for other in ("", "x86x64", "ACTIVE", "active ", "online|offline", "unknown"):
            if other not in values:
                assert not pattern.fullmatch(other), (attribute.name, other)
    else:
        expected = {
            "Integer": AttributeType.INTEGER,
            "Float": AttributeType.NUMBER,
            "String": AttributeType.STRING,
            "Token": AttributeType.STRING,
        }[spec_type]
        assert attribute.type is expected, attribute.name


def own_attributes(category) -> dict:
    return {a.name: a for a in category.attributes}


@pytest.mark.parametrize(("version", "spec"), [("1.2", SPEC_12), ("1.1", SPEC_11)])
def test_infrastructure_kinds_follow_the_spec_tables(version, spec):
    registry = catalog.static_categories(version)
    for term, rows in spec.items():
        kind = registry.kind(INFRA + term)
        assert kind is not None, term
        assert kind.parent is not None and kind.parent.type_id == SPEC_PARENTS[term]
        attributes = own_attributes(kind)
        assert set(attributes) == {row[0] for row in rows}, term
        for name, *flags in rows:
            check_row(attributes[name], *flags)


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_infrastructure_mixins_follow_the_spec_tables(version):
    registry = catalog.static_categories(version)
    for type_id, rows in SPEC_MIXINS.items():
        mixin = registry.mixin(type_id)
        assert mixin is not None, type_id
        attributes = own_attributes(mixin)
        assert set(attributes) == {row[0] for row in rows}
        for name, *flags in rows:
            check_row(attributes[name], *flags)


@pytest.mark.parametrize(("version", "spec"), [("1.2", SPEC_ACTIONS_12), ("1.1", SPEC_ACTIONS_11)])
def test_actions_follow_the_spec_tables(version, spec):
    registry = catalog.static_categories(version)
    expected_ids = {scheme + term for scheme, terms in spec.items() for term in terms}
    spec_actions = {a.type_id for a in registry.actions if a.scheme.startswith(OGF)}
    assert spec_actions == expected_ids
    for kind_term, scheme in KIND_ACTIONS.items():
        kind = registry.kind(INFRA + kind_term)
        assert [a.type_id for a in kind.actions] == [scheme + t for t in spec[scheme]]
    for scheme, terms in spec.items():
        for term, params in terms.items():
            action = registry.action(scheme + term)
            assert action.title
            defined = {a.name: a for a in action.attributes}
            assert set(defined) == set(params)
            for name, values in params.items():
                attribute = defined[name]
                if values is None:
                    assert attribute.type is AttributeType.STRING and attribute.pattern is None
                elif values == "Float":
                    assert attribute.type is AttributeType.NUMBER
                else:
                    pattern = re.compile(attribute.pattern)
                    assert all(pattern.fullmatch(v) for v in values)
                    assert not pattern.fullmatch("graceful|warm")
                    assert not pattern.fullmatch("other")


def test_core_kinds():
    assert core.ENTITY.type_id == CORE + "entity"
    assert core.ENTITY.parent is None
    # Entity is abstract: no location may be bound to it (http_protocol.tex §Namespace).
    assert core.ENTITY.location is None
    entity = own_attributes(core.ENTITY)
    assert set(entity) == {"occi.core.id", "occi.core.title"}
    assert not entity["occi.core.id"].mutable and entity["occi.core.id"].required
    assert entity["occi.core.title"].mutable and not entity["occi.core.title"].required

    assert core.RESOURCE.parent is core.ENTITY
    assert core.RESOURCE.location == "resource/"
    assert set(own_attributes(core.RESOURCE)) == {"occi.core.summary"}

    assert core.LINK.parent is core.ENTITY
    assert core.LINK.location == "link/"
    link = own_attributes(core.LINK)
    assert set(link) == {
        "occi.core.source",
        "occi.core.target",
        "occi.core.source.kind",
        "occi.core.target.kind",
    }
    for name in ("occi.core.source", "occi.core.target"):
        assert link[name].required and link[name].mutable
    assert not link["occi.core.target.kind"].required
    # OCCI 1.1 links have no target.kind (occi-spec/1.1/core.tex §Link).
    assert set(own_attributes(core.LINK_11)) == {"occi.core.source", "occi.core.target"}


def test_inherited_attributes():
    names = set(infra.COMPUTE.all_attributes())
    assert {"occi.core.id", "occi.core.title", "occi.core.summary"} <= names
    assert "occi.core.source" in infra.STORAGELINK.all_attributes()
    assert "occi.core.target.kind" not in infra.STORAGELINK_11.all_attributes()
    # ipreservation is a network (original-ooi.md A6).
    assert "occi.network.vlan" in openstack.IPRESERVATION.all_attributes()


def test_vlan_range_pattern():
    pattern = re.compile(infra.VLAN.pattern)
    assert all(pattern.fullmatch(str(n)) for n in range(4096))
    for bad in ("4096", "5000", "10000", "-1", "01", "007"):
        assert not pattern.fullmatch(bad)


ORIGINAL_KINDS = [
    # term, scheme, location, parent
    ("entity", CORE, None, None),
    ("resource", CORE, "resource/", CORE + "entity"),
    ("link", CORE, "link/", CORE + "entity"),
    ("compute", INFRA, "compute/", CORE + "resource"),
    ("storage", INFRA, "storage/", CORE + "resource"),
    ("storagelink", INFRA, "storagelink/", CORE + "link"),
    ("network", INFRA, "network/", CORE + "resource"),
    ("networkinterface", INFRA, "networklink/", CORE + "link"),
    ("ipreservation", INFRA, "ipreservation/", INFRA + "network"),
    ("securitygroup", INFRA, "securitygroup/", CORE + "resource"),
    ("securitygrouplink", INFRA, "securitygrouplink/", CORE + "link"),
]
ORIGINAL_MIXINS = [
    # type id, title, location, depends, applies
    (
        "http://schemas.ogf.org/occi/infrastructure/network#ipnetwork",
        "IP Networking Mixin",
        "ipnetwork/",
        [],
        [INFRA + "network"],
    ),
    (
        "http://schemas.ogf.org/occi/infrastructure/networkinterface#ipnetworkinterface",
        "IP Network interface Mixin",
        "ipnetworkinterface/",
        [],
        [INFRA + "networkinterface"],
    ),
    (INFRA + "os_tpl", "OCCI OS Template", "os_tpl/", [], [INFRA + "compute"]),
    (INFRA + "resource_tpl", "OCCI Resource Template", "resource_tpl/", [], [INFRA + "compute"]),
    (
        "http://schemas.openstack.org/compute/instance#user_data",
        "Contextualization extension - user_data",
        "openstack_user_data/",
        [],
        [INFRA + "compute"],
    ),
    (
        "http://schemas.openstack.org/instance/credentials#public_key",
        "Contextualization extension - public_key",
        "openstack_public_key/",
        [],
        [INFRA + "compute"],
    ),
    (
        "http://schemas.ogf.org/occi/infrastructure/compute#user_data",
        "Contextualization mixin",
        "user_data/",
        [],
        [INFRA + "compute"],
    ),
    (
        "http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key",
        "Credentials mixin",
        "ssh_key/",
        [],
        [INFRA + "compute"],
    ),
    (
        "http://schemas.openstack.org/infrastructure/network#osnetwork",
        "openstack network",
        "osnetwork/",
        [],
        [INFRA + "network"],
    ),
]


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_query_interface_content_and_order(version):
    registry = catalog.static_categories(version)
    categories = list(registry)
    kinds = [c for c in categories if isinstance(c, Kind)]
    mixins = [c for c in categories if isinstance(c, Mixin)]
    actions = [c for c in categories if isinstance(c, Action)]
    # Kinds, then mixins, then actions.
    assert categories == kinds + mixins + actions
    assert [(k.term, k.scheme, k.location) for k in kinds] == [
        (term, scheme, location) for term, scheme, location, _ in ORIGINAL_KINDS
    ]
    for kind, (_, _, _, parent) in zip(kinds, ORIGINAL_KINDS, strict=True):
        assert (kind.parent.type_id if kind.parent else None) == parent
    assert [m.type_id for m in mixins] == [row[0] for row in ORIGINAL_MIXINS]
    for mixin, (_, title, location, depends, applies) in zip(mixins, ORIGINAL_MIXINS, strict=True):
        assert mixin.title == title
        assert mixin.location == location
        assert [m.type_id for m in mixin.depends] == depends
        assert [k.type_id for k in mixin.applies] == applies
    # Every category but core#entity has a location (http_protocol.tex §Namespace).
    for category in kinds + mixins:
        assert (category.location is None) == (category.type_id == CORE + "entity")
        if category.location:
            assert category.location.endswith("/") and not category.location.startswith("/")
    assert all(c.scheme.endswith("#") for c in categories)


def test_versions_differ_only_where_the_spec_does():
    r11 = catalog.static_categories("1.1")
    r12 = catalog.static_categories("1.2")
    assert [c.type_id for c in r11.kinds] == [c.type_id for c in r12.kinds]
    assert r11.kind(INFRA + "compute") is infra.COMPUTE_11
    assert r12.kind(INFRA + "compute") is infra.COMPUTE
    assert r11.kind(INFRA + "ipreservation").parent is infra.NETWORK_11
    assert r11.kind(INFRA + "storagelink").parent is core.LINK_11
    assert "occi.compute.share" not in infra.COMPUTE_11.all_attributes()
    assert "occi.compute.speed" not in infra.COMPUTE.all_attributes()
    # No state.message anywhere in 1.1.
    for kind in r11.kinds:
        assert not any(n.endswith(".state.message") for n in kind.all_attributes())


def test_registries_are_built_once():
    assert catalog.static_categories("1.2") is catalog.static_categories("1.2")
    with pytest.raises(ValueError):
        catalog.static_categories("1.0")


def test_with_extra_adds_after_static_mixins_with_bases():
    pool = openstack.floating_ip_pool("public")
    image = openstack.os_template("8b3a", "Ubuntu")
    registry = catalog.with_extra("1.2", [pool, image])
    static = catalog.static_categories("1.2")
    assert registry is not static
    assert pool.type_id not in static
    assert len(static) == len(list(static))  # the static registry is untouched
    mixins = [m.type_id for m in registry.mixins]
    static_mixins = [m.type_id for m in static.mixins]
    assert mixins == [
        *static_mixins,
        pool.type_id,
        "http://schemas.openstack.org/network#floatingippool",
        image.type_id,
    ]
    assert list(registry)[-len(static.actions) :] == static.actions
    assert registry.mixin(image.type_id) is image


def test_neutron_and_zones_are_not_static():
    static = catalog.static_categories("1.2")
    assert openstack.NEUTRON.type_id not in static
    assert openstack.FLOATING_IP_POOL.type_id not in static
    assert openstack.AVAILABILITY_ZONE.type_id not in static
    registry = catalog.with_extra("1.2", [openstack.NEUTRON])
    assert registry.mixin("http://schemas.openstack.org/infrastructure/network#neutron")


def test_ssh_key_spelling_and_aliases():
    assert own_attributes(infra.SSH_KEY).keys() == {"occi.credentials.ssh.publickey"}
    assert infra.ATTRIBUTE_ALIASES["occi.crendentials.ssh.publickey"] == (
        "occi.credentials.ssh.publickey"
    )
    assert infra.ATTRIBUTE_ALIASES["occi.compute.user_data"] == "occi.compute.userdata"


# --- OpenStack extension categories (original-ooi.md A6) ------------------------------------


def test_openstack_kinds_and_mixins():
    ipr = own_attributes(openstack.IPRESERVATION)
    assert set(ipr) == {
        "occi.ipreservation.address",
        "occi.ipreservation.used",
        "occi.ipreservation.state",
    }
    assert ipr["occi.ipreservation.address"].mutable
    assert ipr["occi.ipreservation.used"].type is AttributeType.BOOLEAN
    assert not ipr["occi.ipreservation.used"].mutable
    assert not ipr["occi.ipreservation.state"].mutable
    assert openstack.IPRESERVATION.title == "IPReservation"

    sg = own_attributes(openstack.SECURITYGROUP)
    assert sg["occi.securitygroup.rules"].type is AttributeType.ARRAY
    assert not sg["occi.securitygroup.state"].mutable

    assert openstack.OPENSTACK_USER_DATA.type_id == (
        "http://schemas.openstack.org/compute/instance#user_data"
    )
    assert set(own_attributes(openstack.OPENSTACK_USER_DATA)) == {"org.openstack.compute.user_data"}
    assert openstack.OPENSTACK_PUBLIC_KEY.type_id == (
        "http://schemas.openstack.org/instance/credentials#public_key"
    )
    assert set(own_attributes(openstack.OPENSTACK_PUBLIC_KEY)) == {
        "org.openstack.credentials.publickey.name",
        "org.openstack.credentials.publickey.data",
    }
    assert openstack.FLOATING_IP_POOL.type_id == (
        "http://schemas.openstack.org/network#floatingippool"
    )
    assert openstack.FLOATING_IP_POOL.title == "Floating IP pool base mixin"
    version = own_attributes(openstack.OSNETWORK)["org.openstack.network.ip_version"]
    assert version.type is AttributeType.INTEGER
    assert re.fullmatch(version.pattern, "4") and re.fullmatch(version.pattern, "6")
    assert not re.fullmatch(version.pattern, "5")
    assert openstack.NEUTRON.title == "Network component"


def test_os_template():
    mixin = openstack.os_template("8b3a0a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "Ubuntu 22.04")
    assert mixin.scheme == "http://schemas.openstack.org/template/os#"
    assert mixin.term == "8b3a0a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    assert mixin.title == "Ubuntu 22.04"
    assert mixin.depends == (infra.OS_TPL,)
    assert mixin.applies_to(infra.COMPUTE) and mixin.applies_to(infra.COMPUTE_11)
    assert not mixin.applies_to(infra.STORAGE)
    assert mixin.location == "os_tpl/8b3a0a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    assert mixin.is_a(infra.OS_TPL)
    # An image without a name still gets a title.
    assert openstack.os_template("abc", None).title == "abc"


def test_resource_template_converts_to_gib_and_fixes_values():
    mixin = openstack.resource_template(
        "42", "m1.nano", cores=1, memory_gib=openstack.mib_to_gib(512), disk_gib=1
    )
    assert mixin.scheme == "http://schemas.openstack.org/template/resource#"
    assert mixin.term == "42"
    assert mixin.title == "Flavor: m1.nano"
    assert mixin.depends == (infra.RESOURCE_TPL,)
    assert mixin.location == "resource_tpl/42"
    attributes = own_attributes(mixin)
    assert set(attributes) == {
        "occi.compute.cores",
        "occi.compute.memory",
        "org.openstack.flavor.disk",
        "org.openstack.flavor.ephemeral",
        "org.openstack.flavor.swap",
        "org.openstack.flavor.name",
    }
    assert all(not a.mutable for a in attributes.values())
    memory = attributes["occi.compute.memory"]
    assert memory.default == 0.5 and isinstance(memory.default, float)
    assert memory.type is AttributeType.NUMBER
    assert attributes["occi.compute.cores"].default == 1
    assert attributes["org.openstack.flavor.disk"].default == 1
    assert attributes["org.openstack.flavor.ephemeral"].default == 0
    assert attributes["org.openstack.flavor.swap"].default == 0
    assert attributes["org.openstack.flavor.name"].default == "m1.nano"
    # The template's definition overrides the kind's (templates' defaults win).
    merged = {**infra.COMPUTE.all_attributes(), **mixin.all_attributes()}
    assert merged["occi.compute.memory"].default == 0.5

    big = openstack.resource_template(
        "m1.large", "m1.large", 4, openstack.mib_to_gib(8192), 80, 10, 2048
    )
    big_attributes = own_attributes(big)
    assert big_attributes["occi.compute.memory"].default == 8.0
    assert big_attributes["org.openstack.flavor.ephemeral"].default == 10
    assert big_attributes["org.openstack.flavor.swap"].default == 2048
    assert big.term == "x--m1_2elarge"
    assert big.location == "resource_tpl/x--m1_2elarge"


def test_mib_to_gib():
    assert openstack.mib_to_gib(1024) == 1.0
    assert openstack.mib_to_gib(2000) == pytest.approx(1.953125)
    assert isinstance(openstack.mib_to_gib(2048), float)


def test_floating_ip_pool_and_availability_zone():
    pool = openstack.floating_ip_pool("public")
    assert pool.type_id == "http://schemas.openstack.org/network/floatingippool#public"
    assert pool.title == "public"
    assert pool.depends == (openstack.FLOATING_IP_POOL,)
    assert pool.location == "floatingippool/public"
    assert pool.applies_to(infra.NETWORKINTERFACE)
    assert not pool.applies_to(infra.COMPUTE)

    zone = openstack.availability_zone("nova")
    assert zone.type_id == "http://schemas.openstack.org/compute/availability_zone#nova"
    assert zone.depends == (openstack.AVAILABILITY_ZONE,)
    assert zone.location == "availability_zone/nova"
    assert zone.applies_to(infra.COMPUTE)

    odd = openstack.floating_ip_pool("ext net.1")
    assert odd.term == "x--ext_20net_2e1"
    assert odd.title == "ext net.1"


# 1.2 term grammar, and the stricter one rOCCI uses.
TERM_12 = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
TERM_ROCCI = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@pytest.mark.parametrize(
    "raw",
    [
        "8b3a0a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        "42",
        "m1.small",
        "ext_net",
        "-leading-dash",
        "_leading_underscore",
        "with space",
        "ünïcödé",
        "",
        "x--already-prefixed",
        "x--m1_2esmall",
        "a/b?c#d",
        "_2e",
    ],
)
def test_safe_term_is_a_valid_term_and_reversible(raw):
    term = openstack.safe_term(raw)
    assert TERM_12.fullmatch(term) and TERM_ROCCI.fullmatch(term)
    assert openstack.raw_id(term) == raw
    assert openstack.safe_term(raw) == term  # deterministic


def test_safe_term_keeps_valid_ids_unchanged():
    for raw in ("42", "8b3a0a4e-1c2d", "ext_net", "Public"):
        assert openstack.safe_term(raw) == raw


def test_safe_term_is_one_to_one():
    raws = ["m1.small", "x--m1_2esmall", "m1_2esmall", "m1-small", "M1.small"]
    assert len({openstack.safe_term(r) for r in raws}) == len(raws)


def test_raw_id_never_fails_on_client_terms():
    for term in ("x--é", "x--_zz", "x--_", "plain", "x--"):
        assert isinstance(openstack.raw_id(term), str)
    assert openstack.raw_id("x--_zz") == "x--_zz"


def test_storage_snapshot_and_backup_are_offered_to_12_under_openstacks_scheme():
    extra_12 = {
        a.type_id for a in catalog.static_categories("1.2").actions if not a.scheme.startswith(OGF)
    }
    assert extra_12 == {
        "http://schemas.openstack.org/storage/action#snapshot",
        "http://schemas.openstack.org/storage/action#backup",
    }
    assert all(a.scheme.startswith(OGF) for a in catalog.static_categories("1.1").actions)
