"""Block storage over HTTP, in both modes: volumes (`/storage/`) and their attachments
(`/storagelink/`), against the box's real cinder and nova.

What ooi did is checked through cinder's and nova's own APIs. Every volume and server made here
is deleted at the end (volumes detached first), also when a test fails.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from ooi.occi.schema import definition
from tests.cloud.waiting import until
from tests.functional.occi_names import COMPUTE, INFRA

pytestmark = pytest.mark.cloud

STORAGE = INFRA + "storage"
STORAGELINK = INFRA + "storagelink"
PREFIXES = ["/occi1.1", "/occi1.2"]
TEXT = "text/plain"
JSON = "application/occi+json"


class Cloud:
    """One project's cinder and nova, as their own APIs show them."""

    def __init__(self, cloud: Any, project: str) -> None:
        self.cinder = cloud.client("cinder", project, f"/v3/{cloud.projects[project].id}")
        self.cinder.headers = {"OpenStack-API-Version": "volume 3.27"}
        self.nova = cloud.client("nova", project)
        self.neutron = cloud.client("neutron", project)
        self.glance = cloud.client("glance", project, "/v2")

    def volume(self, volume_id: str) -> dict[str, Any] | None:
        body = self.cinder.call("GET", f"/volumes/{volume_id}", ok=(404,))
        return None if body is None else body["volume"]

    def wait_volume(self, volume_id: str, status: str) -> dict[str, Any]:
        def probe() -> dict[str, Any] | None:
            volume = self.volume(volume_id)
            assert volume is not None, f"volume {volume_id} vanished"
            assert not volume["status"].startswith("error"), volume
            return volume if volume["status"] == status else None

        return until(f"volume {volume_id} {status}", probe)

    def forget_volume(self, volume_id: str) -> None:
        """Detach (through nova) and delete a volume, waiting until cinder has no trace."""
        volume = self.volume(volume_id)
        if volume is None:
            return
        for attachment in volume.get("attachments") or ():
            path = f"/servers/{attachment['server_id']}/os-volume_attachments/{volume_id}"
            self.nova.call("DELETE", path, ok=(404, 409))
        until(
            f"volume {volume_id} deletable",
            lambda: (
                (v := self.volume(volume_id)) is None
                or v["status"] in ("available", "error", "deleting")
            ),
        )
        self.cinder.call("DELETE", f"/volumes/{volume_id}", ok=(400, 404))
        until(f"volume {volume_id} gone", lambda: self.volume(volume_id) is None)

    def boot(self) -> str:
        image = self.glance.find("/images", "images", "box-raw")
        network = self.neutron.find("/networks", "networks", "private")
        assert image and network, "the box has no image or private network"
        body = {
            "server": {
                "name": f"storage-{uuid.uuid4().hex[:8]}",
                "flavorRef": "1",
                "imageRef": image["id"],
                "networks": [{"uuid": network["id"]}],
            }
        }
        server_id = self.nova.post("/servers", body)["server"]["id"]
        until(
            f"server {server_id} ACTIVE",
            lambda: self.nova.get(f"/servers/{server_id}")["server"]["status"] == "ACTIVE",
        )
        return server_id

    def delete_server(self, server_id: str) -> None:
        self.nova.call("DELETE", f"/servers/{server_id}", ok=(404,))
        until(
            f"server {server_id} gone",
            lambda: self.nova.call("GET", f"/servers/{server_id}", ok=(404,)) is None,
        )


@pytest.fixture(scope="module")
def demo(cloud: Any) -> Cloud:
    return Cloud(cloud, "demo")


@pytest.fixture(scope="module")
def server(demo: Cloud) -> Iterator[str]:
    """An ACTIVE server of the demo project, shared by the module's attach tests."""
    server_id = demo.boot()
    try:
        yield server_id
    finally:
        demo.delete_server(server_id)


@pytest.fixture
def volumes(demo: Cloud) -> Iterator[list[str]]:
    """Ids of the volumes a test made (appended as they are made), removed afterwards."""
    made: list[str] = []
    yield made
    for volume_id in made:
        demo.forget_volume(volume_id)


# --- helpers ----------------------------------------------------------------------------------


def headers(token: str, ctype: str = TEXT, accept: str = TEXT) -> dict[str, str]:
    return {"X-Auth-Token": token, "Content-Type": ctype, "Accept": accept}


def get(url: str, token: str, accept: str = TEXT) -> requests.Response:
    return requests.get(url, headers=headers(token, accept=accept), timeout=60)


def delete(url: str, token: str) -> requests.Response:
    return requests.delete(url, headers=headers(token), timeout=60)


def post(url: str, token: str, body: str | bytes, ctype: str = TEXT) -> requests.Response:
    return requests.post(url, data=body, headers=headers(token, ctype), timeout=60)


def kind_line(type_id: str) -> str:
    scheme, term = type_id.split("#")
    return f'Category: {term}; scheme="{scheme}#"; class="kind"'


def text_body(kind: str, attributes: dict[str, object]) -> str:
    lines = [kind_line(kind)]
    lines += [f"X-OCCI-Attribute: {n}={json.dumps(v)}" for n, v in attributes.items()]
    return "\n".join(lines)


def lines(body: str, prefix: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith(prefix)]


def backend_calls(resp: requests.Response) -> dict[str, int]:
    pairs = (i.strip().split("=") for i in resp.headers["X-OOI-Backend-Calls"].split(","))
    return {service: int(count) for service, count in pairs}


def created_id(resp: requests.Response, base: str, made: list[str]) -> str:
    """The id a 201 names (recorded for cleanup first), after checking where it is named."""
    assert resp.status_code == 201, resp.text
    location = resp.headers["Location"]
    assert location.startswith(base), location
    made.append(location.rsplit("/", 1)[1])
    assert location in resp.headers["X-OCCI-Location"]
    if resp.headers["Content-Type"].startswith(TEXT):
        # IM takes a new storage's id from the body's last segment.
        assert resp.text.strip().endswith(location)
    return made[-1]


def create_volume(url: str, token: str, made: list[str], size: int = 1, **attrs: object) -> str:
    body = text_body(STORAGE, {"occi.storage.size": size, **attrs})
    return created_id(post(f"{url}/storage/", token, body), f"{url}/storage/", made)


def wait_online(url: str, token: str) -> str:
    """The text/plain rendering of a storage once it is online (polling ooi, bounded)."""
    return until(
        f"{url} online",
        lambda: (
            (r := get(url, token)).status_code == 200
            and 'occi.storage.state="online"' in r.text
            and r.text
        ),
    )


# --- storage: create, read, delete ------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_create_show_list_delete(ooi_url, demo_token, demo, volumes, prefix):
    url = ooi_url + prefix
    name = f"vol-{uuid.uuid4().hex[:6]}"
    volume_id = create_volume(
        url, demo_token, volumes, size=2, **{"occi.core.title": name, "occi.core.summary": "data"}
    )
    volume = demo.volume(volume_id)
    assert volume and volume["size"] == 2 and volume["name"] == name
    assert volume["description"] == "data"
    shown = wait_online(f"{url}/storage/{volume_id}", demo_token)
    assert lines(shown, "Category: ")[0].startswith(kind_line(STORAGE))
    attributes = lines(shown, "X-OCCI-Attribute: ")
    assert f'X-OCCI-Attribute: occi.core.id="{volume_id}"' in attributes
    assert f'X-OCCI-Attribute: occi.core.title="{name}"' in attributes
    assert 'X-OCCI-Attribute: occi.core.summary="data"' in attributes
    assert "X-OCCI-Attribute: occi.storage.size=2" in attributes
    demo.wait_volume(volume_id, "available")

    listed = get(f"{url}/storage/", demo_token)
    assert listed.status_code == 200
    assert f"X-OCCI-Location: {url}/storage/{volume_id}" in listed.text.splitlines()
    uris = get(f"{url}/storage/", demo_token, "text/uri-list")
    assert f"{url}/storage/{volume_id}" in uris.text.splitlines()
    occi = get(f"{url}/storage/{volume_id}", demo_token, "text/occi")
    assert 'occi.storage.state="online"' in occi.headers["X-OCCI-Attribute"]
    assert occi.text == "OK"

    gone = delete(f"{url}/storage/{volume_id}", demo_token)
    assert gone.status_code == 204, gone.text
    assert gone.headers["Content-Type"]
    until("volume gone", lambda: demo.volume(volume_id) is None)
    again = delete(f"{url}/storage/{volume_id}", demo_token)
    assert again.status_code == 404
    assert get(f"{url}/storage/{volume_id}", demo_token).status_code == 404


def test_create_and_list_in_json(ooi_url, demo_token, demo, volumes):
    jsonschema = pytest.importorskip("jsonschema")
    url = ooi_url + "/occi1.2"
    document = {"kind": STORAGE, "attributes": {"occi.storage.size": 1, "occi.core.title": "j"}}
    resp = post(f"{url}/storage/", demo_token, json.dumps(document), JSON)
    volume_id = created_id(resp, f"{url}/storage/", volumes)
    demo.wait_volume(volume_id, "available")
    listed = get(f"{url}/storage/", demo_token, JSON)
    assert listed.status_code == 200, listed.text
    resources = listed.json()["resources"]
    for resource in resources:
        jsonschema.validate(resource, definition("resource"))
    mine = next(r for r in resources if r["id"] == volume_id)
    assert mine["attributes"]["occi.storage.state"] == "online"
    assert mine["attributes"]["occi.storage.size"] == 1
    assert mine["title"] == "j"
    # Full entities in one cinder call (the fewest of three listings: a worker whose cached
    # volume types have just expired asks for them once more).
    counted = [backend_calls(get(f"{url}/storage/", demo_token, JSON)) for _ in range(3)]
    assert min(c.get("volume", 0) for c in counted) == 1, counted
    shown = get(f"{url}/storage/{volume_id}", demo_token, JSON)
    assert shown.json()["attributes"]["occi.storage.state"] == "online"


@pytest.mark.parametrize(
    ("attributes", "status", "says"),
    [
        ({"occi.core.title": "no-size"}, 400, "occi.storage.size"),
        ({"occi.storage.size": 1.5}, 400, "whole number"),
        ({"occi.storage.size": 0}, 400, "at least 1"),
        ({"occi.storage.size": "big"}, 400, "occi.storage.size"),
        ({"occi.storage.size": 1, "occi.storage.state": "online"}, 400, "occi.storage.state"),
        # More than the project's gigabytes quota: cinder's refusal, not a 500.
        ({"occi.storage.size": 5_000_000}, 413, "quota"),
    ],
)
def test_bad_creates(ooi_url, demo_token, demo, volumes, attributes, status, says):
    before = {v["id"] for v in demo.cinder.get("/volumes")["volumes"]}
    resp = post(f"{ooi_url}/occi1.2/storage/", demo_token, text_body(STORAGE, attributes))
    if resp.status_code == 201:
        volumes.append(resp.headers["Location"].rsplit("/", 1)[1])
    assert resp.status_code == status, resp.text
    assert says.lower() in resp.text.lower()
    assert {v["id"] for v in demo.cinder.get("/volumes")["volumes"]} == before


@pytest.mark.parametrize("prefix", PREFIXES)
def test_unknown_ids_are_404(ooi_url, demo_token, prefix):
    url = ooi_url + prefix
    missing = str(uuid.uuid4())
    for path in (
        f"storage/{missing}",
        "storage/detail",
        "storage/a..b",
        f"storagelink/{missing}_{missing}",
        f"storagelink/detail_{missing}",
    ):
        assert get(f"{url}/{path}", demo_token).status_code == 404, path
        resp = delete(f"{url}/{path}", demo_token)
        assert resp.status_code == 404, path
        if not path.endswith(missing):  # checked before any backend call
            assert resp.headers.get("X-OOI-Backend-Calls", "") == ""
    assert get(f"{url}/storagelink/nounderscore", demo_token).status_code == 404


def test_other_projects_volumes_are_not_found(ooi_url, demo_token, alt_demo_token, volumes):
    url = ooi_url + "/occi1.2"
    volume_id = create_volume(url, demo_token, volumes)
    assert get(f"{url}/storage/{volume_id}", alt_demo_token).status_code == 404
    assert delete(f"{url}/storage/{volume_id}", alt_demo_token).status_code == 404


def test_delete_all_in_a_project(ooi_url, alt_demo_token, cloud):
    alt = Cloud(cloud, "alt_demo")
    url = ooi_url + "/occi1.2"
    made: list[str] = []
    try:
        for _ in range(2):
            create_volume(url, alt_demo_token, made)
        for volume_id in made:
            alt.wait_volume(volume_id, "available")
        resp = delete(f"{url}/storage/", alt_demo_token)
        assert resp.status_code == 204, resp.text
        for volume_id in made:
            until("volume gone", lambda v=volume_id: alt.volume(v) is None)
    finally:
        for volume_id in made:
            alt.forget_volume(volume_id)


# --- storage links: attach, read, detach -------------------------------------------------------


def link_body(url: str, server_id: str, volume_id: str, device: str | None = None) -> str:
    attributes: dict[str, object] = {
        "occi.core.source": f"{url}/compute/{server_id}",
        "occi.core.target": f"{url}/storage/{volume_id}",
    }
    if device:
        attributes["occi.storagelink.deviceid"] = device
    return text_body(STORAGELINK, attributes)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_attach_read_detach(ooi_url, demo_token, demo, server, volumes, prefix):
    url = ooi_url + prefix
    volume_id = create_volume(url, demo_token, volumes)
    demo.wait_volume(volume_id, "available")
    link_id = f"{server}_{volume_id}"

    resp = post(f"{url}/storagelink/", demo_token, link_body(url, server, volume_id, "/dev/vdb"))
    assert resp.status_code == 201, resp.text
    assert resp.headers["Location"] == f"{url}/storagelink/{link_id}"
    assert resp.headers["Location"] in resp.headers["X-OCCI-Location"]
    # Right after the 201 the link is there (nova reserved the volume in cinder before it
    # answered): inactive while nova's compute connects it, which costs cinder's attachments
    # after the volume; active once attached, from the volume alone. The storage shows it too
    # (its volume types may cost one more call when a worker's cache has just expired).
    early_link = get(f"{url}/storagelink/{link_id}", demo_token)
    early_storage = get(f"{url}/storage/{volume_id}", demo_token)
    for early, cost in ((early_link, {2}), (early_storage, {2, 3})):
        assert early.status_code == 200, early.text
        if 'occi.storagelink.state="inactive"' in early.text:
            assert backend_calls(early).get("volume") in cost, early.headers
        else:
            assert 'occi.storagelink.state="active"' in early.text, early.text
    assert f'occi.core.id="{link_id}"' in early_link.text
    assert f'self="{url}/storagelink/{link_id}"' in early_storage.text
    attached = demo.wait_volume(volume_id, "in-use")
    device = attached["attachments"][0]["device"]
    assert attached["attachments"][0]["server_id"] == server

    shown = get(f"{url}/storagelink/{link_id}", demo_token)
    assert shown.status_code == 200, shown.text
    assert lines(shown.text, "Category: ")[0].startswith(kind_line(STORAGELINK))
    attributes = lines(shown.text, "X-OCCI-Attribute: ")
    assert f'X-OCCI-Attribute: occi.storagelink.deviceid="{device}"' in attributes
    assert 'X-OCCI-Attribute: occi.storagelink.state="active"' in attributes
    assert f'X-OCCI-Attribute: occi.core.source="{url}/compute/{server}"' in attributes
    assert f'X-OCCI-Attribute: occi.core.target="{url}/storage/{volume_id}"' in attributes

    # The compute shows the link (IM reads self, target and deviceid from the Link line).
    compute = get(f"{url}/compute/{server}", demo_token)
    (line,) = [ln for ln in lines(compute.text, "Link: ") if "/storage/" in ln]
    assert line.startswith(f"Link: <{url}/storage/{volume_id}>")
    assert f'self="{url}/storagelink/{link_id}"' in line
    assert f'occi.storagelink.deviceid="{device}"' in line
    # So does the storage, and the collection of links in every rendering.
    storage = get(f"{url}/storage/{volume_id}", demo_token)
    assert f'self="{url}/storagelink/{link_id}"' in storage.text
    listed = get(f"{url}/storagelink/", demo_token, "text/uri-list")
    assert f"{url}/storagelink/{link_id}" in listed.text.splitlines()
    listed = get(f"{url}/storagelink/", demo_token, JSON)
    assert link_id in [link["id"] for link in listed.json()["links"]]

    # An attached volume cannot be deleted: 409 naming the compute.
    refused = delete(f"{url}/storage/{volume_id}", demo_token)
    assert refused.status_code == 409, refused.text
    assert server in refused.text
    # Attaching it again is a conflict too.
    again = post(f"{url}/storagelink/", demo_token, link_body(url, server, volume_id))
    assert again.status_code in (400, 409), again.text

    # IM's detach: GET self, DELETE self, poll until 404.
    gone = delete(f"{url}/storagelink/{link_id}", demo_token)
    assert gone.status_code == 204, gone.text
    until("link gone", lambda: get(f"{url}/storagelink/{link_id}", demo_token).status_code == 404)
    demo.wait_volume(volume_id, "available")
    assert delete(f"{url}/storagelink/{link_id}", demo_token).status_code == 404
    compute = get(f"{url}/compute/{server}", demo_token)
    assert not [ln for ln in lines(compute.text, "Link: ") if "/storage/" in ln]


def test_json_compute_list_gets_attachments_in_one_call(ooi_url, demo_token, demo, server, volumes):
    url = ooi_url + "/occi1.2"
    volume_id = create_volume(url, demo_token, volumes)
    demo.wait_volume(volume_id, "available")
    demo.nova.post(
        f"/servers/{server}/os-volume_attachments", {"volumeAttachment": {"volumeId": volume_id}}
    )
    demo.wait_volume(volume_id, "in-use")
    resp = get(f"{url}/compute/", demo_token, JSON)
    assert resp.status_code == 200, resp.text
    mine = next(r for r in resp.json()["resources"] if r["id"] == server)
    storage_links = [ln for ln in mine["links"] if ln["kind"] == STORAGELINK]
    assert [ln["id"] for ln in storage_links] == [f"{server}_{volume_id}"]
    assert storage_links[0]["attributes"]["occi.storagelink.deviceid"]
    calls = backend_calls(resp)
    assert calls.get("volume") == 1
    assert calls.get("compute", 0) <= 2, calls  # the servers, and the flavors when cold


@pytest.mark.parametrize(
    ("source", "target", "status"),
    [
        ("compute/{missing}", "storage/{volume}", 404),
        ("compute/{server}", "storage/{missing}", 404),
        ("compute/{server}", "network/{missing}", 400),
        ("storage/{volume}", "storage/{volume}", 400),
    ],
)
def test_bad_links(ooi_url, demo_token, demo, server, volumes, source, target, status):
    url = ooi_url + "/occi1.2"
    volume_id = create_volume(url, demo_token, volumes)
    demo.wait_volume(volume_id, "available")
    names = {"missing": str(uuid.uuid4()), "server": server, "volume": volume_id}
    body = text_body(
        STORAGELINK,
        {
            "occi.core.source": f"{url}/{source.format(**names)}",
            "occi.core.target": f"{url}/{target.format(**names)}",
        },
    )
    resp = post(f"{url}/storagelink/", demo_token, body)
    assert resp.status_code == status, resp.text
    assert demo.volume(volume_id)["status"] == "available"


def test_link_kind_must_be_storagelink(ooi_url, demo_token, server):
    url = ooi_url + "/occi1.2"
    resp = post(f"{url}/storagelink/", demo_token, text_body(COMPUTE, {}))
    assert resp.status_code == 400, resp.text


# --- volume types ----------------------------------------------------------------------------

VOLUME_TYPE_SCHEME = "http://schemas.openstack.org/storage/volume_type#"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_volume_types_are_mixins_chosen_at_create(ooi_url, demo_token, demo, volumes, prefix):
    url = ooi_url + prefix
    (default,) = [
        t for t in demo.cinder.get("/types")["volume_types"] if t["name"] == "__DEFAULT__"
    ]
    mixin = f'Category: {default["id"]}; scheme="{VOLUME_TYPE_SCHEME}"; class="mixin"'
    query = get(f"{url}/-/", demo_token).text
    (line,) = [ln for ln in query.splitlines() if ln.startswith(mixin)]
    assert 'title="__DEFAULT__"' in line and f'location="{prefix}/volume_type/' in line
    body = "\n".join([kind_line(STORAGE), mixin, "X-OCCI-Attribute: occi.storage.size=1"])
    volume_id = created_id(post(f"{url}/storage/", demo_token, body), f"{url}/storage/", volumes)
    assert demo.volume(volume_id)["volume_type"] == "__DEFAULT__"
    shown = get(f"{url}/storage/{volume_id}", demo_token).text
    assert any(ln.startswith(mixin) for ln in lines(shown, "Category: "))
    unknown = body.replace(default["id"], str(uuid.uuid4()))
    refused = post(f"{url}/storage/", demo_token, unknown)
    if refused.status_code == 201:
        volumes.append(refused.headers["Location"].rsplit("/", 1)[1])
    assert refused.status_code == 400, refused.text


def test_storage_collections_filter_and_page(ooi_url, demo_token, demo, volumes):
    url = ooi_url + "/occi1.2"
    first = create_volume(url, demo_token, volumes, **{"occi.core.title": "page-a"})
    create_volume(url, demo_token, volumes, **{"occi.core.title": "page-b"})
    paged = get(f"{url}/storage/?page=1&number=1", demo_token, "text/uri-list")
    assert paged.status_code == 200 and len(paged.text.split()) == 1
    title = requests.get(
        f"{url}/storage/",
        params={"attribute": "occi.core.title=page-a"},
        headers=headers(demo_token, accept="text/uri-list"),
        timeout=60,
    )
    assert title.text.split() == [f"{url}/storage/{first}"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_availability_zone_at_create(ooi_url, demo_token, demo, volumes, prefix):
    url = ooi_url + prefix
    zone = 'Category: nova; scheme="http://schemas.openstack.org/compute/availability_zone#"'
    body = "\n".join(
        [kind_line(STORAGE), zone + '; class="mixin"', "X-OCCI-Attribute: occi.storage.size=1"]
    )
    volume_id = created_id(post(f"{url}/storage/", demo_token, body), f"{url}/storage/", volumes)
    assert demo.volume(volume_id)["availability_zone"] == "nova"
    assert any(
        ln.startswith(zone)
        for ln in lines(get(f"{url}/storage/{volume_id}", demo_token).text, "Category: ")
    )
