"""Volumes, networks and links through the installed `occi` against the box (nova's
pipeline, OCCI 1.2): a compute made with a new volume, a network and a public IP; a volume
attached and detached afterwards; everything deleted by `occi` and nothing left behind."""

from __future__ import annotations

import uuid

import pytest

from tests.client.conftest import Ran, ok

pytestmark = pytest.mark.cloud
INFRA = "http://schemas.ogf.org/occi/infrastructure#"


def test_volumes_networks_and_links(cloud, occi_as_demo) -> None:  # noqa: ANN001
    endpoint = cloud.endpoints["ooi"] + "/occi1.2"

    def occi(*args: str) -> Ran:
        return occi_as_demo(endpoint, *args)

    name = f"occi-links-{uuid.uuid4().hex[:6]}"
    networks = ok(occi("network", "list", "-f", "json")).json()
    assert {"PUBLIC", "private"} <= {n["Name"] for n in networks}
    made: dict[str, str] = {}
    try:
        volume = ok(occi("storage", "create", name + "-vol", "--size", "1", "--wait", "-f", "json"))
        made["volume"] = volume.json()["id"]
        assert volume.json()["occi.storage.state"] == "online"

        compute = occi(
            "compute", "create", name,
            "--os-template", "box-raw", "--resource-template", "m1.tiny",
            "--volume", "1", "--network", "private", "--public-ip", "--pool", "public", "--wait",
            "-f", "json",
        )  # fmt: skip
        shown = ok(compute).json()
        made["compute"] = shown["id"]
        kinds = sorted(link["kind"].rpartition("#")[2] for link in shown["links"])
        assert kinds.count("networkinterface") == 2 and kinds.count("storagelink") == 1, kinds
        targets = [link["target"] for link in shown["links"]]
        assert endpoint + "/network/PUBLIC" in targets
        (disk,) = [t for t in targets if "/storage/" in t]
        made["disk"] = disk.rsplit("/", 1)[1]

        link = occi("link", "create", name, "--storage", name + "-vol", "--wait", "-f", "json")
        attached = ok(link).json()
        assert attached["occi.storagelink.state"] == "active"
        assert attached["source"] == f"{endpoint}/compute/{shown['id']}"
        assert attached["target"] == f"{endpoint}/storage/{made['volume']}"
        again = ok(occi("link", "show", attached["id"], "-f", "value", "-c", "kind")).out.strip()
        assert again == INFRA + "storagelink"
        ok(occi("link", "delete", attached["location"], "--wait"))
        assert occi("link", "show", attached["id"]).code == 4
    finally:
        if "compute" in made:
            ok(occi("compute", "delete", made["compute"], "--wait"))
        volumes = [made[k] for k in ("volume", "disk") if k in made]
        if volumes:
            ok(occi("storage", "delete", *volumes, "--wait"))
    listed = ok(occi("storage", "list", "-f", "value", "-c", "Name")).out
    assert name not in listed
