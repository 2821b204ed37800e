"""Checking parsed documents against the categories: every error path and the happy paths."""

from __future__ import annotations

import pytest

from ooi.occi import catalog, core, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.documents import ActionDoc, EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Attribute, AttributeType, Kind, Mixin, Registry
from ooi.occi.validation import check_value, resolve_action, resolve_entity

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
COMPUTE = INFRA + "compute"
STORAGE = INFRA + "storage"
NETWORK = INFRA + "network"
STORAGELINK = INFRA + "storagelink"
NETWORKINTERFACE = INFRA + "networkinterface"
IPRESERVATION = INFRA + "ipreservation"
IMAGE = openstack.os_template("8b3a0a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "Ubuntu")
OTHER_IMAGE = openstack.os_template("ffff", "Debian")
FLAVOR = openstack.resource_template("42", "m1.small", 1, 2.0, 20)
POOL = openstack.floating_ip_pool("public")
SSH_KEY = "http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key"
USER_DATA = "http://schemas.ogf.org/occi/infrastructure/compute#user_data"
STOP = "http://schemas.ogf.org/occi/infrastructure/compute/action#stop"


@pytest.fixture(params=["1.1", "1.2"])
def registry(request) -> Registry:
    return catalog.with_extra(request.param, [IMAGE, OTHER_IMAGE, FLAVOR, POOL])


@pytest.fixture
def registry12() -> Registry:
    return catalog.with_extra("1.2", [IMAGE, OTHER_IMAGE, FLAVOR, POOL])


def compute_doc(**changes) -> EntityDoc:
    doc = EntityDoc(kind=COMPUTE, mixins=[IMAGE.type_id, FLAVOR.type_id])
    for name, value in changes.items():
        setattr(doc, name, value)
    return doc


def rejects(doc, registry, *fragments, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        resolve_entity(doc, registry, **kwargs)
    assert caught.value.status == 400
    for fragment in fragments:
        assert fragment in caught.value.message, caught.value.message
    return caught.value


# --- Happy paths ------------------------------------------------------------------------------


def test_compute_create(registry):
    doc = compute_doc(
        attributes={
            "occi.core.title": "vm1",
            "occi.core.summary": "a test",
            "occi.compute.hostname": "vm1.example.org",
        }
    )
    entity = resolve_entity(doc, registry, kind=registry.kind(COMPUTE), purpose="create")
    assert entity.kind is registry.kind(COMPUTE)
    assert entity.mixins == [IMAGE, FLAVOR]
    assert entity.title == "vm1"
    assert entity.summary == "a test"
    assert entity.attributes == {"occi.compute.hostname": "vm1.example.org"}
    assert entity.links == []
    assert entity.template(infra.OS_TPL) is registry.mixin(IMAGE.type_id)
    assert entity.template(infra.RESOURCE_TPL) is registry.mixin(FLAVOR.type_id)
    # Template defaults answer for what the client left out.
    assert entity.value("occi.compute.memory") == 2.0
    assert entity.value("occi.compute.cores") == 1
    assert entity.value("occi.compute.hostname") == "vm1.example.org"
    assert entity.value("no.such.attribute") is None


def test_client_id_is_ignored_on_create(registry):
    doc = compute_doc(attributes={"occi.core.id": "im-0b9c"})
    entity = resolve_entity(doc, registry, kind=registry.kind(COMPUTE))
    assert entity.attributes == {}


def test_categories_without_class_are_sorted_out(registry):
    doc = EntityDoc(other_categories=[COMPUTE, IMAGE.type_id], mixins=[FLAVOR.type_id])
    entity = resolve_entity(doc, registry)
    assert entity.kind.type_id == COMPUTE
    assert {m.type_id for m in entity.mixins} == {IMAGE.type_id, FLAVOR.type_id}


def test_duplicate_mixins_are_merged(registry):
    doc = compute_doc(mixins=[IMAGE.type_id, IMAGE.type_id])
    assert resolve_entity(doc, registry).mixins == [IMAGE]


def test_types_are_converted(registry12):
    doc = EntityDoc(
        kind=COMPUTE,
        attributes={
            "occi.compute.cores": 2.0,  # JSON has one number type
            "occi.compute.memory": 4,
            "occi.compute.architecture": "x64",
            "occi.compute.share": 10,
        },
    )
    attributes = resolve_entity(doc, registry12).attributes
    assert attributes == {
        "occi.compute.cores": 2,
        "occi.compute.memory": 4.0,
        "occi.compute.architecture": "x64",
        "occi.compute.share": 10,
    }
    assert isinstance(attributes["occi.compute.cores"], int)
    assert isinstance(attributes["occi.compute.memory"], float)


def test_storage_and_network_create(registry):
    storage = resolve_entity(
        EntityDoc(kind=STORAGE, attributes={"occi.storage.size": 10}),
        registry,
        kind=registry.kind(STORAGE),
    )
    assert storage.attributes == {"occi.storage.size": 10.0}
    network = resolve_entity(
        EntityDoc(
            kind=NETWORK,
            mixins=["http://schemas.ogf.org/occi/infrastructure/network#ipnetwork"],
            attributes={
                "occi.network.vlan": 4095,
                "occi.network.address": "10.0.0.0/24",
                "occi.network.allocation": "dynamic",
            },
        ),
        registry,
    )
    assert network.attributes["occi.network.vlan"] == 4095


def test_contextualization_and_aliases(registry):
    doc = compute_doc(
        mixins=[IMAGE.type_id, FLAVOR.type_id, SSH_KEY, USER_DATA],
        attributes={
            "occi.crendentials.ssh.publickey": "ssh-rsa AAAA",
            "occi.compute.user_data": "I2Nsb3VkLWNvbmZpZw==",
        },
    )
    entity = resolve_entity(doc, registry)
    assert entity.attributes == {
        "occi.credentials.ssh.publickey": "ssh-rsa AAAA",
        "occi.compute.userdata": "I2Nsb3VkLWNvbmZpZw==",
    }
    both = compute_doc(
        mixins=[SSH_KEY],
        attributes={
            "occi.credentials.ssh_key": "old",
            "occi.credentials.ssh.publickey": "new",
        },
    )
    assert resolve_entity(both, registry).attributes == {"occi.credentials.ssh.publickey": "new"}


def test_openstack_contextualization(registry):
    doc = compute_doc(
        mixins=[
            IMAGE.type_id,
            FLAVOR.type_id,
            "http://schemas.openstack.org/compute/instance#user_data",
            "http://schemas.openstack.org/instance/credentials#public_key",
        ],
        attributes={
            "org.openstack.compute.user_data": "aGVsbG8=",
            "org.openstack.credentials.publickey.data": "ssh-rsa AAAA",
        },
    )
    entity = resolve_entity(doc, registry)
    assert entity.attributes["org.openstack.compute.user_data"] == "aGVsbG8="
    # A keypair name alone selects an existing keypair.
    name_only = compute_doc(
        mixins=["http://schemas.openstack.org/instance/credentials#public_key"],
        attributes={"org.openstack.credentials.publickey.name": "mykey"},
    )
    assert resolve_entity(name_only, registry).attributes == {
        "org.openstack.credentials.publickey.name": "mykey"
    }


def test_inline_links_take_their_kind_from_the_target(registry):
    doc = compute_doc(
        links=[
            LinkDoc(
                target="/storage/7",
                target_kind=STORAGE,
                location="/storagelink/im_7",
                attributes={
                    "occi.core.source": "/compute/im-uuid",
                    "occi.core.id": "im-link",
                    "occi.core.target": "/storage/7",
                    "occi.storagelink.deviceid": "/dev/vdb",
                },
            ),
            LinkDoc(target="http://h/occi1.2/network/PUBLIC", mixins=[POOL.type_id]),
            LinkDoc(target="/ipreservation/3", target_kind=IPRESERVATION),
            LinkDoc(target="https://h:8787/occi1.1/storage/9"),
            LinkDoc(target="network/net-1"),
        ]
    )
    links = resolve_entity(doc, registry).links
    assert [link.kind.type_id for link in links] == [
        STORAGELINK,
        NETWORKINTERFACE,
        NETWORKINTERFACE,
        STORAGELINK,
        NETWORKINTERFACE,
    ]
    assert links[0].target == "/storage/7"
    assert links[0].target_kind.type_id == STORAGE
    assert links[0].attributes == {"occi.storagelink.deviceid": "/dev/vdb"}
    assert links[1].mixins == [POOL]
    assert links[1].target_kind is None
    # The link kinds are the registry's (1.1 or 1.2).
    assert links[0].kind is registry.kind(STORAGELINK)


def test_inline_link_with_explicit_category_and_target_attribute(registry):
    doc = compute_doc(
        links=[
            LinkDoc(
                kind=NETWORKINTERFACE,
                attributes={
                    "occi.core.target": "/network/abc",
                    "occi.core.title": "eth0 link",
                },
            )
        ]
    )
    (link,) = resolve_entity(doc, registry).links
    assert link.kind.type_id == NETWORKINTERFACE
    assert link.target == "/network/abc"
    assert link.title == "eth0 link"


def test_link_on_its_own(registry):
    doc = EntityDoc(
        kind=STORAGELINK,
        attributes={
            "occi.core.source": "/compute/1",
            "occi.core.target": "/storage/2",
            "occi.core.target.kind": STORAGE,
            "occi.storagelink.deviceid": "/dev/vdc",
        },
    )
    entity = resolve_entity(doc, registry, kind=registry.kind(STORAGELINK))
    assert entity.source == "/compute/1"
    assert entity.target == "/storage/2"
    assert entity.target_kind.type_id == STORAGE
    assert entity.attributes == {"occi.storagelink.deviceid": "/dev/vdc"}
    # The provider picks the device when the client does not.
    del doc.attributes["occi.storagelink.deviceid"]
    assert resolve_entity(doc, registry).attributes == {}


def test_networkinterface_with_pool(registry):
    doc = EntityDoc(
        kind=NETWORKINTERFACE,
        mixins=[POOL.type_id],
        attributes={"occi.core.source": "/compute/1", "occi.core.target": "/network/PUBLIC"},
    )
    entity = resolve_entity(doc, registry, kind=registry.kind(NETWORKINTERFACE))
    assert entity.mixins == [POOL]


def test_update_and_replace_may_leave_out_the_kind(registry):
    compute = registry.kind(COMPUTE)
    update = EntityDoc(attributes={"occi.compute.hostname": "new"})
    entity = resolve_entity(update, registry, kind=compute, purpose="update")
    assert entity.kind is compute
    assert entity.attributes == {"occi.compute.hostname": "new"}
    resize = EntityDoc(mixins=[FLAVOR.type_id])
    assert resolve_entity(resize, registry, kind=compute, purpose="replace").mixins == [FLAVOR]


def test_update_does_not_require_attributes(registry):
    doc = EntityDoc(kind=STORAGE, attributes={"occi.core.title": "disk"})
    entity = resolve_entity(doc, registry, purpose="update")
    assert entity.title == "disk"


def test_replace_ignores_echoed_server_values(registry):
    doc = compute_doc(
        attributes={
            "occi.core.id": "42",
            "occi.compute.state": "active",
            "occi.compute.cores": 8,  # the template's value differs: the template wins
            "occi.compute.hostname": "renamed",
        }
    )
    entity = resolve_entity(doc, registry, purpose="replace")
    assert entity.attributes == {"occi.compute.hostname": "renamed"}


def test_template_values_echoed_on_create_are_accepted(registry):
    doc = compute_doc(attributes={"occi.compute.cores": 1, "occi.compute.memory": 2})
    assert resolve_entity(doc, registry).attributes == {}


def test_mixin_defaults_satisfy_required_attributes():
    kind = Kind(
        term="thing",
        scheme="http://example.org/k#",
        attributes=(Attribute("org.example.size", AttributeType.INTEGER, required=True),),
        parent=core.RESOURCE,
        location="thing/",
    )
    small = Mixin(
        term="small",
        scheme="http://example.org/tpl#",
        attributes=(Attribute("org.example.size", AttributeType.INTEGER, default=1),),
        applies=(kind,),
        location="small/",
    )
    registry = Registry([kind, small])
    rejects(EntityDoc(kind=kind.type_id), registry, "Missing required attribute org.example.size")
    resolved = resolve_entity(EntityDoc(kind=kind.type_id, mixins=[small.type_id]), registry)
    assert resolved.value("org.example.size") == 1


# --- Errors: categories -----------------------------------------------------------------------


def test_missing_kind_names_what_to_send(registry):
    doc = EntityDoc(mixins=[IMAGE.type_id])
    rejects(doc, registry, "Missing kind", COMPUTE, kind=registry.kind(COMPUTE))
    rejects(doc, registry, "Missing kind")
    rejects(doc, registry, "Missing kind", purpose="update")


def test_unknown_kind(registry):
    rejects(EntityDoc(kind=INFRA + "vm"), registry, "Unknown kind " + INFRA + "vm")


def test_kind_that_is_a_mixin(registry):
    rejects(EntityDoc(kind=IMAGE.type_id), registry, IMAGE.type_id, "is a mixin, not a kind")


def test_kind_must_match_the_collection(registry):
    doc = EntityDoc(kind=STORAGE, attributes={"occi.storage.size": 1})
    rejects(doc, registry, STORAGE, "expected " + COMPUTE, kind=registry.kind(COMPUTE))
    # ipreservation is a network, but it has its own collection.
    rejects(EntityDoc(kind=IPRESERVATION), registry, kind=registry.kind(NETWORK))


def test_unclassed_categories_errors(registry):
    rejects(EntityDoc(other_categories=["http://x.org/y#z"]), registry, "Unknown category")
    rejects(
        EntityDoc(kind=COMPUTE, other_categories=[STORAGE]),
        registry,
        "Only one kind",
        COMPUTE,
        STORAGE,
    )
    rejects(EntityDoc(kind=COMPUTE, other_categories=[STOP]), registry, STOP, "?action=stop")


def test_unknown_mixin(registry):
    doc = compute_doc(mixins=["http://schemas.openstack.org/template/os#nope"])
    rejects(doc, registry, "Unknown mixin http://schemas.openstack.org/template/os#nope")


def test_mixin_that_is_a_kind(registry):
    rejects(compute_doc(mixins=[STORAGE]), registry, STORAGE, "is a kind, not a mixin")


def test_mixin_not_applicable_to_the_kind(registry):
    doc = EntityDoc(kind=STORAGE, mixins=[IMAGE.type_id], attributes={"occi.storage.size": 1})
    rejects(doc, registry, IMAGE.type_id, "cannot be applied to " + STORAGE, COMPUTE)


def test_two_os_templates(registry):
    doc = compute_doc(mixins=[IMAGE.type_id, OTHER_IMAGE.type_id])
    rejects(doc, registry, "Only one OS template", IMAGE.type_id, OTHER_IMAGE.type_id)


def test_invalid_purpose(registry):
    with pytest.raises(ValueError):
        resolve_entity(compute_doc(), registry, purpose="delete")


# --- Errors: attributes -----------------------------------------------------------------------


def test_unknown_attribute(registry):
    doc = compute_doc(attributes={"occi.compute.flavour": "big"})
    rejects(doc, registry, "Unknown attribute occi.compute.flavour", COMPUTE)
    # A mixin's attribute without the mixin.
    doc = compute_doc(attributes={"occi.credentials.ssh.publickey": "ssh-rsa A"})
    rejects(doc, registry, "Unknown attribute occi.credentials.ssh.publickey")
    # An alias without its mixin.
    doc = compute_doc(attributes={"occi.compute.user_data": "aGk="})
    rejects(doc, registry, "Unknown attribute occi.compute.user_data")
    # Summary is a resource attribute, not a link one.
    doc = EntityDoc(
        kind=STORAGELINK,
        attributes={
            "occi.core.source": "/c/1",
            "occi.core.target": "/s/1",
            "occi.core.summary": "",
        },
    )
    rejects(doc, registry, "Unknown attribute occi.core.summary")


def test_version_specific_attributes():
    r11 = catalog.static_categories("1.1")
    r12 = catalog.static_categories("1.2")
    share = EntityDoc(kind=COMPUTE, attributes={"occi.compute.share": 2})
    speed = EntityDoc(kind=COMPUTE, attributes={"occi.compute.speed": 2.4})
    assert resolve_entity(share, r12).attributes == {"occi.compute.share": 2}
    assert resolve_entity(speed, r11).attributes == {"occi.compute.speed": 2.4}
    rejects(share, r11, "Unknown attribute occi.compute.share")
    rejects(speed, r12, "Unknown attribute occi.compute.speed")


@pytest.mark.parametrize(
    ("name", "value", "fragments"),
    [
        ("occi.compute.cores", True, ["expects an integer", "boolean"]),
        ("occi.compute.cores", "2", ["expects an integer", '"2"', "unquoted"]),
        ("occi.compute.cores", 2.5, ["expects an integer"]),
        ("occi.compute.cores", None, ["expects an integer", "null"]),
        ("occi.compute.memory", False, ["expects a number"]),
        ("occi.compute.memory", "1.5", ["expects a number", "unquoted"]),
        ("occi.compute.memory", float("inf"), ["expects a number"]),
        ("occi.compute.memory", float("nan"), ["expects a number"]),
        ("occi.compute.hostname", 42, ["expects a string", "number 42"]),
        ("occi.compute.hostname", ["a"], ["expects a string", "a list"]),
        ("occi.compute.hostname", {"a": 1}, ["expects a string", "an object"]),
        ("occi.compute.architecture", "arm", ["must match x86|x64", '"arm"']),
        ("occi.compute.architecture", "x86_64", ["must match"]),
        ("occi.core.title", 1, ["occi.core.title expects a string"]),
    ],
)
def test_value_types(registry, name, value, fragments):
    rejects(compute_doc(attributes={name: value}), registry, name, *fragments)


def test_more_value_types(registry):
    rejects(
        EntityDoc(kind=NETWORK, attributes={"occi.network.vlan": 4096}),
        registry,
        "occi.network.vlan must match",
    )
    rejects(
        EntityDoc(kind=NETWORK, attributes={"occi.network.vlan": -1}),
        registry,
        "occi.network.vlan must match",
    )
    rejects(
        EntityDoc(
            kind=NETWORK,
            mixins=["http://schemas.ogf.org/occi/infrastructure/network#ipnetwork"],
            attributes={"occi.network.allocation": "manual"},
        ),
        registry,
        "occi.network.allocation must match dynamic|static",
    )


def test_check_value_per_type():
    boolean = Attribute("x.b", AttributeType.BOOLEAN)
    assert check_value(boolean, True) is True
    with pytest.raises(InvalidInput, match="unquoted"):
        check_value(boolean, "true")
    array = Attribute("x.a", AttributeType.ARRAY)
    assert check_value(array, [1]) == [1]
    with pytest.raises(InvalidInput, match="expects a list"):
        check_value(array, "1")
    obj = Attribute("x.o", AttributeType.OBJECT)
    assert check_value(obj, {"a": 1}) == {"a": 1}
    with pytest.raises(InvalidInput, match="expects an object"):
        check_value(obj, [])
    long = "y" * 500
    with pytest.raises(InvalidInput) as caught:
        check_value(Attribute("x.i", AttributeType.INTEGER), long)
    assert len(caught.value.message) < 200


def test_immutable_attribute_on_create_and_update(registry):
    doc = compute_doc(attributes={"occi.compute.state": "active"})
    rejects(doc, registry, "occi.compute.state is immutable")
    update = EntityDoc(attributes={"occi.compute.state": "active"})
    rejects(
        update,
        registry,
        "occi.compute.state is immutable",
        kind=registry.kind(COMPUTE),
        purpose="update",
    )


def test_template_fixed_values_cannot_be_changed(registry):
    doc = compute_doc(attributes={"occi.compute.cores": 4})
    rejects(doc, registry, "occi.compute.cores is fixed to 1 by a template")


def test_type_is_checked_before_immutability(registry):
    doc = compute_doc(attributes={"occi.compute.state": "paused"})
    rejects(doc, registry, "occi.compute.state must match")


def test_required_attributes_on_create(registry):
    rejects(EntityDoc(kind=STORAGE), registry, "Missing required attribute occi.storage.size")
    rejects(
        compute_doc(mixins=[SSH_KEY]),
        registry,
        "Missing required attribute occi.credentials.ssh.publickey",
    )
    rejects(
        EntityDoc(kind=STORAGELINK, attributes={"occi.core.target": "/storage/1"}),
        registry,
        "Missing required attribute occi.core.source",
    )
    rejects(
        EntityDoc(kind=NETWORKINTERFACE, attributes={"occi.core.source": "/compute/1"}),
        registry,
        "Missing required attribute occi.core.target",
    )


def test_link_target_kind_must_be_known(registry):
    doc = EntityDoc(
        kind=STORAGELINK,
        attributes={
            "occi.core.source": "/compute/1",
            "occi.core.target": "/storage/2",
            "occi.core.target.kind": INFRA + "disk",
        },
    )
    rejects(doc, registry, "Unknown kind " + INFRA + "disk", "occi.core.target.kind")
    doc.attributes["occi.core.target.kind"] = 7
    rejects(doc, registry, "occi.core.target.kind expects a string")


# --- Errors: inline links ---------------------------------------------------------------------


def test_inline_link_without_target(registry):
    doc = compute_doc(links=[LinkDoc(target_kind=STORAGE)])
    rejects(doc, registry, "Link 1 has no target")


def test_inline_link_of_unknown_kind(registry):
    doc = compute_doc(links=[LinkDoc(target="/somewhere/1")])
    rejects(doc, registry, "Cannot tell the kind of link 1 to /somewhere/1", "category=")
    doc = compute_doc(links=[LinkDoc(target="/compute/2", target_kind=COMPUTE)])
    rejects(doc, registry, "Cannot tell the kind of link 1")


def test_inline_link_unknown_target_kind(registry):
    doc = compute_doc(links=[LinkDoc(target="/storage/1", target_kind=INFRA + "disk")])
    rejects(doc, registry, "Unknown kind " + INFRA + "disk", "link 1 to /storage/1")


def test_inline_link_category_must_be_a_link_kind(registry):
    doc = compute_doc(links=[LinkDoc(target="/storage/1", kind=STORAGE)])
    rejects(doc, registry, STORAGE + " is not a link kind")
    doc = compute_doc(links=[LinkDoc(target="/storage/1", kind=IMAGE.type_id)])
    rejects(doc, registry, "is a mixin, not a kind")


def test_inline_link_attributes_are_checked(registry):
    good = LinkDoc(target="/storage/1", target_kind=STORAGE)
    bad = LinkDoc(
        target="/network/2", target_kind=NETWORK, attributes={"occi.storagelink.deviceid": "x"}
    )
    err = rejects(compute_doc(links=[good, bad]), registry, "occi.storagelink.deviceid")
    assert "link 2 to /network/2" in err.message
    immutable = LinkDoc(target="/storage/1", attributes={"occi.storagelink.state": "active"})
    rejects(compute_doc(links=[immutable]), registry, "occi.storagelink.state is immutable")
    typed = LinkDoc(target="/storage/1", attributes={"occi.storagelink.deviceid": 5})
    rejects(compute_doc(links=[typed]), registry, "expects a string")


def test_inline_link_mixins_are_checked(registry):
    doc = compute_doc(links=[LinkDoc(target="/storage/1", mixins=[POOL.type_id])])
    rejects(doc, registry, POOL.type_id, "cannot be applied to " + STORAGELINK)
    doc = compute_doc(links=[LinkDoc(target="/network/1", mixins=["http://x#y"])])
    rejects(doc, registry, "Unknown mixin http://x#y")


def test_links_cannot_carry_links(registry):
    doc = EntityDoc(
        kind=STORAGELINK,
        attributes={"occi.core.source": "/compute/1", "occi.core.target": "/storage/2"},
        links=[LinkDoc(target="/storage/3")],
    )
    rejects(doc, registry, "cannot carry links")


# --- Actions ----------------------------------------------------------------------------------


def test_action_happy_path(registry):
    compute = registry.kind(COMPUTE)
    action, params = resolve_action(
        ActionDoc(STOP, {"method": "acpioff"}),
        registry,
        allowed=compute.actions,
        expected_term="stop",
    )
    assert action.type_id == STOP
    assert params == {"method": "acpioff"}
    action, params = resolve_action(ActionDoc(STOP), registry, allowed=compute.actions)
    assert params == {}


def test_action_save_with_name(registry12):
    save = "http://schemas.ogf.org/occi/infrastructure/compute/action#save"
    action, params = resolve_action(
        ActionDoc(save, {"name": "snap", "method": "hot"}),
        registry12,
        allowed=registry12.kind(COMPUTE).actions,
        expected_term="save",
    )
    assert params == {"name": "snap", "method": "hot"}


def test_action_without_category_takes_the_query_term(registry):
    action, params = resolve_action(
        ActionDoc(""), registry, allowed=registry.kind(COMPUTE).actions, expected_term="start"
    )
    assert action.term == "start"
    with pytest.raises(InvalidInput, match="Missing action"):
        resolve_action(ActionDoc(""), registry, allowed=registry.kind(COMPUTE).actions)
    with pytest.raises(InvalidInput, match="Missing action"):
        resolve_action(
            ActionDoc(""), registry, allowed=registry.kind(COMPUTE).actions, expected_term="fly"
        )


def action_rejects(doc, registry, *fragments, **kwargs) -> None:
    with pytest.raises(InvalidInput) as caught:
        resolve_action(doc, registry, **kwargs)
    assert caught.value.status == 400
    for fragment in fragments:
        assert fragment in caught.value.message, caught.value.message


def test_unknown_action(registry):
    fly = "http://schemas.ogf.org/occi/infrastructure/compute/action#fly"
    action_rejects(
        ActionDoc(fly), registry, "Unknown action " + fly, allowed=registry.kind(COMPUTE).actions
    )


def test_action_of_another_kind(registry):
    up = "http://schemas.ogf.org/occi/infrastructure/network/action#up"
    action_rejects(
        ActionDoc(up),
        registry,
        up,
        "not defined for this entity",
        STOP,
        allowed=registry.kind(COMPUTE).actions,
    )


def test_action_category_that_is_not_an_action(registry):
    action_rejects(
        ActionDoc(COMPUTE), registry, "is a kind, not an action", allowed=infra.COMPUTE.actions
    )


def test_action_term_must_match_the_query(registry):
    action_rejects(
        ActionDoc(STOP),
        registry,
        "'start'",
        STOP,
        allowed=registry.kind(COMPUTE).actions,
        expected_term="start",
    )


@pytest.mark.parametrize(
    ("params", "fragments"),
    [
        ({"method": "hard"}, ["method must match graceful|acpioff|poweroff", '"hard"']),
        ({"method": 1}, ["method expects a string"]),
        ({"force": True}, ["Unknown parameter force", "method"]),
    ],
)
def test_action_parameters(registry, params, fragments):
    action_rejects(
        ActionDoc(STOP, params), registry, *fragments, allowed=registry.kind(COMPUTE).actions
    )


def test_restart_and_suspend_methods(registry):
    allowed = registry.kind(COMPUTE).actions
    restart = "http://schemas.ogf.org/occi/infrastructure/compute/action#restart"
    suspend = "http://schemas.ogf.org/occi/infrastructure/compute/action#suspend"
    assert resolve_action(ActionDoc(restart, {"method": "warm"}), registry, allowed=allowed)[1]
    action_rejects(ActionDoc(restart, {"method": "acpioff"}), registry, allowed=allowed)
    assert resolve_action(ActionDoc(suspend, {"method": "hibernate"}), registry, allowed=allowed)
    action_rejects(ActionDoc(suspend, {"method": "cold"}), registry, allowed=allowed)


def test_storage_resize_in_11():
    registry = catalog.static_categories("1.1")
    resize = "http://schemas.ogf.org/occi/infrastructure/storage/action#resize"
    allowed = registry.kind(STORAGE).actions
    assert resolve_action(ActionDoc(resize, {"size": 10}), registry, allowed=allowed)[1] == {
        "size": 10.0
    }
    action_rejects(ActionDoc(resize), registry, "Missing required parameter size", allowed=allowed)
    action_rejects(ActionDoc(resize, {"size": "10"}), registry, "expects a number", allowed=allowed)
    # 1.2 has no resize action.
    r12 = catalog.static_categories("1.2")
    action_rejects(ActionDoc(resize), r12, "Unknown action", allowed=r12.kind(STORAGE).actions)


def test_save_is_not_a_11_action():
    registry = catalog.static_categories("1.1")
    save = "http://schemas.ogf.org/occi/infrastructure/compute/action#save"
    action_rejects(
        ActionDoc(save), registry, "Unknown action", allowed=registry.kind(COMPUTE).actions
    )
