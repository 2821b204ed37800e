"""Storage actions and networks through the installed `occi` against the box: a volume
resized (OCCI 1.2 by an update, 1.1 by the resize action), snapshotted, and backed up where
the box has no backup service (exit status 8, the server's reason); a network created with its
subnet and deleted with nothing left behind (no network, subnet or router of ours)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.client.conftest import ok, run
from tests.cloud.waiting import until
from tests.functional.test_storage import Cloud
from tests.functional.test_storage_actions import _purge_failed_backups

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def volume(cloud, demo: Cloud, occi_as_demo) -> Iterator[dict[str, str]]:  # noqa: ANN001
    """A 1 GiB volume made by `occi storage create --wait`; afterwards its snapshots, failed
    backups and itself are gone, whatever the tests did."""
    endpoint = cloud.endpoints["ooi"] + "/occi1.2"
    name = f"occi-acts-{uuid.uuid4().hex[:6]}"
    made = occi_as_demo(endpoint, "storage", "create", name, "--size", "1", "--wait", "-f", "json")
    volume_id = made.json()["id"] if made.code == 0 else None
    try:
        yield {"ran": made, "id": volume_id or "", "name": name, "endpoint": endpoint}
    finally:
        if volume_id:
            snapshots = demo.cinder.get(f"/snapshots?volume_id={volume_id}")["snapshots"]
            for snapshot in snapshots:
                path = f"/snapshots/{snapshot['id']}"
                until("snapshot settled", lambda p=path: demo.cinder.get(p)["snapshot"]["status"]
                      != "creating")  # fmt: skip
                demo.cinder.call("DELETE", path, ok=(404,))
                until("snapshot gone", lambda p=path: demo.cinder.call("GET", p, ok=(404,)) is None)
            _purge_failed_backups(cloud, volume_id)
            demo.forget_volume(volume_id)


def test_resize_on_12_and_11(volume: dict[str, str], demo: Cloud, occi_as_demo, demo_token) -> None:  # noqa: ANN001
    ok(volume["ran"])
    endpoint, name = volume["endpoint"], volume["name"]
    resized = occi_as_demo(endpoint, "storage", "resize", name, "--size", "2", "--wait", "-f",
                           "json")  # fmt: skip
    shown = ok(resized).json()
    assert shown["occi.storage.size"] == 2 and shown["occi.storage.state"] == "online"
    # OCCI 1.1 has a resize action (with its size parameter), in both renderings.
    for media_type in ("application/occi+json", "text/plain"):
        size = {"application/occi+json": "3", "text/plain": "4"}[media_type]
        again = occi_as_demo(endpoint.replace("/occi1.2", "/occi1.1"), "--media-type", media_type,
                             "storage", "resize", volume["id"], "--size", size, "--wait",
                             "-f", "value", "-c", "occi.storage.size")  # fmt: skip
        assert ok(again).out.strip() == size
    assert demo.volume(volume["id"])["size"] == 4
    # rOCCI-cli's line: the action's parameter as an --attribute.
    url = f"{endpoint.replace('/occi1.2', '/occi1.1')}/storage/{volume['id']}"
    rocci = run("--endpoint", url.split("/storage/")[0], "--auth", "token", "--token",
                demo_token, "--action", "trigger", "--resource", url, "--trigger-action",
                "http://schemas.ogf.org/occi/infrastructure/storage/action#resize",
                "--attribute", "size=num(5)")  # fmt: skip
    ok(rocci)
    until("resized to 5 GiB", lambda: demo.volume(volume["id"])["size"] == 5)
    shrink = occi_as_demo(endpoint, "storage", "resize", name, "--size", "1")
    assert shrink.code == 1 and "cannot shrink" in shrink.err


def test_snapshot_and_backup(volume: dict[str, str], demo: Cloud, occi_as_demo) -> None:  # noqa: ANN001
    ok(volume["ran"])
    endpoint, volume_id = volume["endpoint"], volume["id"]
    snap = f"{volume['name']}-snap"
    ok(occi_as_demo(endpoint, "storage", "snapshot", volume["name"], "--name", snap, "--wait"))
    snapshots = demo.cinder.get(f"/snapshots?volume_id={volume_id}")["snapshots"]
    assert [s["name"] for s in snapshots] == [snap]
    # OCCI 1.1's snapshot action takes no name: said before anything is asked of the site.
    named = occi_as_demo(endpoint.replace("/occi1.2", "/occi1.1"), "storage", "snapshot",
                         volume_id, "--name", "x")  # fmt: skip
    assert named.code == 2 and "takes no name" in named.err
    # The box runs no cinder-backup: the site's 501 is exit status 8, with its reason.
    backup = occi_as_demo(endpoint, "storage", "backup", volume_id)
    assert backup.code == 8, backup.err
    assert "no backup service" in backup.err and "Traceback" not in backup.err


def test_network_create_and_delete(cloud, demo: Cloud, occi_as_demo) -> None:  # noqa: ANN001
    endpoint = cloud.endpoints["ooi"] + "/occi1.2"
    name = f"occi-net-{uuid.uuid4().hex[:6]}"
    routers = {r["id"] for r in demo.neutron.get("/routers")["routers"]}
    tag = f"net{uuid.uuid4().hex[:6]}"
    made = occi_as_demo(endpoint, "network", "create", name, "--address", "10.231.7.0/24",
                        "--gateway", "10.231.7.254", "--allocation", "static", "--tag", tag,
                        "--wait", "-f", "json")  # fmt: skip
    shown = made.json() if made.code == 0 else {}
    try:
        ok(made)
        assert shown["title"] == name and shown["occi.network.state"] == "active"
        assert shown["occi.network.address"] == "10.231.7.0/24"
        assert shown["occi.network.gateway"] == "10.231.7.254"
        assert shown["occi.network.allocation"] == "static"
        assert "http://schemas.ogf.org/occi/infrastructure/network#ipnetwork" in shown["mixins"]
        assert f"{endpoint}/tags#{tag}" in shown["mixins"]  # defined by the create
        (subnet,) = demo.neutron.get(f"/subnets?network_id={shown['id']}")["subnets"]
        assert subnet["cidr"] == "10.231.7.0/24" and subnet["enable_dhcp"] is False
        listed = ok(occi_as_demo(endpoint, "network", "list", "-f", "value", "-c", "Name")).out
        assert name in listed.split()
        for action, state in (("down", "inactive"), ("up", "active")):
            ok(occi_as_demo(endpoint, "network", action, name, "--wait", "--wait-timeout", "60"))
            network = demo.neutron.get(f"/networks/{shown['id']}")["network"]
            assert network["admin_state_up"] is (action == "up")
            again = occi_as_demo(endpoint, "network", "show", name, "-f", "value", "-c",
                                 "occi.network.state")  # fmt: skip
            assert ok(again).out.strip() == state
        ok(occi_as_demo(endpoint, "network", "delete", name, "--wait"))
        shown = {}
    finally:
        if shown.get("id"):
            occi_as_demo(endpoint, "network", "delete", shown["id"], "--wait")
        occi_as_demo(endpoint, "mixin", "delete", tag)
    assert occi_as_demo(endpoint, "network", "show", name).code == 4
    assert {r["id"] for r in demo.neutron.get("/routers")["routers"]} == routers
    subnets = demo.neutron.get("/subnets")["subnets"]
    assert not [s for s in subnets if s["name"] == name]


def test_network_refusals(cloud, occi_as_demo) -> None:  # noqa: ANN001
    endpoint = cloud.endpoints["ooi"] + "/occi1.2"
    bad = occi_as_demo(endpoint, "network", "create", "x", "--address", "not-a-cidr")
    assert bad.code == 1 and "not a CIDR" in bad.err
    missing = occi_as_demo(endpoint, "network", "create", "x")
    assert missing.code == 2 and "--address" in missing.err
    public = occi_as_demo(endpoint, "network", "delete", "PUBLIC")
    assert public.code == 3 and "PUBLIC" in public.err
