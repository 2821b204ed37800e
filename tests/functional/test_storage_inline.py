"""Storage links inline in a compute create, over HTTP in both modes: to an existing volume and
to a new one described by its size; a create that fails leaves no server and no volume that ooi
made. Checked through nova's and cinder's own APIs."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cloud.waiting import until
from tests.functional.occi_names import COMPUTE, OS_TPL_SCHEME, RES_TPL_SCHEME
from tests.functional.test_storage import (
    STORAGE,
    STORAGELINK,
    Cloud,
    create_volume,
    get,
    kind_line,
    lines,
    post,
)

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def demo(cloud: Any) -> Cloud:
    return Cloud(cloud, "demo")


@pytest.fixture(scope="module")
def image_id(demo: Cloud) -> str:
    image = demo.glance.find("/images", "images", "box-raw")
    assert image
    return str(image["id"])


@pytest.fixture
def made(demo: Cloud) -> Iterator[dict[str, list[str]]]:
    """Servers and volumes a test made or may have made; removed afterwards (servers first)."""
    found: dict[str, list[str]] = {"servers": [], "volumes": []}
    yield found
    for server_id in found["servers"]:
        demo.delete_server(server_id)
    for volume_id in found["volumes"]:
        demo.forget_volume(volume_id)


def _leftovers(demo: Cloud, title: str) -> tuple[list[str], list[str]]:
    """Servers named ``title`` and volumes named after it (``title``-disk), deleting ones
    included: what a failed create must not leave (other tests may run alongside)."""
    servers = [s["id"] for s in demo.nova.get("/servers")["servers"] if s["name"] == title]
    volumes = [
        v["id"]
        for v in demo.cinder.get("/volumes")["volumes"]
        if str(v.get("name") or "").startswith(title)
    ]
    return servers, volumes


def _nothing_left(demo: Cloud, title: str, made: dict[str, list[str]]) -> None:
    servers, volumes = _leftovers(demo, title)
    made["servers"].extend(servers)
    made["volumes"].extend(volumes)
    # cinder deletes asynchronously: a volume ooi deleted may still be listed for a moment.
    until(f"nothing named {title}", lambda: _leftovers(demo, title) == ([], []), timeout=30)


def _mixin(type_id: str) -> str:
    scheme, term = type_id.split("#")
    return f'Category: {term}; scheme="{scheme}#"; class="mixin"'


def _link(target: str, **attributes: object) -> str:
    parts = [f"<{target}>", f'rel="{STORAGE}"', f'category="{STORAGELINK}"']
    parts += [f"{name}={json.dumps(value)}" for name, value in attributes.items()]
    return "Link: " + "; ".join(parts)


def _compute(image_id: str, links: list[str], title: str = "") -> str:
    lines_ = [
        kind_line(COMPUTE),
        _mixin(OS_TPL_SCHEME + image_id),
        _mixin(RES_TPL_SCHEME + "1"),
        f'X-OCCI-Attribute: occi.core.title="{title or "inline-" + uuid.uuid4().hex[:6]}"',
        *links,
    ]
    return "\n".join(lines_)


@pytest.mark.parametrize("prefix", ["/occi1.1", "/occi1.2"])
def test_existing_and_new_volume_at_create(ooi_url, demo_token, demo, image_id, made, prefix):
    url = ooi_url + prefix
    existing = create_volume(url, demo_token, made["volumes"])
    demo.wait_volume(existing, "available")
    body = _compute(
        image_id,
        [
            # As IM writes it: absolute target, self and source of a compute not made yet.
            _link(
                f"{url}/storage/{existing}",
                **{
                    "self": f"{url}/storagelink/x",
                    "occi.core.target": f"{url}/storage/{existing}",
                    "occi.core.source": f"{url}/compute/im-{uuid.uuid4()}",
                    "occi.storagelink.deviceid": "/dev/vdb",
                },
            ),
            _link(f"{prefix}/storage/", **{"occi.storage.size": 2, "occi.core.title": "scratch"}),
        ],
    )
    resp = post(f"{url}/compute/", demo_token, body)
    assert resp.status_code == 201, resp.text
    server_id = resp.headers["Location"].rsplit("/", 1)[1]
    made["servers"].append(server_id)
    until(
        "server ACTIVE",
        lambda: demo.nova.get(f"/servers/{server_id}")["server"]["status"] == "ACTIVE",
    )
    attached = demo.nova.get(f"/servers/{server_id}/os-volume_attachments")["volumeAttachments"]
    volume_ids = {a["volumeId"] for a in attached}
    made["volumes"].extend(volume_ids - {existing})
    assert existing in volume_ids and len(volume_ids) == 2
    (new,) = volume_ids - {existing}
    volume = demo.wait_volume(new, "in-use")
    assert volume["size"] == 2 and volume["name"] == "scratch"
    assert demo.wait_volume(existing, "in-use")["attachments"][0]["server_id"] == server_id

    shown = get(f"{url}/compute/{server_id}", demo_token)
    storage_lines = [ln for ln in lines(shown.text, "Link: ") if "/storage/" in ln]
    targets = sorted(ln.split(">")[0][len("Link: <") :] for ln in storage_lines)
    assert targets == sorted(f"{url}/storage/{v}" for v in (existing, new))
    for line in storage_lines:
        assert "occi.storagelink.deviceid=" in line


def test_too_large_new_volume_leaves_nothing(ooi_url, demo_token, demo, image_id, made):
    url = ooi_url + "/occi1.2"
    title = f"big-{uuid.uuid4().hex[:8]}"
    link = _link(f"{url}/storage/", **{"occi.storage.size": 5_000_000})
    resp = post(f"{url}/compute/", demo_token, _compute(image_id, [link], title))
    assert resp.status_code == 413, resp.text
    assert "quota" in resp.text.lower()
    _nothing_left(demo, title, made)


def test_boot_refused_after_volume_made_leaves_nothing(ooi_url, demo_token, demo, image_id, made):
    url = ooi_url + "/occi1.2"
    title = f"refused-{uuid.uuid4().hex[:8]}"
    # nova refuses a device name with a space at the boot, after ooi made the new volume.
    link = _link(
        f"{url}/storage/", **{"occi.storage.size": 1, "occi.storagelink.deviceid": "/dev/v b"}
    )
    resp = post(f"{url}/compute/", demo_token, _compute(image_id, [link], title))
    assert resp.status_code == 400, resp.text
    _nothing_left(demo, title, made)


@pytest.mark.parametrize(
    ("target", "status", "says"),
    [
        ("storage/{linked}", 409, "in-use"),
        ("storage/{missing}", 404, "no storage"),
        ("storage/", 400, "occi.storage.size"),
    ],
)
def test_bad_inline_links_make_nothing(
    ooi_url, demo_token, demo, image_id, made, target, status, says
):
    url = ooi_url + "/occi1.2"
    linked = create_volume(url, demo_token, made["volumes"])
    demo.wait_volume(linked, "available")
    server_id = demo.boot()
    made["servers"].insert(0, server_id)
    demo.nova.post(
        f"/servers/{server_id}/os-volume_attachments", {"volumeAttachment": {"volumeId": linked}}
    )
    demo.wait_volume(linked, "in-use")
    title = f"bad-{uuid.uuid4().hex[:8]}"
    names = {"linked": linked, "missing": str(uuid.uuid4())}
    body = _compute(image_id, [_link(f"{url}/{target.format(**names)}")], title)
    resp = post(f"{url}/compute/", demo_token, body)
    assert resp.status_code == status, resp.text
    assert says in resp.text
    _nothing_left(demo, title, made)
    assert demo.volume(linked)["attachments"][0]["server_id"] == server_id
