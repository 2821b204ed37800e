"""The pure parts of creating and changing computes: boot plans, user data, change plans."""

from __future__ import annotations

import base64

import pytest

from ooi.api.compute_changes import nova_user_data, plan_boot, plan_change
from ooi.occi import catalog, openstack
from ooi.occi import infrastructure as infra
from ooi.occi.documents import EntityDoc, LinkDoc
from ooi.occi.errors import InvalidInput
from ooi.occi.model import Resource
from ooi.occi.validation import resolve_entity

ENDPOINT = "http://cloud:8787/occi1.2/"
IMAGE = openstack.os_template("img-1", "an image")
OTHER_IMAGE = openstack.os_template("img-2", "another image")
TINY = openstack.resource_template("1", "m1.tiny", 1, 0.5, 1)
SMALL = openstack.resource_template("2", "m1.small", 1, 2.0, 20)
ZONE = openstack.availability_zone("nova")
OTHER_ZONE = openstack.availability_zone("far")
REGISTRY = catalog.with_extra("1.2", [IMAGE, OTHER_IMAGE, TINY, SMALL, ZONE, OTHER_ZONE])


def resolved(mixins=(), attributes=None, links=(), purpose="create"):
    doc = EntityDoc(
        kind=infra.COMPUTE.type_id,
        mixins=[m.type_id for m in mixins],
        attributes=dict(attributes or {}),
        links=list(links),
    )
    return resolve_entity(doc, REGISTRY, kind=infra.COMPUTE, purpose=purpose)


def test_boot_plan_from_templates_zone_and_title():
    plan = plan_boot(resolved([IMAGE, TINY, ZONE], {"occi.core.title": "vm"}), REGISTRY, ENDPOINT)
    assert plan.server == {
        "name": "vm",
        "imageRef": "img-1",
        "flavorRef": "1",
        "availability_zone": "nova",
    }
    assert plan.key_name is None


def test_boot_plan_picks_the_smallest_fitting_flavor():
    plan = plan_boot(resolved([IMAGE], {"occi.compute.memory": 1.0}), REGISTRY, ENDPOINT)
    assert plan.server["flavorRef"] == "2"
    with pytest.raises(InvalidInput, match="No resource template"):
        plan_boot(resolved([IMAGE], {"occi.compute.memory": 64.0}), REGISTRY, ENDPOINT)


def test_boot_plan_two_zones_is_400():
    with pytest.raises(InvalidInput, match="Only one availability zone"):
        plan_boot(resolved([IMAGE, TINY, ZONE, OTHER_ZONE]), REGISTRY, ENDPOINT)


def test_site_defaults_stand_in_for_missing_templates():
    plan = plan_boot(resolved(), REGISTRY, ENDPOINT, "an image", "m1.small")
    assert (plan.server["imageRef"], plan.server["flavorRef"]) == ("img-1", "2")
    by_id = plan_boot(resolved([OTHER_IMAGE]), REGISTRY, ENDPOINT, "img-1", "1")
    assert (by_id.server["imageRef"], by_id.server["flavorRef"]) == ("img-2", "1")
    with pytest.raises(InvalidInput, match="ooi_default_os_tpl = gone"):
        plan_boot(resolved(), REGISTRY, ENDPOINT, "gone", "1")
    with pytest.raises(InvalidInput, match="Missing resource template"):
        plan_boot(resolved(), REGISTRY, ENDPOINT, "img-1")


def test_public_key_without_name_is_a_temporary_keypair():
    attributes = {"occi.credentials.ssh.publickey": "ssh-rsa AAA x"}
    plan = plan_boot(resolved([IMAGE, TINY, infra.SSH_KEY], attributes), REGISTRY, ENDPOINT)
    assert plan.temporary_key and plan.key_data == "ssh-rsa AAA x"
    assert plan.key_name and plan.server["key_name"] == plan.key_name


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ("I2Nsb3VkLWNvbmZpZw==", "I2Nsb3VkLWNvbmZpZw=="),
        ("I2Nsb3Vk\nLWNvbmZpZw==", "I2Nsb3VkLWNvbmZpZw=="),
        ("#cloud-config", "I2Nsb3VkLWNvbmZpZw=="),
        ("héllo", base64.b64encode("héllo".encode()).decode()),
    ],
)
def test_user_data_is_sent_as_base64(value, sent):
    assert nova_user_data(value, "x") == sent


def _current(mixins, title="vm"):
    return Resource(
        kind=infra.COMPUTE,
        id="s1",
        title=title,
        mixins=list(mixins),
        attributes={"occi.compute.cores": 1, "occi.compute.hostname": title},
    )


def test_change_plan_rename_and_resize():
    current = _current([IMAGE, TINY, ZONE])
    update = resolved([SMALL], {"occi.core.title": "new"}, purpose="update")
    plan = plan_change(update, current, "update")
    assert (plan.name, plan.flavor, plan.description) == ("new", "2", None)
    same = plan_change(resolved([IMAGE, TINY, ZONE], purpose="update"), current, "update")
    assert (same.name, same.flavor) == (None, None)


@pytest.mark.parametrize(
    ("mixins", "attributes", "links", "fragment"),
    [
        ([OTHER_IMAGE], {}, [], "OS template"),
        ([OTHER_ZONE], {}, [], "availability zone"),
        ([infra.USER_DATA], {"occi.compute.userdata": "eA=="}, [], "created"),
        ([], {"occi.compute.cores": 4}, [], "occi.compute.cores"),
        ([], {}, [LinkDoc(target="/network/n", kind=infra.NETWORKINTERFACE.type_id)], "links"),
    ],
)
def test_change_plan_refuses_what_cannot_change(mixins, attributes, links, fragment):
    update = resolved(mixins, attributes, links, purpose="update")
    with pytest.raises(InvalidInput, match=fragment):
        plan_change(update, _current([IMAGE, TINY, ZONE]), "update")
