"""The installed `occi` against the box: discovery in both of ooi's modes; a compute's life
(create with user data, an SSH key and a tag, --wait; show in every format; tags added and
removed; stop and start; delete --wait) and nothing left behind. One compute serves the
whole module."""

from __future__ import annotations

import base64
import csv
import io
import time
import uuid
from collections.abc import Iterator

import pytest
import yaml

from tests.client.conftest import PUBLIC_KEY, ok

pytestmark = pytest.mark.cloud

USER_DATA = "#cloud-config\nruncmd:\n  - [touch, /tmp/made-by-occi]\n"


@pytest.mark.parametrize("path", ["/occi1.2", "/occi1.1"])
def test_discover(ooi_url: str, path: str, occi_as_demo) -> None:  # noqa: ANN001
    kinds = ok(occi_as_demo(ooi_url + path, "discover", "--class", "kind", "-f", "json")).json()
    compute = next(k for k in kinds if k["Term"] == "compute")
    assert compute["Scheme"] == "http://schemas.ogf.org/occi/infrastructure#"
    assert compute["Location"] == f"{path}/compute/"
    images = ok(occi_as_demo(ooi_url + path, "os-template", "list", "-f", "json")).json()
    assert "box-raw" in [i["Name"] for i in images]
    flavor = ok(occi_as_demo(ooi_url + path, "resource-template", "show", "m1.tiny", "-f", "json"))
    assert flavor.json()["term"] == "1"


def test_standalone_root_endpoint(cloud, occi_as_demo) -> None:  # noqa: ANN001
    """ooi-api serves OCCI 1.2 at its port's root too."""
    kinds = ok(occi_as_demo(cloud.endpoints["ooi_standalone"], "discover", "-f", "json")).json()
    assert {"compute", "storage", "network"} <= {k["Term"] for k in kinds}


@pytest.fixture(scope="module")
def compute(occi_as_demo, cloud, tmp_path_factory) -> Iterator[dict]:  # noqa: ANN001
    """One compute made by `occi compute create ... --wait` through ooi in nova's pipeline (the
    server's tests cover both modes; discovery and logins here run in both), deleted by nova
    if a test failed before `test_delete_wait` did it; its tag (a user mixin) is deleted too."""
    files = tmp_path_factory.mktemp("occi")
    (files / "user-data").write_text(USER_DATA)
    (files / "key.pub").write_text(PUBLIC_KEY + "\n")
    name, tag = f"occi-e2e-{uuid.uuid4().hex[:6]}", f"e2e{uuid.uuid4().hex[:6]}"
    endpoint = cloud.endpoints["ooi"] + "/occi1.2"
    created = occi_as_demo(
        endpoint,
        "compute", "create", name,
        "--os-template", "box-raw", "--resource-template", "m1.tiny",
        "--user-data", str(files / "user-data"), "--ssh-key", str(files / "key.pub"),
        "--tag", tag, "--wait", "-f", "json",
    )  # fmt: skip
    shown = created.json() if created.code == 0 else {}
    try:
        yield {"ran": created, "shown": shown, "name": name, "tag": tag, "endpoint": endpoint}
    finally:
        if shown.get("id"):
            cloud.client("nova").call("DELETE", f"/servers/{shown['id']}", ok=(404,))
        occi_as_demo(endpoint, "mixin", "delete", tag)


def test_create_wait_active(compute: dict, cloud) -> None:  # noqa: ANN001
    ran, shown = ok(compute["ran"]), compute["shown"]
    assert shown["title"] == compute["name"]
    assert shown["occi.compute.state"] == "active"
    assert "active" in ran.err  # progress on stderr, output on stdout
    assert any(m.endswith("#" + compute["tag"]) for m in shown["mixins"])
    nova = cloud.client("nova")
    nova.headers = {"OpenStack-API-Version": "compute 2.26"}
    server = nova.get(f"/servers/{shown['id']}")["server"]
    # ooi keeps user mixins as nova server tags of its own naming.
    assert server["status"] == "ACTIVE" and len(server["tags"]) == 1
    assert base64.b64decode(server["OS-EXT-SRV-ATTR:user_data"]).decode() == USER_DATA
    assert server["key_name"], "the SSH key did not reach nova"


@pytest.mark.parametrize("fmt", ["table", "json", "yaml", "value", "shell"])
def test_show_every_format(compute: dict, fmt: str, occi_as_demo) -> None:  # noqa: ANN001
    shown = compute["shown"]
    assert shown, "no compute to show"
    ran = ok(occi_as_demo(compute["endpoint"], "compute", "show", compute["name"], "-f", fmt))
    if fmt == "json":
        assert ran.json()["id"] == shown["id"]
    elif fmt == "yaml":
        assert yaml.safe_load(ran.out)["occi.compute.state"] == "active"
    elif fmt == "shell":
        assert f'id="{shown["id"]}"' in ran.out.splitlines()
    else:
        assert shown["id"] in ran.out and compute["name"] in ran.out
    if fmt == "value":  # -c picks columns; by id this time
        picked = occi_as_demo(
            compute["endpoint"], "compute", "show", shown["id"], "-f", "value", "-c", "title"
        )
        assert ok(picked).out.strip() == compute["name"]


@pytest.mark.parametrize("command", [["compute", "show"], ["compute", "list", "--name"]])
def test_yaml_carries_what_json_does(compute: dict, command: list[str], occi_as_demo) -> None:  # noqa: ANN001
    """-f yaml parses as YAML, to the very data -f json gives (links, mixins, numbers)."""
    args = [*command, compute["name"]]
    as_json = ok(occi_as_demo(compute["endpoint"], *args, "-f", "json")).json()
    as_yaml = yaml.safe_load(ok(occi_as_demo(compute["endpoint"], *args, "-f", "yaml")).out)
    assert as_yaml == as_json and as_json


def test_list_in_text_on_occi11(compute: dict, occi_as_demo) -> None:  # noqa: ANN001
    listed = occi_as_demo(
        compute["endpoint"].replace("/occi1.2", "/occi1.1"),
        "--media-type", "text/plain",
        "compute", "list", "--name", compute["name"], "-f", "csv",
    )  # fmt: skip
    header, *rows = list(csv.reader(io.StringIO(ok(listed).out)))
    assert [dict(zip(header, row, strict=True))["ID"] for row in rows] == [compute["shown"]["id"]]
    assert rows[0][header.index("State")] == "active"


@pytest.mark.parametrize("media_type", ["application/occi+json", "text/plain"])
def test_list_page_by_page(compute: dict, media_type: str, occi_as_demo) -> None:  # noqa: ANN001
    """One network a page (the project sees at least two): the listing follows the server's
    next-page links to the end, each network once."""
    args = ["--media-type", media_type, "--debug", "network", "list", "-f", "value", "-c", "Name"]
    listed = occi_as_demo(compute["endpoint"], *args, OCCI_PAGE_SIZE="1")
    names = ok(listed).out.split()
    assert {"PUBLIC", "private"} <= set(names) and len(names) == len(set(names))
    pages = [
        line for line in listed.err.splitlines() if "REQ: GET" in line and "/network/?" in line
    ]
    assert len(pages) >= 2 and "number=1" in pages[0], pages


def test_stop_and_start(compute: dict, occi_as_demo) -> None:  # noqa: ANN001
    endpoint, name = compute["endpoint"], compute["name"]
    ok(occi_as_demo(endpoint, "compute", "stop", name, "--wait", "--wait-timeout", "120"))
    state = occi_as_demo(endpoint, "compute", "show", name, "-f", "value", "-c",
                         "occi.compute.state")  # fmt: skip
    assert ok(state).out.strip() == "inactive"
    ok(occi_as_demo(endpoint, "compute", "start", name, "--wait", "--wait-timeout", "120"))


def test_mixin_added_and_removed(compute: dict, occi_as_demo) -> None:  # noqa: ANN001
    endpoint, name = compute["endpoint"], compute["name"]
    tag = f"more{uuid.uuid4().hex[:6]}"

    def mixins() -> str:
        return ok(occi_as_demo(endpoint, "compute", "show", name, "-f", "json")).json()["mixins"]

    ok(occi_as_demo(endpoint, "mixin", "create", tag, "--title", "added later"))
    try:
        ok(occi_as_demo(endpoint, "mixin", "add", tag, name))
        assert any(m.endswith("#" + tag) for m in mixins())
        ok(occi_as_demo(endpoint, "mixin", "remove", tag, name))
        assert not any(m.endswith("#" + tag) for m in mixins())
        assert occi_as_demo(endpoint, "mixin", "create", tag).code == 5
    finally:
        ok(occi_as_demo(endpoint, "mixin", "delete", tag))
    assert tag not in ok(occi_as_demo(endpoint, "mixin", "list", "-f", "value")).out


def test_save_and_resize(compute: dict, cloud, occi_as_demo) -> None:  # noqa: ANN001
    """Save first: right after a resize nova refuses snapshots for a moment (409, exit 5)."""
    endpoint, name = compute["endpoint"], compute["name"]
    saved = occi_as_demo(endpoint, "compute", "save", name, "--name", name + "-image", "-f", "json")
    (template,) = ok(saved).json()
    image_id = template["Template"].rpartition("#")[2]
    try:
        images = ok(occi_as_demo(endpoint, "os-template", "list", "-f", "json")).json()
        assert any(i["ID"] == image_id and i["Name"] == name + "-image" for i in images)
    finally:
        cloud.client("glance", "demo").call("DELETE", f"/v2/images/{image_id}", ok=(404,))
    resized = occi_as_demo(endpoint, "compute", "resize", name, "--resource-template", "m1.small",
                           "-f", "json")  # fmt: skip
    assert "http://schemas.openstack.org/template/resource#2" in ok(resized).json()["mixins"]


def test_unknown_names_exit_4(compute: dict, occi_as_demo) -> None:  # noqa: ANN001
    endpoint = compute["endpoint"]
    assert occi_as_demo(endpoint, "compute", "show", "no-such-compute").code == 4
    missing = occi_as_demo(endpoint, "compute", "create", "x", "--os-template", "no-such-image")
    assert missing.code == 4 and "no-such-image" in missing.err


def test_delete_wait_leaves_nothing(compute: dict, cloud, occi_as_demo) -> None:  # noqa: ANN001
    shown = compute["shown"]
    ok(occi_as_demo(compute["endpoint"], "compute", "delete", shown["id"], "--wait"))
    # ooi answers 404 once nova has taken the delete; nova's own record goes a moment later.
    end = time.monotonic() + 60
    while cloud.client("nova").call("GET", f"/servers/{shown['id']}", ok=(404,)) is not None:
        assert time.monotonic() < end, "nova still has the server"
        time.sleep(0.5)
    assert occi_as_demo(compute["endpoint"], "compute", "show", shown["id"]).code == 4
