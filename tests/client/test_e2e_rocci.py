"""rOCCI-cli command lines through the installed `occi`, against the box (OCCI 1.1, as rOCCI
spoke it, in nova's pipeline): templates, a compute's life with contextualization and
--wait-for-active, a volume made, linked, unlinked and deleted, rOCCI's output shapes, and
nothing left behind."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from tests.client.conftest import PUBLIC_KEY, Ran, run

pytestmark = pytest.mark.cloud

STOP = "http://schemas.ogf.org/occi/infrastructure/compute/action#stop"


def test_a_compute_the_rocci_way(cloud, demo_token: str, tmp_path) -> None:  # noqa: ANN001
    endpoint = cloud.endpoints["ooi"] + "/occi1.1"

    def rocci(*args: str) -> Ran:
        return run("--endpoint", endpoint, "--auth", "token", "--token", demo_token, *args)

    templates = rocci("--action", "list", "--resource", "os_tpl")
    assert templates.code == 0, templates.err
    assert templates.out.startswith("http://schemas.openstack.org/template/os#")

    (tmp_path / "key.pub").write_text(PUBLIC_KEY + "\n")
    (tmp_path / "user-data").write_text("#cloud-config\n")
    title = f"rocci-e2e-{uuid.uuid4().hex[:6]}"
    tag = f"rocci{uuid.uuid4().hex[:6]}"
    created = rocci(
        "--action", "create", "--resource", "compute",
        "--mixin", "os_tpl#box-raw", "--mixin", "resource_tpl#1",
        "--attribute", f'occi.core.title="{title}"',
        # rOCCI's list options: comma-separated or repeated
        "--context", f"user_data=file://{tmp_path}/user-data,public_key=file://{tmp_path}/key.pub",
        "--wait-for-active",
    )  # fmt: skip
    location = created.out.strip()
    server_id = location.rsplit("/", 1)[-1]
    made: list[str] = []
    try:
        assert created.code == 0, created.err
        assert location.startswith(endpoint + "/compute/")
        listed = rocci("--action", "list", "--resource", "compute", "--output-format", "json")
        assert location in json.loads(listed.out)

        described = rocci("--action", "describe", "--resource", location, "-o", "json_pretty")
        (shown,) = json.loads(described.out)
        assert shown["attributes"]["occi"]["compute"]["state"] == "active"
        assert shown["attributes"]["occi"]["core"]["title"] == title
        plain = rocci("--action", "describe", "--resource", location)
        assert "[[ http://schemas.ogf.org/occi/infrastructure#compute ]]" in plain.out
        assert f"occi.core.title = {title}" in plain.out

        # --action update: the mixins alone POSTed to the compute, in rOCCI's text rendering.
        tagged = run("--endpoint", endpoint, "--os-token", demo_token, "mixin", "create", tag)
        assert tagged.code == 0, tagged.err
        tag_id = f"{endpoint}/tags#{tag}"
        updated = rocci("--action", "update", "--resource", location, "--mixin", tag_id,
                        "--media-type", "text/plain")  # fmt: skip
        assert updated.code == 0 and updated.out == "", updated.err
        extended = rocci("--action", "describe", "--resource", location, "-o", "json_extended")
        (shown,) = json.loads(extended.out)
        assert tag_id in shown["mixins"]
        (interface,) = [lk for lk in shown["links"] if lk["kind"].endswith("#networkinterface")]
        assert interface["source"] == location and "/networklink/" in interface["location"]
        assert interface["id"] == interface["location"].rsplit("/", 1)[1]
        listed = rocci("--action", "list", "--resource", "compute", "-o", "json_extended_pretty")
        assert location in [e["location"] for e in json.loads(listed.out)]
        assert "\n  " in listed.out  # pretty
        no_mixin = rocci("--action", "update", "--resource", location)
        assert no_mixin.code == 2 and "--mixin" in no_mixin.err

        volume = rocci("--action", "create", "--resource", "storage",
                       "--attribute", f'occi.core.title="{title}-vol",occi.storage.size=num(1)',
                       "--wait-for-active").out.strip()  # fmt: skip
        made.append(volume)
        assert volume.startswith(endpoint + "/storage/")
        link = rocci("--action", "link", "--resource", location, "--link", volume)
        assert link.code == 0 and "/storagelink/" in link.out, link.err
        unlinked = rocci("--action", "unlink", "--resource", link.out.strip())
        assert unlinked.code == 0, unlinked.err
        end = time.monotonic() + 60
        while (gone := rocci("--action", "delete", "--resource", volume)).code == 5:
            assert time.monotonic() < end, gone.err  # still detaching
            time.sleep(1)
        assert gone.code == 0, gone.err
        made.remove(volume)

        stopped = rocci("--action", "trigger", "--resource", location,
                        "--trigger-action", STOP, "--wait-for-active")  # fmt: skip
        assert stopped.code == 0, stopped.err
        deleted = rocci("--action", "delete", "--resource", location)
        assert deleted.code == 0, deleted.err
        gone = rocci("--action", "describe", "--resource", location)
        assert gone.code == 4, gone.err
    finally:
        if server_id:
            cloud.client("nova").call("DELETE", f"/servers/{server_id}", ok=(404,))
        for volume in made:
            run("--endpoint", endpoint, "--os-token", demo_token, "storage", "delete", volume,
                "--wait")  # fmt: skip
        run("--endpoint", endpoint, "--os-token", demo_token, "mixin", "delete", tag)


def test_rocci_lists_any_kind_of_the_site(cloud, demo_token: str) -> None:  # noqa: ANN001
    """rOCCI's resource types are the site's kinds: security groups and reservations too."""
    endpoint = cloud.endpoints["ooi"] + "/occi1.1"

    def rocci(*args: str) -> Ran:
        return run("--endpoint", endpoint, "--auth", "token", "--token", demo_token, *args)

    groups = rocci("--action", "list", "--resource", "securitygroup", "-o", "json")
    assert groups.code == 0, groups.err
    assert all(g.startswith(endpoint + "/securitygroup/") for g in json.loads(groups.out))
    full = rocci("--action", "list", "--resource", "securitygroup", "-o", "json_extended")
    (default,) = [g for g in json.loads(full.out) if g["attributes"]["occi"]["core"]["title"]
                  == "default"]  # fmt: skip
    assert default["location"] in json.loads(groups.out)
    described = rocci("--action", "describe", "--resource", default["location"], "-o", "json")
    (shown,) = json.loads(described.out)
    assert shown["kind"] == "http://schemas.ogf.org/occi/infrastructure#securitygroup"
    assert shown["id"] == default["id"]
    reservations = rocci("--action", "list", "--resource", "ipreservation")
    assert reservations.code == 0, reservations.err
    unknown = rocci("--action", "list", "--resource", "no-such-kind")
    assert unknown.code == 2 and "no-such-kind" in unknown.err


def test_rocci_usage_errors(cloud) -> None:  # noqa: ANN001
    endpoint = cloud.endpoints["ooi"] + "/occi1.1"
    assert run("--endpoint", endpoint, "--action", "nonsense").code == 2
    x509 = run("--endpoint", endpoint, "--auth", "x509", "--action", "list", "-r", "compute")
    assert x509.code == 2 and "x509" in x509.err
